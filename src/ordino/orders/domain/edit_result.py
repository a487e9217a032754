"""An order edit's result: the lines after a planned edit (`edit_apply`) and the order's status
after it (`edit_status`). Pure; the plan itself is `orders/domain/edit.py`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from ordino.orders.domain import status as st
from ordino.orders.domain.edit import EditPlan, LineState


def edit_apply(
    lines: Sequence[LineState], plan: EditPlan, reserved: Mapping[int, int]
) -> list[LineState]:
    """The lines after the edit, given how many of each line's new items were reserved (the
    rest is backordered). Holdings shrink by the plan's cuts; new reservations are the caller's
    to record."""
    cuts = {cut.line_no: cut for cut in plan.cancellation.lines}
    holding_cuts = dict(plan.cancellation.holding_cuts)
    increases = {inc.line_no: inc for inc in plan.increases}
    result = []
    for line in lines:
        holdings = [
            (hid, loc, open_items - holding_cuts.get(hid, 0))
            for hid, loc, open_items in line.holdings
            if open_items - holding_cuts.get(hid, 0)
        ]
        line = replace(line, holdings=holdings)
        if (cut := cuts.get(line.line_no)) is not None:
            line = replace(
                line,
                cancelled=line.cancelled + cut.quantity,
                backordered=line.backordered - cut.from_backordered,
                allocated=line.allocated - cut.from_allocated,
            )
        if (inc := increases.get(line.line_no)) is not None:
            got = reserved.get(line.line_no, 0)
            line = replace(
                line,
                ordered=inc.ordered,
                allocated=line.allocated + got,
                backordered=line.backordered + inc.quantity - got,
                line_discount=inc.line_discount,
                tax=inc.tax,
                total=inc.total,
            )
        result.append(line)
    for new in plan.added:
        got = reserved.get(new.line_no, 0)
        result.append(
            LineState(
                line_no=new.line_no,
                ordered=new.quantity,
                cancelled=0,
                backordered=new.quantity - got,
                allocated=got,
                shipped=0,
                unit_price=new.unit_price,
                line_discount=new.line_discount,
                order_discount=new.order_discount,
                tax=new.tax,
                total=new.total,
                needs=new.needs,
            )
        )
    return result


def edit_status(current: str, lines: Sequence[LineState]) -> str:
    """The order's status after an edit, through the state table. An order on hold stays on hold:
    an edit does not lift a hold."""
    if current == st.ON_HOLD:
        return st.transition_check(current, st.ON_HOLD)
    target = st.status_from_buckets(
        ordered=sum(line.ordered for line in lines),
        cancelled=sum(line.cancelled for line in lines),
        backordered=sum(line.backordered for line in lines),
        allocated=sum(line.allocated for line in lines),
        shipped=sum(line.shipped for line in lines),
        delivered=sum(line.delivered for line in lines),
    )
    return st.transition_check(current, target)
