"""Polling Shopify (respx, no network): orders changed after the cursor go through the same
store-then-process path as webhooks (docs/connectors.md, "Polling")."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
import respx

from ordino.connectors.domain.ratelimit import RateLimiter
from ordino.connectors.models import InboundMessage
from ordino.connectors.platforms import PLATFORMS
from ordino.connectors.services import connection_poll, connection_test, connections_poll_due
from ordino.connectors.transport import ConnectorTransport
from ordino.core.domain.clock import clock_pinned
from ordino.integrations.models import IntegrationCall
from ordino.orders.models import Order
from tests.connectors.shopify import ORDERS_URL, SHOP_URL, TOKEN, shopify_order

pytestmark = pytest.mark.django_db
ORDERS = ORDERS_URL


def _page(orders, *, next_info=None, status=200, headers=None):
    extra = dict(headers or {})
    if next_info:
        extra["Link"] = f'<{ORDERS}?limit=250&page_info={next_info}>; rel="next"'
    return httpx.Response(status, json={"orders": orders}, headers=extra)


def _poll(connection):
    return connection_poll(connection=connection, sleep=lambda seconds: None)


@respx.mock
def test_a_webhook_that_never_came_is_recovered_by_the_poll(connection):
    connection.updated_after = datetime(2026, 11, 1, tzinfo=UTC)
    connection.save()
    route = respx.get(ORDERS).mock(return_value=_page([shopify_order()]))
    result = _poll(connection)
    assert (result.pulled, result.new, result.error) == (1, 1, "")
    order = Order.objects.get()
    message = InboundMessage.objects.get()
    assert (message.source, message.status, message.order_id) == ("poll", "captured", order.pk)
    assert message.delivery_id == "poll:450789469:2026-11-30T10:16:00-05:00"
    sent = route.calls.last.request
    assert sent.headers["X-Shopify-Access-Token"] == TOKEN
    assert sent.url.params["updated_at_min"] == "2026-11-01T00:00:00+00:00"
    assert sent.url.params["status"] == "any" and sent.url.params["order"] == "updated_at asc"
    connection.refresh_from_db()
    assert connection.updated_after == datetime(2026, 11, 30, 15, 16, tzinfo=UTC)
    call = IntegrationCall.objects.get(direction="out")
    assert (call.operation, call.status_code, call.ok) == ("orders/list", 200, True)
    assert call.request_headers["X-Shopify-Access-Token"] != TOKEN  # redacted


@respx.mock
def test_a_webhook_and_a_poll_of_the_same_order_make_one_order(connection, deliver):
    deliver(shopify_order())
    respx.get(ORDERS).mock(return_value=_page([shopify_order()]))
    _poll(connection)
    _poll(connection)  # the same page again: deduplicated by its delivery id
    assert Order.objects.count() == 1
    assert InboundMessage.objects.count() == 2
    assert InboundMessage.objects.get(source="poll").status == "ignored"


@respx.mock
def test_pages_follow_the_link_header_and_429_is_retried_after_retry_after(connection):
    second = shopify_order(id=450789470, updated_at="2026-11-30T11:00:00-05:00")
    slept = []
    route = respx.get(ORDERS).mock(
        side_effect=[
            _page([shopify_order()], next_info="abc"),
            httpx.Response(429, headers={"Retry-After": "2.0"}),
            _page([second]),
        ]
    )
    result = connection_poll(connection=connection, sleep=slept.append)
    assert (result.pulled, result.new) == (2, 2)
    assert Order.objects.count() == 2
    assert route.calls[1].request.url.params["page_info"] == "abc"
    assert "status" not in route.calls[1].request.url.params
    assert 2.0 in slept
    assert IntegrationCall.objects.filter(direction="out", status_code=429, ok=False).count() == 1


@respx.mock
def test_a_failing_shop_keeps_the_cursor_and_says_why(connection):
    respx.get(ORDERS).mock(return_value=httpx.Response(401, json={"errors": "Invalid token"}))
    result = _poll(connection)
    connection.refresh_from_db()
    assert result.error.startswith("HTTP 401")
    assert connection.updated_after is None or connection.updated_after < connection.created_at
    assert connection.last_poll_error.startswith("HTTP 401")
    assert Order.objects.count() == 0


@respx.mock
def test_the_periodic_job_polls_only_connections_whose_interval_passed(connection):
    respx.get(ORDERS).mock(return_value=_page([]))
    with clock_pinned(datetime(2026, 12, 1, 12, 0, tzinfo=UTC)):
        assert connections_poll_due() == 1
        assert connections_poll_due() == 0  # polled a moment ago
    with clock_pinned(datetime(2026, 12, 1, 12, 6, tzinfo=UTC)):
        assert connections_poll_due() == 1


@respx.mock
def test_testing_a_connection_calls_the_shop(connection):
    respx.get(f"{SHOP_URL}/admin/api/2025-01/shop.json").mock(
        return_value=httpx.Response(200, json={"shop": {"id": 1}})
    )
    assert connection_test(connection=connection).error == ""


def test_the_rate_limit_holds_across_polls_of_one_connection():
    # given a transport per poll (as the periodic job makes them), with Woo's published limit
    woo = PLATFORMS["woocommerce"]
    limiter, slept = RateLimiter(woo.rate_limits), []
    operation = next(iter(woo.rate_limits))
    rate, burst = woo.rate_limits[operation]

    def transport():
        return ConnectorTransport(
            platform=woo, base_url="https://shop.example", token="k:s", connection="7",
            sleep=slept.append, clock=lambda: datetime(2026, 12, 1, tzinfo=UTC), limiter=limiter,
        )  # fmt: skip

    # when one poll spends the burst and the next poll's transport asks at the same instant
    for _ in range(burst):
        transport()._wait_turn(operation)
    transport()._wait_turn(operation)
    # then the second transport waits for a token: the bucket was not made full again
    assert slept == [1 / rate]
