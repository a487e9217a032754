"""An order edit, planned: which units are released, what is to be reserved, the new line amounts
and the money difference. Pure.

Rules:
- Only lines that no location has started on may change: every fulfillment order holding them is
  still open (the caller says why a line is `released` otherwise).
- A line's `quantity` in an edit is what the customer will receive: ordered − cancelled.
- A reduction (or a removal: reduction to nothing) is a cancellation of units, planned by
  `cancellation_plan`: backordered units first, then reservations, newest first. The line keeps
  its history (ordered stays, cancelled grows).
- An increase orders more units on the same line, priced like its existing ones: the unit price
  stays, the line discount and tax scale with the quantity (half-even to the currency's minor
  unit), and the line's share of the order-level discount stays as it was: the order discount is
  an amount, it does not grow with more units.
- An added line is priced by `order_price` on its own with no share of the order discount.
- Money: a line is worth `line_value` = total − the part of it its cancelled units account for.
  Every line's difference is its value after minus before, and the edit's `amount_delta` is their
  sum, so current_total = grand_total + the sum of every change's amount_delta, and it always
  equals shipping + the value of the lines. Lines the edit does not touch keep their amounts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from ordino.core.domain.errors import Conflict, DomainError
from ordino.core.domain.money import quantum
from ordino.fulfillment.domain.allocation import LineDemand
from ordino.orders.domain import status as st
from ordino.orders.domain.cancellation import (
    CancellationPlan,
    CancelRequest,
    cancellation_plan,
)
from ordino.orders.domain.pricing import LineMoneyIn, cancelled_amount, order_price

# An order can be edited while something of it is not yet shipped.
EDITABLE = st.CANCELLABLE
# An exchange (returns' use case, docs/returns.md "Exchanges") adds lines to an order whose units
# have shipped: also once all of it shipped or was delivered; never to a cancelled or completed one.
EXCHANGEABLE = EDITABLE | {st.SHIPPED, st.DELIVERED}


@dataclass(frozen=True)
class LineState:
    line_no: int
    ordered: int
    cancelled: int
    backordered: int
    allocated: int
    shipped: int
    unit_price: Decimal
    line_discount: Decimal
    order_discount: Decimal
    tax: Decimal
    total: Decimal
    needs: Mapping[int, int]  # component sku id → units per item
    # Open fulfillment lines holding the line's reservations: (id, location id, open items)
    holdings: Sequence[tuple[int, int, int]] = ()
    released: str = ""  # why the line can no longer change; "" while it can
    delivered: int = 0

    @property
    def live(self) -> int:
        """Units the customer will receive: ordered − cancelled."""
        return self.ordered - self.cancelled


@dataclass(frozen=True)
class NewLine:
    sku: str
    quantity: int
    unit_price: Decimal
    discount: Decimal
    tax: Decimal
    needs: Mapping[int, int]


@dataclass(frozen=True)
class LineIncrease:
    line_no: int
    quantity: int  # extra items to reserve
    ordered: int  # the line's ordered quantity after
    line_discount: Decimal
    tax: Decimal
    total: Decimal


@dataclass(frozen=True)
class LineAdded:
    line_no: int
    sku: str
    quantity: int
    unit_price: Decimal
    line_discount: Decimal
    order_discount: Decimal
    tax: Decimal
    total: Decimal
    needs: Mapping[int, int]


@dataclass
class EditPlan:
    cancellation: CancellationPlan = field(default_factory=CancellationPlan)
    increases: list[LineIncrease] = field(default_factory=list)
    added: list[LineAdded] = field(default_factory=list)
    demands: list[LineDemand] = field(default_factory=list)  # keyed by line number
    values: dict[int, tuple[Decimal, Decimal]] = field(default_factory=dict)  # before, after
    amount_delta: Decimal = Decimal(0)

    @property
    def empty(self) -> bool:
        return not (self.cancellation.lines or self.increases or self.added)


def line_value(total: Decimal, ordered: int, cancelled: int, currency: str) -> Decimal:
    """What a line is worth now: its total less the part its cancelled units account for."""
    return total - cancelled_amount(total, ordered, cancelled, currency)


def edit_plan(
    *,
    currency: str,
    lines: Sequence[LineState],
    add: Sequence[NewLine] = (),
    change: Sequence[tuple[int, int]] = (),
    remove: Sequence[int] = (),
    inclusive: bool = False,
) -> EditPlan:
    """`change`: (line number, new quantity to receive); `remove`: line numbers; `inclusive`:
    the order's prices include tax (its channel's, docs/tax.md).

    Refuses bad input with every field error at once (422), then lines a location has started
    on (409 `line_released`). A refused edit plans nothing.
    """
    by_no = {line.line_no: line for line in lines}
    errors: list[dict[str, str]] = []
    released: list[dict[str, str]] = []
    targets, changed_at = _named_lines(by_no, change, remove, errors, released)
    for i, new in enumerate(add):
        if new.quantity <= 0:
            errors.append(
                _error(f"add_lines.{i}.quantity", "quantity_invalid", "A quantity is at least 1.")
            )
    added_money = _added_price(add, currency, errors, inclusive)
    if errors:
        too_large = all(e["code"] == "amount_too_large" for e in errors)
        code = "amount_too_large" if too_large else "invalid_edit"
        raise DomainError(code, "The edit has invalid fields.", errors=errors)
    if released:
        raise Conflict(
            "line_released",
            " ".join(r["message"] for r in released) + " Released lines can no longer change.",
            errors=released,
        )
    remaining = sum(line.live for line in lines if line.line_no not in targets) + sum(
        targets.values()
    )
    if not add and remaining == 0:
        raise DomainError(
            "edit_removes_everything",
            "An edit cannot remove every line; cancel the order instead "
            "(POST /api/v1/orders/{id}/cancel).",
        )
    return _plan(currency, lines, by_no, targets, add, added_money, changed_at, inclusive)


def _named_lines(
    by_no: Mapping[int, LineState],
    change: Sequence[tuple[int, int]],
    remove: Sequence[int],
    errors: list[dict[str, str]],
    released: list[dict[str, str]],
) -> tuple[dict[int, int], dict[int, str]]:
    """The lines the edit changes or removes, checked in the edit's order (adding to `errors`
    and `released`): line number → quantity to receive, and where the edit names each line
    whose quantity changes."""
    seen: set[int] = set()
    targets: dict[int, int] = {}
    changed_at: dict[int, str] = {}
    requests = [(f"change_lines.{i}", no, qty) for i, (no, qty) in enumerate(change)]
    requests += [(f"remove_lines.{i}", no, 0) for i, no in enumerate(remove)]
    for where, line_no, quantity in requests:
        line = by_no.get(line_no)
        is_change = where.startswith("change")
        at_line = f"{where}.line_no" if is_change else where
        if line is None:
            errors.append(_error(at_line, "line_not_found", f"No line {line_no}."))
        elif (error := _named_line_error(line, quantity, seen, is_change, where)) is not None:
            errors.append(error)
        elif line.released:
            message = f"Line {line_no} is released: {line.released}."
            released.append(_error(at_line, "line_released", message))
        elif quantity != line.live:
            targets[line_no] = quantity
            changed_at[line_no] = where
        seen.add(line_no)
    return targets, changed_at


def _named_line_error(
    line: LineState, quantity: int, seen: set[int], is_change: bool, where: str
) -> dict[str, str] | None:
    """Why the edit cannot name this line (named twice, cancelled, or changed to less than 1);
    None when it can."""
    at_line = f"{where}.line_no" if is_change else where
    if line.line_no in seen:
        message = f"Line {line.line_no} is named more than once in this edit."
        return _error(at_line, "line_repeated", message)
    if line.live == 0:
        message = f"Line {line.line_no} is cancelled; add a new line instead."
        return _error(at_line, "line_cancelled", message)
    if is_change and quantity <= 0:
        message = "A quantity is at least 1; use remove_lines to remove a line."
        return _error(f"{where}.quantity", "quantity_invalid", message)
    return None


def _error(field: str, code: str, message: str) -> dict[str, str]:
    return {"field": field, "code": code, "message": message}


def _added_price(
    add: Sequence[NewLine], currency: str, errors: list[dict[str, str]], inclusive: bool
) -> list:
    if not add or any(new.quantity <= 0 for new in add):
        return []
    try:
        money = order_price(
            lines=[LineMoneyIn(n.quantity, n.unit_price, n.discount, n.tax) for n in add],
            currency=currency,
            order_discount=Decimal(0),
            shipping_price=Decimal(0),
            shipping_tax=Decimal(0),
            expected_total=None,
            inclusive=inclusive,
        )
    except DomainError as exc:
        errors.extend({**e, "field": "add_" + e["field"]} for e in exc.errors)
        return []
    return money.lines


def _plan(currency, lines, by_no, targets, add, added_money, changed_at, inclusive) -> EditPlan:
    plan = EditPlan()
    cuts = {no: by_no[no].live - qty for no, qty in targets.items() if qty < by_no[no].live}
    if cuts:
        plan.cancellation = cancellation_plan(
            lines=[
                CancelRequest(
                    line_no=line.line_no,
                    backordered=line.backordered,
                    allocated=line.allocated,
                    needs=line.needs,
                    holdings=line.holdings,
                )
                for line in lines
            ],
            wanted=cuts,
        )
    for cut in plan.cancellation.lines:
        line = by_no[cut.line_no]
        before = line_value(line.total, line.ordered, line.cancelled, currency)
        after = line_value(line.total, line.ordered, line.cancelled + cut.quantity, currency)
        plan.values[cut.line_no] = (before, after)
    for line_no in sorted(targets):
        line = by_no[line_no]
        extra = targets[line_no] - line.live
        if extra <= 0:
            continue
        try:
            increase = _increase(line, extra, currency, inclusive)
        except DomainError as exc:  # the larger line's amounts: name the change that made it
            where = f"{changed_at[line_no]}.quantity"
            raise DomainError(
                exc.code, exc.message, errors=[{**e, "field": where} for e in exc.errors]
            ) from None
        plan.increases.append(increase)
        plan.demands.append(LineDemand(key=line_no, quantity=extra, components=line.needs))
        before = line_value(line.total, line.ordered, line.cancelled, currency)
        after = line_value(increase.total, increase.ordered, line.cancelled, currency)
        plan.values[line_no] = (before, after)
    next_no = max(by_no, default=0) + 1
    for i, (new, priced) in enumerate(zip(add, added_money, strict=True)):
        line_no = next_no + i
        plan.added.append(
            LineAdded(
                line_no=line_no,
                sku=new.sku,
                quantity=new.quantity,
                unit_price=new.unit_price,
                line_discount=priced.line_discount,
                order_discount=priced.order_discount,
                tax=priced.tax,
                total=priced.total,
                needs=new.needs,
            )
        )
        plan.demands.append(LineDemand(key=line_no, quantity=new.quantity, components=new.needs))
        plan.values[line_no] = (Decimal(0), priced.total)
    plan.amount_delta = sum((after - before for before, after in plan.values.values()), Decimal(0))
    return plan


def _scaled(amount: Decimal, ordered_after: int, ordered: int, currency: str) -> Decimal:
    return (amount * ordered_after / ordered).quantize(quantum(currency), ROUND_HALF_EVEN)


def _increase(line: LineState, extra: int, currency: str, inclusive: bool) -> LineIncrease:
    ordered = line.ordered + extra
    priced = order_price(
        lines=[
            LineMoneyIn(
                ordered,
                line.unit_price,
                _scaled(line.line_discount, ordered, line.ordered, currency),
                _scaled(line.tax, ordered, line.ordered, currency),
            )
        ],
        currency=currency,
        order_discount=line.order_discount,
        shipping_price=Decimal(0),
        shipping_tax=Decimal(0),
        expected_total=None,
        inclusive=inclusive,
    ).lines[0]
    return LineIncrease(
        line_no=line.line_no,
        quantity=extra,
        ordered=ordered,
        line_discount=priced.line_discount,
        tax=priced.tax,
        total=priced.total,
    )
