"""`ordino credit balance <customer>`: a customer's store credit per currency, proven by
replaying its entries; `ordino credit issue <customer> --amount A --currency C --reason R
[--take-back]`: give credit (goodwill) or take some back, as staff do in the console and the
API (docs/payments.md, "Store credit")."""

from __future__ import annotations

import getpass
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
from ordino.payments.services import IssueCredit, credit_issue


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
        actions = parser.add_subparsers(dest="action", metavar="{balance,issue}")
        actions.required = True
        balance = actions.add_parser("balance", help="balance and held credit per currency")
        balance.add_argument("customer", type=int, help="the customer's id")
        issue = actions.add_parser("issue", help="give store credit (or take some back)")
        issue.add_argument("customer", type=int, help="the customer's id")
        issue.add_argument("--amount", required=True, type=_amount)
        issue.add_argument("--currency", required=True)
        issue.add_argument("--reason", required=True)
        issue.add_argument("--take-back", action="store_true", help="an adjustment down")

    def handle(self, *args, **options) -> None:
        try:
            with savepoint():  # a refusal undoes this command's work only
                if options["action"] == "balance":
                    self._balance(options["customer"])
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

    def _issue(self, options: dict) -> None:
        entry = credit_issue(
            command=IssueCredit(
                customer_id=options["customer"],
                currency=options["currency"].upper(),
                amount=options["amount"],
                reason=options["reason"],
                actor=f"cli:{getpass.getuser()}",
                kind="adjustment" if options["take_back"] else "goodwill",
            )
        )
        self.stdout.write(
            f"Store credit {entry.kind}: {entry.amount.normalize():f} "
            f"{options['currency'].upper()}; balance {entry.balance_after.normalize():f}."
        )
