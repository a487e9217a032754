"""The money model's payment rules: orders captured with payments (the test provider's every
scripted outcome, offline methods, store credit), the worker (the outbox: authorize, capture
per shipment, void; the retry job), shipments, deliveries, cancellations, edits, refunds
(lines, shipping, goodwill, to store credit), capture now, a new card after a decline."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from ordino.customers.models import Customer
from ordino.fulfillment.models import FulfillmentLine, FulfillmentOrder
from ordino.fulfillment.services import fulfillment_deliver, fulfillment_ship
from ordino.orders.commands import (
    CaptureOrder,
    CapturePayment,
    EditOrder,
    LineItem,
    OrderAddress,
    OrderCustomer,
)
from ordino.orders.services import order_cancel, order_capture, order_edit
from ordino.payments.commands import NewPayment, RefundLine, RefundOrder
from ordino.payments.services import (
    IssueCredit,
    credit_expire_due,
    credit_issue,
    payment_add,
    payment_capture_now,
    payments_retry_due,
    refund_create,
)
from tests.reliability.stateful.money_model import (
    ACTOR,
    REFUSED,
    TALLY,
    MoneyModel,
    currencies,
    picks,
)
from tests.reliability.stateful.money_world import PRICES, SHIPPING, SKUS, TAXES

ADDRESS = OrderAddress(name="Ada Lovelace", line1="Unter den Linden 1", city="Berlin", country="DE")
TOKENS = (
    "tok_approve",
    "tok_approve",
    "tok_decline",
    "tok_fail_then_ok",
    "tok_timeout_then_ok",
    "tok_lost_answer",
    "tok_refund_decline",
)
ZERO = Decimal(0)
MAX_ORDERS = 12  # per example: enough to interleave, few enough that each goes far
SHIPPABLE = ("open", "accepted", "picking", "packed")
CANCELLABLE = ("backordered", "allocated", "partially_shipped")

line_specs = st.lists(
    st.tuples(
        st.sampled_from(SKUS), st.integers(1, 4), st.integers(0, 4), st.integers(0, 2)
    ),  # (sku, quantity, price index, tax index)
    min_size=1,
    max_size=3,
)
payment_plans = st.sampled_from(
    ["card", "card", "card", "two_cards", "credit_and_card", "marketplace", "bank_transfer"]
)


def _order_total(currency: str, specs, shipping: int) -> Decimal:
    """The order's total as the channel's tax-exclusive prices make it (lines' price × units
    and tax, a free line untaxed, and shipping): orders/domain/pricing.py."""
    lines = sum(
        (qty * Decimal(PRICES[currency][price])
         + (Decimal(TAXES[currency][tax]) if price else ZERO) for _, qty, price, tax in specs),
        ZERO,
    )  # fmt: skip
    return lines + Decimal(SHIPPING[currency][shipping])


def _moving(t) -> bool:
    """Money on its way: sent, or to be sent again with its key (not declined)."""
    return t.status in ("pending", "unknown") or (t.status == "failed" and not t.declined)


class PaymentRules(MoneyModel):
    # --- orders and their payments --------------------------------------------------------

    ORDER = dict(
        currency=currencies,
        specs=line_specs,
        shipping=st.integers(0, 1),
        plan=payment_plans,
        token=st.sampled_from(TOKENS),
        other=st.sampled_from(TOKENS),
        customer=st.integers(1, 3),
    )

    @precondition(lambda self: len(self.snap.orders) < 4)
    @rule(**ORDER)
    def capture_early(self, **order):
        """A few orders first, so the other rules have something to work on."""
        self.capture(**order)

    @precondition(lambda self: len(self.snap.orders) < MAX_ORDERS)
    @rule(**ORDER, then_work=st.booleans())
    def capture(self, currency, specs, shipping, plan, token, other, customer, then_work=True):
        """Given a channel in JPY, EUR or KWD, when it sends an order with its payments (a card
        whose outcomes the token scripts, two cards, store credit then a card, the marketplace's
        collection, a bank transfer), then it is recorded with them, pending until the worker
        authorizes (the marketplace's: captured at once)."""
        self.pending_work = then_work
        self.orders += 1
        lines = tuple(
            LineItem(
                sku=self.w.sku_codes[sku],
                quantity=qty,
                unit_price=Decimal(PRICES[currency][price]),
                # no tax on a free line
                tax=Decimal(TAXES[currency][tax]) if price else Decimal(0),
            )
            for sku, qty, price, tax in specs
        )
        command = CaptureOrder(
            channel=self.w.channel_codes[currency],
            external_id=f"{self.w.prefix}-O{self.orders}",
            currency=currency,
            customer=OrderCustomer(email=self.w.email(customer), first_name="Ada"),
            shipping_address=ADDRESS,
            lines=lines,
            shipping_price=Decimal(SHIPPING[currency][shipping]),
            shipping_tax=Decimal(0),
            payments=self._payments(plan, token, other, currency, customer),
        )
        # payments "for what is left" after fixed amounts that cover the whole order (or an
        # order of nothing) are asked wrongly: 422 payment_exceeds_total, nothing captured
        fixed = sum((p.amount for p in command.payments if p.amount is not None), ZERO)
        covered = _order_total(currency, specs, shipping) - fixed <= 0
        done = self.attempt(
            "capture",
            lambda: order_capture(command=command, actor=ACTOR),
            expect_ok=not covered,
        )
        if done is REFUSED:
            self.orders -= 1

    def left_to_pay(self, order_id: int) -> Decimal:
        """What a payment "for what is left" takes: the order's current total less what its
        live payments (neither declined nor voided) still stand to pay — each one's amount less
        what was voided or refunded of it, done or on its way (docs/payments.md, "API")."""
        planned = ZERO
        for p in self.snap.payments_of(order_id):
            if p.status in ("declined", "voided"):
                continue
            back = sum(
                (t.amount for t in self.snap.txns_of(p.id)
                 if t.kind in ("void", "refund") and (t.status == "succeeded" or _moving(t))),
                ZERO,
            )  # fmt: skip
            planned += max(ZERO, p.amount - back)
        return self.snap.orders[order_id].current_total - planned

    def _payments(self, plan, token, other, currency, customer) -> tuple[CapturePayment, ...]:
        card = CapturePayment(
            method="card", provider="test", token=token, brand="visa", last4="4242"
        )
        if plan == "marketplace":
            return (CapturePayment(method="marketplace", provider="offline"),)
        if plan == "bank_transfer":
            return (CapturePayment(method="bank_transfer", provider="offline"),)
        if plan == "two_cards":
            first = CapturePayment(
                method="card", provider="test", token=other, amount=self.money(PRICES[currency][1])
            )
            return (first, card)
        if plan == "credit_and_card":
            held = self._credit_of(customer, currency)
            if held > 0:
                credit = CapturePayment(
                    method="store_credit",
                    provider="store_credit",
                    amount=min(held, self.money(PRICES[currency][2])),
                )
                return (credit, card)
        return (card,)

    def _credit_of(self, customer: int, currency: str) -> Decimal:
        cid = (
            Customer.objects.filter(email=self.w.email(customer))
            .values_list("id", flat=True)
            .first()
        )
        return self.snap.credit.get((cid, currency), (Decimal(0), Decimal(0)))[0]

    @rule()
    def worker(self):
        """When the worker runs, then the outbox's events are delivered: authorizations sent,
        shipments captured, cancellations voided, refunds sent, returns refunded."""
        TALLY["worker: events delivered"] += self.work()

    @rule()
    def retry_due(self):
        """When the retry job runs, then every call that failed or got no answer is sent again
        with its own key (the test provider answers a repeated key with its first answer)."""
        TALLY["retry job: calls sent again"] += payments_retry_due()

    # --- fulfillment ------------------------------------------------------------------------

    def _fos(self, statuses):
        return list(
            FulfillmentOrder.objects.filter(
                order__channel_id__in=self.w.channel_ids, status__in=statuses
            ).order_by("id")
        )

    @precondition(lambda self: self.snap.orders)
    @rule(pick=picks, partial=st.booleans(), qty=st.integers(1, 3), then_work=st.booleans())
    def ship(self, pick, partial, qty, then_work):
        """Given a fulfillment order, when the warehouse ships all of it or some units of a line,
        then those units leave its stock, and the worker captures what they made due."""
        self.pending_work = then_work
        fos = self._fos((*SHIPPABLE, "on_hold"))
        if not fos:
            return
        fo = fos[pick % len(fos)]
        fls = [
            fl
            for fl in FulfillmentLine.objects.filter(fulfillment_order=fo).order_by("id")
            if fl.open
        ]
        if not fls:
            return
        if partial:
            fl = fls[pick % len(fls)]
            qty = qty if pick % 5 == 0 else min(qty, fl.open)  # now and then more than open
            taking = [(fl, qty)]
            lines = [(fl.order_line.line_no, qty)]
        else:
            taking, lines = [(fl, fl.open) for fl in fls], None
        done = self.attempt(
            "ship",
            lambda: fulfillment_ship(
                fo_id=fo.pk, carrier="DHL", tracking_numbers=["JD1"], lines=lines, actor=ACTOR
            ),
            expect_ok=False if fo.status == "on_hold" else None,
        )
        if done is not REFUSED:
            for fl, units in taking:
                for sku, per in (fl.components or {}).items():
                    self.stock[(fo.location_id, int(sku))][0] -= units * int(per)

    @precondition(lambda self: self.snap.orders)
    @rule(pick=picks, then_work=st.booleans())
    def deliver(self, pick, then_work):
        """When the carrier delivers a shipped fulfillment order, then its units count as
        delivered (the return window starts)."""
        self.pending_work = then_work
        fos = self._fos(("shipped",))
        if fos:
            fo = fos[pick % len(fos)]
            self.attempt("deliver", lambda: fulfillment_deliver(fo_id=fo.pk, actor=ACTOR))

    # --- the order changes ------------------------------------------------------------------

    @precondition(lambda self: self.snap.orders)
    @rule(pick=picks, whole=st.booleans(), qty=st.integers(1, 3), then_work=st.booleans())
    def cancel(self, pick, whole, qty, then_work):
        """When the customer cancels an order or some units of a line, then the worker voids the
        authorized money no longer needed (and captures what a smaller order left due)."""
        self.pending_work = then_work
        order = self.order_pick(pick, CANCELLABLE)
        if order is None:
            return
        lines = None
        if not whole:
            line = self.snap.lines_of(order.id)[pick % len(self.snap.lines_of(order.id))]
            lines = [(line.line_no, qty)]
        self.attempt(
            "cancel",
            lambda: order_cancel(
                order_id=order.id, lines=lines, reason="changed mind", actor=ACTOR
            ),
        )

    @precondition(lambda self: self.snap.orders)
    @rule(pick=picks, kind=st.sampled_from(["add", "change", "remove"]), sku=st.sampled_from(SKUS),
          qty=st.integers(1, 3), price=st.integers(0, 4), then_work=st.booleans())  # fmt: skip
    def edit(self, pick, kind, sku, qty, price, then_work):
        """When customer service adds a line, changes a quantity or removes a line before the
        warehouse started, then the total changes by one change record, and the money follows
        (an added payment is not made here: a larger total is captured up to what is authorized)."""
        self.pending_work = then_work
        order = self.order_pick(pick)
        lines = self.snap.lines_of(order.id)
        line_no = lines[pick % len(lines)].line_no
        kwargs: dict = {}
        if kind == "add":
            price_ = Decimal(PRICES[order.currency][price])
            add = LineItem(sku=self.w.sku_codes[sku], quantity=qty, unit_price=price_, tax=ZERO)
            kwargs["add_lines"] = (add,)
        elif kind == "change":
            kwargs["change_lines"] = ((line_no, qty),)
        else:
            kwargs["remove_lines"] = (line_no,)
        command = EditOrder(order_id=order.id, reason="customer", **kwargs)
        self.attempt("edit", lambda: order_edit(command=command, actor=ACTOR))

    # --- money by hand ----------------------------------------------------------------------

    @precondition(lambda self: self.snap.orders)
    @rule(
        pick=picks,
        what=st.sampled_from(
            ["line", "line", "lines", "shipping", "goodwill", "mixed", "too_much"]
        ),
        qty=st.integers(1, 3),
        to=st.sampled_from(["original", "original", "store_credit"]),
        goodwill=st.integers(1, 4),
        then_work=st.booleans(),
        expires_in=st.sampled_from([None, None, 30, 240]),
    )
    def refund(self, pick, what, qty, to, goodwill, then_work, expires_in):
        """When customer service refunds some shipped units, shipping, goodwill or all of it
        (to the card or to store credit, maybe expiring in so many minutes), then it is
        recorded and sent once; more than was captured and not refunded, more units than
        shipped, or more shipping than paid is refused and changes nothing."""
        self.pending_work = then_work
        paid = sorted({x.order_id for x in self.snap.lines.values() if x.shipped})
        order = self.snap.orders[paid[pick % len(paid)]] if paid else self.order_pick(pick)
        shipped = [x for x in self.snap.lines_of(order.id) if x.shipped]
        parts: dict = {}
        if what in ("line", "mixed") and shipped:
            x = shipped[pick % len(shipped)]
            parts["lines"] = (RefundLine(x.line_no, qty),)
        if what == "lines" and shipped:
            parts["lines"] = tuple(RefundLine(x.line_no, x.shipped) for x in shipped)
        if what in ("shipping", "mixed"):
            parts["shipping"] = order.shipping
        if what in ("goodwill", "mixed"):
            parts["goodwill"] = Decimal(PRICES[order.currency][goodwill])
        if what == "too_much":
            # a unit more than ever captured: more than captured and not refunded, surely
            captured = sum(
                (t.amount for p in self.snap.payments_of(order.id) for t in self.snap.txns_of(p.id)
                 if t.kind == "capture" and t.status == "succeeded"),
                ZERO,
            )  # fmt: skip
            parts["goodwill"] = captured + Decimal(PRICES[order.currency][1])
        if to == "store_credit" and expires_in:
            parts["expires_at"] = self.now + timedelta(minutes=expires_in)
        command = RefundOrder(
            order_id=order.id, reason="customer service", actor=ACTOR, to=to, **parts
        )
        self.attempt(
            "refund",
            lambda: refund_create(command=command),
            expect_ok=False if what == "too_much" else None,
        )

    @precondition(lambda self: self.snap.payments)
    @rule(pick=picks, then_work=st.booleans())
    def capture_now(self, pick, then_work):
        """When staff capture all a payment holds now (a transfer received), then it is
        captured once, or refused when it holds nothing."""
        self.pending_work = then_work
        ids = sorted(self.snap.payments)
        p = self.snap.payments[ids[pick % len(ids)]]
        self.attempt(
            "capture_now",
            lambda: payment_capture_now(order_id=p.order_id, payment_id=p.id, actor=ACTOR),
        )

    @precondition(lambda self: any(p.status == "declined" for p in self.snap.payments.values()))
    @rule(pick=picks, then_work=st.booleans())
    def new_card(self, pick, then_work):
        """Given a declined payment, when the customer gives another card for its amount, then
        the worker authorizes it and the order's held work is released."""
        self.pending_work = then_work
        declined = sorted(p.id for p in self.snap.payments.values() if p.status == "declined")
        # mostly a declined payment not replaced yet; now and then any (nothing may be left)
        unpaid = [i for i in declined if self.left_to_pay(self.snap.payments[i].order_id) > 0]
        choices = unpaid if unpaid and pick % 5 else declined
        p = self.snap.payments[choices[pick % len(choices)]]
        card = NewPayment(method="card", provider="test", token="tok_approve")  # what is left
        order = self.snap.orders[p.order_id]
        # refused when the order is cancelled, or nothing is left to pay (an earlier new card,
        # a smaller total): 409 order_cancelled, 422 payment_exceeds_total
        expect = order.status != "cancelled" and self.left_to_pay(order.id) > 0
        self.attempt(
            "new_card",
            lambda: payment_add(order_id=p.order_id, payment=card, actor=ACTOR),
            expect_ok=expect,
        )

    @rule()
    def expire_credit(self):
        """When the periodic job runs, then what is left of each credit whose expiry passed
        (refunds to store credit that expire) leaves the balance through one `expired` entry;
        the accounts still replay from their entries."""
        TALLY["credit expiry job: credits expired"] += credit_expire_due()

    @rule(customer=st.integers(1, 3), currency=currencies, amount=st.integers(1, 4))
    def give_credit(self, customer, currency, amount):
        """When staff give a customer store credit (goodwill, with a reason), then their
        account grows by it (a customer not yet known is refused)."""
        cid = (
            Customer.objects.filter(email=self.w.email(customer))
            .values_list("id", flat=True)
            .first()
        )
        if cid is None:
            return
        give = Decimal(PRICES[currency][amount])
        command = IssueCredit(customer_id=cid, currency=currency, amount=give,
                              reason="late parcel", actor=ACTOR)  # fmt: skip
        self.attempt("give_credit", lambda: credit_issue(command=command))
