"""Import one file: read it, map it, run every row through its use case, and keep all of it or
none of it (docs/transfer.md, "Guarantees").

The whole file runs in one transaction; each row (each order) in a savepoint inside it, so a
refused row is undone alone and the pass goes on to find every other bad row. At the end the
transaction commits only when no row was refused and it is not a dry run: a rejected file
changes nothing, and a dry run reports exactly what the import would do. The ImportJob row is
written outside that transaction, so the job and its errors stay whatever happens — except its
`done`, written inside it: an import is done exactly when its rows committed, which is what
lets a background job whose worker died be run again safely (background.py). Progress while it
runs goes to the cache (progress.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import IO

from ordino.core.domain.clock import utcnow
from ordino.core.domain.codes import code_check
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.transactions import savepoint
from ordino.integrations.services import integration_call_record
from ordino.transfer.domain.fields import KINDS, MAPPING_KINDS
from ordino.transfer.domain.mapping import Plan, Problem, mapping_check, plan_make
from ordino.transfer.domain.rows import Row, row_blank, row_read
from ordino.transfer.kinds import APPLY, Tally
from ordino.transfer.models import ImportJob, ImportMapping
from ordino.transfer.progress import progress_write
from ordino.transfer.reading import FileRefused, sheet_read

MAX_ERRORS = 1000  # kept on the job; beyond it, counted in errors_more
PROGRESS_SECONDS = 1.0  # how often a running import writes its figures to the cache


class _Undo(Exception):
    """Leaves the file's transaction without committing it (a dry run, a refused file)."""


class _Superseded(Exception):
    """Leaves the file's transaction: a newer attempt owns the job (background.py)."""


def mapping_resolve(
    *, kind: str, name: str = "", columns: dict | None = None, constants: dict | None = None
) -> tuple[dict, dict]:
    """A saved mapping by name, with the columns and constants given here on top."""
    if kind not in MAPPING_KINDS:
        raise DomainError(
            "unknown_kind", f"Unknown kind {kind!r}: {', '.join(MAPPING_KINDS)}.", field="kind"
        )
    saved_columns: dict = {}
    saved_constants: dict = {}
    if name:
        saved = ImportMapping.objects.filter(kind=kind, name=name).first()
        if saved is None:
            raise NotFound("import_mapping", f"{kind}/{name}", field="mapping")
        saved_columns, saved_constants = dict(saved.columns), dict(saved.constants)
    columns = {**saved_columns, **(columns or {})}
    constants = {**saved_constants, **(constants or {})}
    problems = mapping_check(kind, columns, constants)
    if problems:
        raise DomainError(
            problems[0].code,
            "The mapping is not valid.",
            errors=[{"field": p.column, "code": p.code, "message": p.message} for p in problems],
        )
    return columns, constants


def import_run(
    *,
    kind: str,
    handle: IO[bytes],
    file_name: str,
    actor: str,
    mapping_name: str = "",
    columns: dict | None = None,
    constants: dict | None = None,
    dry_run: bool = False,
    progress: Callable[[ImportJob], None] | None = None,
) -> ImportJob:
    """Import (or, with `dry_run`, check) one file of `kind` now; the job says how it went."""
    job = import_job_new(
        kind=kind, file_name=file_name, actor=actor, mapping_name=mapping_name,
        columns=columns, constants=constants, dry_run=dry_run,
    )  # fmt: skip
    return import_job_execute(job, handle, progress)


def import_job_new(
    *,
    kind: str,
    file_name: str,
    actor: str,
    mapping_name: str = "",
    columns: dict | None = None,
    constants: dict | None = None,
    dry_run: bool = False,
    background: bool = False,
) -> ImportJob:
    """The job of one file, its mapping resolved and copied: `running` (run now by the caller)
    or, in the `background`, `pending` until a worker claims it (background.py)."""
    if kind not in KINDS:
        raise DomainError(
            "unknown_kind", f"Unknown import kind {kind!r}: {', '.join(KINDS)}.", field="kind"
        )
    columns, constants = mapping_resolve(
        kind=kind, name=mapping_name, columns=columns, constants=constants
    )
    now = utcnow()
    return ImportJob.objects.create(
        kind=kind, file_name=file_name[:255], mapping_name=mapping_name,
        mapping={"columns": columns, "constants": constants}, dry_run=dry_run,
        status=ImportJob.PENDING if background else ImportJob.RUNNING, background=background,
        created_by=actor[:150], created_at=now, started_at=None if background else now,
        attempts=0 if background else 1,
    )  # fmt: skip


