"""The case a simulation or a promise reads: a stored order with its own reservations given
back, or a hypothetical cart, as the engine's inputs (OrderFacts and candidate locations with
today's stock). Reads only: nothing is reserved (docs/sourcing.md, "Simulate and back-test").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from ordino.catalog.domain.lines import line_skus_known
from ordino.catalog.models import KitComponent, Sku
from ordino.channels.models import Channel
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.fulfillment.domain.allocation import LineDemand
from ordino.fulfillment.selectors import open_units_by_order
from ordino.locations.models import Location
from ordino.sourcing.domain import Destination, LocationFacts, OrderFacts
from ordino.sourcing.facts import OrderContext, candidates_load, order_facts
from ordino.sourcing.ports import stored_order


@dataclass(frozen=True)
class Case:
    order: OrderFacts
    candidates: list[LocationFacts]


def with_held(
    candidates: Sequence[LocationFacts], held: Mapping[tuple[int, int], int]
) -> list[LocationFacts]:
    if not held:
        return list(candidates)
    out = []
    for c in candidates:
        extra = {sku: n for (loc, sku), n in held.items() if loc == c.id}
        if extra:
            available = dict(c.available)
            for sku, n in extra.items():
                available[sku] = available.get(sku, 0) + n
            c = replace(c, available=available)
        out.append(c)
    return out


def order_case(*, order_id: int, now: datetime, scope: Scope = UNRESTRICTED) -> Case:
    """A stored order (NotFound outside `scope`) with its own reservations given back."""
    order = stored_order(order_id=order_id, scope=scope)
    if not order.demands:
        raise DomainError("nothing_to_source", f"Order {order_id} has no open quantity.")
    snapshot = candidates_load(
        sku_ids={s for d in order.demands for s in d.components},
        channel_id=order.channel_id,
        pickup_location_id=order.pickup_location_id,
    )
    facts = order_facts(order.context, order.demands, snapshot.sku_tags)
    held = open_units_by_order(order_ids=[order.order_id]).get(order.order_id, {})
    return Case(facts, with_held(snapshot.candidates, held))


def cart_case(
    *,
    lines: Sequence[Mapping],
    destination: Mapping,
    channel: str | None = None,
    delivery_method: str = "ship",
    pickup_location: str | None = None,
    value: Decimal | None = None,
    currency: str | None = None,
    customer_tags: Sequence[str] = (),
    scope: Scope = UNRESTRICTED,
) -> Case:
    """A hypothetical cart: lines [{sku, quantity}], a destination, optionally a channel (one
    the caller's `scope` sees)."""
    channel_row = _channel_seen(channel, scope)
    pickup = None
    if delivery_method != "ship":
        pickup = Location.objects.filter(code=pickup_location or "", is_active=True).first()
        if pickup is None:
            raise NotFound("location", pickup_location, field="pickup_location")
    skus = _skus_known([str(line["sku"]) for line in lines])
    demands, line_skus = _cart_demands(lines, skus)
    sku_ids = {s for d in demands for s in d.components}
    snapshot = candidates_load(
        sku_ids=sku_ids,
        channel_id=channel_row.pk if channel_row else None,
        pickup_location_id=pickup.pk if pickup else None,
    )
    tags = dict(snapshot.sku_tags)
    tags.update({pk: frozenset(str(t).lower() for t in tg) for pk, _, tg in skus.values()})
    context = OrderContext(
        order_id="cart",
        channel=channel or "",
        destination=_destination(destination) if pickup is None else _store(pickup),
        delivery_method=delivery_method,
        value=value if value is not None else Decimal(0),
        currency=currency or (channel_row.currency if channel_row else "EUR"),
        customer_tags=frozenset(str(t).lower() for t in customer_tags),
        pickup_location_id=pickup.pk if pickup else None,
        line_skus=line_skus,
    )
    return Case(order_facts(context, demands, tags), snapshot.candidates)


def _channel_seen(channel: str | None, scope: Scope) -> Channel | None:
    """The cart's channel, if it names one: NotFound when unknown or outside `scope`."""
    if channel is None:
        return None
    channel_row = Channel.objects.filter(code=channel).first()
    if channel_row is None or not scope.sees_channel(channel_row.pk):
        raise NotFound("channel", channel, field="channel")
    return channel_row


def _skus_known(codes: Sequence[str]) -> dict[str, tuple[int, str, tuple]]:
    """SKU code → (id, kind, tags) of the cart's active SKUs; every unknown code is an error."""
    skus = {
        code: (pk, kind, tuple(tags or ()))
        for pk, code, kind, tags in Sku.objects.filter(code__in=codes, is_active=True).values_list(
            "id", "code", "kind", "tags"
        )
    }
    line_skus_known(codes, skus.keys())
    return skus


def _cart_demands(
    lines: Sequence[Mapping], skus: Mapping[str, tuple[int, str, tuple]]
) -> tuple[list[LineDemand], dict[int, int]]:
    """Each cart line's demand (a kit's components, else its SKU), keyed 1, 2, …, and the SKU
    each line sells."""
    kits: dict[int, dict[int, int]] = defaultdict(dict)
    kit_ids = [pk for pk, kind, _ in skus.values() if kind == Sku.KIT]
    for kit, component, qty in KitComponent.objects.filter(kit_id__in=kit_ids).values_list(
        "kit_id", "component_id", "quantity"
    ):
        kits[kit][component] = qty
    demands, line_skus = [], {}
    for i, line in enumerate(lines):
        pk, kind, _ = skus[str(line["sku"])]
        parts = kits[pk] if kind == Sku.KIT else {pk: 1}
        if not parts:
            raise DomainError(
                "kit_empty", f"Kit {line['sku']} has no components.", field=f"lines.{i}.sku"
            )
        demands.append(LineDemand(key=i + 1, quantity=int(line["quantity"]), components=parts))
        line_skus[i + 1] = pk
    return demands, line_skus


def _destination(data: Mapping) -> Destination:
    lat, lon = data.get("latitude"), data.get("longitude")
    return Destination(
        country=(data.get("country") or "").upper(),
        region=data.get("region") or "",
        postal_code=data.get("postal_code") or "",
        latitude=None if lat is None else float(lat),
        longitude=None if lon is None else float(lon),
    )


def _store(location: Location) -> Destination:
    return _destination(
        {
            "country": location.country,
            "region": location.region,
            "postal_code": location.postal_code,
            "latitude": location.latitude,
            "longitude": location.longitude,
        }
    )
