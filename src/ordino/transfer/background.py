"""Imports in the background (docs/transfer.md, "In the background"): accept a file now, run it
in `ordino worker` through Django's tasks API, and lose nothing on the way.

Accepting stores the job (`pending`) and its file (an `ImportFile` row: every process on the
database reads it, a worker's restart finds it again) in one transaction, and hands the task to
the backend once that commits (`task_enqueue_on_commit`, as the delivery engine does). The rows
are the truth, not the queue: the periodic sweep (`import_jobs_sweep`, wired in wiring.py)
hands over again a pending job whose task never ran, queues again a running job whose worker
stopped beating (progress.py: its heartbeat is the cached figures' time) — its transaction
never committed, so nothing of it stays — and fails it, saying why, after MAX_ATTEMPTS. A job
that ends deletes its file (jobs.py); the sweep deletes any file an ended job left behind.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import IO

from django.db import DatabaseError

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.core.tasks import task_enqueue, task_enqueue_on_commit
from ordino.core.transactions import use_case_atomic
from ordino.transfer.domain.mapping import Problem
from ordino.transfer.importing import import_job_new, job_fail
from ordino.transfer.jobs import ENDED, import_job_clean
from ordino.transfer.models import ImportFile, ImportJob
from ordino.transfer.progress import import_job_heartbeat, import_job_stalled
from ordino.transfer.reading import MAX_FILE_BYTES, FileRefused, file_format
from ordino.transfer.tasks import import_job_run

log = logging.getLogger(__name__)

HANDOVER_AGAIN = timedelta(minutes=10)  # pending this long since handed over: hand it again
MAX_ATTEMPTS = 3  # runs started; a file that kills its worker three times is failed


def import_enqueue(
    *,
    kind: str,
    handle: IO[bytes],
    file_name: str,
    actor: str,
    mapping_name: str = "",
    columns: dict | None = None,
    constants: dict | None = None,
    dry_run: bool = False,
) -> ImportJob:
    """Accept one file for a background import: the `pending` job and its stored file, the
    task handed over once they commit. A file too large or of another format is refused
    here (422, nothing stored); its rows are checked by the worker, as a foreground import's."""
    data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise DomainError(
            "file_too_large", f"A file may hold {MAX_FILE_BYTES} bytes.", field="file"
        )
    try:
        file_format(file_name)
    except FileRefused as exc:
        raise DomainError(exc.problem.code, exc.problem.message, field="file") from None
    with use_case_atomic():
        job = import_job_new(
            kind=kind, file_name=file_name, actor=actor, mapping_name=mapping_name,
            columns=columns, constants=constants, dry_run=dry_run, background=True,
        )  # fmt: skip
        job.queued_at = job.created_at
        job.save(update_fields=["queued_at"])
        ImportFile.objects.create(job=job, data=data, created_at=job.created_at)
        task_enqueue_on_commit(import_job_run, job.pk)
    return job


def import_jobs_sweep() -> int:
    """The periodic job: stalled jobs run again (or failed), pending ones handed over again,
    ended jobs' files deleted; how many jobs it touched. A database busy with a long import
    (SQLite's one writer) leaves the rest to the next pass."""
    touched = 0
    try:
        for job in ImportJob.objects.filter(background=True, status=ImportJob.RUNNING):
            if import_job_stalled(job):  # its worker died
                touched += _worker_lost(job)
        due = utcnow() - HANDOVER_AGAIN
        for job in ImportJob.objects.filter(
            background=True, status=ImportJob.PENDING, queued_at__lt=due
        ):
            touched += _hand_over_again(job)
        for job_id in ImportFile.objects.filter(job__status__in=ENDED).values_list(
            "job_id", flat=True
        ):
            import_job_clean(job_id=job_id)
    except DatabaseError as exc:
        log.warning("import sweep: the database is busy (%s); next pass", exc)
    return touched


def _worker_lost(job: ImportJob) -> int:
    heard = import_job_heartbeat(job)
    when = heard.strftime("%Y-%m-%d %H:%M UTC") if heard else "its start"
    if job.attempts >= MAX_ATTEMPTS:
        note = f"Its worker stopped {job.attempts} times (last heard of {when}); nothing imported."
        job_fail(job, Problem(0, "file", "worker_lost", note), note)
        import_job_clean(job_id=job.pk)
        return 1
    note = f"Attempt {job.attempts}: its worker stopped (last heard of {when}); queued again."
    moved = ImportJob.objects.filter(
        pk=job.pk, status=ImportJob.RUNNING, attempts=job.attempts
    ).update(status=ImportJob.PENDING, queued_at=utcnow(), note=note)
    if moved:
        task_enqueue(import_job_run, job.pk)
    return moved


def _hand_over_again(job: ImportJob) -> int:
    moved = ImportJob.objects.filter(
        pk=job.pk, status=ImportJob.PENDING, queued_at=job.queued_at
    ).update(queued_at=utcnow())
    if moved:
        task_enqueue(import_job_run, job.pk)
    return moved
