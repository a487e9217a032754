"""Reads of fulfillment orders: a location's queue and one fulfillment order."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce

from ordino.core.domain.errors import NotFound
from ordino.core.domain.scope import HAND_OVER, READ, UNRESTRICTED, WORK, Scope
from ordino.fulfillment.domain.status import ACTIVE
from ordino.fulfillment.models import FulfillmentLine, FulfillmentOrder, Shipment
from ordino.locations.selectors import location_address


def fulfillment_scope_q(scope: Scope, reach: str = READ) -> Q:
    """The fulfillment orders `scope` reaches: the query form of `Scope.reaches_fulfillment`."""
    q = Q()
    if scope.channel_ids is not None:
        q &= Q(order__channel_id__in=scope.channel_ids)
    if scope.location_ids is not None:
        works = Q(location_id__in=scope.location_ids)
        hands_over = Q(order__pickup_location_id__in=scope.location_ids) | Q(
            order__pickup_location_id__isnull=True, location_id__in=scope.location_ids
        )
        q &= {WORK: works, HAND_OVER: hands_over}.get(reach, works | hands_over)
    return q


def fulfillment_list(
    *,
    scope: Scope = UNRESTRICTED,
    location: str | None = None,
    status: str | None = None,
    order_id: int | None = None,
    reach: str = READ,
) -> QuerySet[FulfillmentOrder]:
    qs = FulfillmentOrder.objects.select_related("location", "order").filter(
        fulfillment_scope_q(scope, reach)
    )
    if location:
        qs = qs.filter(location__code=location)
    if status:
        qs = qs.filter(status=status)
    if order_id is not None:
        qs = qs.filter(order_id=order_id)
    return qs


def fulfillment_get(
    *, fo_id: int, scope: Scope = UNRESTRICTED, reach: str = READ
) -> FulfillmentOrder:
    """The fulfillment order, or NotFound also when it lies outside the caller's scope (for
    `reach`: WORK, the steps at its location)."""
    fo = fulfillment_list(scope=scope, reach=reach).filter(pk=fo_id).first()
    if fo is None:
        raise NotFound("fulfillment_order", fo_id)
    return fo


def fulfillments_serialize(fos: list[FulfillmentOrder]) -> list[dict]:
    """Three queries for any number of fulfillment orders."""
    ids = [fo.pk for fo in fos]
    lines: dict[int, list[dict]] = {pk: [] for pk in ids}
    for fl in (
        FulfillmentLine.objects.filter(fulfillment_order_id__in=ids)
        .select_related("order_line")
        .order_by("id")
    ):
        lines[fl.fulfillment_order_id].append(
            {
                "line_no": fl.order_line.line_no,
                "sku": fl.order_line.sku_code,
                "name": fl.order_line.name,
                "quantity": fl.quantity,
                "quantity_open": fl.open,
                "quantity_shipped": fl.quantity_shipped,
                "quantity_rejected": fl.quantity_rejected,
                "quantity_cancelled": fl.quantity_cancelled,
            }
        )
    shipments: dict[int, list[dict]] = {pk: [] for pk in ids}
    for shipment in Shipment.objects.filter(fulfillment_order_id__in=ids).order_by("id"):
        shipments[shipment.fulfillment_order_id].append(
            {
                "id": shipment.pk,
                "carrier": shipment.carrier,
                "service": shipment.service,
                "tracking_numbers": shipment.tracking_numbers,
                "packages": shipment.packages,
                "lines": shipment.lines,
                "shipped_at": shipment.shipped_at,
                "delivered_at": shipment.delivered_at,
            }
        )
    return [
        {
            "id": fo.pk,
            "order_id": fo.order_id,
            "order_external_id": fo.order.external_id,
            "location": fo.location.code,
            "status": fo.status,
            "delivery_method": fo.delivery_method,
            "version": fo.version,
            "created_at": fo.created_at,
            "updated_at": fo.updated_at,
            "accepted_at": fo.accepted_at,
            "shipped_at": fo.shipped_at,
            "ready_at": fo.ready_at,
            "pickup_deadline": fo.pickup_deadline,
            "pickup_code": fo.pickup_code,
            "closed_at": fo.closed_at,
            "shipping_address": fo.order.shipping_address,
            "lines": lines[fo.pk],
            "shipments": shipments[fo.pk],
        }
        for fo in fos
    ]


def rejections_by_location(*, order_id: int) -> dict[int, datetime]:
    """When each location last rejected items of this order (for re-routing:
    fulfillment/domain/rejections.py says which of them may serve it again)."""
    rejected_at: dict[int, datetime] = {}
    for location_id, at in FulfillmentOrder.objects.filter(
        order_id=order_id, lines__quantity_rejected__gt=0
    ).values_list("location_id", Coalesce("rejected_at", "updated_at")):
        rejected_at[location_id] = max(at, rejected_at.get(location_id, at))
    return rejected_at


def fulfillment_open_items(*, fo_id: int, status: str) -> tuple[int, int] | None:
    """(order id, items still open) of the fulfillment order if it is in `status`, else None."""
    fo = FulfillmentOrder.objects.filter(pk=fo_id, status=status).first()
    if fo is None:
        return None
    return fo.order_id, sum(fl.open for fl in FulfillmentLine.objects.filter(fulfillment_order=fo))


def order_fulfillment_lines(*, order_id: int, active_only: bool = False) -> list[FulfillmentLine]:
    """Every fulfillment line of an order (with its fulfillment order and location), oldest
    first; `active_only`: of fulfillment orders still in work (what a cancel or edit may cut)."""
    qs = FulfillmentLine.objects.filter(fulfillment_order__order_id=order_id)
    if active_only:
        qs = qs.filter(fulfillment_order__status__in=ACTIVE)
    return list(qs.select_related("fulfillment_order__location").order_by("id"))


def open_units_by_order(*, order_ids) -> dict[int, dict[tuple[int, int], int]]:
    """Component units each order holds open at its locations, by (location, sku)."""
    held: dict[int, dict[tuple[int, int], int]] = defaultdict(lambda: defaultdict(int))
    rows = FulfillmentLine.objects.filter(
        fulfillment_order__order_id__in=order_ids, fulfillment_order__status__in=ACTIVE
    ).values_list(
        "fulfillment_order__order_id",
        "fulfillment_order__location_id",
        "components",
        "quantity",
        "quantity_shipped",
        "quantity_rejected",
        "quantity_cancelled",
    )
    for order_id, location_id, components, qty, shipped, rejected, cancelled in rows:
        open_items = qty - shipped - rejected - cancelled
        for sku, per in (components or {}).items():
            held[order_id][(location_id, int(sku))] += per * open_items
    return held


def fulfillment_orders_created_since(*, location_ids, since: datetime) -> dict[int, int]:
    """How many fulfillment orders each location got since `since` (sourcing's capacity)."""
    return dict(
        FulfillmentOrder.objects.filter(location_id__in=location_ids, created_at__gte=since)
        .values("location_id")
        .annotate(n=Count("id"))
        .values_list("location_id", "n")
    )


def shipment_read(*, shipment_id: int, scope: Scope = UNRESTRICTED) -> dict:
    """One shipment as its labels need it (`_shipment_data`), or NotFound also when its
    fulfillment order lies outside the caller's reach (shipping's labels, docs/shipping.md)."""
    found = _shipments(scope).filter(pk=shipment_id).first()
    if found is None:
        raise NotFound("shipment", shipment_id)
    return _shipment_data(found)


def shipments_shipped(
    *, location_id: int, start: datetime, end: datetime, scope: Scope = UNRESTRICTED
) -> list[dict]:
    """The shipments that left the location in [start, end), oldest first (a day's labels)."""
    qs = _shipments(scope).filter(
        fulfillment_order__location_id=location_id, shipped_at__gte=start, shipped_at__lt=end
    )
    return [_shipment_data(s) for s in qs.order_by("shipped_at", "id")]


def _shipments(scope: Scope) -> QuerySet[Shipment]:
    reached = FulfillmentOrder.objects.filter(fulfillment_scope_q(scope)).values("pk")
    return Shipment.objects.filter(fulfillment_order__in=reached).select_related(
        "fulfillment_order__order", "fulfillment_order__location"
    )


def _shipment_data(s: Shipment) -> dict:
    fo = s.fulfillment_order
    place = fo.location
    return {
        "id": s.pk,
        "fulfillment_order_id": fo.pk,
        "order_id": fo.order_id,
        "order_external_id": fo.order.external_id,
        "carrier": s.carrier,
        "service": s.service,
        "tracking_numbers": list(s.tracking_numbers),
        "packages": list(s.packages),
        "shipped_at": s.shipped_at,
        "shipping_address": dict(fo.order.shipping_address or {}),
        "location": location_address(place),
    }
