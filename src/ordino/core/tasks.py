"""Background tasks through Django's tasks API (the `django-tasks` backport), for every module.

A task is a module-level function decorated with `django_tasks.task()`; `task_enqueue` hands
it to the configured backend (settings.TASKS, chosen by ORDINO_TASKS_BACKEND: docs/operations.md,
"Workers"). The queue is never the truth: the row that asked for the work (an outbox event, a
webhook delivery, a connection's next pull) is, and a periodic job or the relay sweeps what is
due and enqueues it again. So an enqueue that fails is logged and answered `None`, never raised:
the caller's row stays due and nothing is lost (docs/integrations.md, "The delivery engine").
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.db import transaction
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResult, task_backends
from django_tasks.base import Task

from ordino.core.domain.clock import utcnow

log = logging.getLogger(__name__)


def task_enqueue(
    task: Task, *args: Any, run_after: datetime | None = None, **kwargs: Any
) -> TaskResult | None:
    """Hand `task(*args, **kwargs)` to the backend now; its result, or `None` when it was not
    handed over: the backend failed (logged), or `run_after` lies in the future on a backend
    that cannot wait (the immediate one), where the caller's periodic sweep enqueues it when due.
    Arguments must be JSON values (ids, strings): the task reads its rows when it runs."""
    if run_after is not None and run_after > utcnow():
        if not task.get_backend().supports_defer:
            return None
        task = task.using(run_after=run_after)
    try:
        return task.enqueue(*args, **kwargs)
    except Exception as exc:  # a broker down, a locked database: the caller's row stays due
        log.warning("task %s could not be enqueued (%s): %s", task.module_path, args, exc)
        return None


def task_enqueue_on_commit(
    task: Task, *args: Any, run_after: datetime | None = None, **kwargs: Any
) -> None:
    """`task_enqueue` once the caller's transaction commits (at once outside one): a worker
    must never run before the rows it reads are visible, nor for a change that rolled back."""
    transaction.on_commit(lambda: task_enqueue(task, *args, run_after=run_after, **kwargs))


def tasks_backend_name() -> str:
    """`database`, `rq`, `immediate` (or the class name of another backend)."""
    cls = type(task_backends[DEFAULT_TASK_BACKEND_ALIAS]).__name__
    return {"DatabaseBackend": "database", "RQBackend": "rq", "ImmediateBackend": "immediate"}.get(
        cls, cls
    )
