"""An exchange: some shipped units come back, new lines go out, in one transaction and one change
record of the order (kind `exchange`), and the price difference moves through payments
(docs/returns.md, "Exchanges"; the money rules: returns/domain/exchange.py).

The returned units go through `return_request` (eligibility, window, units already returned
or requested); the new lines through orders' edit (priced, taxed, sourced, reserved, placed in
fulfillment orders). A refusal of either refuses the whole exchange: nothing is written.
"""

from __future__ import annotations

from decimal import Decimal

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.core.domain.scope import CHANGE, UNRESTRICTED, Scope
from ordino.core.transactions import savepoint, use_case_atomic
from ordino.orders.commands import EditOrder
from ordino.orders.domain.edit import EXCHANGEABLE
from ordino.orders.selectors import money_str, order_get
from ordino.orders.services import order_edit
from ordino.payments.commands import NewPayment, RefundOrder
from ordino.payments.selectors import order_left_to_pay
from ordino.payments.services import payment_add, refund_create
from ordino.returns import selectors
from ordino.returns.commands import CreateExchange, RequestReturn
from ordino.returns.domain.exchange import ExchangeMoney, exchange_money
from ordino.returns.events import ExchangeCreated
from ordino.returns.models import Return
from ordino.returns.services.record import return_record, return_update
from ordino.returns.services.request import return_request


def exchange_create(*, command: CreateExchange, scope: Scope = UNRESTRICTED) -> Return:
    """Make the exchange: the return (state `requested`), the new lines, the money. Returns the
    exchange's return (`selectors.exchange_detail` shows it)."""
    with use_case_atomic():
        order = order_get(order_id=command.order_id, scope=scope, reach=CHANGE)
        if order.status not in EXCHANGEABLE:
            raise DomainError(
                "order_not_exchangeable",
                f"An order that is {order.status.replace('_', ' ')} cannot take an exchange.",
                status=409,
            )
        ret = return_request(command=_return_command(command), scope=scope)
        returned, returned_tax = selectors.return_value(ret=ret, order=order)
        total_before, last_line = order.current_total, selectors.order_last_line_no(order.pk)
        order = _lines_add(command, ret, scope)
        new_lines = selectors.exchange_new_lines(order_id=order.pk, after_line_no=last_line)
        money = exchange_money(
            returned=returned,
            returned_tax=returned_tax,
            added=order.current_total - total_before,
            added_tax=sum((Decimal(x["tax"]) for x in new_lines), Decimal(0)),
            refund_now=command.refund_now,
        )
        payment_id, charged, held = _charge(order, money, command, scope)
        refund_id = _refund_now(order, ret, money, command, scope)
        now = utcnow()
        summary = _summary(order, money, new_lines, payment_id, refund_id, command) | {
            "charge": money_str(charged, order.currency)
        }
        ret = return_update(ret, now=now, exchange=summary)
        return_record(
            ret=ret,
            event=ExchangeCreated,
            actor=command.actor,
            now=now,
            message=_message(ret, order.currency, money, charged, held),
            details=summary,
        )
        return ret


def exchange_preview(*, command: CreateExchange, scope: Scope = UNRESTRICTED) -> dict:
    """What the exchange would do — the difference with its tax, the new lines' sourcing, the
    money to move — by running it in a savepoint that is always rolled back: changes nothing.
    A refusal is raised as the exchange would raise it."""
    outcome: dict | None = None
    try:
        with savepoint():
            ret = exchange_create(command=command, scope=scope)
            outcome = selectors.exchanges_serialize([ret])[0] | {"id": None, "preview": True}
            raise _RolledBack
    except _RolledBack:
        pass
    assert outcome is not None
    return outcome


class _RolledBack(Exception):
    pass


def _return_command(command: CreateExchange) -> RequestReturn:
    return RequestReturn(
        order_id=command.order_id,
        lines=command.lines,
        reason=command.reason,
        location_code=command.location_code,
        actor=command.actor,
        created_via=command.created_via,
        customer_note=command.note,
    )


