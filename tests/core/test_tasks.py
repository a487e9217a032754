"""Background tasks (core/tasks.py, core/task_worker.py): the enqueue that never loses work, the
database backend's worker loop and its pruning, the backend chosen by a setting."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from ordino.core.domain.clock import utcnow
from ordino.core.task_worker import database_tasks_prune, database_tasks_run
from ordino.core.tasks import task_enqueue, task_enqueue_on_commit, tasks_backend_name
from ordino.settings import tasks_from_env

pytestmark = pytest.mark.django_db

DONE: list[int] = []


@task()
def parcel_weigh(parcel_id: int) -> int:
    if parcel_id < 0:
        raise ValueError("no such parcel")
    DONE.append(parcel_id)
    return parcel_id * 10


@pytest.fixture
def database_backend(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    DONE.clear()


def test_tests_run_tasks_at_once_unless_told_otherwise():
    DONE.clear()
    assert tasks_backend_name() == "immediate"
    result = task_enqueue(parcel_weigh, 4)
    assert (result.status, result.return_value, DONE) == (TaskResultStatus.SUCCESSFUL, 40, [4])


def test_the_database_worker_loop_runs_due_tasks_once_and_records_failures(database_backend):
    # given three tasks in the table, one of which fails
    for parcel_id in (1, -1, 2):
        task_enqueue(parcel_weigh, parcel_id)
    assert DBTaskResult.objects.ready().count() == 3
    # when a worker passes, then each ran once, the failure recorded on its row
    assert database_tasks_run(worker_id="w1") == (3, 1)
    assert DONE == [1, 2]
    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == [
        "FAILED",
        "SUCCESSFUL",
        "SUCCESSFUL",
    ]
    assert "no such parcel" in DBTaskResult.objects.get(status="FAILED").traceback
    # and a second pass finds nothing due
    assert database_tasks_run(worker_id="w2") == (0, 0)


def test_a_task_that_waits_is_not_run_before_its_time(database_backend):
    task_enqueue(parcel_weigh, 5, run_after=utcnow() + timedelta(hours=1))
    assert database_tasks_run(worker_id="w1") == (0, 0)
    DBTaskResult.objects.update(run_after=timezone.now() - timedelta(seconds=1))
    assert database_tasks_run(worker_id="w1") == (1, 0)


def test_a_backend_that_cannot_wait_leaves_a_later_task_to_the_callers_sweep():
    # given the immediate backend, when a task is enqueued for an hour from now
    DONE.clear()
    assert task_enqueue(parcel_weigh, 6, run_after=utcnow() + timedelta(hours=1)) is None
    # then it did not run now: the caller's row stays due and its sweep enqueues it later
    assert DONE == []


def test_an_enqueue_the_backend_refuses_is_logged_and_answered_none(settings, caplog):
    # given Redis where nothing listens
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:9/0", "SOCKET_TIMEOUT": 1}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    # when a task is enqueued, then nothing is raised to the caller, and the log says which
    with caplog.at_level(logging.WARNING, logger="ordino.core.tasks"):
        assert task_enqueue(parcel_weigh, 7) is None
    assert "parcel_weigh could not be enqueued" in caplog.text


def test_an_enqueue_on_commit_waits_for_the_commit(django_capture_on_commit_callbacks):
    DONE.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        task_enqueue_on_commit(parcel_weigh, 8)
        assert DONE == []
    assert (len(callbacks), DONE) == (1, [8])


def test_finished_task_rows_older_than_a_week_are_pruned(database_backend):
    for parcel_id in (1, 2, 3):
        task_enqueue(parcel_weigh, parcel_id)
    task_enqueue(parcel_weigh, 4)  # still due: never pruned
    database_tasks_run(worker_id="w1", max_tasks=3)
    old = DBTaskResult.objects.filter(status="SUCCESSFUL").order_by("enqueued_at")[:2]
    DBTaskResult.objects.filter(pk__in=[r.pk for r in old]).update(
        finished_at=timezone.now() - timedelta(days=8)
    )
    assert database_tasks_prune() == 2
    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == ["READY", "SUCCESSFUL"]


def test_the_backend_setting_names_a_known_backend():
    assert tasks_from_env("database")["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert tasks_from_env("rq")["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    with pytest.raises(ImproperlyConfigured, match="ORDINO_TASKS_BACKEND 'celery'"):
        tasks_from_env("celery")
