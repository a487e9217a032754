"""`ordino payments retry`: send now, with their own idempotency keys, the payment calls that
failed or got no answer (the worker does it every minute); `ordino payments renew`: re-authorize
authorizations that lapse within a day (the worker: every hour); `ordino payments refund ORDER
--reason R [--line NO:UNITS ...] [--shipping A] [--goodwill A] [--to store_credit
[--expires-at ISO]]`: refund as the API and the money panel do; `ordino payments resend ORDER
REFUND [--to store_credit]`: send again a refund that failed after the provider accepted it.
docs/payments.md."""

from __future__ import annotations

import getpass

from django.core.management.base import BaseCommand, CommandError

from ordino.core.domain.display import money_display
from ordino.core.domain.errors import DomainError
from ordino.core.transactions import savepoint
from ordino.payments.commands import REFUND_TO, RefundLine, RefundOrder
from ordino.payments.management.commands.credit import _amount, _moment
from ordino.payments.services import (
    authorizations_renew,
    payments_retry_due,
    refund_create,
    refund_resend,
)


def _line(text: str) -> RefundLine:
    """NO:UNITS, e.g. 1:2 (two units of line 1)."""
    no, _, units = text.partition(":")
    if not (no.isdigit() and units.isdigit()) or int(units) > 1_000_000:
        raise CommandError(f"{text!r}: give a line as NO:UNITS, e.g. 1:2.")
    return RefundLine(int(no), int(units))


class Command(BaseCommand):
    help = (
        "Retry failed payment calls now, renew lapsing authorizations, refund an order, or "
        "resend a reversed refund."
    )

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="{retry,renew,refund,resend}")
        actions.required = True
        actions.add_parser("retry", help="send failed or unanswered payment calls again")
        actions.add_parser("renew", help="re-authorize authorizations lapsing within a day")
        refund = actions.add_parser("refund", help="refund shipped units, shipping, goodwill")
        refund.add_argument("order", type=int, help="the order's id")
        refund.add_argument("--reason", required=True)
        refund.add_argument("--line", action="append", type=_line, default=[], help="NO:UNITS")
        refund.add_argument("--shipping", type=_amount, default=_amount("0"))
        refund.add_argument("--goodwill", type=_amount, default=_amount("0"))
        refund.add_argument("--to", choices=REFUND_TO, default="original")
        refund.add_argument(
            "--expires-at", type=_moment, help="with --to store_credit: when the credit expires"
        )
        resend = actions.add_parser("resend", help="send a reversed refund again")
        resend.add_argument("order_id", type=int)
        resend.add_argument("refund_id", type=int)
        resend.add_argument("--to", choices=REFUND_TO, default="original")

    def handle(self, *args, **options) -> None:
        if options["action"] == "retry":
            sent = payments_retry_due()
            self.stdout.write(f"Sent {sent} payment call(s) again.")
        elif options["action"] == "renew":
            renewed = authorizations_renew()
            self.stdout.write(f"Re-authorized {renewed} payment(s).")
        elif options["action"] == "refund":
            self._refund(options)
        else:
            self._resend(options)

    def _resend(self, options: dict) -> None:
        try:
            refund = refund_resend(order_id=options["order_id"], refund_id=options["refund_id"],
                                   to=options["to"], actor=f"cli:{getpass.getuser()}")  # fmt: skip
        except DomainError as refused:
            raise CommandError(f"{refused.code}: {refused.message}") from None
        self.stdout.write(f"Refund {refund.pk} sent again: {refund.status}.")

    def _refund(self, options: dict) -> None:
        command = RefundOrder(
            order_id=options["order"],
            lines=tuple(options["line"]),
            shipping=options["shipping"],
            goodwill=options["goodwill"],
            reason=options["reason"][:255],
            actor=f"cli:{getpass.getuser()}",
            to=options["to"],
            expires_at=options.get("expires_at"),
        )
        try:
            with savepoint():  # a refusal undoes this command's work only
                refund = refund_create(command=command)
        except DomainError as refused:
            raise CommandError(f"{refused.code}: {refused.message}") from None
        where = "store credit" if refund.to == "store_credit" else "the payments"
        expiry = f", expiring {command.expires_at.isoformat()}" if command.expires_at else ""
        self.stdout.write(
            f"Refund {refund.pk} of {money_display(refund.amount, refund.currency)} to {where}"
            f"{expiry}: {refund.status}."
        )
