"""The money model's return and exchange rules: returns requested, approved, declined,
cancelled, received with a disposition for every unit (restock, damaged, needs processing,
missing) and closed; exchanges (even, the customer owes, the merchant owes; refunded at once
or on receipt). The worker refunds each receipt's decision (payment_rules.worker)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from ordino.orders.commands import LineItem
from ordino.returns.commands import (
    CreateExchange,
    ReceiveLine,
    ReceiveReturn,
    RequestLine,
    RequestReturn,
)
from ordino.returns.services import (
    exchange_create,
    return_approve,
    return_cancel,
    return_close,
    return_decline,
    return_receive,
    return_request,
)
from tests.reliability.stateful.money_model import ACTOR, REFUSED, MoneyModel, picks
from tests.reliability.stateful.money_world import PRICES, SKUS, money_read

REASONS = st.sampled_from(["size_or_fit", "damaged", "changed_mind", "defective"])
# how a receipt grades the units it takes: each unit exactly one disposition
GRADES = st.lists(
    st.sampled_from(["restock", "damaged", "needs_processing", "missing"]), min_size=1, max_size=4
)


def _shipped_lines(model: MoneyModel):
    return [x for x in model.snap.lines.values() if x.shipped > x.returned]


class ReturnRules(MoneyModel):
    def _location(self, to_store: bool) -> tuple[int, str]:
        return self.w.store if to_store else self.w.warehouse

    @precondition(lambda self: _shipped_lines(self))
    @rule(pick=picks, qty=st.integers(1, 3), to_store=st.booleans(), reason=REASONS,
          approve=st.booleans())  # fmt: skip
    def request(self, pick, qty, to_store, reason, approve):
        """Given shipped units, when the customer asks to return some of a line (to the
        warehouse or the store), then a return is requested; more than shipped and not yet
        returned or requested is refused."""
        lines = sorted(_shipped_lines(self), key=lambda x: x.id)
        line = lines[pick % len(lines)]
        if pick % 5:  # now and then more than was shipped and not returned
            qty = min(qty, line.shipped - line.returned)
        command = RequestReturn(
            order_id=line.order_id,
            lines=(RequestLine(line.line_no, qty),),
            reason=reason,
            location_code=self._location(to_store)[1],
            actor=ACTOR,
        )
        ret = self.attempt(
            "return_request",
            lambda: return_request(command=command),
            expect_ok=False if qty > line.shipped - line.returned else None,
        )
        if ret is not REFUSED and approve:  # staff approve it at once
            self.snap = money_read(self.w)
            self.attempt("return_approve", lambda: return_approve(return_id=ret.pk, actor=ACTOR))

    def _returns_in(self, *states):
        return sorted(rid for rid, (_, state, _) in self.snap.returns.items() if state in states)

    @precondition(lambda self: self._returns_in("requested"))
    @rule(pick=picks, decline=st.sampled_from([False, False, False, True]))
    def approve(self, pick, decline):
        """When staff approve a requested return (or decline it, with a reason), then it opens
        for receipt (or is closed to it)."""
        ids = self._returns_in("requested")
        rid = ids[pick % len(ids)]
        if decline:
            self.attempt(
                "return_decline", lambda: return_decline(return_id=rid, reason="worn", actor=ACTOR)
            )
        else:
            self.attempt(
                "return_approve", lambda: return_approve(return_id=rid, actor=ACTOR), expect_ok=True
            )

    @precondition(lambda self: self._returns_in("open"))
    @rule(pick=picks, grades=GRADES, then_work=st.booleans())
    def receive(self, pick, grades, then_work):
        """Given an open return, when units arrive and each is graded (restock, damaged, needs
        processing, missing), then each unit has exactly one disposition, the units that came
        back are received into stock (damaged and held ones set aside), the order's returned
        units and total follow, and the worker refunds the receipt's decision once; more units
        than are still expected is refused."""
        self.pending_work = then_work
        ids = self._returns_in("open")
        rid = ids[pick % len(ids)]
        rls = sorted(
            (rl for rl in self.snap.return_lines.values() if rl.return_id == rid),
            key=lambda r: r.id,
        )
        rl = rls[pick % len(rls)]
        if pick % 5:  # now and then more units than are still expected
            grades = grades[: max(1, rl.quantity - rl.graded)]
        counts = {g: grades.count(g) for g in ("restock", "damaged", "needs_processing", "missing")}
        line = self.snap.lines[rl.order_line_id]
        command = ReceiveReturn(
            return_id=rid, lines=(ReceiveLine(line.line_no, **counts),), actor=ACTOR
        )
        fits = len(grades) <= rl.quantity - rl.graded
        done = self.attempt(
            "return_receive", lambda: return_receive(command=command), expect_ok=fits
        )
        if done is REFUSED:
            return
        location_id = done.location_id
        back = counts["restock"] + counts["damaged"] + counts["needs_processing"]
        aside = counts["damaged"] + counts["needs_processing"]
        self.stock[(location_id, line.sku_id)][0] += back
        self.stock[(location_id, line.sku_id)][1] += aside

    @precondition(lambda self: self._returns_in("requested", "open"))
    @rule(pick=picks, close=st.booleans())
    def end(self, pick, close):
        """When staff cancel a return (only before anything was received) or close it (what came
        back is what comes back), then it ends; a cancellation after a receipt is refused."""
        ids = self._returns_in("requested", "open")
        rid = ids[pick % len(ids)]
        received = sum(rl.graded for rl in self.snap.return_lines.values() if rl.return_id == rid)
        if close:
            self.attempt("return_close", lambda: return_close(return_id=rid, actor=ACTOR))
        else:
            self.attempt(
                "return_cancel",
                lambda: return_cancel(return_id=rid, actor=ACTOR),
                expect_ok=False if received else None,
            )

    @precondition(lambda self: _shipped_lines(self))
    @rule(
        pick=picks,
        qty=st.integers(1, 2),
        sku=st.sampled_from(SKUS),
        new_qty=st.integers(1, 2),
        price=st.integers(0, 4),
        refund_now=st.booleans(),
        unknown_sku=st.sampled_from([False] * 9 + [True]),
        then_work=st.booleans(),
    )
    def exchange(self, pick, qty, sku, new_qty, price, refund_now, unknown_sku, then_work):
        """Given shipped units, when the customer exchanges some for new lines (even, or either
        side owing the difference), then one change record adds the new lines, the return is
        requested, and the difference is charged (a new payment) or refunded (at once or on
        receipt); an unknown SKU is refused and changes nothing."""
        self.pending_work = then_work
        lines = sorted(_shipped_lines(self), key=lambda x: x.id)
        line = lines[pick % len(lines)]
        currency = self.currency_of(line.order_id)
        code = "NOPE-SKU" if unknown_sku else self.w.sku_codes[sku]
        command = CreateExchange(
            order_id=line.order_id,
            lines=(RequestLine(line.line_no, qty),),
            new_lines=(
                LineItem(
                    sku=code,
                    quantity=new_qty,
                    unit_price=Decimal(PRICES[currency][price]),
                    tax=Decimal(0),
                ),
            ),
            reason="size_or_fit",
            location_code=self.w.warehouse[1],
            actor=ACTOR,
            refund_now=refund_now,
        )
        self.attempt(
            "exchange",
            lambda: exchange_create(command=command),
            expect_ok=False if unknown_sku or qty > line.shipped - line.returned else None,
        )
