"""Running the tasks the backend holds: what `ordino worker` does besides relaying the outbox.

The database backend (the default): `database_tasks_run` claims due task rows one at a time the
way django-tasks-db's own `db_worker` does — on PostgreSQL `SELECT ... FOR UPDATE SKIP LOCKED`
then the claim in one transaction, on SQLite an `EXCLUSIVE` transaction (one writer at a time, so
two workers never claim the same row) — and runs each with that worker's code. Any number of
`ordino worker` processes may run on one database. A worker killed mid-task leaves its row
`RUNNING` for good: the work is not lost, because the row that asked for it (the outbox event and
its lease, a webhook delivery) is still due and is enqueued again (docs/integrations.md).

RQ (`ORDINO_TASKS_BACKEND=rq`): `rq_worker_run` is an RQ worker on the backend's queues, with
RQ's scheduler for tasks that wait (`run_after`); run it with `ordino worker --tasks-only`.
"""

from __future__ import annotations

from datetime import timedelta

import django_rq
from django.db.utils import OperationalError
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

KEEP_FINISHED = timedelta(days=7)
RQ_JOB_CLASS = "django_tasks_rq.backend.Job"  # runs a job as its django-tasks Task


def worker_id_new() -> str:
    return get_random_string(32)


def database_tasks_run(*, worker_id: str, max_tasks: int = 100) -> tuple[int, int]:
    """Run up to `max_tasks` due tasks of the database backend, one claim at a time; returns
    (run, failed). Nothing to do on another backend."""
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if not isinstance(backend, DatabaseBackend):
        return 0, 0
    worker = Worker(
        queue_names=sorted(backend.queues) or ["*"],
        interval=0,
        batch=True,
        backend_name=backend.alias,
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    run = failed = 0
    while run < max_tasks:
        claimed = database_task_claim(backend=backend, worker_id=worker_id)
        if claimed is None:
            break
        worker.run_task(claimed)  # records success or failure on the row itself
        run += 1
        failed += claimed.status == TaskResultStatus.FAILED
    return run, failed


def database_task_claim(*, backend: DatabaseBackend, worker_id: str) -> DBTaskResult | None:
    """The next due task of `backend`, marked RUNNING by this worker; None when none is due or
    the database is busy (the next pass tries again)."""
    due = DBTaskResult.objects.ready().filter(backend_name=backend.alias)
    if backend.queues:
        due = due.filter(queue_name__in=backend.queues)
    with exclusive_transaction(due.db):
        try:
            claimed = due.get_locked()
            if claimed is not None:
                claimed.claim(worker_id)
        except OperationalError as exc:
            if not is_locked_database_exception(exc):
                raise
            return None
    return claimed


def database_tasks_prune(*, keep: timedelta = KEEP_FINISHED) -> int:
    """Delete the database backend's finished task rows older than `keep` (the work's truth is
    in the rows that asked for it); how many. A periodic job of `ordino worker`."""
    if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        return 0
    old = DBTaskResult.objects.finished().filter(finished_at__lt=timezone.now() - keep)
    return old.delete()[0]


def rq_worker_run(*, burst: bool = False) -> bool:
    """An RQ worker (a forked work horse per job) on the backend's queues, with the scheduler;
    `burst`: stop when the queues are empty. Returns whether it ran any job."""
    queues = sorted(task_backends[DEFAULT_TASK_BACKEND_ALIAS].queues)
    worker = django_rq.get_worker(*queues, job_class=RQ_JOB_CLASS)
    return worker.work(burst=burst, with_scheduler=True)
