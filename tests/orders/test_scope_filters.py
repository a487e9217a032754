"""The query filters say exactly what the scope predicates say: for every combination of
limits and every reach, the orders, fulfillment orders and customers a filter selects are the
ones `Scope` (core/domain/scope.py) reaches."""

from __future__ import annotations

import itertools

import pytest

from ordino.channels.models import Channel
from ordino.core.domain.scope import (
    CHANGE,
    HAND_OVER,
    READ,
    WORK,
    FulfillmentFacts,
    OrderFacts,
    Scope,
)
from ordino.customers.models import Customer, CustomerChannelIdentity
from ordino.customers.selectors import customer_list
from ordino.fulfillment.models import FulfillmentOrder
from ordino.fulfillment.selectors import fulfillment_scope_q
from ordino.locations.models import Location
from ordino.orders.models import Order
from ordino.orders.selectors import order_list, order_scope_q
from tests.conftest import ApiClient
from tests.factories import make_channel, make_token, order_body, stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def orders(api, client, shop):
    """Orders of every shape: shipped from WH-A or WH-B, picked up at the store, shipped to
    the store, captured at the store's till; in the channels web and pos."""
    make_channel("pos", kind="pos")
    for location in ("wh_a", "wh_b", "store"):
        stock(shop[location], shop["TEE"], 20)
    one = [{"sku": "TEE", "quantity": 1, "unit_price": "5.00"}]
    api.post("/orders", order_body("A", lines=one, customer={"email": "a@example.com"}))
    api.post(
        "/orders",
        order_body("B", lines=one, customer={"email": "b@example.com"}, channel="pos"),
    )
    pickup = {"delivery_method": "pickup", "pickup_location": "STORE-1", "shipping_address": None}
    api.post("/orders", order_body("P", lines=one, customer={"email": "p@example.com"}, **pickup))
    Location.objects.filter(code="WH-A").update(is_active=False)  # the next goes to WH-B
    api.post(
        "/orders",
        order_body(
            "S",
            lines=one,
            customer={"email": "s@example.com"},
            delivery_method="ship_to_store",
            pickup_location="STORE-1",
        ),
    )
    Location.objects.filter(code="WH-A").update(is_active=True)
    till = ApiClient(client, make_token("orders", channel_codes=["pos"], location_codes=["WH-B"]))
    response = till.post("/orders", order_body("T", lines=one, channel="pos"))
    assert response.status_code == 201, response.content
    assert Order.objects.count() == 5


def scopes() -> list[Scope]:
    ids = dict(Location.objects.values_list("code", "id"))
    channels = dict(Channel.objects.values_list("code", "id"))
    channel_limits = [None, {channels["web"]}, {channels["pos"]}]
    location_limits = [None, {ids["WH-A"]}, {ids["WH-B"]}, {ids["STORE-1"]}]
    location_limits.append({ids["WH-A"], ids["STORE-1"]})
    return [
        Scope(
            channel_ids=frozenset(c) if c is not None else None,
            location_ids=frozenset(loc) if loc is not None else None,
        )
        for c, loc in itertools.product(channel_limits, location_limits)
    ]


def order_facts() -> dict[int, OrderFacts]:
    at: dict[int, set[int]] = {}
    for order_id, location_id in FulfillmentOrder.objects.values_list("order_id", "location_id"):
        at.setdefault(order_id, set()).add(location_id)
    return {
        o.pk: OrderFacts(
            o.channel_id, o.origin_location_id, o.pickup_location_id, frozenset(at.get(o.pk, ()))
        )
        for o in Order.objects.all()
    }


def test_the_order_filter_is_the_order_predicate(orders):
    facts = order_facts()
    for scope, reach in itertools.product(scopes(), (READ, CHANGE)):
        selected = set(
            order_list().filter(order_scope_q(scope, reach)).values_list("id", flat=True)
        )
        expected = {pk for pk, f in facts.items() if scope.reaches_order(f, reach)}
        assert selected == expected, (scope, reach)


def test_the_fulfillment_filter_is_the_fulfillment_predicate(orders):
    facts = {
        fo.pk: FulfillmentFacts(fo.order.channel_id, fo.location_id, fo.order.pickup_location_id)
        for fo in FulfillmentOrder.objects.select_related("order")
    }
    assert len(facts) == 5
    for scope, reach in itertools.product(scopes(), (READ, WORK, HAND_OVER)):
        selected = set(
            FulfillmentOrder.objects.filter(fulfillment_scope_q(scope, reach)).values_list(
                "id", flat=True
            )
        )
        expected = {pk for pk, f in facts.items() if scope.reaches_fulfillment(f, reach)}
        assert selected == expected, (scope, reach)


def test_the_customer_filter_is_the_customer_predicate(orders):
    facts = order_facts()
    customer_orders: dict[int, list[int]] = {}
    for order_id, customer_id in Order.objects.values_list("id", "customer_id"):
        customer_orders.setdefault(customer_id, []).append(order_id)
    identities: dict[int, set[int]] = {}
    for customer_id, channel_id in CustomerChannelIdentity.objects.values_list(
        "customer_id", "channel_id"
    ):
        identities.setdefault(customer_id, set()).add(channel_id)
    for scope, reach in itertools.product(scopes(), (READ, CHANGE)):
        selected = set(customer_list(scope=scope, reach=reach).values_list("id", flat=True))
        expected = set()
        for customer in Customer.objects.all():
            mine = customer_orders.get(customer.pk, [])
            known_in = identities.get(customer.pk, set()) | {facts[o].channel_id for o in mine}
            reached = any(scope.reaches_order(facts[o], reach) for o in mine)
            if scope.sees_customer(known_in=known_in, orders_reached=reached):
                expected.add(customer.pk)
        assert selected == expected, (scope, reach)
