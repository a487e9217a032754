"""The event types an endpoint may subscribe to: every event of the outbox catalog
(docs/events.md), by its wire name. Importing the modules' `events` registers their classes."""

from __future__ import annotations

from ordino.cases import events as cases_events
from ordino.events.types import REGISTRY, Event
from ordino.holds import events as holds_events
from ordino.inventory import events as inventory_events
from ordino.invoices import events as invoices_events
from ordino.orders import events as orders_events
from ordino.payments import events as payments_events
from ordino.returns import events as returns_events
from ordino.risk import events as risk_events
from ordino.tax import events as tax_events

_MODULES = (cases_events, holds_events, inventory_events, invoices_events, orders_events,
            payments_events, returns_events, risk_events, tax_events)  # fmt: skip
_PACKAGES = tuple(module.__name__ for module in _MODULES)


def event_classes() -> list[type[Event]]:
    """Every catalog event class, by wire name (what wiring.py subscribes the webhooks to)."""
    return [cls for _, cls in sorted(REGISTRY.items()) if cls.__module__ in _PACKAGES]


def event_types() -> list[str]:
    return [cls.name for cls in event_classes()]


def event_type_doc(name: str) -> str:
    """The first line of the event class's docstring, if it has one."""
    cls = REGISTRY.get(name)
    doc = (cls.__doc__ or "") if cls is not None else ""
    if doc.startswith(f"{cls.__name__}(") if cls is not None else False:
        return ""  # dataclass's generated signature, not a description
    return doc.strip().split("\n", 1)[0]
