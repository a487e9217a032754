"""A background import's run in the worker (docs/transfer.md, "In the background"): claim the
pending job, run it on its stored file exactly as an import in the foreground runs
(importing.py: all or nothing), then delete the file.

The claim is one conditional UPDATE (pending → running, attempts + 1), committed before the
import's transaction starts, so the job shows `running` to every reader at once; two tasks for
one job (the sweep handed it over again) run it once. A worker that dies mid-import leaves
nothing of it (the import's transaction never committed: `done` is written inside it) and the
job `running` with a heartbeat that stops: the sweep (background.py) queues it again. The
attempt number is the fence: a run that finds, just before committing, that a newer attempt
owns the job keeps nothing and writes nothing.
"""

from __future__ import annotations

import io
import logging

from django.db import transaction
from django.db.models import F

from ordino.core.domain.clock import utcnow
from ordino.transfer.domain.mapping import Problem
from ordino.transfer.importing import import_job_execute, job_fail
from ordino.transfer.models import ImportFile, ImportJob
from ordino.transfer.progress import progress_clear, progress_write

log = logging.getLogger(__name__)
ENDED = (ImportJob.DONE, ImportJob.REFUSED, ImportJob.CHECKED, ImportJob.FAILED)


def import_job_work(*, job_id: int) -> str:
    """Run the pending background job `job_id`; its status, or why nothing ran."""
    job = _claim(job_id)
    if job is None:
        return "skipped: not pending"
    upload = ImportFile.objects.filter(job_id=job_id).first()
    if upload is None:
        job_fail(job, Problem(0, "file", "file_lost", "The stored file is gone: upload it again."))
        return ImportJob.FAILED
    progress_write(job_id=job.pk, rows_done=0, rows_total=0)  # the first heartbeat
    try:
        import_job_execute(job, io.BytesIO(bytes(upload.data)), fence=_owns)
    except Exception:
        log.exception("import #%s failed", job_id)  # the job says failed, with the reason
    finally:
        import_job_clean(job_id=job_id)
    return job.status


def _claim(job_id: int) -> ImportJob | None:
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.PENDING).update(
        status=ImportJob.RUNNING, attempts=F("attempts") + 1, started_at=utcnow()
    )
    return ImportJob.objects.get(pk=job_id) if claimed else None


def _owns(job: ImportJob) -> bool:
    """Does this run still own the job? Asked inside the import's transaction, the row locked
    (PostgreSQL) so that the sweep cannot hand the job over between this answer and the
    commit; on SQLite the import's transaction holds the only write lock already."""
    mine = ImportJob.objects.filter(pk=job.pk, status=ImportJob.RUNNING, attempts=job.attempts)
    if transaction.get_connection().in_atomic_block:
        mine = mine.select_for_update()
    return mine.exists()


def import_job_clean(*, job_id: int) -> None:
    """An ended job's file and cached progress deleted; a job still pending or running (a
    newer attempt's) keeps them."""
    if ImportJob.objects.filter(pk=job_id, status__in=ENDED).exists():
        ImportFile.objects.filter(job_id=job_id).delete()
        progress_clear(job_id=job_id)
