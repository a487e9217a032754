"""The money model's machine: the payment, return and exchange rules on one model, every
invariant checked after every step, and the run's settings (examples, steps, seed)."""

from __future__ import annotations

import os
from datetime import timedelta

from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import invariant

from ordino.events.models import OutboxEvent
from tests.reliability.stateful import money_checks as checks
from tests.reliability.stateful.money_model import DAYS_PER_EXAMPLE, STEPS_RUN, TALLY
from tests.reliability.stateful.money_world import ledger_problems, money_read, world_clock
from tests.reliability.stateful.payment_rules import PaymentRules
from tests.reliability.stateful.return_rules import ReturnRules

# 66 examples × up to 200 steps: about 10,400 steps per run by default (Hypothesis ends some
# examples early), at least 10,000 (docs/reliability.md).
EXAMPLES = int(os.environ.get("ORDINO_MONEY_EXAMPLES", "66"))
STEPS = int(os.environ.get("ORDINO_MONEY_STEPS", "200"))
# ORDINO_MONEY_RANDOM=1: a fresh random seed each run (bug hunting); CI is deterministic.
RANDOM = os.environ.get("ORDINO_MONEY_RANDOM") == "1"


class MoneyMachine(PaymentRules, ReturnRules):
    """Every money rule on one model of one world; after every step, every invariant holds."""

    @invariant()
    def money_holds(self):
        """After every step: the snapshot's invariants (money_checks.ALL), the returns and the
        stock the model expects; for the orders the step changed, the balance's allocations;
        when money or documents moved, the journal of the example's days; when stock moved,
        the stock ledger."""
        STEPS_RUN["steps"] += 1
        if self.pending_work:  # the step's call, then at once the worker (or not: a later step)
            self.pending_work = False
            TALLY["worker: events delivered"] += self.work()
        self.tick()
        sign = world_clock()
        if sign == self.sign:  # nothing was written: the invariants hold as they did
            return
        STEPS_RUN["steps that wrote"] += 1
        before, snap = self.snap, money_read(self.w)
        problems = [p for check in checks.ALL for p in check(snap)]
        expected = {key: tuple(v) for key, v in self.stock.items()}
        problems += checks.returns_sound(snap, expected)
        changed = _orders_changed(before, snap)
        problems += checks.allocations_sound(changed)
        if changed or before.documents != snap.documents:
            day_to = (self.start + timedelta(days=DAYS_PER_EXAMPLE - 1)).date()
            problems += checks.journal_sound(snap, self.start.date(), day_to)
        if before.balances != snap.balances:
            problems += ledger_problems(self.w)
        if not OutboxEvent.objects.filter(delivered_at__isnull=True, dead=False).exists():
            settled, checked = checks.documents_net_sound(snap, list(snap.orders))
            problems += settled
            TALLY["settled orders: invoices − credit notes = charged net (checks)"] += checked
        assert not problems, "\n".join(problems)
        self.snap, self.sign = snap, sign


def _orders_changed(before, after) -> set[int]:
    """Orders whose row, lines, payments' transactions or refunds differ between two reads."""
    changed = {k for k in after.orders if before.orders.get(k) != after.orders[k]}
    changed |= {x.order_id for k, x in after.lines.items() if before.lines.get(k) != x}
    changed |= {
        after.payments[t.payment_id].order_id
        for k, t in after.txns.items()
        if before.txns.get(k) != t
    }
    changed |= {r.order_id for k, r in after.refunds.items() if before.refunds.get(k) != r}
    return changed


MoneyMachine.TestCase.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    derandomize=not RANDOM,
    database=None,
    deadline=None,
    print_blob=True,
    # ORDINO_MONEY_NO_SHRINK=1: report the first failure as found (quicker when hunting).
    **({"phases": [Phase.generate]} if os.environ.get("ORDINO_MONEY_NO_SHRINK") == "1" else {}),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
