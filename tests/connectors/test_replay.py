"""The connector replay of bench/connector_replay.py on 30 synthetic orders (issue 12, "Rules it
must keep"; docs/connectors.md, "Exactly once"): every order's `orders/create` delivered 3 times
under 3 webhook ids, shuffled, 5 % of the deliveries sent again under the same webhook id, the
webhooks of 20 % of the orders dropped and those orders recovered by the poll. Exactly one order
per source order, none lost, none doubled."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.db.models import Sum

from bench.connector_replay import (
    T0,
    FakeShop,
    replay_check,
    replay_deliver,
    replay_plan,
    replay_poll,
    shopify_payloads,
    synthetic_orders,
    totals_of,
)
from ordino.connectors.models import Connection, InboundMessage
from ordino.inventory.models import StockBalance
from ordino.orders.models import Order
from tests.factories import stock

pytestmark = pytest.mark.django_db
SKUS = ("TEE", "MUG", "CAP")


@pytest.fixture
def replay(shop, connection):
    """30 orders over the shop's SKUs (stock for all of them at WH-A), their Shopify payloads,
    the replay's plan, and the connection's cursor just before the first order's update."""
    for sku in SKUS:
        stock(shop["wh_a"], shop[sku], 1000)
    orders = synthetic_orders(30, skus=list(SKUS), location="WH-A")
    payloads = shopify_payloads(orders, first_id=7_000_000, currency="EUR")
    Connection.objects.filter(pk=connection.pk).update(updated_after=T0 - timedelta(minutes=1))
    connection.refresh_from_db()
    wanted = Counter()
    for order in orders:
        for line in order.lines:
            wanted[line.sku] += line.quantity
    return {"payloads": payloads, "plan": replay_plan(payloads), "units": wanted}


def _committed() -> dict[str, int]:
    rows = StockBalance.objects.values("sku__code").annotate(n=Sum("committed"))
    return {row["sku__code"]: row["n"] for row in rows if row["n"]}


def _state():
    return (Order.objects.count(), InboundMessage.objects.count(), _committed())


def test_shuffled_duplicated_and_dropped_webhooks_then_a_poll_make_one_order_each(
    client, connection, replay
):
    payloads, plan = replay["payloads"], replay["plan"]
    # given the plan: 6 of 30 orders dropped (18 of 90 webhooks), 72 webhook ids sent, 4 again
    assert (len(plan.dropped), plan.webhooks, plan.resent, len(plan.deliveries)) == (6, 72, 4, 76)
    assert Counter(d.webhook_id for d in plan.deliveries).most_common(1)[0][1] == 2
    # when the 76 deliveries arrive in their shuffled order
    answers = replay_deliver(client, connection.pk, plan.deliveries)
    # then each delivered order is captured once; its other two webhooks and every re-send change
    # nothing; the dropped orders are not there yet
    assert answers == Counter(captured=24, ignored=48, duplicate=4)
    assert Order.objects.count() == 24
    assert not Order.objects.filter(external_id__in=plan.dropped).exists()
    # when the connection is polled (8 orders a page: 4 pages through the Link header)
    shop = FakeShop(payloads, page_size=8)
    result = replay_poll(connection, shop)
    # then all 30 are pulled, the 6 dropped captured, the 24 others ignored: one order each
    assert (result.pulled, result.new, result.error, shop.calls) == (30, 30, "", 4)
    check = replay_check(channel="web", wanted=totals_of(payloads), connection_id=connection.pk)
    assert check == {
        "source_orders": 30, "ordino_orders": 30, "lost": [], "doubled": [], "wrong_total": [],
        "messages": {"poll captured": 6, "poll ignored": 24, "webhook captured": 24,
                     "webhook ignored": 48},
    }  # fmt: skip
    recovered = InboundMessage.objects.filter(source="poll", status="captured")
    assert set(recovered.values_list("external_order_id", flat=True)) == plan.dropped
    # and every unit is reserved once: committed stock is exactly what the 30 orders hold
    assert _committed() == dict(replay["units"])


def test_polling_again_and_replaying_the_whole_stream_changes_nothing(client, connection, replay):
    payloads, plan = replay["payloads"], replay["plan"]
    shop = FakeShop(payloads, page_size=8)
    replay_deliver(client, connection.pk, plan.deliveries)
    replay_poll(connection, shop)
    before = _state()
    assert before[:2] == (30, 102)
    # when the connection is polled again and every delivery of the stream comes once more
    again = replay_poll(connection, shop)
    answers = replay_deliver(client, connection.pk, plan.deliveries)
    # then the poll finds only the newest order (Shopify's updated_at_min is inclusive), already
    # stored under its delivery id; every webhook is a duplicate; nothing changed
    assert (again.pulled, again.new, again.error) == (1, 0, "")
    assert answers == Counter(duplicate=76)
    assert _state() == before
