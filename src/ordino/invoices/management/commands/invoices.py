"""`ordino invoices render NUMBER [--html] [-o FILE]`: an invoice or credit note as a PDF (or
its HTML), by its number (INV-2026-000123) or id, to a file or standard output.
`ordino invoices channel CODE --skip|--invoice`: whether Ordino invoices a channel's orders (skip
a marketplace that invoices its buyers itself)."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from ordino.channels.selectors import channel_get
from ordino.core.domain.errors import NotFound
from ordino.invoices import selectors
from ordino.invoices.services import channel_invoicing_set


class Command(BaseCommand):
    help = "Render an invoice or credit note as PDF or HTML."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="{render,channel}")
        actions.required = True
        render = actions.add_parser("render", help="write a document as PDF (or HTML)")
        render.add_argument("document", help="its number (INV-2026-000123) or id")
        render.add_argument("--html", action="store_true", help="HTML instead of PDF")
        render.add_argument("-o", "--output", default="-", help="a file; - for standard output")
        channel = actions.add_parser("channel", help="invoice a channel's orders, or skip them")
        channel.add_argument("code", help="the channel's code")
        choice = channel.add_mutually_exclusive_group(required=True)
        choice.add_argument("--skip", action="store_true", help="its marketplace invoices itself")
        choice.add_argument("--invoice", action="store_true", help="Ordino invoices its orders")

    def handle(self, *args, action: str, **options):
        if action == "channel":
            return self._channel(options["code"], skip=options["skip"])
        return self._render(options["document"], html=options["html"], output=options["output"])

    def _channel(self, code: str, *, skip: bool) -> None:
        try:
            channel = channel_get(code=code)
        except NotFound as exc:
            raise CommandError(exc.message) from None
        channel_invoicing_set(channel_id=channel.pk, skip=skip)
        what = "skipped (its marketplace invoices)" if skip else "invoiced by Ordino"
        self.stdout.write(f"Channel {channel.code}: orders {what}.")

    def _render(self, document: str, *, html: bool, output: str) -> None:
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
