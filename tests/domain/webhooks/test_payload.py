"""What a message says (docs/webhooks.md, "Payloads"): Standard Webhooks' shape, a link to the
full resource, and never 20 KB or more."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ordino.core.domain.errors import DomainError
from ordino.webhooks.domain.endpoints import (
    event_types_check,
    secret_generate,
    url_check,
)
from ordino.webhooks.domain.payload import BODY_LIMIT, body_encode, message_body, resource_link

AT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _body(payload):
    return message_body(
        event_type="order.shipped", event_id=41, occurred_at=AT, payload=payload,
        order_id=7, sequence=3, link="https://oms.example.com/api/v1/orders/7",
    )  # fmt: skip


def test_a_message_is_the_event_summary_with_its_ids_and_a_link():
    body = _body({"order_id": 7, "status": "shipped", "carrier": "dhl"})
    assert body == {
        "type": "order.shipped",
        "timestamp": "2026-03-01T12:00:00Z",
        "data": {"order_id": 7, "status": "shipped", "carrier": "dhl", "event_id": 41,
                 "sequence": 3},
        "links": {"self": "https://oms.example.com/api/v1/orders/7"},
    }  # fmt: skip


def test_a_huge_event_is_cut_to_its_scalars_under_20_kb_and_keeps_the_link():
    lines = [{"line_no": i, "sku": f"SKU-{i}", "quantity": 1} for i in range(2000)]
    body = _body({"order_id": 7, "status": "shipped", "lines": lines, "note": "x" * 50_000})
    assert len(body_encode(body).encode()) < BODY_LIMIT
    assert body["data"] == {"order_id": 7, "status": "shipped", "event_id": 41, "sequence": 3,
                            "truncated": True}  # fmt: skip
    assert body["links"]["self"].endswith("/api/v1/orders/7")


def test_the_link_is_the_aggregates_resource_or_its_orders():
    assert resource_link(aggregate_type="return", aggregate_id=5, order_id=7, base="") == (
        "/api/v1/returns/5"
    )
    stock = resource_link(
        aggregate_type="stock_balance", aggregate_id=5, order_id=None, base="https://x.example/"
    )
    assert stock == "https://x.example/api/v1/inventory/availability"


def test_a_secret_is_standard_webhooks_whsec():
    secret = secret_generate()
    assert secret.startswith("whsec_") and len(secret) == 6 + 32
    assert secret != secret_generate()


@pytest.mark.parametrize(
    ("url", "local", "code"),
    [
        ("http://example.com/hook", True, "url_not_https"),
        ("http://localhost:8000/hook", False, "url_not_https"),
        ("ftp://example.com", False, "url_invalid"),
        ("https://user:pw@example.com/", False, "url_credentials"),
        ("https://10.0.0.5/hook", False, "url_private"),
        ("https://" + "a" * 500 + ".com", False, "url_too_long"),
    ],
)
def test_urls_refused(url, local, code):
    with pytest.raises(DomainError) as refused:
        url_check(url, allow_local_http=local)
    assert (refused.value.code, refused.value.errors[0]["field"]) == (code, "url")


def test_urls_accepted():
    assert url_check(" https://hooks.example.com/x ", allow_local_http=False) == (
        "https://hooks.example.com/x"
    )
    assert url_check("http://127.0.0.1:9000/x", allow_local_http=True) == "http://127.0.0.1:9000/x"


def test_event_types_are_catalog_names_sorted_once():
    known = {"order.captured", "order.shipped"}
    assert event_types_check(["order.shipped", "order.captured", "order.shipped"], known=known) == [
        "order.captured", "order.shipped",
    ]  # fmt: skip
    with pytest.raises(DomainError) as unknown:
        event_types_check(["order.created"], known=known)
    assert unknown.value.code == "event_type_unknown"
    with pytest.raises(DomainError) as empty:
        event_types_check([], known=known)
    assert empty.value.code == "event_types_empty"
