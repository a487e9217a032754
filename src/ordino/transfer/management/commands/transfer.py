"""`ordino transfer import|status|reconcile|mapping|mappings|jobs`: CSV and XLSX imports with a
mapping and a dry run (now, or queued for `ordino worker` with --background), an import's
progress, and the reconciliation with a legacy export (docs/transfer.md)."""

from __future__ import annotations

import getpass
import json
import time
from functools import partial
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ordino.audit.context import acting_as
from ordino.core.domain.errors import DomainError
from ordino.transfer.background import import_enqueue
from ordino.transfer.domain.fields import KINDS, MAPPING_KINDS
from ordino.transfer.importing import import_mapping_save, import_run
from ordino.transfer.models import ImportJob
from ordino.transfer.reconciling import legacy_reconcile, report_csv, report_text
from ordino.transfer.selectors import import_job_get, import_job_list, import_mapping_list

WAIT_SECONDS = 1.0  # how often `--wait` reads the job again


class Command(BaseCommand):
    help = "Import CSV/XLSX files, reconcile a legacy export, manage column mappings."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="{import,status,reconcile,...}")
        actions.required = True
        imp = actions.add_parser("import", help="import a CSV or XLSX file")
        imp.add_argument("kind", choices=KINDS)
        imp.add_argument("path", type=Path)
        imp.add_argument("--mapping", default="", help="a saved mapping's name")
        imp.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        imp.add_argument(
            "--background", action="store_true", help="queue it for `ordino worker`; print its id"
        )
        imp.add_argument("--wait", action="store_true", help="with --background: follow it")
        status = actions.add_parser("status", help="an import's status and progress")
        status.add_argument("job_id", type=int)
        status.add_argument("--wait", action="store_true", help="follow it until it ends")
        rec = actions.add_parser("reconcile", help="compare a legacy order export with Ordino")
        rec.add_argument("--legacy", type=Path, required=True)
        rec.add_argument("--mapping", default="")
        rec.add_argument("--csv", type=Path, help="also write the differences to this CSV")
        mapping = actions.add_parser("mapping", help="save a column mapping")
        mapping.add_argument("kind", choices=MAPPING_KINDS)
        mapping.add_argument("name")
        mapping.add_argument("--columns", default="{}", help='JSON: {"Source column": "field"}')
        mapping.add_argument("--constants", default="{}", help='JSON: {"field": "value"}')
        actions.add_parser("mappings", help="list the saved mappings")
        actions.add_parser("jobs", help="the last 20 imports")

    def handle(self, *args, action: str, **options) -> None:
        try:
            with acting_as(f"cli:{getpass.getuser()}"):
                getattr(self, f"_{action}")(**options)
        except DomainError as exc:
            details = "".join(f"\n  {e['field']}: {e['message']}" for e in exc.errors[:20])
            raise CommandError(f"{exc.message}{details}") from None

    def _import(
        self, *, kind: str, path: Path, mapping: str, dry_run: bool, background: bool,
        wait: bool, **_,
    ) -> None:  # fmt: skip
        def shown(job: ImportJob) -> None:
            self.stdout.write(f"  {job.rows_done}/{job.rows_total} rows")

        if wait and not background:
            raise CommandError("--wait follows a --background import.")
        try:
            handle = path.open("rb")
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from None
        run = import_enqueue if background else partial(import_run, progress=shown)
        with handle:
            job = run(
                kind=kind, handle=handle, file_name=path.name, mapping_name=mapping,
                dry_run=dry_run, actor=f"cli:{getpass.getuser()}",
            )  # fmt: skip
        if background:
            self.stdout.write(
                f"Import #{job.pk} queued for `ordino worker`: "
                f"`ordino transfer status {job.pk} --wait` follows it."
            )
            if wait:
                self._status(job_id=job.pk, wait=True)
            return
        self._outcome(job)

    def _status(self, *, job_id: int, wait: bool, **_) -> None:
        job = import_job_get(job_id=job_id)
        seen = None
        while True:
            figures = (job.status, job.rows_done, job.rows_total)
            if figures != seen:
                self.stdout.write(self._progress(job))
                seen = figures
            if job.status not in (ImportJob.PENDING, ImportJob.RUNNING) or not wait:
                break
            time.sleep(WAIT_SECONDS)
            job = import_job_get(job_id=job_id)
        if job.status not in (ImportJob.PENDING, ImportJob.RUNNING):
            self._outcome(job)

    @staticmethod
    def _progress(job: ImportJob) -> str:
        text = (
            f"Import #{job.pk}: {job.get_status_display()}, {job.rows_done}/{job.rows_total} rows"
        )
        if job.stalled and job.status == ImportJob.RUNNING:
            text += " (stalled: no news from its worker for 10 minutes)"
        elif job.stalled:
            text += " (stalled: no worker took it for 10 minutes; is `ordino worker` running?)"
        return f"{text}. {job.note}".rstrip()

    def _outcome(self, job: ImportJob) -> None:
        self.stdout.write(self._summary(job))
        for error in job.errors[:200]:
            self.stdout.write(
                f"  row {error['row']}, {error['column']}: {error['message']} ({error['code']})"
            )
        if job.errors_more or len(job.errors) > 200:
            self.stdout.write(f"  ... {job.errors_more + max(0, len(job.errors) - 200)} more")
        if job.status == ImportJob.REFUSED:
            raise CommandError(f"Nothing imported: {job.rows_failed} bad row(s) (job #{job.pk}).")
        if job.status == ImportJob.FAILED:
            raise CommandError(f"Nothing imported: the import failed (job #{job.pk}).")

    @staticmethod
    def _summary(job: ImportJob) -> str:
        verb = "Would create" if job.dry_run else "Created"
        return (
            f"Import #{job.pk} {job.kind} {job.file_name}: {job.get_status_display()}. "
            f"{job.rows_total} row(s), {job.rows_failed} bad; {verb} {job.created}, "
            f"{job.existing} already there."
        )

    def _reconcile(self, *, legacy: Path, mapping: str, csv: Path | None, **_) -> None:
        try:
            handle = legacy.open("rb")
        except OSError as exc:
            raise CommandError(f"Cannot read {legacy}: {exc}") from None
        with handle:
            report = legacy_reconcile(handle=handle, file_name=legacy.name, mapping_name=mapping)
        self.stdout.write(report_text(report), ending="")
        if csv is not None:
            csv.write_text(report_csv(report), encoding="utf-8")
            self.stdout.write(f"Differences written to {csv}.")

    def _mapping(self, *, kind: str, name: str, columns: str, constants: str, **_) -> None:
        try:
            parsed = json.loads(columns), json.loads(constants)
        except ValueError as exc:
            raise CommandError(f"--columns and --constants are JSON objects: {exc}") from None
        saved = import_mapping_save(kind=kind, name=name, columns=parsed[0], constants=parsed[1])
        self.stdout.write(f"Saved mapping {saved.kind}/{saved.name}.")

    def _mappings(self, **_) -> None:
        for m in import_mapping_list():
            self.stdout.write(f"{m.kind}/{m.name}: columns {m.columns} constants {m.constants}")

    def _jobs(self, **_) -> None:
        for job in import_job_list()[:20]:
            self.stdout.write(self._summary(job))
