"""Use cases of inventory. Each one is a set of ledger movements with a reason, an actor and a
reference, applied through `inventory.ledger` (the one place that changes balances) inside one
transaction, with an outbox event. A refused call raises a DomainError and changes nothing.

Transactions are `atomic()`, not `durable=True`: the API's idempotency layer may already hold an
outer transaction that also stores the response.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F

from ordino.catalog.models import Sku
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.events.services import event_emit
from ordino.inventory import events, selectors
from ordino.inventory.domain import operations as ops
from ordino.inventory.domain.ledger import (
    AVAILABLE,
    EXTERNAL,
    INCOMING,
    UNAVAILABLE,
    Movement,
    Quantities,
)
from ordino.inventory.ledger import (
    LedgerContext,
    balances_overwrite,
    movement_apply_observed,
    movements_apply,
)
from ordino.inventory.models import StockBalance, StockMovement, StockTransfer
from ordino.locations.models import Location


@dataclass(frozen=True)
class StockChange:
    """What a use case did: the balances as they are now, and the ledger rows it wrote."""

    balances: list[StockBalance]
    movements: list[StockMovement]
    transfer: StockTransfer | None = None

    @property
    def movement_ids(self) -> list[int]:
        return [m.id for m in self.movements]


def _apply(
    *,
    location_id: int,
    sku_id: int,
    steps: list[tuple[str, str, int]],
    reason: str,
    actor: str,
    reference: str,
    note: str,
    event: type[events.StockChanged],
    respect_safety: bool = False,
    guarded: bool = True,
) -> StockChange:
    movements = movements_apply(
        [Movement(location_id, sku_id, *step) for step in steps],
        context=LedgerContext(reason=reason, actor=actor, reference=reference, note=note),
        respect_safety=respect_safety,
        guarded=guarded,
    )
    return _done(event=event, pairs=[(location_id, sku_id)], movements=movements)


def _done(
    *,
    event: type[events.StockChanged],
    pairs: list[tuple[int, int]],
    movements: list[StockMovement],
    transfer: StockTransfer | None = None,
) -> StockChange:
    balances = selectors.balances_of(pairs)
    if movements:
        event_emit(
            event=event(
                reason=movements[0].reason,
                reference=movements[0].reference,
                movement_ids=[m.id for m in movements],
                balances=[
                    events.Balance(
                        location=b.location.code,
                        sku=b.sku.code,
                        on_hand=b.on_hand,
                        available=b.available,
                    )
                    for b in balances
                ],
            ),
            aggregate_type="stock_transfer" if transfer else "stock_balance",
            aggregate_id=transfer.id if transfer else balances[0].id,
        )
    return StockChange(balances=balances, movements=movements, transfer=transfer)


def _target(location_code: str, sku_code: str) -> tuple[int, int]:
    location = selectors.location_get(code=location_code)
    sku = selectors.sku_get_stockable(code=sku_code)
    return location.id, sku.id


def _move(
    *,
    location_code: str,
    sku_code: str,
    step: tuple[str, str, int],
    reason: str,
    event: type[events.StockChanged],
    actor: str,
    reference: str,
    note: str,
) -> StockChange:
    """One movement of one SKU at one location, by their codes: the common case of the use
    cases below."""
    with transaction.atomic():
        location_id, sku_id = _target(location_code, sku_code)
        return _apply(
            location_id=location_id,
            sku_id=sku_id,
            steps=[step],
            reason=reason,
            actor=actor,
            reference=reference,
            note=note,
            event=event,
        )


def stock_receive(
    *,
    location_code: str,
    sku_code: str,
    quantity: int,
    actor: str,
    reference: str = "",
    note: str = "",
    expected: bool = False,
) -> StockChange:
    """Goods arrived: `quantity` units become available. With `expected`, they were announced
    by stock_incoming_expect (a purchase order) and leave `incoming`."""
    step = ops.receipt_step(quantity=quantity, expected=expected)
    return _move(
        location_code=location_code,
        sku_code=sku_code,
        step=step,
        reason=ops.RECEIPT,
        event=events.StockReceived,
        actor=actor,
        reference=reference,
        note=note,
    )


def stock_incoming_expect(
    *,
    location_code: str,
    sku_code: str,
    quantity: int,
    actor: str,
    reference: str = "",
    note: str = "",
) -> StockChange:
    """Goods are on their way (a purchase order): counted as incoming until received."""
    ops.quantity_check(quantity)
    return _move(
        location_code=location_code,
        sku_code=sku_code,
        step=(EXTERNAL, INCOMING, quantity),
        reason=ops.INCOMING_EXPECTED,
        event=events.StockIncomingExpected,
        actor=actor,
        reference=reference,
        note=note,
    )


def stock_incoming_cancel(
    *,
    location_code: str,
    sku_code: str,
    quantity: int,
    actor: str,
    reference: str = "",
    note: str = "",
) -> StockChange:
    """Expected goods will not come (a purchase order line was cut)."""
    ops.quantity_check(quantity)
    return _move(
        location_code=location_code,
        sku_code=sku_code,
        step=(INCOMING, EXTERNAL, quantity),
        reason=ops.INCOMING_CANCELLED,
        event=events.StockIncomingCancelled,
        actor=actor,
        reference=reference,
        note=note,
    )


def stock_adjust(
    *,
    location_code: str,
    sku_code: str,
    delta: int,
    reason: str,
    actor: str,
    reference: str = "",
    note: str = "",
) -> StockChange:
    """A manual correction with a reason: + units found, − units lost, stolen or expired.
    A removal takes available units only: it never touches committed or unavailable stock."""
    step = ops.adjustment_step(delta=delta, reason=reason)
    try:
        return _move(
            location_code=location_code,
            sku_code=sku_code,
            step=step,
            reason=reason,
            event=events.StockAdjusted,
            actor=actor,
            reference=reference,
            note=note,
        )
    except DomainError as exc:
        if exc.code == "balance_too_large":  # the units came as `delta`
            exc.errors = [{**e, "field": "delta"} for e in exc.errors]
        raise


def stock_count(
    *,
    location_code: str,
    sku_code: str,
    counted: int,
    actor: str,
    reference: str = "",
    note: str = "",
) -> StockChange:
    """A cycle count: on hand becomes what was counted (the difference is one movement, none when
    the count matches). Refused below what is committed plus unavailable."""
    ops.quantity_check(counted, field="counted", allow_zero=True)
    with transaction.atomic():
        location_id, sku_id = _target(location_code, sku_code)
        _, movements = movement_apply_observed(
            location_id=location_id,
            sku_id=sku_id,
            plan=lambda current: ops.count_step(current, counted),
            context=LedgerContext(reason=ops.COUNT, actor=actor, reference=reference, note=note),
        )
        return _done(event=events.StockCounted, pairs=[(location_id, sku_id)], movements=movements)


def stock_safety_set(
    *,
    location_code: str,
    sku_code: str,
    quantity: int,
    actor: str,
    reference: str = "",
    note: str = "",
) -> StockChange:
    """Hold `quantity` units back from sale at this location (0 removes the safety stock).
    A policy, not a physical quantity: it may exceed what is on hand."""
    ops.quantity_check(quantity, allow_zero=True)
    with transaction.atomic():
        location_id, sku_id = _target(location_code, sku_code)
        _, movements = movement_apply_observed(
            location_id=location_id,
            sku_id=sku_id,
            plan=lambda current: ops.safety_step(current, quantity),
            context=LedgerContext(
                reason=ops.SAFETY_STOCK, actor=actor, reference=reference, note=note
            ),
        )
        return _done(
            event=events.SafetyStockSet, pairs=[(location_id, sku_id)], movements=movements
        )


def stock_damage_mark(
    *,
    location_code: str,
    sku_code: str,
    quantity: int,
    actor: str,
    reference: str = "",
    note: str = "",
) -> StockChange:
    """Available units found damaged (or put on quality hold): on hand, but not sellable."""
    ops.quantity_check(quantity)
    return _move(
        location_code=location_code,
        sku_code=sku_code,
        step=(AVAILABLE, UNAVAILABLE, quantity),
        reason=ops.DAMAGED,
        event=events.StockDamaged,
        actor=actor,
        reference=reference,
        note=note,
    )


def stock_damage_writeoff(
    *,
    location_code: str,
    sku_code: str,
    quantity: int,
    actor: str,
    reference: str = "",
    note: str = "",
) -> StockChange:
    """Unavailable units leave the building (destroyed, returned to the supplier)."""
    ops.quantity_check(quantity)
    return _move(
        location_code=location_code,
        sku_code=sku_code,
        step=(UNAVAILABLE, EXTERNAL, quantity),
        reason=ops.WRITE_OFF,
        event=events.StockWrittenOff,
        actor=actor,
        reference=reference,
        note=note,
    )


def stock_release_unavailable(
    *,
    location_code: str,
    sku_code: str,
    quantity: int,
    actor: str,
    reference: str = "",
    note: str = "",
) -> StockChange:
    """Unavailable units are sellable again (a quality hold lifted, a repair)."""
    ops.quantity_check(quantity)
    return _move(
        location_code=location_code,
        sku_code=sku_code,
        step=(UNAVAILABLE, AVAILABLE, quantity),
        reason=ops.RELEASED,
        event=events.StockReleased,
        actor=actor,
        reference=reference,
        note=note,
    )


def stock_transfer_send(
    *,
    source_code: str,
    destination_code: str,
    sku_code: str,
    quantity: int,
    actor: str,
    reference: str = "",
    note: str = "",
) -> StockChange:
    """Ship units to another location: they leave the source's available stock now and count as
    incoming at the destination until it receives them (stock_transfer_receive)."""
    ops.quantity_check(quantity)
    if source_code == destination_code:
        raise DomainError(
            "transfer_same_location",
            "A transfer needs two different locations.",
            field="destination",
        )
    with transaction.atomic():
        source = selectors.location_get(code=source_code)
        destination = selectors.location_get(code=destination_code)
        sku = selectors.sku_get_stockable(code=sku_code)
        transfer = StockTransfer.objects.create(
            source=source,
            destination=destination,
            sku=sku,
            quantity=quantity,
            reference=reference,
            created_at=utcnow(),
        )
        ref = reference or f"transfer:{transfer.id}"
        movements = movements_apply(
            [Movement(source.id, sku.id, AVAILABLE, EXTERNAL, quantity)],
            context=LedgerContext(reason=ops.TRANSFER_OUT, actor=actor, reference=ref, note=note),
        )
        movements += movements_apply(
            [Movement(destination.id, sku.id, EXTERNAL, INCOMING, quantity)],
            context=LedgerContext(
                reason=ops.TRANSFER_IN_TRANSIT, actor=actor, reference=ref, note=note
            ),
        )
        return _done(
            event=events.StockTransferSent,
            pairs=[(source.id, sku.id), (destination.id, sku.id)],
            movements=movements,
            transfer=transfer,
        )


def stock_transfer_receive(
    *,
    transfer_id: int,
    actor: str,
    quantity: int | None = None,
    note: str = "",
) -> StockChange:
    """The destination received units of a transfer (all that is in transit when `quantity` is
    None; a partial receipt otherwise). The transfer is `received` once every unit arrived."""
    if quantity is not None:
        ops.quantity_check(quantity)
    with transaction.atomic():
        transfer = selectors.transfer_get(transfer_id=transfer_id)
        receiving = ops.transfer_receive_check(
            quantity=transfer.quantity,
            received=transfer.quantity_received,
            receiving=quantity
            if quantity is not None
            else transfer.quantity - transfer.quantity_received,
        )
        # A conditional update: two receipts racing for the last units cannot both succeed.
        now = utcnow()
        taken = StockTransfer.objects.filter(
            pk=transfer.pk, quantity_received__lte=transfer.quantity - receiving
        ).update(quantity_received=F("quantity_received") + receiving, received_at=now)
        if taken != 1:
            raise DomainError(
                "transfer_changed",
                "This transfer was received by someone else meanwhile; reload and retry.",
                status=409,
            )
        StockTransfer.objects.filter(pk=transfer.pk, quantity_received=F("quantity")).update(
            status=StockTransfer.RECEIVED
        )
        movements = movements_apply(
            [Movement(transfer.destination_id, transfer.sku_id, INCOMING, AVAILABLE, receiving)],
            context=LedgerContext(
                reason=ops.TRANSFER_IN,
                actor=actor,
                reference=transfer.reference or f"transfer:{transfer.id}",
                note=note,
            ),
        )
        transfer.refresh_from_db()
        return _done(
            event=events.StockTransferReceived,
            pairs=[(transfer.destination_id, transfer.sku_id)],
            movements=movements,
            transfer=transfer,
        )


# --- the ledger check ------------------------------------------------------------------------


@dataclass(frozen=True)
class InventoryCheck:
    checked: int  # balances compared
    differences: list[ops.BalanceDifference] = field(default_factory=list)
    location_codes: dict[int, str] = field(default_factory=dict)
    sku_codes: dict[int, str] = field(default_factory=dict)
    repaired: bool = False

    @property
    def ok(self) -> bool:
        return not self.differences


def inventory_check() -> InventoryCheck:
    """Rebuild every balance from the ledger and compare it with the stored balances.
    Read-only; run it any time (the two reads are taken in one transaction)."""
    with transaction.atomic():
        ledger = selectors.ledger_balances()
        stored = selectors.stored_balances()
    return _check_result(stored, ledger, repaired=False)


def inventory_repair() -> InventoryCheck:
    """Rewrite every differing balance from the ledger (the ledger is the truth). Stop writers
    first: a sale between the projection and the rewrite would be lost from the balance."""
    with transaction.atomic():
        ledger = selectors.ledger_balances()
        stored = selectors.stored_balances()
        result = _check_result(stored, ledger, repaired=True)
        balances_overwrite({(d.location_id, d.sku_id): d.ledger for d in result.differences})
    return result


def _check_result(
    stored: dict[tuple[int, int], Quantities],
    ledger: dict[tuple[int, int], Quantities],
    *,
    repaired: bool,
) -> InventoryCheck:
    differences = ops.balances_compare(stored, ledger)
    location_ids = {d.location_id for d in differences}
    sku_ids = {d.sku_id for d in differences}
    return InventoryCheck(
        checked=len(stored.keys() | ledger.keys()),
        differences=differences,
        location_codes=dict(Location.objects.filter(id__in=location_ids).values_list("id", "code")),
        sku_codes=dict(Sku.objects.filter(id__in=sku_ids).values_list("id", "code")),
        repaired=repaired and bool(differences),
    )
