"""`ordino import --from DIR`: load an export into an empty Ordino (docs/transfer.md,
"Importing an export")."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ordino.core.domain.errors import DomainError
from ordino.transfer.restore import Loaded, export_check, export_load


class Command(BaseCommand):
    help = "Load an `ordino export` folder into this empty Ordino, ids kept, all or nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--from", dest="source", type=Path, required=True)
        parser.add_argument(
            "--check", action="store_true", help="only check the manifest and checksums"
        )

    def handle(self, *args, source: Path, check: bool, **options) -> None:
        def shown(item: Loaded) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"  {item.entity}: {item.rows} row(s)")

        try:
            if check:
                manifest, _ = export_check(source)
                self.stdout.write(
                    f"{source}: {len(manifest['files'])} file(s) match their checksums."
                )
                return
            loaded = export_load(source=source, progress=shown)
        except DomainError as exc:
            raise CommandError(f"Nothing imported. {exc.message}") from None
        rows = sum(item.rows for item in loaded)
        self.stdout.write(f"Imported {len(loaded)} entities, {rows} rows, from {source}.")
