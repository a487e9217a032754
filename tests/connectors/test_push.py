"""Shipments pushed back to Shopify (respx, no network): the shipped lines by fulfillment order,
with tracking; logged; a failure raises for the outbox to retry; nothing is sent twice."""

from __future__ import annotations

import json

import httpx
import pytest
import respx

from ordino.connectors.services import fulfillment_push_on_shipped
from ordino.connectors.transport import TransportFailed
from ordino.integrations.models import IntegrationCall
from ordino.orders.events import OrderShipped
from ordino.orders.models import Order
from tests.connectors.shopify import SHOP_URL, shopify_order

pytestmark = pytest.mark.django_db
FULFILLMENT_ORDERS = f"{SHOP_URL}/admin/api/2025-01/orders/450789469/fulfillment_orders.json"
FULFILLMENTS = f"{SHOP_URL}/admin/api/2025-01/fulfillments.json"


def _open(fulfillable: int) -> httpx.Response:
    return httpx.Response(200, json={"fulfillment_orders": [{
        "id": 1046000778, "status": "open" if fulfillable else "closed",
        "line_items": [
            {"id": 1025578633, "line_item_id": 466157049, "fulfillable_quantity": fulfillable},
            {"id": 1025578634, "line_item_id": 518995019, "fulfillable_quantity": 1},
        ],
    }]})  # fmt: skip


@pytest.fixture
def shipped(deliver):
    deliver(shopify_order())
    order = Order.objects.get()
    tee = order.lines.get(sku_code="TEE")
    return OrderShipped(order_id=order.pk, status="shipped", details={
        "lines": [{"line_no": tee.line_no, "quantity": 2}], "carrier": "DHL",
        "tracking_numbers": ["JD0146"], "shipment_id": 1,
    })  # fmt: skip


@respx.mock
def test_a_shipment_is_pushed_with_its_lines_and_tracking(shipped):
    respx.get(FULFILLMENT_ORDERS).mock(return_value=_open(2))
    created = respx.post(FULFILLMENTS).mock(
        return_value=httpx.Response(201, json={"fulfillment": {"id": 9}})
    )
    assert fulfillment_push_on_shipped(shipped, sleep=lambda s: None) is True
    sent = json.loads(created.calls.last.request.content)["fulfillment"]
    assert sent["line_items_by_fulfillment_order"] == [{
        "fulfillment_order_id": 1046000778,
        "fulfillment_order_line_items": [{"id": 1025578633, "quantity": 2}],
    }]  # fmt: skip
    assert sent["tracking_info"] == {"company": "DHL", "number": "JD0146"}
    call = IntegrationCall.objects.get(operation="fulfillments/create")
    assert (call.direction, call.status_code, call.ok) == ("out", 201, True)


@respx.mock
def test_what_shopify_has_fulfilled_already_is_not_sent_again(shipped):
    respx.get(FULFILLMENT_ORDERS).mock(return_value=_open(0))
    created = respx.post(FULFILLMENTS)
    assert fulfillment_push_on_shipped(shipped, sleep=lambda s: None) is False
    assert not created.called


@respx.mock
def test_a_refused_push_raises_for_the_outbox_to_retry(shipped):
    respx.get(FULFILLMENT_ORDERS).mock(return_value=_open(2))
    respx.post(FULFILLMENTS).mock(return_value=httpx.Response(503))
    with pytest.raises(TransportFailed):
        fulfillment_push_on_shipped(shipped, sleep=lambda s: None)
    assert IntegrationCall.objects.get(operation="fulfillments/create").ok is False
