"""`ordino export --out DIR`: every entity as JSON lines and CSV with a manifest
(docs/transfer.md, "The export format")."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ordino.core.domain.errors import DomainError
from ordino.transfer.dump import Written, export_write


class Command(BaseCommand):
    help = "Export all of Ordino's data (JSON lines and CSV, with manifest.json) into DIR."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--out", type=Path, required=True, help="a new or empty folder")

    def handle(self, *args, out: Path, **options) -> None:
        def shown(item: Written) -> None:
            if item.format == "jsonl" and options["verbosity"] > 1:
                self.stdout.write(f"  {item.entity}: {item.rows} row(s)")

        try:
            manifest = export_write(out=out, progress=shown)
        except (DomainError, OSError) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from None
        rows = sum(f["rows"] for f in manifest["files"] if f["format"] == "jsonl")
        entities = len(manifest["files"]) // 2
        self.stdout.write(f"Exported {entities} entities, {rows} rows, to {out} (manifest.json).")
