"""The money model's invariants, as plain functions over a `MoneySnapshot` (and, for the ones
that ask Ordino's own reads, the world). Each returns its problems in words (empty: it holds),
so one failing step reports everything wrong at once (docs/reliability.md, "The money model")."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from ordino.accounting.domain.journal import RECEIVABLES
from ordino.accounting.selectors import journal_get
from ordino.core.domain.money import quantum
from ordino.orders.domain.pricing import cancelled_amount
from ordino.orders.models import Order
from ordino.payments.domain.credit import EntryValues, credit_replay
from ordino.payments.selectors import balance_of, order_money_read
from tests.reliability.stateful.money_world import MoneySnapshot

ZERO = Decimal(0)
IN_FLIGHT = ("pending", "unknown")


def _moving(t) -> bool:
    """Money on its way: sent, or to be sent again with its key (not declined)."""
    return t.status in IN_FLIGHT or (t.status == "failed" and not t.declined)


def _exact(amount: Decimal, currency: str) -> bool:
    return amount == amount.quantize(quantum(currency))


def payments_sound(snap: MoneySnapshot) -> list[str]:
    """Per payment: never more captured or voided than authorized, never more refunded than
    captured (what is in flight counted as if it happened), amounts exact in the currency."""
    problems = []
    for p in snap.payments.values():
        currency = snap.orders[p.order_id].currency
        done: dict[str, Decimal] = defaultdict(Decimal)
        flying: dict[str, Decimal] = defaultdict(Decimal)
        for t in snap.txns_of(p.id):
            if t.amount <= 0 or not _exact(t.amount, currency):
                problems.append(f"payment {p.id}: {t.kind} {t.id} of {t.amount} {currency}")
            if t.status == "succeeded":
                done[t.kind] += t.amount
            elif _moving(t):
                flying[t.kind] += t.amount
        if done["authorize"] > p.amount:
            problems.append(f"payment {p.id}: authorized {done['authorize']} > its {p.amount}")
        held = done["capture"] + flying["capture"] + done["void"] + flying["void"]
        if held > done["authorize"]:
            problems.append(
                f"payment {p.id}: captured + voided (with in flight) {held} > authorized "
                f"{done['authorize']}"
            )
        if done["refund"] + flying["refund"] > done["capture"]:
            problems.append(
                f"payment {p.id}: refunded {done['refund']} + in flight {flying['refund']} > "
                f"captured {done['capture']}"
            )
    return problems


def provider_agrees(snap: MoneySnapshot) -> list[str]:
    """The test provider's side (its calls by idempotency key): what moved there is at least
    what Ordino recorded as succeeded and at most that plus what is in flight, per payment and
    kind — never a double charge or refund; a key's call always had the transaction's amount."""
    problems = []
    for p in snap.payments.values():
        if p.provider != "test":
            continue
        for kind in ("capture", "refund"):
            txns = [
                t
                for t in snap.txns_of(p.id)
                if t.kind == kind  # a refund to store credit calls no provider
                and not (t.refund_id and snap.refunds[t.refund_id].to == "store_credit")
            ]
            recorded = sum((t.amount for t in txns if t.status == "succeeded"), ZERO)
            flying = sum((t.amount for t in txns if _moving(t)), ZERO)
            moved = ZERO
            for t in txns:
                call = snap.provider_calls.get(t.key)
                if call is None:
                    if t.status == "succeeded":
                        problems.append(f"{kind} {t.id} succeeded, the provider never saw it")
                    continue
                if call[1] != t.amount:
                    problems.append(f"{kind} {t.id}: {t.amount}, its provider call {call[1]}")
                if call[2] == "succeeded":
                    moved += call[1]
            if not recorded <= moved <= recorded + flying:
                problems.append(
                    f"payment {p.id}: the provider moved {moved} by {kind}, Ordino recorded "
                    f"{recorded} (+ {flying} in flight)"
                )
    return problems


def refunds_sound(snap: MoneySnapshot) -> list[str]:
    """A refund is its parts (lines + shipping + goodwill), split exactly over its payments'
    transactions; never more units refunded than shipped, nor more shipping than paid; its
    status follows its transactions."""
    problems = []
    units: dict[tuple[int, int], int] = defaultdict(int)
    shipping: dict[int, Decimal] = defaultdict(Decimal)
    for r in snap.refunds.values():
        parts = sum((amount for _, _, amount in r.lines), ZERO) + r.shipping + r.goodwill
        if parts != r.amount or r.amount <= 0:
            problems.append(f"refund {r.id}: {r.amount} ≠ its parts {parts}")
        txns = [t for t in snap.txns.values() if t.refund_id == r.id]
        if sum((t.amount for t in txns), ZERO) != r.amount:
            problems.append(f"refund {r.id}: {r.amount} split as {[t.amount for t in txns]}")
        expected = (
            "failed"
            if any(t.declined for t in txns)
            else "succeeded"
            if all(t.status == "succeeded" for t in txns)
            else "pending"
        )
        if r.status != expected:
            problems.append(f"refund {r.id} is {r.status}, its transactions say {expected}")
        if r.status != "failed":
            for line_no, quantity, _ in r.lines:
                units[(r.order_id, line_no)] += quantity
            shipping[r.order_id] += r.shipping
    by_no = {(x.order_id, x.line_no): x for x in snap.lines.values()}
    for key, n in units.items():
        if n > by_no[key].shipped:
            problems.append(
                f"order {key[0]} line {key[1]}: {n} refunded of {by_no[key].shipped} shipped"
            )
    for order_id, amount in shipping.items():
        if amount > snap.orders[order_id].shipping:
            problems.append(f"order {order_id}: shipping refunded {amount} > paid")
    return problems


def totals_sound(snap: MoneySnapshot) -> list[str]:
    """current total = grand total + Σ changes = shipping + Σ lines' money now (cancelled
    units' share out) + Σ returns' changes; never negative."""
    problems = []
    for o in snap.orders.values():
        changes = snap.changes.get(o.id, [])
        if o.current_total != o.grand_total + sum((d for _, d in changes), ZERO):
            problems.append(f"order {o.id}: current total ≠ grand total + Σ changes")
        lines = sum(
            (
                x.total - cancelled_amount(x.total, x.ordered, x.cancelled, o.currency)
                for x in snap.lines_of(o.id)
            ),
            ZERO,
        )
        returned = sum((d for kind, d in changes if kind == "return"), ZERO)
        if o.current_total != o.shipping + lines + returned:
            problems.append(
                f"order {o.id}: current total {o.current_total} ≠ shipping {o.shipping} + lines "
                f"{lines} + returns {returned}"
            )
        if o.current_total < 0 or not _exact(o.current_total, o.currency):
            problems.append(f"order {o.id}: current total {o.current_total} {o.currency}")
        for x in snap.lines_of(o.id):
            if not 0 <= x.returned <= x.shipped <= x.ordered - x.cancelled:
                problems.append(f"order line {x.id}: returned {x.returned}, shipped {x.shipped}")
    return problems


def returns_sound(
    snap: MoneySnapshot, expected_stock: dict[tuple[int, int], tuple[int, int]]
) -> list[str]:
    """Every returned unit has exactly one disposition (restock, damaged, needs processing,
    missing: never more graded than requested); a line's returned units are its graded units
    that came back (not the missing ones); the stock is what the model expects from shipments
    and dispositions (on hand, unavailable)."""
    problems = []
    came_back: dict[int, int] = defaultdict(int)
    for rl in snap.return_lines.values():
        if (
            rl.graded > rl.quantity
            or min(rl.restocked, rl.damaged, rl.needs_processing, rl.missing) < 0
        ):
            problems.append(f"return line {rl.id}: {rl.graded} graded of {rl.quantity}")
        came_back[rl.order_line_id] += rl.restocked + rl.damaged + rl.needs_processing
        _, state, _ = snap.returns[rl.return_id]
        if state == "cancelled" and rl.graded:
            problems.append(f"return {rl.return_id} is cancelled with {rl.graded} received")
    for x in snap.lines.values():
        if x.returned != came_back.get(x.id, 0):
            problems.append(
                f"order line {x.id}: returned {x.returned}, graded back {came_back.get(x.id, 0)}"
            )
    for key, (on_hand, unavailable) in expected_stock.items():
        got = snap.balances.get(key, (0, 0, 0))
        if (got[0], got[2]) != (on_hand, unavailable):
            problems.append(
                f"stock {key}: (on hand, unavailable) {got[0], got[2]}, the model says "
                f"{on_hand, unavailable}"
            )
    return problems


def credit_sound(snap: MoneySnapshot) -> list[str]:
    """Store credit: never negative, and each account is the replay of its entries."""
    problems = []
    for key, (balance, held) in snap.credit.items():
        entries = [EntryValues(*e) for e in snap.credit_entries.get(key, [])]
        try:
            figures = credit_replay(entries)
        except ValueError as exc:
            problems.append(f"store credit {key}: {exc}")
            continue
        if (figures.balance, figures.held) != (balance, held) or min(balance, held) < 0:
            problems.append(f"store credit {key}: ({balance}, {held}), its entries say {figures}")
    return problems


DIFFERENCE_SOURCES = ("exchange:", "return:")  # payments/selectors.py: exchange_difference
OVERPAID_SOURCE = "overpaid:"  # payments/selectors.py: overpayment_refund


def uncredited_goodwill(r) -> Decimal:
    """A refund's goodwill that no credit note credits: all of it, except an exchange's
    difference given back — the credit note of the exchange's returned units credits it
    (docs/invoices.md, "Exchanges"; the journal books no goodwill expense for it) — and an
    overpayment given back (captured beyond the total, never invoiced: docs/payments.md)."""
    if not r.lines and not r.shipping and r.source.startswith(DIFFERENCE_SOURCES):
        return ZERO
    if r.source.startswith(OVERPAID_SOURCE):
        return ZERO
    return r.goodwill


def exchanged_back(snap: MoneySnapshot, order_id: int) -> Decimal:
    """The refund decision of the units exchanges' returns took back (credited on receipt)."""
    return sum(
        (rl.refund_total for rl in snap.return_lines.values()
         if snap.returns[rl.return_id][0] == order_id and snap.returns[rl.return_id][2]),
        ZERO,
    )  # fmt: skip


