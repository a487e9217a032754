"""Recording the integration log (docs/integrations.md, "What is kept"): one row per call,
secrets redacted, bodies bounded, failures signed; the row survives the business transaction
that rolled back, because the recorder runs after it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import transaction

from ordino.audit.models import AuditEntry
from ordino.audit.services import audit_record
from ordino.core.domain.clock import clock_pinned
from ordino.integrations.domain.redact import BODY_LIMIT, REDACTED
from ordino.integrations.models import IntegrationCall
from ordino.integrations.services import NO_ERROR_GIVEN, integration_call, integration_call_record

pytestmark = pytest.mark.django_db
AT = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)


def test_a_call_is_recorded_redacted_bounded_and_signed():
    with clock_pinned(AT):
        call = integration_call_record(
            direction="in", system="shopify", ok=False, operation="orders/create",
            connection="shop-1", method="POST", endpoint="/api/v1/channels/shop-1/webhooks",
            status_code=422, latency_ms=12, error="unknown SKU 'ABC-1'",
            request_headers={"X-Shopify-Hmac-Sha256": "abc", "X-Shopify-Webhook-Id": "w-1"},
            request_body={"id": 1, "customer": {"token": "t"}, "note": "n" * BODY_LIMIT},
            response_body=b'{"code": "mapping_failed"}',
            object_type="channel_order", object_id=450789469, correlation_id="w-1",
        )  # fmt: skip
    stored = IntegrationCall.objects.get(pk=call.pk)
    assert (stored.at, stored.direction, stored.system, stored.status_code, stored.ok) == (
        AT, "in", "shopify", 422, False)  # fmt: skip
    assert stored.error_signature == "shopify orders/create 422 unknown sku <v>"
    assert stored.request_headers == {"X-Shopify-Hmac-Sha256": REDACTED,
                                      "X-Shopify-Webhook-Id": "w-1"}  # fmt: skip
    assert stored.request_body.startswith('{"id": 1, "customer": {"token": "[redacted]"}')
    assert stored.request_body.endswith("more characters not kept]")
    assert stored.response_body == '{"code": "mapping_failed"}'
    assert (stored.object_type, stored.object_id, stored.correlation_id) == (
        "channel_order", "450789469", "w-1")  # fmt: skip


def test_a_success_has_no_signature_and_a_failure_without_words_says_so():
    ok = integration_call_record(direction="out", system="stripe", ok=True, status_code=200)
    bare = integration_call_record(direction="out", system="stripe", ok=False, operation="x")
    assert (ok.error, ok.error_signature) == ("", "")
    assert bare.error == NO_ERROR_GIVEN
    assert bare.error_signature == f"stripe x - {NO_ERROR_GIVEN}"


def test_texts_are_cut_to_their_columns_and_numbers_kept_in_range():
    call = integration_call_record(direction="out", system="s" * 40, ok=False,
                                   operation="o" * 70, endpoint="e" * 600, error="x" * 600,
                                   status_code=70000, latency_ms=-5,
                                   correlation_id="c" * 200)  # fmt: skip
    call.refresh_from_db()
    assert (len(call.system), len(call.operation), len(call.endpoint), len(call.error),
            len(call.correlation_id)) == (32, 64, 500, 500, 128)  # fmt: skip
    assert (call.status_code, call.latency_ms) == (None, 0)


def test_the_context_manager_times_and_logs_a_call_however_it_ends():
    with integration_call(system="webhook", operation="order.created", method="POST",
                          endpoint="https://erp.example.com/hook") as call:  # fmt: skip
        call.status_code, call.ok, call.response_body = 204, True, ""
    with pytest.raises(ConnectionError), integration_call(system="webhook", operation="x"):
        raise ConnectionError("connection refused")
    done, failed = IntegrationCall.objects.order_by("id")
    assert (done.ok, done.status_code, done.direction) == (True, 204, "out")
    assert done.latency_ms is not None
    assert (failed.ok, failed.error) == (False, "ConnectionError: connection refused")
    assert failed.error_signature == "webhook x - connectionerror: connection refused"


@pytest.mark.django_db(transaction=True)
def test_the_log_survives_the_business_transaction_that_rolled_back():
    # Given a business change that fails after its call went out (the recorder runs after it)
    with (
        pytest.raises(RuntimeError),
        integration_call(system="shopify", operation="orders/x"),
        transaction.atomic(),
    ):
        audit_record(object_type="order", object_id=1, action="changed", actor="test")
        raise RuntimeError("the mapping failed")
    # Then the change is gone, and the call is in the log with the error
    assert not AuditEntry.objects.filter(object_type="order").exists()
    (call,) = IntegrationCall.objects.all()
    assert (call.ok, call.error) == (False, "RuntimeError: the mapping failed")


def test_recording_costs_one_statement(django_assert_num_queries):
    with django_assert_num_queries(1):
        integration_call_record(direction="in", system="stripe", ok=True, status_code=200)
