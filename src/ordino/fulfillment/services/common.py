"""What every fulfillment use case shares: loading a fulfillment order within the caller's
reach, moving it between states with a compare-and-set, closing lines, and telling its order
what happened (fulfillment/ports.py: the order keeps its own tables in step)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F

from ordino.core.domain.errors import Conflict, NotFound
from ordino.core.domain.scope import UNRESTRICTED, WORK, Scope
from ordino.fulfillment.domain import status as fs
from ordino.fulfillment.domain.status import fo_transition
from ordino.fulfillment.models import FulfillmentLine, FulfillmentOrder
from ordino.fulfillment.placement import components_of
from ordino.fulfillment.ports import LineMove, OrderNews, order_held_because, order_tell
from ordino.fulfillment.selectors import fulfillment_scope_q


@dataclass
class Loaded:
    fo: FulfillmentOrder
    lines: list[FulfillmentLine]  # with their order lines (read through the key: line numbers)

    def line_no(self, fl: FulfillmentLine) -> int:
        return fl.order_line.line_no

    def fl_by_line_no(self, line_no: int) -> FulfillmentLine | None:
        return next((fl for fl in self.lines if self.line_no(fl) == line_no), None)


def fo_load(*, fo_id: int, scope: Scope = UNRESTRICTED, reach: str = WORK) -> Loaded:
    """The fulfillment order, if the caller reaches it for this kind of step (`WORK` at its
    location, `HAND_OVER` at the pickup location); else NotFound, as if it did not exist."""
    fo = (
        FulfillmentOrder.objects.filter(fulfillment_scope_q(scope, reach), pk=fo_id)
        .select_related("order", "location")
        .first()
    )
    if fo is None:
        raise NotFound("fulfillment_order", fo_id)
    lines = list(
        FulfillmentLine.objects.filter(fulfillment_order=fo)
        .select_related("order_line")
        .order_by("id")
    )
    return Loaded(fo=fo, lines=lines)


# Work that leaves `on_hold` for these starts again: not while the order itself is held.
_RESTARTS = frozenset({fs.OPEN, fs.ACCEPTED, fs.PICKING, fs.PACKED, fs.SHIPPED,
                       fs.READY_FOR_PICKUP})  # fmt: skip
_resuming: ContextVar[bool] = ContextVar("held_work_resuming", default=False)


@contextmanager
def held_work_resuming() -> Iterator[None]:
    """Holds give the work they stopped back (their last hold went, or an edit changes it)."""
    token = _resuming.set(True)
    try:
        yield
    finally:
        _resuming.reset(token)


def fo_move(fo: FulfillmentOrder, target: str, now: datetime, **fields) -> None:
    """Change the status through the state table; lose to a concurrent change with a 409. Work
    on hold does not start again while its order is held (docs/holds.md): 409 `order_held`."""
    if fo.status == fs.ON_HOLD and target in _RESTARTS and not _resuming.get():
        why = order_held_because(order_id=fo.order_id)
        if why:
            raise Conflict(
                "order_held",
                f"Order {fo.order_id} is held ({why}): its holds are released first.",
            )
    target = fo_transition(fo.status, target)
    updated = FulfillmentOrder.objects.filter(pk=fo.pk, version=fo.version).update(
        status=target, version=F("version") + 1, updated_at=now, **fields
    )
    if not updated:
        raise Conflict("fulfillment_changed", "The fulfillment order changed meanwhile; retry.")
    fo.status, fo.version, fo.updated_at = target, fo.version + 1, now
    for name, value in fields.items():
        setattr(fo, name, value)


def fo_stamp(fo: FulfillmentOrder, now: datetime, **fields) -> None:
    """Record fields of a fulfillment order whose status stays; a concurrent change is a 409."""
    updated = FulfillmentOrder.objects.filter(pk=fo.pk, version=fo.version).update(
        version=F("version") + 1, updated_at=now, **fields
    )
    if not updated:
        raise Conflict("fulfillment_changed", "The fulfillment order changed meanwhile; retry.")
    fo.version, fo.updated_at = fo.version + 1, now
    for name, value in fields.items():
        setattr(fo, name, value)


def fl_close(fl: FulfillmentLine, *, shipped: int = 0, rejected: int = 0) -> None:
    """Count items of a line shipped or rejected; a concurrent change is a 409."""
    items = shipped + rejected
    updated = FulfillmentLine.objects.filter(
        pk=fl.pk,
        quantity__gte=F("quantity_shipped")
        + F("quantity_rejected")
        + F("quantity_cancelled")
        + items,
    ).update(
        quantity_shipped=F("quantity_shipped") + shipped,
        quantity_rejected=F("quantity_rejected") + rejected,
    )
    if not updated:
        raise Conflict("fulfillment_changed", "The fulfillment order changed meanwhile; retry.")
    fl.quantity_shipped += shipped
    fl.quantity_rejected += rejected


def lines_close(
    loaded: Loaded, wanted: dict[int, int], *, shipped: bool
) -> tuple[dict[int, int], list[dict]]:
    """Count `wanted` items (by fulfillment line id) shipped or rejected. Returns the component
    units they free, by SKU, and the (line number, items) pairs closed."""
    by_id = {fl.pk: fl for fl in loaded.lines}
    units: dict[int, int] = {}
    closed = []
    for fl_id, items in wanted.items():
        fl = by_id[fl_id]
        fl_close(fl, shipped=items if shipped else 0, rejected=0 if shipped else items)
        for sku, per in components_of(fl).items():
            units[sku] = units.get(sku, 0) + per * items
        closed.append({"line_no": loaded.line_no(fl), "quantity": items})
    return units, closed


def order_tell_moved(
    loaded: Loaded,
    *,
    kind: str,
    message: str,
    data: dict,
    actor: str,
    now,
    moves: dict[int, dict[str, int]] | None = None,
    reroute: dict[int, int] | None = None,
) -> dict:
    """Tell the order what this location did: `moves` by fulfillment line id (bucket → items),
    `reroute`: rejected items by fulfillment line id. Returns the order's answer."""
    by_id = {fl.pk: fl for fl in loaded.lines}
    news = OrderNews(
        order_id=loaded.fo.order_id,
        kind=kind,
        message=message,
        data=data,
        actor=actor,
        now=now,
        moves=tuple(
            LineMove(by_id[fl_id].order_line_id, tuple(deltas.items()))
            for fl_id, deltas in (moves or {}).items()
        ),
        reroute=tuple((by_id[fl_id].order_line_id, q) for fl_id, q in (reroute or {}).items()),
    )
    return order_tell(news)
