"""Every answer under /api/ is problem+json, whatever layer refuses the request: the walk sends
every documented path each wrong method, an oversize body and wrong content types, and checks
the status, the code and the content type of every answer. Unexpected exceptions answer a 500
`server_error` without internals, logged once with its traceback; transient conflicts the server
retries by itself are a warning, not an error.
"""

from __future__ import annotations

import logging
import re

import pytest
from django.db import DataError, IntegrityError, OperationalError, connection

from ordino.accounts.models import IdempotencyKey
from ordino.inventory.models import StockMovement
from ordino.orders.models import Order
from tests.factories import order_body, stock
from tests.reliability.openapi import openapi_document, operations

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
FEEDS = "/api/v1/inventory/feeds"
# Endpoints that read files (multipart) and have the feed's body limit (core/api_edge.py).
FILES = (FEEDS, "/api/v1/transfer/imports", "/api/v1/transfer/reconcile")
# A carrier service's zone table and rate sheet: text/csv bodies only, with the feed's limit.
TABLES = tuple(f"/api/v1/shipping/services/{{carrier}}/{{code}}/{t}" for t in ("zones", "rates"))
WRONG_METHODS = ("get", "post", "put", "patch", "delete", "options", "head", "trace")
BODY_LIMIT, FEED_LIMIT = 2048, 4096


def concrete(path: str) -> str:
    """A documented path with each parameter filled (the objects need not exist)."""
    return re.sub(r"\{[^}]+\}", "1", path)


def written() -> tuple[int, int, int]:
    return Order.objects.count(), StockMovement.objects.count(), IdempotencyKey.objects.count()


def send(client, method: str, path: str, headers: dict, *, data=b"", content_type=None):
    kwargs = dict(headers) if method in ("get", "head", "trace") else {"data": data, **headers}
    if content_type is not None:
        kwargs["content_type"] = content_type
    return getattr(client, method)(path, **kwargs)


def assert_problem(response, status: int, code: str, label: str) -> None:
    assert response.status_code == status, (label, response.status_code, response.content[:300])
    assert response["Content-Type"] == PROBLEM, (label, response["Content-Type"])
    if response.content:  # a HEAD answer has no body
        assert response.json()["code"] == code, (label, response.json())
        assert response.json()["status"] == status, label


def test_every_wrong_method_on_every_path_is_a_problem_405_with_allow(client, api):
    # Given every path of the OpenAPI document and the methods it documents
    paths = openapi_document()["paths"]
    before = written()
    checked = 0
    for path, item in paths.items():
        allowed = {m for m in item if m in WRONG_METHODS}
        for method in sorted(set(WRONG_METHODS) - allowed):
            # When the path is called with a method it does not document
            response = send(client, method, concrete(path), api.headers, data=b"{}",
                            content_type="application/json")  # fmt: skip
            # Then the answer is a problem 405 whose Allow header names the documented methods
            label = f"{method.upper()} {path}"
            assert_problem(response, 405, "method_not_allowed", label)
            assert set(response["Allow"].split(", ")) == {m.upper() for m in allowed}, label
            checked += 1
    assert checked > 100
    # and nothing was written
    assert written() == before


def test_delete_of_an_order_is_the_405_of_the_report(api):
    # When an order is DELETEd (orders are cancelled, never deleted)
    response = api.delete("/orders/1")
    # Then it is a problem 405 that names what the path answers
    assert_problem(response, 405, "method_not_allowed", "DELETE /orders/1")
    assert response["Allow"] == "GET"


@pytest.fixture
def small_limits(settings):
    settings.ORDINO_API_MAX_BODY_BYTES = BODY_LIMIT
    settings.ORDINO_API_MAX_FEED_BYTES = FEED_LIMIT
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = BODY_LIMIT


