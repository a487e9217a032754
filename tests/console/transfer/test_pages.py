"""The console's Import and Reconciliation pages: upload, dry run, import, the job's rows."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ordino.orders.models import Order
from ordino.transfer.models import ImportJob, ImportMapping
from tests.factories import stock
from tests.transfer.files import ORDER_HEADER, order_row

pytestmark = pytest.mark.django_db


def _file(name: str, *lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(), "text/csv")


def test_a_dry_run_then_an_import_from_the_console(admin_client, shop):
    stock(shop["wh_a"], shop["TEE"], 10)
    page = admin_client.get(reverse("console:transfer_imports"))
    assert page.status_code == 200 and b"Import a file" in page.content
    # a dry run lists the bad row on the job's page, and writes nothing
    bad = _file("o.csv", ORDER_HEADER, order_row("C-1"), order_row("C-2", sku="NOPE"))
    response = admin_client.post(
        reverse("console:transfer_imports"), {"kind": "orders", "run": "dry_run", "file": bad}
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("console:transfer_import", args=[job.pk])
    shown = admin_client.get(response["Location"])
    assert b"Refused (nothing imported)" in shown.content and b"NOPE" in shown.content
    assert Order.objects.count() == 0
    # the fixed file imported for real
    good = _file("o.csv", ORDER_HEADER, order_row("C-1"))
    admin_client.post(
        reverse("console:transfer_imports"), {"kind": "orders", "run": "import", "file": good}
    )
    assert ImportJob.objects.latest("id").status == "done"
    assert Order.objects.filter(external_id="C-1").count() == 1


def test_a_mapping_is_saved_from_the_console(admin_client, db):
    admin_client.post(
        reverse("console:transfer_mapping_save"),
        {"kind": "orders", "name": "legacy", "columns": "Order No = external_id\nItem = sku",
         "constants": "channel = web\ntimezone = Europe/Berlin"},
    )  # fmt: skip
    mapping = ImportMapping.objects.get()
    assert mapping.columns == {"Order No": "external_id", "Item": "sku"}
    assert mapping.constants == {"channel": "web", "timezone": "Europe/Berlin"}


def test_the_reconciliation_page_shows_the_differences(admin_client, shop):
    legacy = _file("legacy.csv", "external_id,channel,total,currency", "X-9,web,5.00,EUR")
    page = admin_client.post(reverse("console:transfer_reconcile"), {"file": legacy})
    assert page.status_code == 200
    assert b"missing_in_ordino" in page.content and b"X-9" in page.content


def test_staff_without_the_permission_is_refused(client, db):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("clerk", is_staff=True))
    assert client.get(reverse("console:transfer_imports")).status_code == 403


def test_a_background_import_from_the_console_shows_its_progress_then_its_outcome(
    admin_client, shop, django_capture_on_commit_callbacks
):
    # given the Import form, whose "Run in the background" box is ticked by default
    stock(shop["wh_a"], shop["TEE"], 10)
    page = admin_client.get(reverse("console:transfer_imports"))
    assert b'name="background" value="on" checked' in page.content
    # when a file is imported with it, the task not yet run by a worker
    good = _file("o.csv", ORDER_HEADER, order_row("G-1"), order_row("G-2"))
    with django_capture_on_commit_callbacks(execute=False) as handed:
        response = admin_client.post(
            reverse("console:transfer_imports"),
            {"kind": "orders", "run": "import", "background": "on", "file": good},
        )
    # then the job's page says it waits for a worker, and refreshes itself
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("console:transfer_import", args=[job.pk])
    waiting = admin_client.get(response["Location"])
    assert b"Waiting for a worker" in waiting.content
    assert b'http-equiv="refresh"' in waiting.content
    assert (job.status, len(handed), Order.objects.count()) == ("pending", 1, 0)
    # when the worker has claimed it and reported half the rows (its transaction open)
    from ordino.transfer.jobs import _claim
    from ordino.transfer.progress import progress_write

    _claim(job.pk)
    progress_write(job_id=job.pk, rows_done=1, rows_total=2)
    running = admin_client.get(response["Location"])
    assert b'<progress max="100" value="50"' in running.content
    assert b"1 of 2 rows went through" in running.content
    # when it ends
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.PENDING)
    handed[0]()
    done = admin_client.get(response["Location"])
    assert b"Imported" in done.content and b'http-equiv="refresh"' not in done.content
    assert Order.objects.filter(external_id__in=["G-1", "G-2"]).count() == 2


def test_the_job_page_says_when_no_worker_took_a_background_import(admin_client, db):
    from datetime import timedelta

    from ordino.core.domain.clock import utcnow
    from ordino.transfer.services import import_enqueue
    from tests.transfer.files import csv_file

    job = import_enqueue(kind="orders", handle=csv_file(ORDER_HEADER), file_name="o.csv", actor="t")
    ImportJob.objects.filter(pk=job.pk).update(queued_at=utcnow() - timedelta(minutes=11))
    page = admin_client.get(reverse("console:transfer_import", args=[job.pk]))
    assert b"No worker has taken it for 10 minutes" in page.content
    assert b'http-equiv="refresh"' in page.content
