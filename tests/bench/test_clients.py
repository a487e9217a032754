"""The bench's clients: every job answered once, and a client's error never lost."""

from __future__ import annotations

import threading

import pytest

from bench.ingest.clients import threads_drive


class Echo:
    """A task whose status is the job itself; `fail_on` raises on that job."""

    def __init__(self, fail_on: object = None) -> None:
        self.fail_on, self.closed, self.lock = fail_on, 0, threading.Lock()

    def connect(self):
        return object()

    def run(self, conn, job):
        if job == self.fail_on:
            raise ValueError(f"job {job} failed")
        return job, conn

    def close(self, conn) -> None:
        with self.lock:
            self.closed += 1


def test_every_job_is_answered_once_over_the_clients():
    # given: 20 jobs and 3 clients
    task = Echo()
    # when
    figures = threads_drive(task, list(range(20)), 3)
    # then: each job's status counted once, every connection closed
    assert figures["statuses"] == {str(n): 1 for n in sorted(range(20), key=str)}
    assert figures["orders"] == 20
    assert len(figures["latencies"]) == 20
    assert task.closed == 3


def test_a_client_error_is_raised_once_every_client_has_stopped():
    # given: a task that fails on job 5
    task = Echo(fail_on=5)
    # when / then: the error reaches the caller, and every connection is still closed
    with pytest.raises(ValueError, match="job 5 failed"):
        threads_drive(task, list(range(20)), 2)
    assert task.closed == 2