def import_job_execute(
    job: ImportJob,
    handle: IO[bytes],
    progress: Callable[[ImportJob], None] | None = None,
    fence: Callable[[ImportJob], bool] | None = None,
) -> ImportJob:
    """Run the `running` job on its file: every row, then all of it kept or none. `fence`,
    asked inside the import's transaction just before it commits (and before any other end is
    written): False when this run no longer owns the job (a newer attempt does) — then it
    keeps nothing and writes nothing."""
    fence = fence or _owned
    started = time.monotonic()
    columns, constants = job.mapping.get("columns", {}), job.mapping.get("constants", {})
    try:
        tally, problems = _job_run(job, handle, columns, constants, progress or _quiet, fence)
    except _Superseded:
        return job
    except Exception as exc:
        if fence(job):
            _finish(job, ImportJob.FAILED, Tally(), [Problem(0, "file", "failed", str(exc)[:500])])
            _log(job, started)
        raise
    if job.status != ImportJob.DONE:  # DONE was written in the import's own transaction
        if not fence(job):
            return job
        status = ImportJob.REFUSED if problems else ImportJob.CHECKED
        _finish(job, status, tally, problems)
    _log(job, started)
    return job


def _quiet(job: ImportJob) -> None:
    return None


def _owned(job: ImportJob) -> bool:
    return True


def _job_run(
    job: ImportJob, handle, columns, constants, progress, fence
) -> tuple[Tally, list[Problem]]:
    try:
        sheet = sheet_read(handle, job.file_name)
    except FileRefused as exc:
        return Tally(), [exc.problem]
    job.file_size, job.file_sha256 = sheet.size, sheet.sha256
    plan = plan_make(job.kind, sheet.header, columns, constants)
    if not isinstance(plan, Plan):
        return Tally(), plan
    rows, problems = _rows_read(plan, sheet.rows)
    job.rows_total = len(rows) + len({p.row for p in problems})
    job.save(update_fields=["file_size", "file_sha256", "rows_total"])
    progress_write(job_id=job.pk, rows_done=0, rows_total=job.rows_total)
    step = _stepper(job, len(rows), progress)
    tally = Tally()
    try:
        with savepoint():
            tally = APPLY[job.kind](plan, rows, job.created_by, step)
            if job.dry_run or problems or tally.problems:
                raise _Undo
            if not fence(job):
                raise _Superseded
            _finish(job, ImportJob.DONE, tally, [])  # commits with the rows, or not at all
    except _Undo:
        pass
    return tally, sorted(problems + tally.problems, key=lambda p: (p.row, p.column))


def _stepper(job: ImportJob, rows: int, progress) -> Callable[[int], None]:
    """The rows' step callback: the cache's figures every PROGRESS_SECONDS (progress.py: seen
    outside the transaction), the caller's `progress` every 500 rows, both at the end."""
    written = time.monotonic()

    def step(done: int) -> None:
        nonlocal written
        last = done == rows
        if last or time.monotonic() - written >= PROGRESS_SECONDS:
            progress_write(job_id=job.pk, rows_done=done, rows_total=job.rows_total)
            written = time.monotonic()
        if done - job.rows_done >= 500 or last:
            job.rows_done = done
            progress(job)

    return step


def _rows_read(plan: Plan, raw: list[tuple[int, list[object]]]) -> tuple[list[Row], list[Problem]]:
    rows: list[Row] = []
    problems: list[Problem] = []
    for number, cells in raw:
        if row_blank(cells):
            continue
        read = row_read(plan, number, cells)
        if isinstance(read, Row):
            rows.append(read)
        else:
            problems.extend(read)
    return rows, problems


def job_fail(job: ImportJob, problem: Problem, note: str = "") -> None:
    """End `job` failed (nothing imported), saying why."""
    if note:
        job.note = note[:500]
    _finish(job, ImportJob.FAILED, Tally(), [problem])
    _log(job, time.monotonic())


def _finish(job: ImportJob, status: str, tally: Tally, problems: list[Problem]) -> None:
    job.status = status
    job.rows_done = tally.done
    job.rows_failed = len({p.row for p in problems if p.row > 1})
    job.created, job.existing = tally.created, tally.existing
    job.errors = [p.as_dict() for p in problems[:MAX_ERRORS]]
    job.errors_more = max(0, len(problems) - MAX_ERRORS)
    job.finished_at = utcnow()
    job.save()


def _log(job: ImportJob, started: float) -> None:
    """The import in the integration log: a file in, its outcome."""
    first = job.errors[0]["message"] if job.errors else ""
    integration_call_record(
        direction="in",
        system="import",
        operation=f"{job.kind}{' dry run' if job.dry_run else ''}",
        endpoint=job.file_name,
        ok=job.status in (ImportJob.DONE, ImportJob.CHECKED),
        latency_ms=int((time.monotonic() - started) * 1000),
        error="" if not first else f"{job.status}: {first}",
        object_type="import_job",
        object_id=job.pk,
    )


def import_mapping_save(*, kind: str, name: str, columns: dict, constants: dict) -> ImportMapping:
    """Create or replace the saved mapping `name` of `kind` (checked first)."""
    name = code_check(name, field="name")
    mapping_resolve(kind=kind, columns=columns, constants=constants)
    now = utcnow()
    mapping, _ = ImportMapping.objects.update_or_create(
        kind=kind,
        name=name,
        defaults={"columns": columns, "constants": constants, "updated_at": now},
        create_defaults={
            "columns": columns,
            "constants": constants,
            "created_at": now,
            "updated_at": now,
        },
    )
    return mapping
