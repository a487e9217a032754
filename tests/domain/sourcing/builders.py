"""Small builders for sourcing tests: a Berlin customer, a network of German locations."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from ordino.sourcing.domain import Destination, LocationFacts, OrderFacts, OrderLine

BERLIN = Destination("DE", "BE", "10115", 52.52, 13.405)
# Monday 6 October 2025, 10:00 UTC (12:00 in Berlin)
MONDAY_MORNING = datetime(2025, 10, 6, 10, 0, tzinfo=UTC)


def line(key: int, sku: int, quantity: int, **kw: object) -> OrderLine:
    return OrderLine(key=key, sku_id=sku, quantity=quantity, **kw)  # type: ignore[arg-type]


def order(*lines: OrderLine, **kw: object) -> OrderFacts:
    fields: dict[str, object] = {
        "order_id": "O-1",
        "channel": "web",
        "destination": BERLIN,
        "lines": lines,
        "value": Decimal("120.00"),
        "currency": "EUR",
    }
    fields.update(kw)
    return OrderFacts(**fields)  # type: ignore[arg-type]


def location(id: int, code: str, stock: dict[int, int], **kw: object) -> LocationFacts:
    return LocationFacts(id=id, code=code, available=stock, **kw)  # type: ignore[arg-type]


# Coordinates of a few German cities
HAMBURG = {"latitude": 53.55, "longitude": 9.99}  # ≈ 255 km from Berlin
POTSDAM = {"latitude": 52.39, "longitude": 13.06}  # ≈ 27 km
MUNICH = {"latitude": 48.14, "longitude": 11.58}  # ≈ 505 km
