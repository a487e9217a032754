"""What every inventory use case shares: the StockChange it answers, the lookup of its location
and SKU by code, and how it finishes (re-read the balances, emit the event).

A use case runs in `use_case_atomic()` (docs/architecture.md, "Transactions and concurrency"):
called from the API it joins the request's transaction, which also stores the idempotent
response; called on its own it is one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from ordino.core.transactions import use_case_atomic
from ordino.events.services import event_emit
from ordino.inventory import events, selectors
from ordino.inventory.domain.ledger import Movement
from ordino.inventory.ledger import LedgerContext, movements_apply
from ordino.inventory.models import StockBalance, StockMovement, StockTransfer


@dataclass(frozen=True)
class StockChange:
    """What a use case did: the balances as they are now, and the ledger rows it wrote."""

    balances: list[StockBalance]
    movements: list[StockMovement]
    transfer: StockTransfer | None = None

    @property
    def movement_ids(self) -> list[int]:
        return [m.id for m in self.movements]


def change_finish(
    *,
    event: type[events.StockChanged],
    pairs: list[tuple[int, int]],
    movements: list[StockMovement],
    transfer: StockTransfer | None = None,
) -> StockChange:
    """Re-read the balances of (location_id, sku_id) `pairs` and, when movements were written,
    emit `event` in the same transaction (about the transfer, if there is one)."""
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


def target_ids(location_code: str, sku_code: str) -> tuple[int, int]:
    """The ids of a location and of a SKU that holds stock of its own, by their codes."""
    location = selectors.location_get(code=location_code)
    sku = selectors.sku_get_stockable(code=sku_code)
    return location.id, sku.id


def movement_one(
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
    """One movement (from state, to state, quantity) of one SKU at one location, by their codes:
    the common case of the use cases in `movements.py`."""
    with use_case_atomic():
        location_id, sku_id = target_ids(location_code, sku_code)
        movements = movements_apply(
            [Movement(location_id, sku_id, *step)],
            context=LedgerContext(reason=reason, actor=actor, reference=reference, note=note),
        )
        return change_finish(event=event, pairs=[(location_id, sku_id)], movements=movements)