def credit_notes_sound(snap: MoneySnapshot) -> list[str]:
    """Credit notes give back no more than the refunds that succeeded (their lines and
    shipping: goodwill has none) and the units exchanges took back, never for a refund that
    gave nothing back."""
    problems = []
    for o in snap.orders.values():
        credited = sum((t for k, t in snap.documents.get(o.id, []) if k == "credit_note"), ZERO)
        refunded = sum(
            (r.amount - r.goodwill for r in snap.refunds.values()
             if r.order_id == o.id and r.status == "succeeded"),
            ZERO,
        )  # fmt: skip
        if credited > refunded + exchanged_back(snap, o.id):
            problems.append(
                f"order {o.id}: credit notes {credited} > refunds that succeeded {refunded} + "
                f"units exchanged back {exchanged_back(snap, o.id)}"
            )
    return problems


ALL = (
    payments_sound,
    provider_agrees,
    refunds_sound,
    totals_sound,
    credit_sound,
    credit_notes_sound,
)


# --- checks through Ordino's own reads (only for the orders a step changed) -------------------


def allocations_sound(order_ids) -> list[str]:
    """The balance (GET /orders/{id}/balance's figures): per line, captures allocated by largest
    remainder add up exactly to what was captured, lines' money to the total and what came back
    (what was sold, and an exchange's returned units); per payment
    nothing negative; the order's figures are the payments' sums."""
    problems = []
    for order in Order.objects.filter(pk__in=order_ids):
        read = order_money_read(order=order)
        b = balance_of(read)
        # an overpayment given back pays for no line (payments/services/overpaid.py)
        captured = sum((x.captured for x in b.lines), ZERO)
        if captured != b.captured - b.overpaid_refunded:
            problems.append(
                f"order {order.pk}: lines' captures {captured} ≠ captured {b.captured} − "
                f"overpayments given back {b.overpaid_refunded}"
            )
        if any(x.captured < 0 for x in b.lines):
            problems.append(f"order {order.pk}: a negative line capture {b.lines}")
        # lines keep every returned unit's money, an exchange's too (their line 0, shipping, is
        # the current total with it put back): they add up to the total and what came back
        sold = sum((x.ordered for x in b.lines), ZERO)
        came_back = sum((x.returned for x in b.lines), ZERO)
        if sold != b.ordered + came_back:
            problems.append(
                f"order {order.pk}: lines' money {sold} ≠ total {b.ordered} + returned {came_back}"
            )
        if read.sold_total > b.ordered + came_back:
            problems.append(f"order {order.pk}: sold {read.sold_total} > lines' money {sold}")
        for p in b.payments:
            figures = (p.authorized, p.captured, p.refunded, p.voided, p.open, p.refundable)
            if min(figures) < 0:
                problems.append(f"order {order.pk}: payment {p.payment_id} figures {figures}")
        if min(b.outstanding, b.overpaid, b.captured - b.refunded) < 0:
            problems.append(f"order {order.pk}: a negative balance {b}")
        # per line, what is not captured yet adds up to the order's outstanding: an exchange's
        # returned units' money is counted once, on the new lines it paid for
        lines_out = sum((x.outstanding for x in b.lines), ZERO)
        if lines_out != b.outstanding:
            problems.append(
                f"order {order.pk}: lines' outstanding {lines_out} ≠ outstanding {b.outstanding}"
                f" {[(x.line_no, x.ordered, x.exchanged, x.captured) for x in b.lines]}"
            )
    return problems


