"""Inbound requests into the log (integrations/middleware.py): only those an adapter marked,
once their answer is known; a refusal's problem becomes the error; a log that cannot be written
does not change the answer."""

from __future__ import annotations

import pytest
from django.db import DatabaseError
from django.http import HttpResponse
from django.test import RequestFactory

from ordino.core.problem import problem_response
from ordino.integrations import middleware
from ordino.integrations.inbound import inbound_call_note
from ordino.integrations.middleware import InboundCallMiddleware
from ordino.integrations.models import IntegrationCall

pytestmark = pytest.mark.django_db


def handled(answer: HttpResponse, **facts):
    def view(request):
        if facts:
            inbound_call_note(request, system="shopify", operation="webhook")
            inbound_call_note(request, **facts)
        return answer

    request = RequestFactory().post("/api/v1/hooks/shop-1?topic=orders", data=b'{"id": 1}',
                                    content_type="application/json",
                                    HTTP_X_SHOPIFY_HMAC_SHA256="abc")  # fmt: skip
    return InboundCallMiddleware(view)(request)


def test_a_marked_refusal_is_logged_with_its_problem():
    answer = handled(problem_response(422, "mapping_failed", "unknown SKU 'ABC-1'"),
                     operation="orders/create", correlation_id="w-1", object_id="")  # fmt: skip
    assert answer.status_code == 422
    (call,) = IntegrationCall.objects.all()
    assert (call.direction, call.system, call.operation, call.correlation_id) == (
        "in", "shopify", "orders/create", "w-1")  # fmt: skip
    assert (call.method, call.endpoint, call.status_code, call.ok) == (
        "POST", "/api/v1/hooks/shop-1?topic=orders", 422, False)  # fmt: skip
    assert call.error == "mapping_failed: unknown SKU 'ABC-1'"
    assert call.request_headers["X-Shopify-Hmac-Sha256"] == "[redacted]"
    assert call.request_body == '{"id": 1}'


def test_an_answer_without_a_problem_is_logged_with_its_reason():
    handled(HttpResponse("boom", status=500), object_type="channel_order", object_id=7)
    (call,) = IntegrationCall.objects.all()
    assert (call.error, call.object_type, call.object_id) == (
        "HTTP 500 Internal Server Error", "channel_order", "7")  # fmt: skip


def test_an_unmarked_request_is_not_logged():
    assert handled(HttpResponse("ok")).status_code == 200
    assert IntegrationCall.objects.count() == 0


def test_a_log_that_cannot_be_written_leaves_the_answer_alone(monkeypatch, caplog):
    def broken(**fields):
        raise DatabaseError("disk full")

    monkeypatch.setattr(middleware, "integration_call_record", broken)
    assert handled(HttpResponse("ok"), correlation_id="w-9").status_code == 200
    assert "integration log: POST /api/v1/hooks/shop-1 not recorded" in caplog.text
