"""`ordino returns ...`:

ordino returns link ORDER_ID                       (the customer's signed return link)
ordino returns label RETURN_ID [--format pdf|zpl] --out FILE   (an open return's label)
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ordino.core.domain.errors import DomainError
from ordino.returns.label import LABEL_FORMATS, return_label_document
from ordino.returns.services import return_link


class Command(BaseCommand):
    help = "Returns: print a customer's return link, write a return's label."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="{link,label}")
        actions.required = True
        link = actions.add_parser("link", help="print the signed link to an order's return page")
        link.add_argument("order_id", type=int)
        label = actions.add_parser("label", help="write an open return's 4×6 in label")
        label.add_argument("return_id", type=int)
        label.add_argument("--format", choices=LABEL_FORMATS, default="pdf")
        label.add_argument("--out", required=True, help="the file to write")

    def handle(self, *args, **options) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except DomainError as exc:
            raise CommandError(exc.message) from None

    def _link(self, options) -> None:
        link = return_link(order_id=options["order_id"])
        self.stdout.write(link["url"])
        self.stdout.write(f"expires {link['expires_at']:%Y-%m-%d %H:%M} UTC")

    def _label(self, options) -> None:
        document, _ = return_label_document(return_id=options["return_id"], fmt=options["format"])
        try:
            Path(options["out"]).write_bytes(document)
        except OSError as exc:
            raise CommandError(f"Cannot write {options['out']}: {exc.strerror}.") from None
        self.stdout.write(f"Wrote the label of return {options['return_id']} to {options['out']}.")