def journal_sound(snap: MoneySnapshot, day_from: date, day_to: date) -> list[str]:
    """The journal of the example's days (no other example's: each has days of its own) balances
    in every currency, and ties out per order: Receivables = invoiced − credited − captured +
    refunded − goodwill refunded (docs/accounting.md, "The tie-out")."""
    j = journal_get(date_from=day_from, date_to=day_to)
    problems = [
        f"journal unbalanced in {t.currency}: {t}" for t in j.trial_balance() if not t.balanced
    ]
    receivables: dict[str, Decimal] = defaultdict(Decimal)
    for e in j.entries:
        if e.account == RECEIVABLES:
            receivables[e.order] += e.debit - e.credit
    for o in snap.orders.values():
        docs = snap.documents.get(o.id, [])
        invoiced = sum((t for k, t in docs if k == "invoice"), ZERO)
        credited = sum((t for k, t in docs if k == "credit_note"), ZERO)
        moved = defaultdict(Decimal)
        for p in snap.payments_of(o.id):
            for t in snap.txns_of(p.id):
                if t.status == "succeeded":
                    moved[t.kind] += t.amount
        goodwill = sum(
            (
                uncredited_goodwill(r)
                for r in snap.refunds.values()
                if r.order_id == o.id and r.status == "succeeded"
            ),
            ZERO,
        )
        expected = invoiced - credited - moved["capture"] + moved["refund"] - goodwill
        if receivables.get(o.external_id, ZERO) != expected:
            problems.append(
                f"order {o.id}: Receivables {receivables.get(o.external_id, ZERO)} ≠ invoiced "
                f"{invoiced} − credited {credited} − captured {moved['capture']} + refunded "
                f"{moved['refund']} − goodwill {goodwill}"
            )
    return problems