def test_a_body_over_the_limit_is_a_problem_413_on_every_write(client, api, small_limits):
    before = written()
    writes = [op for op in operations() if op.method in ("post", "put", "patch", "delete")]
    assert len(writes) > 40
    for op in writes:
        limit = FEED_LIMIT if op.path in FILES + TABLES else BODY_LIMIT
        # Given a JSON body one byte over the endpoint's limit
        body = b'{"x": "' + b"a" * (limit - 8) + b'"}'
        assert len(body) == limit + 1
        # When it is sent
        response = send(client, op.method, concrete(op.path), api.headers, data=body,
                        content_type="application/json")  # fmt: skip
        # Then it is refused before anything reads it: 413 body_too_large, naming the limit
        assert_problem(response, 413, "body_too_large", op.label)
        assert response.json()["errors"] == [
            {
                "field": "body",
                "code": "body_too_large",
                "message": f"The request body may have at most {limit} bytes.",
            }
        ]
    # and nothing was written
    assert written() == before


def test_a_body_at_the_limit_is_read(api, small_limits):
    # Given a JSON body of exactly the limit
    body = b'{"x": "' + b"a" * (BODY_LIMIT - 9) + b'"}'
    assert len(body) == BODY_LIMIT
    # When it is sent
    response = api.post("/inventory/receipts", raw=body)
    # Then it is read and judged on its fields
    assert_problem(response, 422, "validation_error", "POST /inventory/receipts")


def test_the_default_limit_is_a_documented_setting(settings):
    assert settings.ORDINO_API_MAX_BODY_BYTES == 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == settings.ORDINO_API_MAX_BODY_BYTES


def test_a_content_length_that_is_not_a_number_is_a_problem_400(client, api):
    before = written()
    response = client.post(
        "/api/v1/orders", data=b"{}", content_type="application/json",
        CONTENT_LENGTH="lots", **api.headers,
    )  # fmt: skip
    assert_problem(response, 400, "invalid_content_length", "POST /orders")
    assert written() == before


WRONG_BODIES = [
    ("application/xml", b"<order/>"),
    ("application/x-www-form-urlencoded", b"channel=web"),
    ("multipart/form-data", b"--x\r\n"),  # no boundary in the content type
]


@pytest.mark.parametrize(("content_type", "body"), WRONG_BODIES)
def test_every_write_given_a_wrong_content_type_is_a_problem(client, api, content_type, body):
    before = written()
    for op in operations():
        if op.method not in ("post", "put", "patch") or "requestBody" not in op.spec:
            continue
        if "x-signed" in op.spec:  # a provider's webhook checks its signature before anything
            continue  # (tests/payments/test_stripe_webhook_route.py)
        # When a write is sent a body that is not JSON, under another content type
        response = send(client, op.method, concrete(op.path), api.headers, data=body,
                        content_type=content_type)  # fmt: skip
        # Then a JSON endpoint says the body is not JSON; the feed endpoint, which reads files,
        # says which content types it takes or what is wrong with the multipart body
        if op.path in TABLES:  # a CSV file, never JSON or a form
            assert_problem(response, 415, "unsupported_media_type", op.label)
        elif op.path not in FILES:
            assert_problem(response, 400, "malformed_json", op.label)
        elif content_type == "multipart/form-data":
            assert_problem(response, 400, "malformed_multipart", op.label)
            assert response.json()["errors"] == [
                {
                    "field": "Content-Type",
                    "code": "malformed_multipart",
                    "message": "The multipart/form-data body cannot be read: "
                    "Invalid boundary in multipart: None.",
                }
            ]
        else:
            assert_problem(response, 415, "unsupported_media_type", op.label)
    # and nothing was written
    assert written() == before


