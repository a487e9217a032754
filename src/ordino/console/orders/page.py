"""What the order page shows, read in a fixed number of queries whatever the order's size (the
budget: tests/perf/test_order_page_queries.py): the order and its customer, lines, fulfillment
orders with their lines and shipments, the sourcing decisions, the timeline and the change
records. Pure reads through the modules' selectors and tables; nothing here writes."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.timezone import localtime

from ordino.core.domain.display import status_word
from ordino.core.domain.scope import Scope
from ordino.fulfillment.models import FulfillmentLine, FulfillmentOrder, Shipment
from ordino.locations.models import Location
from ordino.orders.models import Order, OrderChange, OrderLine, OrderTimelineEntry
from ordino.orders.selectors import order_get
from ordino.shipping.domain.tracking_links import tracking_url
from ordino.sourcing.selectors import decisions_of_order


@dataclass
class FulfillmentView:
    fo: FulfillmentOrder
    lines: list[dict] = field(default_factory=list)
    shipments: list[dict] = field(default_factory=list)


@dataclass
class OrderPage:
    order: Order
    lines: list[OrderLine]
    fulfillments: list[FulfillmentView]
    decisions: list[dict] | None  # None: not for a user limited to locations
    timeline: SafeString  # the rows, as list items
    changes: list[OrderChange]


def order_page_read(*, order_id: int, scope: Scope) -> OrderPage:
    """Everything the page shows; NotFound when the order lies outside `scope`."""
    order = order_get(order_id=order_id, scope=scope)
    lines = list(OrderLine.objects.filter(order_id=order.pk).order_by("line_no"))
    return OrderPage(
        order=order,
        lines=lines,
        fulfillments=_fulfillments(order, lines),
        # a decision ranks every candidate location: not for a location limit (as in the API)
        decisions=_decisions(order.pk) if scope.location_ids is None else None,
        timeline=_timeline(order.pk),
        changes=list(OrderChange.objects.filter(order_id=order.pk).order_by("id")),
    )


def _fulfillments(order: Order, lines: list[OrderLine]) -> list[FulfillmentView]:
    """Fulfillment orders, oldest first, with their lines (by line number) and shipments."""
    views = {
        fo.pk: FulfillmentView(fo)
        for fo in FulfillmentOrder.objects.filter(order_id=order.pk)
        .select_related("location")
        .order_by("id")
    }
    if not views:
        return []
    by_pk = {line.pk: line for line in lines}
    for fl in FulfillmentLine.objects.filter(fulfillment_order_id__in=views).order_by("id"):
        line = by_pk.get(fl.order_line_id)
        views[fl.fulfillment_order_id].lines.append(
            {
                "line_no": line.line_no if line else None,
                "sku": line.sku_code if line else "",
                "name": line.name if line else "",
                "quantity": fl.quantity,
                "open": fl.open,
                "shipped": fl.quantity_shipped,
                "rejected": fl.quantity_rejected,
                "cancelled": fl.quantity_cancelled,
            }
        )
    for shipment in Shipment.objects.filter(fulfillment_order_id__in=views).order_by("id"):
        views[shipment.fulfillment_order_id].shipments.append(_shipment(shipment))
    return list(views.values())


def _shipment(shipment: Shipment) -> dict:
    numbers = [str(n) for n in shipment.tracking_numbers or []]
    return {
        "id": shipment.pk,
        "carrier": shipment.carrier,
        "service": shipment.service,
        "shipped_at": shipment.shipped_at,
        "delivered_at": shipment.delivered_at,
        "tracking": [(n, tracking_url(shipment.carrier, n)) for n in numbers],
    }


def _timeline(order_id: int) -> SafeString:
    """Newest first: an agent reads what happened last. Rendered here, not in the template: a
    template loop with filters costs ~0.3 ms a row, and an order may have hundreds of rows
    (bench/console_order_page.py). A long comment's whole text is in `data["text"]` (the
    message holds its first 500 characters)."""
    rows = OrderTimelineEntry.objects.filter(order_id=order_id).order_by("-id")
    return format_html_join(
        "\n",
        '<li class="{}"><strong>{}</strong> — <span class="op-pre">{}</span>'
        '<div class="op-when">{}{}</div></li>',
        (
            (
                "op-comment" if row.kind == "comment" else "",
                status_word(row.kind),
                ((row.data or {}).get("text") or row.message)
                if row.kind == "comment"
                else row.message,
                _when(row.created_at),
                f" · {row.actor}" if row.actor else "",
            )
            for row in rows.only("kind", "message", "actor", "data", "created_at")
        ),
    )


def _when(at) -> str:
    """ "2 Mar 2026, 09:30" in the console's time zone, as the template's `date:"j M Y, H:i"`
    writes it (django's dateformat costs ten times more, and this runs once per row)."""
    local = localtime(at)
    return f"{local.day} {MONTHS[local.month - 1]} {local:%Y, %H:%M}"


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _decisions(order_id: int) -> list[dict]:
    """The stored sourcing decisions (sourcing's selector), in words: locations by name and
    kind, the explanation's reasons with location codes replaced by names."""
    records = decisions_of_order(order_id=order_id)
    if not records:
        return []
    ids = {
        pick["location_id"]
        for r in records
        for picks in ((r.explanation or {}).get("assignments") or {}).values()
        for pick in picks
    }
    explanations = [(r.explanation or {}).get("explanation") or {} for r in records]
    codes = {
        c.get("code")
        for e in explanations
        for s in e.get("strategies", [])
        for c in s.get("candidates", [])
    }
    places = Location.objects.filter(pk__in=ids) | Location.objects.filter(code__in=codes)
    by_id = {loc.pk: loc for loc in places}
    by_code = {loc.code: loc for loc in by_id.values()}
    return [
        _decision(record, explanation, by_id, by_code)
        for record, explanation in zip(records, explanations, strict=True)
    ]


def _decision(record, explanation: dict, by_id: dict, by_code: dict) -> dict:
    def named(text: str) -> str:
        if not by_code:
            return text
        pattern = r"\b(" + "|".join(re.escape(code) for code in by_code) + r")\b"
        return re.sub(pattern, lambda m: by_code[m.group(1)].name, text)

    shipments: dict[int, int] = defaultdict(int)
    for picks in ((record.explanation or {}).get("assignments") or {}).values():
        for pick in picks:
            shipments[pick["location_id"]] += pick["quantity"]
    return {
        "record": record,
        "summary": named(record.summary),
        "shipments": [
            (
                by_id[loc].name if loc in by_id else f"location {loc}",
                by_id[loc].kind if loc in by_id else "",
                units,
            )
            for loc, units in shipments.items()
        ],
        "backordered": sum(((record.explanation or {}).get("backordered") or {}).values()),
        "reasons": [
            {
                "strategy": s.get("name"),
                "matched": bool(s.get("matched")),
                "candidates": [
                    (
                        by_code[c["code"]].name if c.get("code") in by_code else c.get("code"),
                        bool(c.get("kept")),
                        named(str(c.get("reason", ""))),
                    )
                    for c in s.get("candidates", [])
                ],
                "split": named(str((s.get("split") or {}).get("reason", ""))),
            }
            for s in explanation.get("strategies", [])
        ],
    }
