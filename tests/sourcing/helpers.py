"""Sourcing test data: a central warehouse (Hamburg) and a store (Potsdam), Berlin customers."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from decimal import Decimal

from ordino.locations.models import LocationGroup
from ordino.orders.schemas import OrderCreateIn
from ordino.orders.services import order_capture
from ordino.sourcing import services
from tests.factories import make_channel, make_location, make_sku, order_body, stock

SEPTEMBER = {
    "strategies": [
        {
            "name": "everywhere",
            "filters": [{"type": "has_stock", "mode": "any"}],
            "ranking": {"criteria": [{"criterion": "priority"}, {"criterion": "distance"}]},
            "split": {"max_shipments": 2},
            "fallback": {"kind": "backorder"},
        }
    ]
}
# "From 1 October, ship from stores before the central warehouse": one ranking criterion.
OCTOBER = copy.deepcopy(SEPTEMBER)
OCTOBER["strategies"][0]["ranking"]["criteria"].insert(
    0, {"criterion": "kind", "prefer": ["store", "warehouse"]}
)
FIRST_OCTOBER = datetime(2025, 10, 1, 0, 0, tzinfo=UTC)
BERLIN = {
    "name": "Ada Lovelace",
    "line1": "Unter den Linden 1",
    "city": "Berlin",
    "postal_code": "10117",
    "country": "DE",
    "latitude": "52.5170",
    "longitude": "13.3889",
}


def network():
    """web channel; CENTRAL (priority 1, group central) and STORE-POTSDAM (priority 10, group
    stores) both holding TEE and MUG."""
    make_channel("web", currency="EUR")
    central_group = LocationGroup.objects.create(code="central", name="Central")
    stores_group = LocationGroup.objects.create(code="stores", name="Stores")
    central = make_location(
        "CENTRAL", priority=1, latitude=Decimal("53.55"), longitude=Decimal("9.99")
    )
    store = make_location(
        "STORE-POTSDAM",
        kind="store",
        priority=10,
        latitude=Decimal("52.39"),
        longitude=Decimal("13.06"),
    )
    central.groups.add(central_group)
    store.groups.add(stores_group)
    tee, mug = make_sku("TEE"), make_sku("MUG")
    for loc, units in ((central, 500), (store, 5)):
        stock(loc, tee, units)
        stock(loc, mug, units)
    return {"central": central, "store": store, "TEE": tee, "MUG": mug}


def capture(external_id: str, lines=None, **extra):
    body = order_body(external_id, lines=lines, shipping_address=BERLIN, **extra)
    return order_capture(command=OrderCreateIn(**body).command(), actor="test").order


def at(moment: datetime, monkeypatch) -> None:
    """Pin the clock of order capture and of the sourcing services and API."""
    for where in (
        "ordino.orders.services.capture.utcnow",
        "ordino.sourcing.services.profiles.utcnow",
        "ordino.sourcing.api.utcnow",
    ):
        monkeypatch.setattr(where, lambda: moment)


def sourcing_configure(location) -> None:
    """One of everything the sourcing console shows: a profile (active v1, draft v2, audit),
    zones, a transit time and the location's calendar."""
    profile = services.profile_create(
        code="default", name="Default", definition=SEPTEMBER, actor="test"
    )
    services.profile_version_activate(profile=profile, number=1, actor="test")
    services.profile_draft_save(profile=profile, definition=OCTOBER, actor="test")
    services.zones_load(
        zones=[{"country": "DE", "postal_prefix": "1", "zone": "east"}],
        distances=[{"zone_a": "east", "zone_b": "east", "km": 20}],
    )
    services.transit_times_load(rows=[{"service": "standard", "days": 2}])
    services.location_schedule_set(
        location=location, calendar={"timezone": "Europe/Berlin", "cutoff": "15:00"}
    )
