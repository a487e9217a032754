"""Orders collected at a store: ready for pickup, picked up, or not collected in time."""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta

from django.conf import settings

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.core.domain.scope import HAND_OVER, UNRESTRICTED, Scope
from ordino.core.transactions import use_case_atomic
from ordino.fulfillment.domain import status as fs
from ordino.fulfillment.models import FulfillmentOrder
from ordino.fulfillment.placement import components_of
from ordino.fulfillment.services.common import fl_close, fo_load, fo_move, order_tell_moved
from ordino.inventory.domain.ledger import AVAILABLE, COMMITTED, EXTERNAL, Movement
from ordino.inventory.ledger import LedgerContext, movements_apply

PICKUP_METHODS = frozenset({"pickup", "ship_to_store"})
PICKUP_CODE_DIGITS = 6


def pickup_code_new() -> str:
    """A random code of six digits: short enough to read out at the counter, and a guess at
    the counter has one chance in a million (the API's rate limit bounds guessing)."""
    return f"{secrets.randbelow(10**PICKUP_CODE_DIGITS):0{PICKUP_CODE_DIGITS}d}"


def pickup_code_check(fo: FulfillmentOrder, given: str) -> None:
    """The customer's code must match the one issued when the order became ready."""
    if not fo.pickup_code or not hmac.compare_digest(fo.pickup_code, (given or "").strip()):
        raise DomainError(
            "pickup_code_mismatch",
            "The pickup code does not match this order; ask the customer for the code in "
            "their ready-for-pickup notice.",
            field="pickup_code",
        )


def fulfillment_ready_for_pickup(
    *,
    fo_id: int,
    actor: str,
    pickup_days: int | None = None,
    scope: Scope = UNRESTRICTED,
) -> FulfillmentOrder:
    """The customer can come: collected within `pickup_days` (default ORDINO_PICKUP_DAYS)."""
    days = pickup_days if pickup_days is not None else settings.ORDINO_PICKUP_DAYS
    if days < 1:
        raise DomainError("invalid_pickup_days", "Allow at least one day.", field="pickup_days")
    with use_case_atomic():
        loaded = fo_load(fo_id=fo_id, scope=scope, reach=HAND_OVER)
        if loaded.fo.delivery_method not in PICKUP_METHODS:
            raise DomainError(
                "not_a_pickup", "This fulfillment order ships to the customer.", status=409
            )
        if not _at_the_counter_store(loaded.fo):
            raise DomainError(
                "not_arrived",
                "A ship-to-store order is ready for pickup once it has been shipped to the store.",
                status=409,
            )
        now = utcnow()
        deadline = now + timedelta(days=days)
        code = pickup_code_new()
        fo_move(
            loaded.fo,
            fs.READY_FOR_PICKUP,
            now,
            ready_at=now,
            pickup_deadline=deadline,
            pickup_code=code,
        )
        # The message is what the customer's notice says: where, until when, and the code.
        order_tell_moved(
            loaded,
            actor=actor,
            now=now,
            kind="ready_for_pickup",
            message=f"Ready for pickup until {deadline:%Y-%m-%d}; pickup code {code}.",
            data={
                "fulfillment_order_id": fo_id,
                "pickup_deadline": deadline.isoformat(),
                "pickup_code": code,
            },
        )
        return loaded.fo


def _at_the_counter_store(fo: FulfillmentOrder) -> bool:
    """Are the items at the store that hands them over? A pickup is served from the store's
    shelves; a ship-to-store order once shipped there, or when the store itself held the stock
    (sourcing may choose the pickup store as the shipping location)."""
    if fo.delivery_method == "pickup" or fo.status == fs.SHIPPED:
        return True
    return fo.location_id == fo.order.pickup_location_id


def fulfillment_picked_up(
    *, fo_id: int, pickup_code: str, actor: str, scope: Scope = UNRESTRICTED
) -> FulfillmentOrder:
    """Handed over at the counter, to the customer who shows the pickup code: the order's
    items are delivered (and, for an order picked from the store's own shelves, leave the
    store's stock now)."""
    with use_case_atomic():
        loaded = fo_load(fo_id=fo_id, scope=scope, reach=HAND_OVER)
        fo = loaded.fo
        if fo.status != fs.READY_FOR_PICKUP:
            raise DomainError("not_ready", "This order is not waiting at the counter.", status=409)
        pickup_code_check(fo, pickup_code)
        now = utcnow()
        units: dict[int, int] = {}
        moves: dict[int, dict[str, int]] = {}
        for fl in loaded.lines:
            items = fl.open
            if items:  # picked from this store's shelves: it leaves stock only now
                fl_close(fl, shipped=items)
                moves[fl.pk] = {"allocated": -items, "shipped": items}
                for sku, per in components_of(fl).items():
                    units[sku] = units.get(sku, 0) + per * items
            if fl.quantity_shipped:
                moves.setdefault(fl.pk, {})["delivered"] = fl.quantity_shipped
        if units:
            movements_apply(
                [
                    Movement(fo.location_id, sku, COMMITTED, EXTERNAL, q)
                    for sku, q in sorted(units.items())
                ],
                context=LedgerContext(
                    reason="pickup", actor=actor, reference=f"order:{fo.order_id}"
                ),
            )
        fo_move(fo, fs.PICKED_UP, now, closed_at=now)
        order_tell_moved(
            loaded,
            moves=moves,
            actor=actor,
            now=now,
            kind="picked_up",
            message=f"Picked up at {fo.location.code}.",
            data={"fulfillment_order_id": fo.pk},
        )
        return fo


def pickups_overdue(*, now: datetime) -> list[int]:
    """The fulfillment orders waiting at a counter past their pickup deadline."""
    return list(
        FulfillmentOrder.objects.filter(
            status=fs.READY_FOR_PICKUP, pickup_deadline__lt=now
        ).values_list("pk", flat=True)
    )


def fulfillment_pickup_expire(*, fo_id: int, actor: str, now: datetime) -> None:
    """Not collected in time (the order has cancelled what was still open here): what was
    shipped to the store goes onto its shelves, and the fulfillment order is cancelled.
    Runs inside the order's expiry (orders/services/pickups.py)."""
    loaded = fo_load(fo_id=fo_id)
    fo = loaded.fo
    restock: dict[int, int] = {}
    moves: dict[int, dict[str, int]] = {}
    for fl in loaded.lines:
        if fl.quantity_shipped:  # shipped to the store: it goes onto the store's shelves
            moves[fl.pk] = {"returned": fl.quantity_shipped}
            for sku, per in components_of(fl).items():
                restock[sku] = restock.get(sku, 0) + per * fl.quantity_shipped
    if restock:
        store = fo.order.pickup_location_id or fo.location_id
        movements_apply(
            [Movement(store, sku, EXTERNAL, AVAILABLE, q) for sku, q in sorted(restock.items())],
            context=LedgerContext(
                reason="uncollected_restock", actor=actor, reference=f"order:{fo.order_id}"
            ),
        )
    if fo.status == fs.READY_FOR_PICKUP:
        fo_move(fo, fs.CANCELLED, now, closed_at=now)
    order_tell_moved(
        loaded,
        moves=moves,
        actor=actor,
        now=now,
        kind="pickup_expired",
        message=f"Not collected at {fo.location.code} in time; cancelled and restocked.",
        data={"fulfillment_order_id": fo.pk},
    )
