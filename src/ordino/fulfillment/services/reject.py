"""A location rejects some or all of its lines: the reason decides what happens to the stock,
and the lines are routed again (never back to this location), or backordered."""

from __future__ import annotations

from dataclasses import replace

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.core.transactions import use_case_atomic
from ordino.fulfillment.domain import status as fs
from ordino.fulfillment.services.common import (
    fo_move,
    fo_stamp,
    lines_close,
    order_tell_moved,
)
from ordino.fulfillment.services.ship import shippable_load, wanted_quantities
from ordino.inventory.domain.ledger import AVAILABLE, COMMITTED, EXTERNAL, UNAVAILABLE, Movement
from ordino.inventory.ledger import LedgerContext, movements_apply
from ordino.inventory.models import StockBalance

# reason → where the rejected units go
REJECT_REASONS = {
    "not_found": EXTERNAL,  # not on the shelf: gone, and the location's free count becomes 0
    "damaged": UNAVAILABLE,  # there but unsellable
    "no_capacity": AVAILABLE,  # there and sellable; this location cannot do it now
    "other": AVAILABLE,
}


def fulfillment_reject(
    *,
    fo_id: int,
    reason: str,
    lines: list[tuple[int, int]] | None = None,
    note: str = "",
    actor: str,
    scope: Scope = UNRESTRICTED,
) -> dict:
    """Reject items (all open ones when `lines` is None). Returns where they went."""
    if reason not in REJECT_REASONS:
        raise DomainError(
            "invalid_reason",
            f"Reason must be one of: {', '.join(REJECT_REASONS)}.",
            field="reason",
        )
    with use_case_atomic():
        loaded = shippable_load(fo_id, scope, code="not_rejectable", verb="reject lines")
        fo = loaded.fo
        wanted = wanted_quantities(loaded, lines, field="lines")
        now = utcnow()
        units, rejected = lines_close(loaded, wanted, shipped=False)
        context = LedgerContext(
            reason=f"reject_{reason}", actor=actor, reference=f"order:{fo.order_id}", note=note
        )
        movements_apply(
            [
                Movement(fo.location_id, sku, COMMITTED, REJECT_REASONS[reason], qty)
                for sku, qty in sorted(units.items())
            ],
            context=context,
        )
        if reason == "not_found":
            _free_stock_write_off(fo.location_id, sorted(units), context)
        if not any(fl.open for fl in loaded.lines):
            shipped = any(fl.quantity_shipped for fl in loaded.lines)
            fo_move(fo, fs.SHIPPED if shipped else fs.REJECTED, now, closed_at=now, rejected_at=now)
        else:
            fo_stamp(fo, now, rejected_at=now)

        outcome = {
            "fulfillment_order_id": fo.pk,
            "reason": reason,
            "rejected": rejected,
        }
        # The order moves the items to backordered and places them elsewhere if it can.
        outcome |= order_tell_moved(
            loaded,
            moves={i: {"allocated": -q, "backordered": q} for i, q in wanted.items()},
            reroute=wanted,
            actor=actor,
            now=now,
            kind="rejected",
            message=f"{fo.location.code} rejected {sum(wanted.values())} item(s) "
            f"({reason.replace('_', ' ')})",
            data=outcome,
        )
        return outcome


def _free_stock_write_off(location_id: int, sku_ids: list[int], context: LedgerContext) -> None:
    """'Not found' means the shelf is empty: what is not promised to other orders is gone too.
    (Units other orders hold stay committed; their locations will reject them in turn.)"""
    rows = StockBalance.objects.filter(location_id=location_id, sku_id__in=sku_ids).values_list(
        "sku_id", "on_hand", "committed", "unavailable"
    )
    gone = [
        Movement(location_id, sku, AVAILABLE, EXTERNAL, on_hand - committed - unavailable)
        for sku, on_hand, committed, unavailable in rows
        if on_hand - committed - unavailable > 0
    ]
    if gone:
        movements_apply(gone, context=replace(context, reason="count_not_found"))
