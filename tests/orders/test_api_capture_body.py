"""The capture's answer is rendered without being validated again (orders/api.py): its bytes must
be those django-ninja renders from the body validated against OrderCaptureOut, the schema the
OpenAPI document declares."""

from __future__ import annotations

import json

import pytest
from ninja.responses import NinjaJSONEncoder

from ordino.orders.models import Order
from ordino.orders.schemas import OrderCaptureOut
from tests.factories import order_body, stock

pytestmark = pytest.mark.django_db


def _as_validated(content: bytes) -> bytes:
    """What ninja's response validation and renderer make of the same body: validated against
    OrderCaptureOut, dumped, rendered (times parse back to the instants they were written as)."""
    validated = OrderCaptureOut.model_validate(json.loads(content)).model_dump()
    return json.dumps(validated, cls=NinjaJSONEncoder).encode()


@pytest.fixture
def stocked(shop):
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_b"], shop["MUG"], 5)
    return shop


def test_a_captured_order_answers_the_bytes_of_its_validated_schema(api, stocked):
    # when a 2-line order split over two warehouses is captured
    response = api.post("/orders", order_body(), idempotency_key="k-body")
    # then the body is exactly what the validated schema renders, as JSON
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.content == _as_validated(response.content)
    assert response.json()["replayed"] is False
    assert len(response.json()["fulfillment_orders"]) == 2


def test_a_repeated_capture_answers_the_bytes_of_its_validated_schema(api, stocked):
    # given an order captured once
    api.post("/orders", order_body())
    # when the same order arrives again (no key: the repeat is told by its external id)
    response = api.post("/orders", order_body())
    # then it answers 200, replayed, with the schema's bytes
    assert response.status_code == 200
    assert response.content == _as_validated(response.content)
    assert response.json()["replayed"] is True
    assert Order.objects.count() == 1


def test_the_api_renders_with_the_renderer_the_capture_answer_assumes():
    from ordino.api import api
    from ordino.orders.api import RENDERER

    assert type(api.renderer) is type(RENDERER)
    assert api.get_content_type() == f"{RENDERER.media_type}; charset={RENDERER.charset}"
