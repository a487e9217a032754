"""`ordino invoices render NUMBER [--html] [-o FILE]`: an invoice or credit note as a PDF (or
its HTML), by its number (INV-2026-000123) or id, to a file or standard output."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from ordino.core.domain.errors import NotFound
from ordino.invoices import selectors


class Command(BaseCommand):
    help = "Render an invoice or credit note as PDF or HTML."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="{render}")
        actions.required = True
        render = actions.add_parser("render", help="write a document as PDF (or HTML)")
        render.add_argument("document", help="its number (INV-2026-000123) or id")
        render.add_argument("--html", action="store_true", help="HTML instead of PDF")
        render.add_argument("-o", "--output", default="-", help="a file; - for standard output")

    def handle(self, *args, action: str, document: str, html: bool, output: str, **options):
        try:
            invoice = selectors.invoice_by_number(document)
        except NotFound as exc:
            raise CommandError(exc.message) from None
        if html:
            data = selectors.invoice_html_get(invoice_id=invoice.pk)[1].encode()
        else:
            data = selectors.invoice_pdf_get(invoice_id=invoice.pk)[1]
        if output == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            with open(output, "wb") as out:
                out.write(data)
            self.stdout.write(f"{invoice.number}: {len(data)} bytes written to {output}")
