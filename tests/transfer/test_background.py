"""Background imports: accepted at once, run by the worker all or nothing, progress from the
cache, and nothing accepted lost when a task or a worker is (docs/transfer.md, "In the
background")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult

from ordino.core.domain.clock import utcnow
from ordino.core.task_worker import database_tasks_run
from ordino.integrations.models import IntegrationCall
from ordino.orders.models import Order
from ordino.transfer import jobs, selectors
from ordino.transfer.background import MAX_ATTEMPTS, import_enqueue, import_jobs_sweep
from ordino.transfer.importing import import_job_execute, import_run
from ordino.transfer.models import ImportFile, ImportJob
from ordino.transfer.progress import progress_read, progress_write
from tests.factories import auth, make_token, stock
from tests.transfer.files import ORDER_HEADER, csv_file, order_row

pytestmark = pytest.mark.django_db


def _upload(name: str, *lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(), "text/csv")


def _post(client, secret, **form):
    return client.post("/api/v1/transfer/imports", form, **auth(secret))


def _queued(*lines: str, name: str = "orders.csv") -> ImportJob:
    """A background job accepted, its task not yet run (the hand-over waits for the commit)."""
    return import_enqueue(kind="orders", handle=csv_file(*lines), file_name=name, actor="t")


def _died(job: ImportJob, minutes: int = 11) -> ImportJob:
    """`job` claimed by a worker that died `minutes` ago: running, its transaction gone."""
    assert jobs._claim(job.pk) is not None
    ImportJob.objects.filter(pk=job.pk).update(started_at=utcnow() - timedelta(minutes=minutes))
    return ImportJob.objects.get(pk=job.pk)


def test_a_background_import_through_the_api_answers_202_and_the_worker_imports_it(
    client, admin_token, shop, settings, django_capture_on_commit_callbacks
):
    # given the database task backend (the default) and stock for two orders
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    stock(shop["wh_a"], shop["TEE"], 10)
    file = _upload("orders.csv", ORDER_HEADER, order_row("B-1"), order_row("B-2"))
    # when the file is posted with background=true
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, admin_token, kind="orders", background="true", file=file)
    # then the answer is the pending job, its address, and one task; nothing imported yet
    assert response.status_code == 202, response.content
    job = response.json()
    assert (job["status"], job["background"], job["attempts"]) == ("pending", True, 0)
    assert response["Location"] == f"/api/v1/transfer/imports/{job['id']}"
    assert DBTaskResult.objects.count() == 1 and ImportFile.objects.count() == 1
    assert Order.objects.count() == 0
    # when the worker runs the task
    assert database_tasks_run(worker_id="w1") == (1, 0)
    # then both orders are imported, the file and the cached progress are gone
    done = client.get(f"/api/v1/transfer/imports/{job['id']}", **auth(admin_token)).json()
    assert (done["status"], done["rows_done"], done["rows_total"]) == ("done", 2, 2)
    assert (done["attempts"], done["created"], done["stalled"]) == (1, 2, False)
    assert Order.objects.filter(external_id__in=["B-1", "B-2"]).count() == 2
    assert ImportFile.objects.count() == 0 and progress_read(job_id=job["id"]) is None


def test_a_refused_file_in_the_background_changes_nothing_and_lists_its_bad_rows(
    client, admin_token, shop, django_capture_on_commit_callbacks
):
    stock(shop["wh_a"], shop["TEE"], 10)
    file = _upload("orders.csv", ORDER_HEADER, order_row("R-1"), order_row("R-2", sku="NOPE"))
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, admin_token, kind="orders", background="true", file=file)
    job = client.get(f"/api/v1/transfer/imports/{response.json()['id']}", **auth(admin_token))
    body = job.json()
    assert (body["status"], body["rows_total"], body["rows_failed"]) == ("refused", 2, 1)
    assert [(e["row"], e["column"], e["code"]) for e in body["errors"]] == [
        (3, "sku", "sku_not_found")
    ]
    assert Order.objects.count() == 0 and ImportFile.objects.count() == 0


def test_a_file_too_large_or_of_another_format_is_refused_before_anything_is_stored(
    client, admin_token, db, monkeypatch
):
    monkeypatch.setattr("ordino.transfer.background.MAX_FILE_BYTES", 10)
    big = _upload("orders.csv", ORDER_HEADER)
    answer = _post(client, admin_token, kind="orders", background="true", file=big)
    assert (answer.status_code, answer.json()["code"]) == (422, "file_too_large")
    pdf = _upload("orders.pdf", "x")
    answer = _post(client, admin_token, kind="orders", background="true", file=pdf)
    assert (answer.status_code, answer.json()["code"]) == (422, "unsupported_format")
    flag = _post(client, admin_token, kind="orders", background="yes", file=_upload("o.csv", "a"))
    assert (flag.status_code, flag.json()["code"]) == (422, "bool_parsing")
    assert ImportJob.objects.count() == 0 and ImportFile.objects.count() == 0


def test_background_imports_need_the_transfer_scope_and_an_unrestricted_token(client, shop):
    orders_only = make_token("orders:write", name="orders")
    limited = make_token("transfer:write", name="limited", channel_codes=["web"])
    file = _upload("orders.csv", ORDER_HEADER)
    answer = _post(client, orders_only, kind="orders", background="true", file=file)
    assert (answer.status_code, answer.json()["code"]) == (403, "insufficient_scope")
    answer = _post(client, limited, kind="orders", background="true", file=file)
    assert (answer.status_code, answer.json()["code"]) == (403, "token_restricted")
    assert ImportJob.objects.count() == 0 and ImportFile.objects.count() == 0


def test_progress_is_read_from_the_cache_while_the_rows_are_uncommitted(shop):
    # given a file of three orders, and a reader asking for the job while the import runs
    stock(shop["wh_a"], shop["TEE"], 10)
    seen = []

    def reader(job: ImportJob) -> None:
        stored = ImportJob.objects.values_list("rows_done", flat=True).get(pk=job.pk)
        read = selectors.import_job_get(job_id=job.pk)
        seen.append((stored, read.status, read.rows_done, read.rows_total, bool(read.progress_at)))

    rows = [order_row(f"P-{n}") for n in range(3)]
    # when it runs
    job = import_run(
        kind="orders", handle=csv_file(ORDER_HEADER, *rows), file_name="o.csv", actor="t",
        progress=reader,
    )  # fmt: skip
    # then the reader saw the rows done through the cache, not the job's row
    assert seen == [(0, "running", 3, 3, True)]
    assert (job.status, job.rows_done) == ("done", 3)


def test_a_job_whose_worker_died_is_shown_stalled_and_the_sweep_runs_it_again(
    shop, django_capture_on_commit_callbacks
):
    # given a job claimed by a worker that died 11 minutes ago (nothing of it committed)
    stock(shop["wh_a"], shop["TEE"], 10)
    with django_capture_on_commit_callbacks(execute=False):
        job = _died(_queued(ORDER_HEADER, order_row("D-1")))
    assert (job.status, job.attempts, selectors.import_job_get(job_id=job.pk).stalled) == (
        "running", 1, True,
    )  # fmt: skip
    # when the worker's sweep passes (the immediate backend runs the task it hands over)
    assert import_jobs_sweep() == 1
    # then the job ran again, once, and says why
    job.refresh_from_db()
    assert (job.status, job.attempts, job.created) == ("done", 2, 1)
    assert job.note.startswith("Attempt 1: its worker stopped (last heard of ")
    assert Order.objects.filter(external_id="D-1").count() == 1
    assert ImportFile.objects.count() == 0


def test_a_job_whose_worker_dies_every_time_is_failed_saying_why_and_its_file_deleted(
    shop, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        job = _queued(ORDER_HEADER, order_row("F-1"))
    ImportJob.objects.filter(pk=job.pk).update(attempts=MAX_ATTEMPTS - 1)
    job = _died(job)
    progress_write(job_id=job.pk, rows_done=1, rows_total=1)
    ImportJob.objects.filter(pk=job.pk).update(started_at=utcnow() - timedelta(hours=1))
    # a heartbeat of 11 minutes ago is as stale as none
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("ordino.transfer.progress.utcnow", lambda: utcnow() + timedelta(minutes=11))
        assert import_jobs_sweep() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("failed", MAX_ATTEMPTS)
    assert [(e["row"], e["code"]) for e in job.errors] == [(0, "worker_lost")]
    assert job.note.startswith(f"Its worker stopped {MAX_ATTEMPTS} times")
    assert ImportFile.objects.count() == 0 and progress_read(job_id=job.pk) is None
    assert Order.objects.count() == 0
    logged = IntegrationCall.objects.get(system="import", object_id=str(job.pk))
    assert (logged.ok, logged.error.startswith("failed: Its worker stopped")) == (False, True)


def test_a_running_job_heard_of_recently_is_left_alone(shop, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = _died(_queued(ORDER_HEADER, order_row("A-1")))
    progress_write(job_id=job.pk, rows_done=0, rows_total=1)  # a live worker's heartbeat
    assert import_jobs_sweep() == 0
    job.refresh_from_db()
    assert (job.status, job.attempts, job.note) == ("running", 1, "")
    assert ImportFile.objects.count() == 1


def test_a_pending_job_whose_task_was_lost_is_handed_over_again(
    shop, django_capture_on_commit_callbacks
):
    stock(shop["wh_a"], shop["TEE"], 10)
    with django_capture_on_commit_callbacks(execute=False) as handed:
        job = _queued(ORDER_HEADER, order_row("L-1"))
    assert len(handed) == 1  # the task, never run: lost with its broker
    assert import_jobs_sweep() == 0  # not yet: it may still be waiting in a busy queue
    assert selectors.import_job_get(job_id=job.pk).stalled is False
    ImportJob.objects.filter(pk=job.pk).update(queued_at=utcnow() - timedelta(minutes=11))
    assert selectors.import_job_get(job_id=job.pk).stalled is True  # no worker took it
    assert import_jobs_sweep() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 1)
    assert Order.objects.filter(external_id="L-1").count() == 1


def test_a_run_that_lost_its_job_to_a_newer_attempt_keeps_nothing_and_writes_nothing(
    shop, django_capture_on_commit_callbacks
):
    # given attempt 1 (a slow worker thought dead) and attempt 2, which owns the job now
    stock(shop["wh_a"], shop["TEE"], 10)
    with django_capture_on_commit_callbacks(execute=False):
        first = _died(_queued(ORDER_HEADER, order_row("S-1")))
    ImportJob.objects.filter(pk=first.pk).update(status=ImportJob.PENDING)
    assert jobs._claim(first.pk).attempts == 2
    # when attempt 1 reaches its end
    import_job_execute(first, csv_file(ORDER_HEADER, order_row("S-1")), fence=jobs._owns)
    # then it kept no order and left the job to attempt 2
    assert Order.objects.count() == 0
    job = ImportJob.objects.get(pk=first.pk)
    assert (job.status, job.attempts, job.rows_done) == ("running", 2, 0)
    assert ImportFile.objects.count() == 1


def test_a_second_task_for_a_job_already_claimed_does_nothing(shop):
    job = _queued(ORDER_HEADER, order_row("T-1"))
    jobs._claim(job.pk)
    assert jobs.import_job_work(job_id=job.pk) == "skipped: not pending"
    assert ImportJob.objects.get(pk=job.pk).attempts == 1


def test_the_sweep_is_one_of_the_workers_periodic_jobs():
    from ordino.transfer.services import import_jobs_sweep as wired_sweep
    from ordino.wiring import PERIODIC

    assert [every for every, _, job in PERIODIC if job is wired_sweep] == [60]
