"""The stateful model's order rules: what channels and customer service do to orders —
capture (and its replay), cancel, edit."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from ordino.orders.commands import CaptureOrder, EditOrder, LineItem
from ordino.orders.services import order_cancel, order_capture, order_edit
from tests.reliability.stateful.model import (
    ACTOR,
    ADDRESS,
    REFUSED,
    ModelMachine,
    line_specs,
    looseness,
    picks,
    prices,
    skus,
)
from tests.reliability.stateful.world import world_read

# the statuses an order may be cancelled in
CANCELLABLE = frozenset({"backordered", "allocated", "partially_shipped"})


class OrderRules(ModelMachine):
    """What channels and customer service do to orders."""

    @rule(
        specs=line_specs,
        price=prices,
        pickup=st.sampled_from(
            [None, None, ("pickup", "ST"), ("ship_to_store", "ST"), ("pickup", "WA")]
        ),
        shipping=st.sampled_from([Decimal("0"), Decimal("4.90")]),
        discount=st.sampled_from([Decimal("0"), Decimal("0"), Decimal("1.00")]),
    )
    def capture(self, specs, price, pickup, shipping, discount):
        """Given stock somewhere, when a channel sends an order (lines over A, B, C and the kit;
        shipped, picked up at the store or shipped to it), then it is recorded once, and what
        stock allows
        is reserved at locations that may serve it, the rest backordered (pickup at a
        warehouse, or a discount over the lines' value, is refused)."""
        self.captured += 1
        external_id = f"{self.w.prefix}-O{self.captured}"
        command = CaptureOrder(
            channel=self.w.channel_code,
            external_id=external_id,
            currency="EUR",
            shipping_address=ADDRESS,
            delivery_method=pickup[0] if pickup else "ship",
            pickup_location=self.w.location_codes[pickup[1]] if pickup else None,
            lines=tuple(
                LineItem(sku=self.w.sku_codes[s], quantity=q, unit_price=price, tax=Decimal("0"))
                for s, q in specs
            ),
            shipping_price=shipping,
            discount=discount,
        )
        done = self.attempt(
            "capture", lambda: order_capture(command=command, actor=ACTOR), expect_ok=None
        )
        if done is REFUSED:
            assert pickup == ("pickup", "WA") or discount > 0, "capture refused a valid order"
            self.captured -= 1
            return
        assert pickup != ("pickup", "WA"), "a pickup where there is no counter was accepted"
        assert not done.replayed
        order = done.order
        # The same order sent again is a replay: one order, nothing else changes.
        self.snap = world_read(self.w)
        again = self.attempt(
            "capture_replay", lambda: order_capture(command=command, actor=ACTOR), expect_ok=True
        )
        assert again.replayed and again.order.pk == order.pk
        assert world_read(self.w).fingerprint() == self.snap.fingerprint(), "a replay changed"

    @precondition(lambda self: self.snap.orders)
    @rule(pick=picks, whole=st.booleans(), qty=st.integers(1, 3), loose=looseness)
    def cancel(self, pick, whole, qty, loose):
        """Given an order, when the customer cancels all of it or some units of a line, then
        backordered units go first, then reservations, whose stock is released; a shipped or
        cancelled order, or more than is cancellable, is refused."""
        order_id = self.order_pick(pick, None if loose else CANCELLABLE)
        if order_id is None:
            return
        lines = None
        if not whole:
            line = self.snap.lines_of(order_id)[pick % len(self.snap.lines_of(order_id))]
            lines = [(line.line_no, qty)]
        self.attempt(
            "cancel",
            lambda: order_cancel(
                order_id=order_id, lines=lines, reason="changed mind", actor=ACTOR
            ),
        )

    @precondition(lambda self: self.snap.orders)
    @rule(
        pick=picks,
        kind=st.sampled_from(["add", "change", "remove"]),
        sku=skus,
        qty=st.integers(1, 4),
        price=prices,
    )
    def edit(self, pick, kind, sku, qty, price):
        """Given an order no location has started on, when customer service adds a line,
        changes a line's quantity or removes a line, then the stock is reserved or released
        and the money difference is one change record (a released line is refused)."""
        order_id = self.order_pick(pick)
        lines = self.snap.lines_of(order_id)
        line_no = lines[pick % len(lines)].line_no
        kwargs: dict = {"add_lines": (), "change_lines": (), "remove_lines": ()}
        if kind == "add":
            kwargs["add_lines"] = (
                LineItem(sku=self.w.sku_codes[sku], quantity=qty, unit_price=price),
            )
        elif kind == "change":
            kwargs["change_lines"] = ((line_no, qty),)
        else:
            kwargs["remove_lines"] = (line_no,)
        self.attempt(
            "edit",
            lambda: order_edit(
                command=EditOrder(order_id=order_id, reason="customer", **kwargs), actor=ACTOR
            ),
        )