def _lines_add(command: CreateExchange, ret: Return, scope: Scope):
    """The new lines, through orders' edit: errors name `new_lines.<i>.<field>`."""
    edit = EditOrder(
        order_id=command.order_id,
        expected_version=command.expected_version,
        add_lines=command.new_lines,
        reason=f"exchange {ret.number}",
        exchange={"return_id": ret.pk, "return": ret.number},
    )
    try:
        return order_edit(command=edit, actor=command.actor, scope=scope)
    except DomainError as refused:
        if not refused.errors:
            raise
        raise DomainError(
            refused.code,
            refused.message.replace("The edit has", "The exchange's new lines have"),
            errors=[
                {**e, "field": e.get("field", "").replace("add_lines", "new_lines")}
                for e in refused.errors
            ],
            status=refused.status,
        ) from None


def _charge(
    order, money: ExchangeMoney, command: CreateExchange, scope: Scope
) -> tuple[int | None, Decimal, Decimal]:
    """The customer owes: a new payment for the difference with the order's payment method
    (provider, token), authorized by the worker (`payment.added`); a decline holds the order's
    open fulfillment orders — the new lines' — until a retry succeeds (docs/payments.md). No
    payment to charge (an unpaid order, the marketplace's): the balance shows it outstanding.
    What the order's payments already hold beyond its total (authorized money a cancellation
    has not voided yet, money captured beyond an edit) pays first: the new payment is the rest,
    maybe nothing (a payment of the whole difference was refused `payment_exceeds_total`,
    found by the money model). Returns the payment, what it charges and what was held."""
    if money.charge <= 0:
        return None, Decimal(0), Decimal(0)
    amount = max(Decimal(0), min(money.charge, order_left_to_pay(order=order)))
    held = money.charge - amount
    source = selectors.exchange_payment_source(order_id=order.pk)
    if source is None or amount <= 0:
        return None, Decimal(0), held
    payment = payment_add(
        order_id=order.pk,
        payment=NewPayment(
            method=source.method,
            provider=source.provider,
            token=source.token,
            amount=amount,
            brand=source.brand,
            last4=source.last4,
        ),
        actor=command.actor,
        scope=scope,
    )
    return payment.pk, amount, held


def _refund_now(order, ret, money: ExchangeMoney, command, scope) -> int | None:
    """The merchant owes and chose to refund at once: the difference, through payments' refund
    (never more than captured: 409 `refund_exceeds_captured` refuses the exchange)."""
    if money.refund_now <= 0:
        return None
    refund = refund_create(
        command=RefundOrder(
            order_id=order.pk,
            goodwill=money.refund_now,
            reason=f"exchange {ret.number}: the difference",
            actor=command.actor,
            source=f"exchange:{ret.pk}",
        ),
        scope=scope,
    )
    return refund.pk


def _summary(order, money: ExchangeMoney, new_lines, payment_id, refund_id, command) -> dict:
    """What the return keeps of its exchange (`Return.exchange`), and the event's details."""
    c = order.currency
    return {
        "version": order.version,
        "direction": money.direction,
        "returned": money_str(money.returned, c),
        "returned_tax": money_str(money.returned_tax, c),
        "added": money_str(money.added, c),
        "added_tax": money_str(money.added_tax, c),
        "difference": money_str(money.difference, c),
        "tax_difference": money_str(money.tax_difference, c),
        "charge": money_str(money.charge, c),
        "refund_now": money_str(money.refund_now, c),
        "refund_on_receipt": money_str(max(money.returned - money.kept, Decimal(0)), c),
        "kept": money_str(money.kept, c),
        "payment_id": payment_id,
        "refund_id": refund_id,
        "new_lines": new_lines,
        "lines": [{"line_no": x.line_no, "quantity": x.quantity} for x in command.lines],
    }


def _message(ret: Return, currency: str, money: ExchangeMoney, charged, held) -> str:
    def amount(value: Decimal) -> str:
        return f"{money_str(value, currency)} {currency}"

    rest = money.charge - held
    said = {
        "even": "even, no money moves",
        "customer_owes": f"the customer owes {amount(money.charge)}"
        + (f", {amount(held)} of it held by the order's payments already" if held else "")
        + (
            f" ({amount(charged)} charged)"
            if charged
            else " (no payment to charge: outstanding)"
            if rest
            else ""
        ),
        "merchant_owes": f"the merchant owes {amount(money.returned - money.added)}"
        + (" (refunded now)" if money.refund_now else " (refunded on receipt)"),
    }[money.direction]
    return (
        f"Exchange {ret.number}: {amount(money.returned)} returned for "
        f"{amount(money.added)} of new lines; {said}."
    )
