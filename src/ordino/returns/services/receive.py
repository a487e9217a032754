"""Receiving a return at its location: each unit gets one disposition, and in the same
transaction its fate in stock, the order's `returned` bucket and the refund decision
(docs/returns.md, "Dispositions"):

- restock: received into the location's available stock (`stock_receive`);
- damaged: received, then marked damaged (`stock_damage_mark`: on hand, unavailable);
- needs_processing: received, then put on quality hold (the same unavailable state);
- missing: not in the parcel: no movement, not returned, no refund.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db.models import F

from ordino.catalog.selectors import skus_consumption
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import Conflict
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.core.transactions import use_case_atomic
from ordino.inventory.services import stock_damage_mark, stock_receive
from ordino.orders.models import OrderLine
from ordino.orders.selectors import money_str
from ordino.orders.services import ReturnedLine, order_lines_return
from ordino.returns import selectors
from ordino.returns.commands import ReceiveReturn
from ordino.returns.domain import dispositions as dp
from ordino.returns.domain import states
from ordino.returns.domain.exchange import receipt_refund
from ordino.returns.events import ReturnReceived
from ordino.returns.models import Return, ReturnLine, ReturnShipment
from ordino.returns.services.record import return_record, return_update


def return_receive(*, command: ReceiveReturn, scope: Scope = UNRESTRICTED) -> Return:
    """Record what came back of an open return, unit by unit (see the module's docstring)."""
    received = [
        dp.Received(
            item.line_no,
            {
                dp.RESTOCK: item.restock,
                dp.DAMAGED: item.damaged,
                dp.NEEDS_PROCESSING: item.needs_processing,
                dp.MISSING: item.missing,
            },
        )
        for item in command.lines
    ]
    with use_case_atomic():
        ret = selectors.return_get(return_id=command.return_id, scope=scope)
        states.receive_check(ret.state)
        lines = {line.line_no: line for line in ReturnLine.objects.filter(ret=ret)}
        dp.receive_check(
            outstanding={no: line.quantity - line.received for no, line in lines.items()},
            received=received,
        )
        now = utcnow()
        outstanding = sum(line.quantity - line.received for line in lines.values())
        outstanding -= sum(r.units for r in received)
        ret = return_update(ret, now=now, received_at=now)  # first: concurrent receipts queue
        order_lines = {ol.line_no: ol for ol in OrderLine.objects.filter(order_id=ret.order_id)}
        _stock_move(ret, order_lines, received, command.actor)
        decided = _lines_decide(ret, lines, order_lines, received)
        returned = [r for r in decided if r.quantity]
        if returned:
            order_lines_return(
                order_id=ret.order_id,
                lines=returned,
                reference=f"return:{ret.number}",
                actor=command.actor,
                now=now,
                message=f"Return {ret.number}: {sum(r.quantity for r in returned)} unit(s) "
                "came back.",
            )
        _shipment_receive(ret, now, done=outstanding == 0)
        decided_before = sum((line.refund_total for line in lines.values()), Decimal(0))
        _record(ret, received, decided, decided_before, command.actor, now)
        return ret


def _stock_move(ret: Return, order_lines: dict, received: list[dp.Received], actor: str) -> None:
    """Receive every returned unit at the return's location (a kit: its components, as sold),
    then set the damaged and held ones aside. Balances are changed in SKU order."""
    wanted: dict[int, dict[str, int]] = {}  # sku id → disposition → units
    for item in received:
        components = order_lines[item.line_no].components or {}
        for sku_id, per in components.items():
            counts = wanted.setdefault(int(sku_id), dict.fromkeys(dp.RETURNED, 0))
            for name in dp.RETURNED:
                counts[name] += item.counts.get(name, 0) * int(per)
    codes = {s.id: s.code for s in skus_consumption(ids=list(wanted), active_only=False)}
    where, reference = ret.location.code, f"return:{ret.number}"
    for sku_id in sorted(wanted):
        counts = wanted[sku_id]
        units = sum(counts.values())
        if not units:
            continue
        stock_receive(
            location_code=where,
            sku_code=codes[sku_id],
            quantity=units,
            actor=actor,
            reference=reference,
            note="returned",
        )
        for name, note in (
            (dp.DAMAGED, "returned damaged"),
            (dp.NEEDS_PROCESSING, "returned: quality hold"),
        ):
            if counts[name]:
                stock_damage_mark(
                    location_code=where,
                    sku_code=codes[sku_id],
                    quantity=counts[name],
                    actor=actor,
                    reference=reference,
                    note=note,
                )


def _lines_decide(
    ret: Return, lines: dict[int, ReturnLine], order_lines: dict, received: list[dp.Received]
) -> list[ReturnedLine]:
    """Each line's dispositions and refund decision, added to what it held (guarded: never
    more received than requested)."""
    decided = []
    currency = ret.order.currency
    for item in received:
        line, sold = lines[item.line_no], order_lines[item.line_no]
        money = dp.LineMoney(
            sold.total, sold.tax, sold.quantity_ordered, currency, sold.quantity_cancelled
        )
        total, tax = dp.refund_decision(
            money, returned_before=sold.quantity_returned, units=item.returned
        )
        updated = ReturnLine.objects.filter(
            pk=line.pk,
            quantity__gte=F("quantity_restocked")
            + F("quantity_damaged")
            + F("quantity_needs_processing")
            + F("quantity_missing")
            + item.units,
        ).update(
            quantity_restocked=F("quantity_restocked") + item.counts[dp.RESTOCK],
            quantity_damaged=F("quantity_damaged") + item.counts[dp.DAMAGED],
            quantity_needs_processing=F("quantity_needs_processing")
            + item.counts[dp.NEEDS_PROCESSING],
            quantity_missing=F("quantity_missing") + item.counts[dp.MISSING],
            refund_total=F("refund_total") + total,
            refund_tax=F("refund_tax") + tax,
        )
        if not updated:
            raise Conflict("return_changed", "The return changed meanwhile; reload and retry.")
        decided.append(
            ReturnedLine(item.line_no, item.returned, total, sold.quantity_returned, tax)
        )
    return decided


def _shipment_receive(ret: Return, now: datetime, *, done: bool) -> None:
    ReturnShipment.objects.filter(ret=ret, location_id=ret.location_id).update(
        state="received" if done else "partially_received", received_at=now
    )


def _record(ret, received, decided: list[ReturnedLine], decided_before, actor, now) -> None:
    """The receipt's timeline row and `return.received`. An exchange's return refunds only
    what its units add beyond what the exchange keeps (`exchange_refund`, returns/domain/
    exchange.py); the rest paid for the new lines."""
    currency = ret.order.currency
    refund = sum((d.amount for d in decided), Decimal(0))
    exchange = {}
    if ret.exchange is not None:
        amount = receipt_refund(
            decided_before=decided_before,
            decided_now=refund,
            kept=Decimal(ret.exchange["kept"]),
        )
        exchange = {"exchange_refund": money_str(amount, currency)}
    units = {name: sum(r.counts.get(name, 0) for r in received) for name in dp.DISPOSITIONS}
    said = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in units.items() if n)
    return_record(
        ret=ret,
        event=ReturnReceived,
        actor=actor,
        now=now,
        message=f"Return {ret.number} received at {ret.location.code}: {said}; "
        f"refund decided {money_str(refund, currency)} {currency}.",
        details={
            "location": ret.location.code,
            "receipt": f"{now:%Y%m%dT%H%M%S%f}",  # names this receipt's refund (refund.py)
            "lines": [{"line_no": r.line_no, **r.counts} for r in received],
            "refund_total": money_str(refund, currency),
            "refund": [
                {
                    "line_no": d.line_no,
                    "quantity": d.quantity,
                    "amount": money_str(d.amount, currency),
                    "tax": money_str(d.tax, currency),
                }
                for d in decided
            ],
            **exchange,
        },
    )
