"""The transfer module's background task (django-tasks): run one queued import. Whatever the
backend (immediate, the database, RQ), the job's row and its stored file are the truth; the
periodic sweep (background.py) hands a job over again when its task was lost."""

from __future__ import annotations

from django_tasks import task

from ordino.transfer.jobs import import_job_work


@task()
def import_job_run(job_id: int) -> str:
    """Claim the pending import `job_id` and run it; what happened, for the task's result."""
    return import_job_work(job_id=job_id)
