"""`ordino payments retry`: send now, with their own idempotency keys, the payment calls that
failed or got no answer (the worker does it every minute); `ordino payments renew`: renew
authorizations that lapse within a day (the worker: every hour); `ordino payments resend
ORDER REFUND [--to store_credit]`: send again a refund that failed after the provider accepted
it. docs/payments.md."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ordino.core.domain.errors import DomainError
from ordino.payments.commands import REFUND_TO
from ordino.payments.services import authorizations_renew, payments_retry_due, refund_resend


class Command(BaseCommand):
    help = "Retry failed payment calls now, renew lapsing authorizations, or resend a refund."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="{retry,renew,resend}")
        actions.required = True
        actions.add_parser("retry", help="send failed or unanswered payment calls again")
        actions.add_parser("renew", help="renew authorizations lapsing within a day")
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
        else:
            try:
                refund = refund_resend(order_id=options["order_id"],
                                       refund_id=options["refund_id"], to=options["to"],
                                       actor="cli")  # fmt: skip
            except DomainError as refused:
                raise CommandError(f"{refused.code}: {refused.message}") from None
            self.stdout.write(f"Refund {refund.pk} sent again: {refund.status}.")