ENDED = ("closed", "declined", "cancelled")


def _settled(snap: MoneySnapshot, o) -> bool:
    """Nothing of the order is on its way: every unit kept shipped, every return ended or fully
    graded (an exchange's with no unit missing: a person settles those), no money in flight,
    every refund final."""
    lines = snap.lines_of(o.id)
    # nothing shipped, nothing invoiced: money captured "now" on an order whose lines were all
    # cancelled (its shipping) has no invoice to tie to (not an exchange's matter)
    if not any(x.shipped for x in lines):
        return False
    if any(x.shipped != x.ordered - x.cancelled for x in lines):
        return False
    for rl in snap.return_lines.values():
        order_id, state, is_exchange = snap.returns[rl.return_id]
        if order_id != o.id:
            continue
        # an exchange's return declined or cancelled, or units missing: the difference it
        # decided is left to a person (docs/returns.md, "Exchanges")
        if is_exchange and (
            rl.missing or state in ("declined", "cancelled") or rl.graded < rl.quantity
        ):
            return False
        if state not in ENDED and rl.graded < rl.quantity:
            return False
    if any(r.order_id == o.id and r.status == "pending" for r in snap.refunds.values()):
        return False
    return not any(_moving(t) for p in snap.payments_of(o.id) for t in snap.txns_of(p.id))


def documents_net_sound(snap: MoneySnapshot, order_ids) -> tuple[list[str], int]:
    """For a settled order (nothing outstanding or overpaid, nothing on its way) whose events
    were all delivered: invoices − credit notes = what the customer was charged net, captured −
    refunded, concessions aside (goodwill refunds credit nothing) — exchanges included: their
    returned units credited, their new lines invoiced (docs/invoices.md). Returns the problems
    and how many orders it checked."""
    problems, checked = [], 0
    for order in Order.objects.filter(pk__in=order_ids):
        o = snap.orders[order.pk]
        if not _settled(snap, o):
            continue
        b = balance_of(order_money_read(order=order))
        if b.outstanding or b.overpaid or b.disputed:
            continue
        checked += 1
        docs = snap.documents.get(o.id, [])
        net = sum((t if k == "invoice" else -t for k, t in docs), ZERO)
        refunds = [r for r in snap.refunds.values() if r.order_id == o.id]
        goodwill = sum((uncredited_goodwill(r) for r in refunds if r.status == "succeeded"), ZERO)
        charged = b.captured - b.refunded + goodwill
        if net != charged:
            rets = [(rid, st, x) for rid, (oid, st, x) in snap.returns.items() if oid == o.id]
            problems.append(
                f"order {o.id} settled: invoices − credit notes {net} ≠ captured {b.captured} − "
                f"refunded {b.refunded} + goodwill {goodwill}; documents {docs}; refunds "
                f"{[(r.lines, r.shipping, r.goodwill, r.source, r.status) for r in refunds]}; "
                f"returns {rets}; lines {snap.lines_of(o.id)}"
            )
    return problems, checked
