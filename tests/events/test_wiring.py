"""Events are classes (docs/events.md): every one is registered under a unique, stable wire
name, every subscribed one is emitted by some code path, and every one is in the catalog. A
subscriber waiting for an event no code emits would wait for ever (a stock feed once never
filled backorders that way)."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import pkgutil
from pathlib import Path

import pytest

import ordino
from ordino.events.types import REGISTRY, Event
from ordino.wiring import SUBSCRIBERS

SRC = Path(ordino.__file__).parent
CATALOG = SRC.parents[1] / "docs" / "events.md"

# The names stored in the outbox today: renaming one would orphan stored events and break
# webhook consumers, so a change here must be deliberate.
WIRE_NAMES = [
    "case.assigned",
    "case.escalated",
    "case.opened",
    "case.resolved",
    "credit_note.issued",
    "exchange.created",
    "fulfillment.accepted",
    "fulfillment.on_hold",
    "fulfillment.open",
    "fulfillment.packed",
    "fulfillment.picking",
    "inventory.safety_stock_set",
    "inventory.stock_adjusted",
    "inventory.stock_counted",
    "inventory.stock_damaged",
    "inventory.stock_feed_applied",
    "inventory.stock_incoming_cancelled",
    "inventory.stock_incoming_expected",
    "inventory.stock_received",
    "inventory.stock_released",
    "inventory.stock_transfer_received",
    "inventory.stock_transfer_sent",
    "inventory.stock_written_off",
    "invoice.issued",
    "invoice.sent",
    "order.backorder_filled",
    "order.cancelled",
    "order.captured",
    "order.delivered",
    "order.edited",
    "order.held",
    "order.hold_released",
    "order.lines_cancelled",
    "order.picked_up",
    "order.pickup_expired",
    "order.ready_for_pickup",
    "order.rerouted",
    "order.returned",
    "order.risk_cleared",
    "order.risk_flagged",
    "order.shipped",
    "payment.added",
    "payment.authorization_expiring",
    "payment.authorized",
    "payment.captured",
    "payment.confirmed",
    "payment.declined",
    "payment.dispute_closed",
    "payment.disputed",
    "payment.refunded_outside",
    "payment.retry_requested",
    "payment.voided",
    "refund.failed",
    "refund.recorded",
    "refund.reversed",
    "refund.succeeded",
    "return.approved",
    "return.cancelled",
    "return.closed",
    "return.declined",
    "return.received",
    "return.refund_refused",
    "return.requested",
    "store_credit.adjusted",
    "store_credit.expired",
    "store_credit.held",
    "store_credit.issued",
    "store_credit.redeemed",
    "store_credit.released",
    "tax.rate_changed",
    "tax.rate_created",
    "tax.rate_deleted",
    "tracking.delivered",
    "tracking.failed",
    "tracking.out_for_delivery",
]


def ordino_events() -> dict[str, type[Event]]:
    """Every event class the application declares (each app's `events` module, imported)."""
    for module in pkgutil.iter_modules([str(SRC)]):
        if (SRC / module.name / "events.py").exists():
            importlib.import_module(f"ordino.{module.name}.events")
    return {n: cls for n, cls in REGISTRY.items() if cls.__module__.startswith("ordino.")}


def referenced_names() -> set[str]:
    """Names used in the application's code outside wiring.py and class definitions: an event
    class is emitted where its name is used (passed to event_emit, order_record, ...)."""
    used: set[str] = set()
    for path in SRC.rglob("*.py"):
        if path.name == "wiring.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Name):
                used.add(node.id)
            elif isinstance(node, ast.Attribute):
                used.add(node.attr)
    return used


def test_the_wire_names_are_todays_and_each_names_one_class():
    events = ordino_events()
    assert sorted(events) == WIRE_NAMES
    assert all(cls.name == name for name, cls in events.items())


def test_every_event_class_is_a_frozen_dataclass_about_an_aggregate():
    for cls in ordino_events().values():
        assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen, cls
        assert cls.aggregate_type, cls


def test_a_second_class_cannot_take_a_wire_name():
    # given a registered name, when another class claims it, then declaring it fails
    with pytest.raises(ValueError, match=r"inventory\.stock_received"):

        @dataclasses.dataclass(frozen=True)
        class Impostor(Event):
            name = "inventory.stock_received"

    assert REGISTRY["inventory.stock_received"].__name__ == "StockReceived"


def test_every_subscribed_event_is_a_registered_class_that_some_code_emits():
    events = ordino_events()
    used = referenced_names()
    for cls in SUBSCRIBERS:
        assert events.get(cls.name) is cls
        assert cls.__name__ in used, f"{cls.__name__} is subscribed but never emitted"


def test_every_event_is_emitted_by_some_code_path():
    used = referenced_names()
    assert sorted(c.__name__ for c in ordino_events().values() if c.__name__ not in used) == []


def test_every_event_is_in_the_catalog():
    catalog = CATALOG.read_text()
    missing = [name for name in ordino_events() if f"`{name}`" not in catalog]
    assert missing == []
