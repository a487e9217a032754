"""`ordino accounting journal [--from DAY] [--to DAY] [--format csv|json]`: the journal of a
period on standard output, as the API gives it (docs/accounting.md)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from ordino.accounting import export
from ordino.accounting.domain.period import period
from ordino.accounting.selectors import journal_get
from ordino.core.domain.errors import DomainError


class Command(BaseCommand):
    help = "The accounting journal of a period, as CSV or JSON."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="{journal}")
        actions.required = True
        journal = actions.add_parser("journal", help="write the journal of a period")
        journal.add_argument("--from", dest="date_from", help="first UTC day, YYYY-MM-DD")
        journal.add_argument("--to", dest="date_to", help="last UTC day, inclusive")
        journal.add_argument("--format", choices=["csv", "json"], default="csv")

    def handle(self, *args, action: str, **options):
        try:
            date_from, date_to = period(options["date_from"], options["date_to"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        result = journal_get(date_from=date_from, date_to=date_to)
        if options["format"] == "json":
            text = json.dumps(export.as_json(result), cls=DjangoJSONEncoder, indent=2) + "\n"
        else:
            text = export.csv_text(result)
        self.stdout.write(text, ending="")