def range_error() -> None:
    """A real database range error on PostgreSQL; SQLite has none, so one like it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 2147483647::integer + 1")
    raise DataError("integer out of range")


def test_an_unexpected_exception_is_a_problem_500_without_internals_logged_once(
    api, monkeypatch, caplog, shop
):
    # Given a read that fails with a database range error
    def failing(**kwargs):
        range_error()

    monkeypatch.setattr("ordino.orders.selectors.order_list", failing)
    # When it is called
    with caplog.at_level(logging.INFO):
        response = api.get("/orders")
    # Then the answer is a problem 500 server_error that tells nothing of the internals
    assert_problem(response, 500, "server_error", "GET /orders")
    assert response.json()["detail"] == "The server failed to answer this request."
    assert b"range" not in response.content
    # and it was logged once, with its traceback
    errors = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [(r.name, r.levelname, r.getMessage()) for r in errors] == [
        ("ordino.api", "ERROR", "Server error: GET /api/v1/orders")
    ]
    assert isinstance(errors[0].exc_info[1], DataError)


def test_an_unexpected_exception_in_a_write_is_a_problem_500_and_changes_nothing(
    api, monkeypatch, caplog, shop
):
    # Given a capture that fails after it wrote something
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    from ordino.orders import services

    real = services.order_capture

    def failing(**kwargs):
        real(**kwargs)
        range_error()

    monkeypatch.setattr(services, "order_capture", failing)
    before = written()
    # When it is called with an Idempotency-Key
    with caplog.at_level(logging.INFO):
        response = api.post("/orders", order_body(), idempotency_key="k-500")
    # Then it answers a problem 500, logged once with its traceback ...
    assert_problem(response, 500, "server_error", "POST /orders")
    errors = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [(r.name, r.getMessage(), r.exc_info is not None) for r in errors] == [
        ("ordino.api", "Server error: POST /api/v1/orders", True)
    ]
    # ... and nothing it wrote, nor its key, was kept
    assert written() == before


class UniqueViolation(Exception):
    sqlstate = "23505"


def lost_unique_race() -> IntegrityError:
    exc = IntegrityError("duplicate key value violates unique constraint")
    exc.__cause__ = UniqueViolation()
    return exc


@pytest.mark.parametrize(
    "conflict",
    [lost_unique_race, lambda: OperationalError("database is locked")],
    ids=["lost unique-key race", "database is locked"],
)
def test_an_internal_retry_is_a_warning_without_traceback(api, monkeypatch, caplog, shop, conflict):
    # Given a capture that loses a race the first time it runs
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    from ordino.orders import services

    real, calls = services.order_capture, []

    def racing(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise conflict()
        return real(**kwargs)

    monkeypatch.setattr(services, "order_capture", racing)
    # When it is called
    with caplog.at_level(logging.INFO):
        response = api.post("/orders", order_body())
    # Then the server reran it and the client saw only the success
    assert response.status_code == 201
    assert len(calls) == 2
    assert Order.objects.count() == 1
    # and the retry was logged as one warning without a traceback, no error
    logged = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [(r.name, r.levelname, r.exc_info) for r in logged] == [("ordino.api", "WARNING", None)]
    assert (
        logged[0]
        .getMessage()
        .startswith("Retrying POST /api/v1/orders after a transient database conflict: ")
    )


def test_a_query_parameter_given_twice_is_refused_on_every_operation(client, api):
    # given every operation of the API, each sent with one query parameter twice
    before = written()
    for op in operations():
        path = concrete(op.path) + "?limit=5&limit=6"
        # when it is sent
        response = send(client, op.method, path, api.headers, data=b"{}",
                        content_type="application/json")  # fmt: skip
        # then it is refused, naming the parameter, before the operation runs
        assert_problem(response, 422, "validation_error", op.label)
        assert response.json()["errors"] == [
            {"field": "limit", "code": "repeated", "message": "Give this parameter once."}
        ]
    # and nothing was written
    assert written() == before


def test_a_query_parameter_given_once_still_filters(api, shop):
    # given a SKU listing filtered once by a code no SKU has
    response = api.get("/catalog/skus?barcode=NONE")
    # then the filter applies
    assert response.status_code == 200
    assert response.json()["items"] == []
