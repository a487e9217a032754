"""`ordino returns link ORDER_ID`: print the customer's return link of an order."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ordino.core.domain.errors import DomainError
from ordino.returns.services import return_link


class Command(BaseCommand):
    help = "Returns: print a customer's return link."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="{link}")
        actions.required = True
        link = actions.add_parser("link", help="print the signed link to an order's return page")
        link.add_argument("order_id", type=int)

    def handle(self, *args, **options) -> None:
        try:
            link = return_link(order_id=options["order_id"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(link["url"])
        self.stdout.write(f"expires {link['expires_at']:%Y-%m-%d %H:%M} UTC")
