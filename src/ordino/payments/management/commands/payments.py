"""`ordino payments retry`: send now, with their own idempotency keys, the payment calls that
failed or got no answer (the worker does it every minute); `ordino payments renew`: re-authorize
authorizations that lapse within a day (the worker: every hour). docs/payments.md."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ordino.payments.services import authorizations_renew, payments_retry_due


class Command(BaseCommand):
    help = "Retry failed payment calls now, or renew lapsing authorizations."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="{retry,renew}")
        actions.required = True
        actions.add_parser("retry", help="send failed or unanswered payment calls again")
        actions.add_parser("renew", help="re-authorize authorizations lapsing within a day")

    def handle(self, *args, **options) -> None:
        if options["action"] == "retry":
            sent = payments_retry_due()
            self.stdout.write(f"Sent {sent} payment call(s) again.")
        else:
            renewed = authorizations_renew()
            self.stdout.write(f"Re-authorized {renewed} payment(s).")
