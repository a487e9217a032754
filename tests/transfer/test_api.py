"""`/api/v1/transfer`: an import's job with its errors, the reconciliation's report."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ordino.orders.models import Order
from tests.factories import auth, make_token, stock
from tests.transfer.files import ORDER_HEADER, order_row

pytestmark = pytest.mark.django_db


def _upload(name: str, *lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(), "text/csv")


def _post(client, secret, path, **form):
    return client.post(f"/api/v1/transfer{path}", form, **auth(secret))


def test_an_import_answers_its_job_and_the_job_can_be_read(client, admin_token, shop):
    stock(shop["wh_a"], shop["TEE"], 10)
    file = _upload("orders.csv", ORDER_HEADER, order_row("A-1"), order_row("A-2", sku="NOPE"))
    response = _post(client, admin_token, "/imports", kind="orders", file=file)
    assert response.status_code == 201, response.content
    job = response.json()
    assert (job["status"], job["rows_total"], job["rows_failed"]) == ("refused", 2, 1)
    assert [(e["row"], e["column"]) for e in job["errors"]] == [(3, "sku")]
    assert Order.objects.count() == 0
    again = client.get(f"/api/v1/transfer/imports/{job['id']}", **auth(admin_token))
    assert again.status_code == 200 and again.json()["id"] == job["id"]


def test_a_dry_run_through_the_api_writes_no_order(client, admin_token, shop):
    stock(shop["wh_a"], shop["TEE"], 10)
    file = _upload("orders.csv", ORDER_HEADER, order_row("A-1"))
    response = _post(client, admin_token, "/imports", kind="orders", dry_run="true", file=file)
    assert response.json()["status"] == "checked"
    assert Order.objects.count() == 0


def test_an_unknown_form_field_or_kind_is_refused_and_no_job_is_made(client, admin_token, db):
    file = _upload("x.csv", "a,b")
    response = _post(client, admin_token, "/imports", kind="orders", colour="red", file=file)
    assert (response.status_code, response.json()["code"]) == (422, "extra_forbidden")
    response = _post(client, admin_token, "/imports", kind="boats", file=_upload("x.csv", "a"))
    assert (response.status_code, response.json()["code"]) == (422, "unknown_kind")
    assert client.get("/api/v1/transfer/imports/1", **auth(admin_token)).status_code == 404


def test_imports_need_the_transfer_scope_and_an_unrestricted_token(client, shop):
    orders_only = make_token("orders:write", name="orders")
    limited = make_token("transfer:write", name="limited", channel_codes=["web"])
    file = _upload("orders.csv", ORDER_HEADER)
    assert _post(client, orders_only, "/imports", kind="orders", file=file).status_code == 403
    answer = _post(client, limited, "/imports", kind="orders", file=_upload("o.csv", "a"))
    assert (answer.status_code, answer.json()["code"]) == (403, "token_restricted")


def test_reconcile_reports_counts_totals_and_differences(client, admin_token, shop):
    stock(shop["wh_a"], shop["TEE"], 10)
    _post(client, admin_token, "/imports", kind="orders",
          file=_upload("o.csv", ORDER_HEADER, order_row("A-1"), order_row("A-2")))  # fmt: skip
    legacy = _upload(
        "legacy.csv",
        "external_id,channel,placed_at,total,currency,status,line_count",
        "A-1,web,2026-03-01T10:00:00Z,10.00,EUR,open,1",
        "A-2,web,2026-03-01T10:00:00Z,12.00,EUR,open,1",
        "A-3,web,2026-03-01T10:00:00Z,5.00,EUR,open,1",
    )
    response = _post(client, admin_token, "/reconcile", file=legacy)
    assert response.status_code == 200, response.content
    report = response.json()
    assert (report["legacy_orders"], report["ordino_orders"], report["matched"]) == (3, 2, 2)
    assert report["totals"] == [
        {"currency": "EUR", "legacy": "27.00", "ordino": "20.00", "difference": "-7.00"}
    ]
    kinds = {(d["kind"], d["external_id"]) for d in report["differences"]}
    assert ("missing_in_ordino", "A-3") in kinds
    assert ("total_differs", "A-2") in kinds
