"""Orders as holds' input: the facts of `rules/domain/order_facts.py: HOLD_FACTS` read from
stored orders, and the check capture and edit run (docs/holds.md, "When rules are tested").

Capture with no rule in force costs no statement here: `holds_active()` answers from the
process's cached rule set (holds/services/active.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, OuterRef, Subquery

from ordino.holds.services import holds_active, order_holds_evaluate, order_work_restop
from ordino.locations.models import Location
from ordino.orders.models import Order, OrderLine
from ordino.orders.ports import payment_methods_of, risk_scores_of
from ordino.sourcing.facts import destination_of

HUNDRED = Decimal(100)


def order_holds_check(
    *, order_id: int, actor: str, trigger: str, now: datetime, risk_score: int | None = None
) -> list[int]:
    """Test the rules in force against the order as it now stands (capture, edit); answers
    the fulfillment orders the holds placed stopped. `risk_score`: the score just given (no
    read); None: read it."""
    if not holds_active():
        if trigger != "capture":
            order_work_restop(order_id=order_id, actor=actor)
        return []
    scores = {order_id: risk_score} if risk_score is not None else None
    facts = orders_hold_facts(Order.objects.filter(pk=order_id), scores=scores)[order_id]
    placed = order_holds_evaluate(
        order_id=order_id, facts=facts, actor=actor, trigger=trigger, now=now
    )
    return [fo for hold in placed for fo in hold.held_fulfillment_orders]


def orders_recent_hold_facts(*, limit: int) -> list[tuple[int, str, dict[str, object]]]:
    """The newest `limit` orders as (id, channel:external id, facts), newest first."""
    orders = Order.objects.order_by("-created_at", "-id")[:limit]
    facts = orders_hold_facts(orders)
    return [(pk, str(values.pop("_label")), values) for pk, values in facts.items()]


def orders_hold_facts(orders, scores: dict[int, int] | None = None) -> dict[int, dict[str, object]]:
    """Each order's HOLD_FACTS values, in a fixed number of statements for any number of
    orders (ordered as given). `scores`: the risk scores when known (else read)."""
    earlier = (
        Order.objects.filter(
            customer_id=OuterRef("customer_id"), created_at__lt=OuterRef("created_at")
        )
        .order_by()
        .values("customer_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    rows = list(
        orders.select_related("channel", "customer").annotate(orders_before=Subquery(earlier))
    )
    ids = [order.pk for order in rows]
    lines = _lines_of(ids)
    methods = payment_methods_of(order_ids=ids)
    pickups = _pickups_of(rows)
    if scores is None:
        scores = risk_scores_of(order_ids=ids)
    return {
        order.pk: _facts(order, lines[order.pk], methods.get(order.pk, ()), pickups)
        | {"risk.score": Decimal(scores[order.pk]) if order.pk in scores else None}
        for order in rows
    }


def _lines_of(ids: Sequence[int]) -> dict[int, list[tuple[int, int, list]]]:
    found: dict[int, list[tuple[int, int, list]]] = defaultdict(list)
    rows = OrderLine.objects.filter(order_id__in=ids).values_list(
        "order_id", "quantity_ordered", "quantity_cancelled", "sku__tags"
    )
    for order_id, ordered, cancelled, tags in rows:
        found[order_id].append((ordered, cancelled, tags or []))
    return found


def _pickups_of(rows: Sequence[Order]) -> dict[int, Location]:
    ids = {order.pickup_location_id for order in rows if order.pickup_location_id}
    return {loc.pk: loc for loc in Location.objects.filter(pk__in=ids)} if ids else {}


def _facts(order: Order, lines, methods, pickups: dict[int, Location]) -> dict[str, object]:
    destination = destination_of(order.shipping_address, pickups.get(order.pickup_location_id))
    customer = order.customer if order.customer_id else None
    live = [(ordered - cancelled, tags) for ordered, cancelled, tags in lines]
    subtotal = Decimal(order.subtotal)
    return {
        "_label": f"{order.channel.code}:{order.external_id}",
        "channel": order.channel.code,
        "delivery_method": order.delivery_method,
        "destination.country": destination.country,
        "destination.region": destination.region,
        "destination.postal_code": destination.postal_code,
        "order.value": Decimal(order.current_total),
        "order.currency": order.currency,
        "order.lines": Decimal(sum(1 for units, _ in live if units > 0)),
        "order.units": Decimal(sum(units for units, _ in live)),
        "order.discount_percent": (
            (Decimal(order.discount_total) * HUNDRED / subtotal).quantize(Decimal("0.01"))
            if subtotal > 0
            else Decimal(0)
        ),
        "payment.methods": frozenset(str(m).lower() for m in methods),
        "customer.tags": frozenset(str(t).lower() for t in (customer.tags if customer else ())),
        "customer.order_count": Decimal(order.orders_before or 0) if customer else None,
        "customer.account_age_days": (
            Decimal(max(0, (order.placed_at - customer.created_at).days)) if customer else None
        ),
        "lines.sku_tags": frozenset(
            str(t).lower() for units, tags in live if units > 0 for t in tags
        ),
    }
