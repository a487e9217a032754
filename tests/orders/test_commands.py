"""The use cases take plain commands (orders/commands.py); the API's schemas translate into them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import transaction

from ordino.core.domain.errors import DomainError
from ordino.inventory.models import StockBalance
from ordino.orders.commands import CaptureOrder, EditOrder, LineItem, OrderAddress, OrderCustomer
from ordino.orders.models import Order
from ordino.orders.schemas import OrderCreateIn, OrderEditIn
from ordino.orders.services import order_capture, order_edit
from tests.factories import stock

FULL = {
    "channel": "web",
    "external_id": "W-1",
    "currency": "eur",
    "placed_at": "2026-01-31T09:30:00+02:00",
    "customer": {
        "external_id": "C-7",
        "email": "Ada@Example.com",
        "phone": "+49 30 123456",
        "first_name": "Ada",
        "last_name": "Lovelace",
    },
    "shipping_address": {
        "name": "Ada Lovelace",
        "company": "AE",
        "line1": "Unter den Linden 1",
        "line2": "2nd floor",
        "city": "Berlin",
        "region": "BE",
        "postal_code": "10117",
        "country": "de",
        "phone": "+4930",
        "latitude": "52.5170",
        "longitude": "13.3889",
    },
    "billing_address": {"line1": "Somewhere 2", "city": "Potsdam", "country": "DE"},
    "delivery_method": "ship_to_store",
    "pickup_location": "STORE-1",
    "origin_location": "TILL-1",
    "lines": [
        {
            "sku": "TEE",
            "quantity": 2,
            "unit_price": "19.9",
            "discount": "1.00",
            "tax": 3,
            "name": "Tee",
            "external_id": "L1",
        },
        {"sku": "MUG", "quantity": 1, "unit_price": "9.5"},
    ],
    "shipping_price": "4.90",
    "shipping_tax": "0.78",
    "discount": "2",
    "total": "49.48",
    "tags": ["VIP", "gift"],
    "raw_payload": {"a": 1, "b": [1.5, "x"], "c": None},
}
MINIMAL = {
    "channel": "web",
    "external_id": "W-2",
    "currency": "EUR",
    "lines": [{"sku": "TEE", "quantity": 1, "unit_price": "1"}],
}


@pytest.mark.parametrize(
    ("body", "fingerprint"),
    [
        (FULL, "fc2e96774a48144875f39eb753c7c7a48fb966630f9a396b786bd18e56053165"),
        (MINIMAL, "dca84fa0719ea8c7f7fb5cb987d70af523e55d606d119efae53d1a6670bda4ac"),
    ],
)
def test_a_captures_fingerprint_is_the_one_earlier_versions_stored(body, fingerprint):
    # Given a capture as the API parses it (the hashes: what the release before commands
    # stored, taken over the parsed schema), when it becomes a command, then its fingerprint is
    # unchanged: a channel's repeat of an order captured before is still a replay, not a 409
    assert OrderCreateIn(**body).command().fingerprint() == fingerprint


def test_an_address_is_stored_as_the_api_dumped_it():
    # Given an address as the API parses it, when the command stores it, then the JSON is the
    # schema's own (an edit compares it with the stored one to see whether it changed)
    parsed = OrderCreateIn(**FULL).shipping_address
    assert parsed.command().as_stored() == parsed.model_dump(mode="json")
    assert list(parsed.command().as_stored()) == list(parsed.model_dump(mode="json"))


def test_the_schema_translates_every_field():
    command = OrderCreateIn(**FULL).command()
    assert command == CaptureOrder(
        channel="web",
        external_id="W-1",
        currency="EUR",
        placed_at=datetime(2026, 1, 31, 7, 30, tzinfo=UTC),
        customer=OrderCustomer("C-7", "Ada@Example.com", "+49 30 123456", "Ada", "Lovelace"),
        shipping_address=OrderAddress(
            name="Ada Lovelace",
            company="AE",
            line1="Unter den Linden 1",
            line2="2nd floor",
            city="Berlin",
            region="BE",
            postal_code="10117",
            country="DE",
            phone="+4930",
            latitude=Decimal("52.5170"),
            longitude=Decimal("13.3889"),
        ),
        billing_address=OrderAddress(line1="Somewhere 2", city="Potsdam", country="DE"),
        delivery_method="ship_to_store",
        pickup_location="STORE-1",
        origin_location="TILL-1",
        lines=(
            LineItem("TEE", 2, Decimal("19.9"), Decimal("1.00"), Decimal(3), "Tee", "L1"),
            LineItem("MUG", 1, Decimal("9.5")),
        ),
        shipping_price=Decimal("4.90"),
        shipping_tax=Decimal("0.78"),
        discount=Decimal(2),
        total=Decimal("49.48"),
        tags=("VIP", "gift"),
        raw_payload={"a": 1, "b": [1.5, "x"], "c": None},
    )
    edit = OrderEditIn(
        expected_version=3,
        add_lines=[{"sku": "CAP", "quantity": 1, "unit_price": "5"}],
        change_lines=[{"line_no": 1, "quantity": 2}],
        remove_lines=[2],
        reason="customer",
    ).command(order_id=12)
    assert edit == EditOrder(
        order_id=12,
        expected_version=3,
        add_lines=(LineItem("CAP", 1, Decimal(5)),),
        change_lines=((1, 2),),
        remove_lines=(2,),
        reason="customer",
    )


@pytest.mark.django_db
def test_a_command_built_without_the_api_captures_and_edits(shop):
    # Given stock, when a connector captures and then edits an order with plain commands
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    address = OrderAddress(line1="Unter den Linden 1", city="Berlin", country="DE")
    command = CaptureOrder(
        channel="web",
        external_id="C-1",
        currency="EUR",
        shipping_address=address,
        lines=(LineItem("TEE", 2, Decimal("10.00")),),
    )
    result = order_capture(command=command, actor="connector")
    order = order_edit(
        command=EditOrder(order_id=result.order.pk, add_lines=(LineItem("MUG", 1, Decimal(5)),)),
        actor="connector",
    )
    # then the order holds both lines, reserved at WH-A, and the address as the API stores it
    assert not result.replayed
    assert order.status == "allocated"
    assert order.current_total == Decimal("25.00")
    assert order.shipping_address == address.as_stored()
    assert [
        (line.sku_code, line.quantity_allocated) for line in order.lines.order_by("line_no")
    ] == [
        ("TEE", 2),
        ("MUG", 1),
    ]
    # and the same command again is a replay
    assert order_capture(command=command, actor="connector").replayed is True


@pytest.mark.django_db
def test_a_repeat_with_other_contents_changes_nothing(shop):
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["store"], shop["TEE"], 1)
    first = CaptureOrder(
        channel="web",
        external_id="C-1",
        currency="EUR",
        delivery_method="pickup",
        pickup_location="STORE-1",
        lines=(LineItem("TEE", 1, Decimal("10.00")),),
    )
    order_capture(command=first, actor="connector")
    before = list(StockBalance.objects.order_by("pk").values_list("on_hand", "committed"))
    # when the channel sends it again with two tees
    again = replace(first, lines=(LineItem("TEE", 2, Decimal("10.00")),))
    with pytest.raises(DomainError) as refused, transaction.atomic():  # as its own would
        order_capture(command=again, actor="connector")
    # then it is refused, naming the order, and nothing moved
    assert (refused.value.code, refused.value.status) == ("order_exists", 409)
    assert Order.objects.count() == 1
    assert list(StockBalance.objects.order_by("pk").values_list("on_hand", "committed")) == before
