"""A running import's progress, outside its transaction (docs/transfer.md, "Progress").

The import keeps every row in one transaction until its end, so rows_done written to the job's
row there is seen by no other connection — and on SQLite no other connection could write it
while that transaction holds the one write lock. So the running import writes its figures to
Django's cache (settings.CACHES: files under ORDINO_DATA_DIR by default, Redis with
ORDINO_CACHE_URL: either is shared by every process on the machine, Redis by every machine),
keyed by the job. Readers (the API, the console, `ordino transfer status`) merge them into the
job while it runs; the figures' time is the worker's heartbeat, which the sweep
(background.py) reads to find a worker that died. The job's row stays the truth once it ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache

from ordino.core.domain.clock import utcnow
from ordino.transfer.models import ImportJob

STALE = timedelta(minutes=10)  # no heartbeat for this long: the worker running it is gone
KEEP_SECONDS = 2 * 24 * 3600  # past a job's longest life: the entry is deleted when it ends


@dataclass(frozen=True)
class Progress:
    rows_done: int
    rows_total: int
    at: datetime  # when the worker last wrote it


def _key(job_id: int) -> str:
    return f"ordino:import-progress:{job_id}"


def progress_write(*, job_id: int, rows_done: int, rows_total: int) -> None:
    """Record how far the job got (and that its worker is alive); a cache that fails costs
    the import nothing."""
    value = {"rows_done": rows_done, "rows_total": rows_total, "at": utcnow().isoformat()}
    try:
        cache.set(_key(job_id), value, KEEP_SECONDS)
    except Exception:  # a cache down must not fail an import: progress is a view, not the truth
        return


def progress_read(*, job_id: int) -> Progress | None:
    try:
        value = cache.get(_key(job_id))
    except Exception:
        return None
    if not isinstance(value, dict):
        return None
    try:
        return Progress(
            int(value["rows_done"]), int(value["rows_total"]), datetime.fromisoformat(value["at"])
        )
    except (KeyError, TypeError, ValueError):
        return None


def progress_clear(*, job_id: int) -> None:
    try:
        cache.delete(_key(job_id))
    except Exception:
        return


def import_job_heartbeat(job: ImportJob) -> datetime | None:
    """When the job's worker was last heard of: its cached figures' time, else its start."""
    beat = progress_read(job_id=job.pk)
    times = [t for t in (beat.at if beat else None, job.started_at) if t is not None]
    return max(times) if times else None


def import_job_stalled(job: ImportJob) -> bool:
    """A background job nobody is working on: running, its worker not heard of for STALE (it
    died), or pending for STALE since its last hand-over (no worker runs, or none is free)."""
    if not job.background:
        return False
    if job.status == ImportJob.PENDING:
        return job.queued_at is None or utcnow() - job.queued_at >= STALE
    if job.status != ImportJob.RUNNING:
        return False
    heard = import_job_heartbeat(job)
    return heard is None or utcnow() - heard >= STALE
