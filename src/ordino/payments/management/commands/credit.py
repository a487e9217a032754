"""`ordino credit balance <customer>`: a customer's store credit per currency, proven by
replaying its entries; `ordino credit issue <customer> --amount A --currency C --reason R
[--take-back] [--expires-at ISO]`: give credit (goodwill, maybe expiring) or take some back, as
staff do in the console and the API; `ordino credit expire`: write off expired credit now, as the
worker's periodic job does (docs/payments.md, "Store credit")."""

from __future__ import annotations

import getpass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from ordino.core.domain.errors import DomainError
from ordino.core.transactions import savepoint
from ordino.payments.credit_selectors import (
    account_serialize,
    credit_entries,
    credit_of_customer,
    credit_proven,
)
from ordino.payments.services import IssueCredit, credit_expire_due, credit_issue


def _moment(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date-time (e.g. 2027-06-30T23:59:59Z).") from None
    if value.tzinfo is None:
        raise CommandError(f"{text!r} needs its time zone (e.g. Z or +02:00).")
    return value


def _amount(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CommandError(f"{text!r} is not an amount.") from None
    if not value.is_finite():
        raise CommandError(f"{text!r} is not an amount.")
    return value


class Command(BaseCommand):
    help = "A customer's store credit: show it, or give or take back credit with a reason."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="{balance,issue,expire}")
        actions.required = True
        balance = actions.add_parser("balance", help="balance and held credit per currency")
        balance.add_argument("customer", type=int, help="the customer's id")
        issue = actions.add_parser("issue", help="give store credit (or take some back)")
        issue.add_argument("customer", type=int, help="the customer's id")
        issue.add_argument("--amount", required=True, type=_amount)
        issue.add_argument("--currency", required=True)
        issue.add_argument("--reason", required=True)
        issue.add_argument("--take-back", action="store_true", help="an adjustment down")
        issue.add_argument("--expires-at", type=_moment, help="when what is left of it expires")
        actions.add_parser("expire", help="write off credit whose expiry passed (the job)")

    def handle(self, *args, **options) -> None:
        try:
            with savepoint():  # a refusal undoes this command's work only
                if options["action"] == "balance":
                    self._balance(options["customer"])
                elif options["action"] == "expire":
                    self.stdout.write(f"{credit_expire_due()} expired credit(s) written off.")
                else:
                    self._issue(options)
        except DomainError as refused:
            raise CommandError(refused.message) from None

    def _balance(self, customer_id: int) -> None:
        view = credit_of_customer(customer_id=customer_id)
        if not view.accounts:
            self.stdout.write(f"Customer {customer_id} has no store credit.")
        for account in view.accounts:
            credit_proven(account)  # the entries replayed agree with the row, or it raises
            a = account_serialize(account)
            count = credit_entries(customer_id=customer_id, currency=a["currency"]).count()
            self.stdout.write(
                f"{a['currency']} balance {a['balance']} held {a['held']} ({count} entries, proven)"
            )
            for lot in a["expiring"]:
                self.stdout.write(
                    f"  {lot['amount']} expires {lot['expires_at'].isoformat()} "
                    f"(entry {lot['entry_id']})"
                )

    def _issue(self, options: dict) -> None:
        entry = credit_issue(
            command=IssueCredit(
                customer_id=options["customer"],
                currency=options["currency"].upper(),
                amount=options["amount"],
                reason=options["reason"],
                actor=f"cli:{getpass.getuser()}",
                kind="adjustment" if options["take_back"] else "goodwill",
                expires_at=options.get("expires_at"),
            )
        )
        self.stdout.write(
            f"Store credit {entry.kind}: {entry.amount.normalize():f} "
            f"{options['currency'].upper()}; balance {entry.balance_after.normalize():f}."
        )
