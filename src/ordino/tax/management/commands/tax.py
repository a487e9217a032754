"""`ordino tax import rates.csv`: create tax rates from a CSV, all or none (docs/tax.md).

Through the use case, row by row (django-import-export's import would write the table past
it: core/console_export.py keeps it to exports)."""

from __future__ import annotations

import getpass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ordino.audit.context import acting_as
from ordino.core.domain.errors import DomainError
from ordino.core.transactions import request_atomic
from ordino.tax.services import IMPORT_COLUMNS, tax_rates_import

MAX_BYTES = 5_000_000


class Command(BaseCommand):
    help = "Import tax rates from a CSV file."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="{import}")
        actions.required = True
        importing = actions.add_parser(
            "import", help=f"create the rates of a CSV with the header {','.join(IMPORT_COLUMNS)}"
        )
        importing.add_argument("path", type=Path)

    def handle(self, *args, **options) -> None:
        path: Path = options["path"]
        try:
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(f"{path} is larger than {MAX_BYTES} bytes.")
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from None
        try:
            with request_atomic(), acting_as(f"cli:{getpass.getuser()}"):  # all or none
                created = tax_rates_import(text=text)
        except DomainError as exc:
            raise CommandError(f"Nothing imported. {exc.message}") from None
        self.stdout.write(f"Imported {len(created)} tax rate(s) from {path}.")
