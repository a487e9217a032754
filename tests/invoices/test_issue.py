"""An invoice per shipment (or pickup): the units it carried, cumulative shares that add up to
the order exactly, shipping on the first, once per shipment, none for a self-invoicing channel."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from ordino.events.models import OutboxEvent
from ordino.fulfillment.models import FulfillmentOrder
from ordino.invoices import subscribers
from ordino.invoices.models import ChannelInvoicing, Invoice, InvoiceLine
from ordino.invoices.services import channel_invoicing_set
from ordino.orders.events import OrderShipped
from ordino.orders.models import Order, OrderTimelineEntry
from tests.factories import make_channel, order_body, stock
from tests.invoices.conftest import capture, documents, ship, worker_runs

pytestmark = pytest.mark.django_db


def lines_of(invoice: Invoice) -> list[tuple]:
    return [
        (line.line_no, line.quantity, line.net, line.tax, line.total)
        for line in invoice.lines.order_by("line_no")
    ]


def test_two_partial_shipments_bill_their_units_and_add_up_to_the_order(api, shop):
    # given an order of 3 tees (30.00 + 5.70 tax) and a mug, shipping 4.90 + 0.93
    order = capture(api, shop)
    fo = order["fulfillment_orders"][0]["id"]
    # when one tee ships, then the rest, and the worker runs after each
    ship(api, fo, lines=[(1, 1)], tracking="A1")
    worker_runs()
    ship(api, fo, tracking="A2")
    worker_runs()
    # then two invoices, numbered in turn, the first with the shipping
    first, second = documents(order["id"])
    assert (first.number[-6:], second.number[-6:]) == ("000001", "000002")
    assert first.number.startswith("INV-20")
    assert lines_of(first) == [(1, 1, Decimal("10.00"), Decimal("1.90"), Decimal("11.90"))]
    assert (first.shipping_net, first.shipping_tax) == (Decimal("4.90"), Decimal("0.93"))
    assert (first.net_total, first.tax_total, first.total) == (
        Decimal("14.90"),
        Decimal("2.83"),
        Decimal("17.73"),
    )
    assert lines_of(second) == [
        (1, 2, Decimal("20.00"), Decimal("3.80"), Decimal("23.80")),
        (2, 1, Decimal("9.50"), Decimal("1.81"), Decimal("11.31")),
    ]
    assert (second.shipping_net, second.total) == (Decimal(0), Decimal("35.11"))
    # and together they are the order's grand total, to the cent
    grand = Order.objects.get(pk=order["id"]).grand_total
    assert first.total + second.total == grand == Decimal("52.84")
    assert first.reference.startswith("shipment:") and second.reference != first.reference
    # and each is on the timeline, with its event
    timeline = OrderTimelineEntry.objects.filter(order_id=order["id"], kind="invoice_issued")
    assert [e.data["number"] for e in timeline] == [first.number, second.number]
    assert OutboxEvent.objects.filter(name="invoice.issued").count() == 2


@pytest.mark.parametrize(
    ("currency", "price", "tax", "parts"),
    [
        ("JPY", "333", "34", [("344", "11"), ("345", "12"), ("344", "11")]),
        ("KWD", "0.333", "0.017", [("0.339", "0.006"), ("0.338", "0.005"), ("0.339", "0.006")]),
    ],
)
def test_unit_by_unit_in_currencies_of_0_and_3_decimals(api, shop, currency, price, tax, parts):
    # given a channel in the currency and 3 units whose tax does not split evenly
    make_channel("jp", currency=currency)
    stock(shop["wh_a"], shop["TEE"], 5)
    body = order_body(
        "X-1",
        channel="jp",
        currency=currency,
        lines=[{"sku": "TEE", "quantity": 3, "unit_price": price, "tax": tax}],
    )
    order = api.post("/orders", body).json()
    fo = order["fulfillment_orders"][0]["id"]
    # when the units ship one by one
    for i in range(3):
        ship(api, fo, lines=[(1, 1)], tracking=f"T{i}")
        worker_runs()
    # then three invoices whose lines add up to the order line exactly
    invoices = documents(order["id"])
    placed = Order.objects.get(pk=order["id"])
    got = [(inv.lines.get().total, inv.lines.get().tax) for inv in invoices]
    assert got == [(Decimal(a), Decimal(b)) for a, b in parts]
    assert sum(t for t, _ in got) == placed.grand_total
    assert sum(x for _, x in got) == placed.tax_total
    assert all(inv.currency == currency for inv in invoices)


def test_a_repeated_shipped_event_issues_one_invoice(api, shop):
    # given a shipped order whose invoice was issued
    order = capture(api, shop)
    ship(api, order["fulfillment_orders"][0]["id"])
    worker_runs()
    event = OutboxEvent.objects.get(name="order.shipped")
    before = (Invoice.objects.count(), InvoiceLine.objects.count())
    # when the relay delivers the shipped event again (at least once)
    subscribers.invoice_on_shipped(OrderShipped.from_payload(event.payload))
    # then nothing new: still one invoice, and the series did not move
    assert (Invoice.objects.count(), InvoiceLine.objects.count()) == before == (1, 2)
    assert documents(order["id"])[0].series.next_number == 2


def test_a_marketplace_that_invoices_itself_gets_none(api, shop):
    # given the web channel set to skip invoicing (its marketplace invoices the buyer)
    channel_invoicing_set(channel_id=shop["channel"].pk, skip=True)
    order = capture(api, shop)
    # when it ships
    ship(api, order["fulfillment_orders"][0]["id"])
    worker_runs()
    # then no invoice, no number taken
    assert Invoice.objects.count() == 0
    assert not OutboxEvent.objects.filter(name="invoice.issued").exists()
    # and once the setting is lifted, the next order is invoiced
    channel_invoicing_set(channel_id=shop["channel"].pk, skip=False)
    again = capture(api, shop, external_id="W-2")
    ship(api, again["fulfillment_orders"][0]["id"])
    worker_runs()
    assert [i.number[-6:] for i in documents(again["id"])] == ["000001"]


def test_a_pickup_is_invoiced_when_handed_over(api, shop):
    # given two tees to collect at STORE-1, at the counter
    stock(shop["store"], shop["TEE"], 3)
    body = order_body(
        "P-1",
        delivery_method="pickup",
        pickup_location="STORE-1",
        lines=[{"sku": "TEE", "quantity": 2, "unit_price": "10.00", "tax": "3.80"}],
    )
    order = api.post("/orders", body).json()
    fo = order["fulfillment_orders"][0]["id"]
    assert api.post(f"/fulfillment/orders/{fo}/ready-for-pickup", {}).status_code == 200
    worker_runs()
    assert Invoice.objects.count() == 0  # nothing handed over yet
    # when the customer collects it
    code = FulfillmentOrder.objects.get(pk=fo).pickup_code
    assert api.post(f"/fulfillment/orders/{fo}/picked-up", {"pickup_code": code}).status_code == 200
    worker_runs()
    # then one invoice for both tees
    (invoice,) = documents(order["id"])
    assert invoice.reference == f"pickup:{fo}"
    assert lines_of(invoice) == [(1, 2, Decimal("20.00"), Decimal("3.80"), Decimal("23.80"))]


def test_the_command_line_sets_a_channel_to_skip_and_back(shop, capsys):
    call_command("invoices", "channel", "web", "--skip")
    assert ChannelInvoicing.objects.get(channel=shop["channel"]).skip is True
    call_command("invoices", "channel", "web", "--invoice")
    assert ChannelInvoicing.objects.get(channel=shop["channel"]).skip is False
    assert "Channel web: orders invoiced by Ordino." in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("invoices", "channel", "nowhere", "--skip")
