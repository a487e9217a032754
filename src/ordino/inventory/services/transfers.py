"""Use cases of stock transfers between locations: send (units leave the source and are incoming
at the destination) and receive (in full or in part; a conditional update, so two receipts
racing for the last units cannot both succeed).
"""

from __future__ import annotations

from django.db.models import F

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.core.transactions import use_case_atomic
from ordino.inventory import events, selectors
from ordino.inventory.domain import operations as ops
from ordino.inventory.domain.ledger import AVAILABLE, EXTERNAL, INCOMING, Movement
from ordino.inventory.ledger import LedgerContext, movements_apply
from ordino.inventory.models import StockTransfer
from ordino.inventory.services.changes import StockChange, change_finish


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
    with use_case_atomic():
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
        return change_finish(
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
    with use_case_atomic():
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
        return change_finish(
            event=events.StockTransferReceived,
            pairs=[(transfer.destination_id, transfer.sku_id)],
            movements=movements,
            transfer=transfer,
        )
