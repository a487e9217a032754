"""The money model's state and helpers: its world, the clock pinned to the example's own days
(so the journal of those days is this example's alone), how a call is tried (`attempt`: a
refused call must have changed nothing), the worker (the outbox, the retry job), and the stock
the model expects from shipments and returns. The rules are in `payment_rules.py` and
`return_rules.py`; `money_machine.py` puts them together with the invariants."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine

from ordino.core.domain.clock import clock_pinned
from ordino.core.domain.errors import DomainError
from ordino.events.models import OutboxEvent
from ordino.events.relay import outbox_dispatch
from ordino.wiring import SUBSCRIBERS
from tests.reliability.stateful.money_world import (
    STOCK,
    MoneySnapshot,
    MoneyWorld,
    money_diff,
    money_read,
    money_world_create,
)

ACTOR = "money-model"
RACE_CODES = frozenset({"order_changed", "fulfillment_changed", "return_changed", "stock_busy"})
REFUSED = object()
TALLY: Counter[str] = Counter()  # calls done and refused, over the whole run
STEPS_RUN: Counter[str] = Counter()  # steps over the whole run
FIRST_DAY = datetime(2031, 1, 1, 8, tzinfo=UTC)
DAYS_PER_EXAMPLE = 30  # each example's days: no other example's journal entries fall in them
_example = iter(range(1, 10**9))

picks = st.integers(min_value=0, max_value=1_000)
currencies = st.sampled_from(["JPY", "EUR", "KWD"])


class MoneyModel(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.start = FIRST_DAY + timedelta(days=DAYS_PER_EXAMPLE * next(_example))
        self.now = self.start
        self._clock = clock_pinned(self.now)
        self._clock.__enter__()
        self.w: MoneyWorld = money_world_create()
        self.orders = 0
        self.customers = 0
        # the stock the model expects, (location, sku) → [on hand, unavailable]
        self.stock: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
        for sku in self.w.sku_ids.values():
            self.stock[(self.w.warehouse[0], sku)] = [STOCK, 0]
        self.snap: MoneySnapshot = money_read(self.w)
        self.sign: tuple = ()
        self.pending_work = False  # a rule asked for the worker to run right after it

    def teardown(self) -> None:
        try:
            self.work()
        finally:
            # whatever this example left undelivered (a failure) must not reach the next one:
            # Hypothesis replays an example and expects the same run
            OutboxEvent.objects.filter(delivered_at__isnull=True).update(dead=True)
            self._clock.__exit__(None, None, None)

    # --- time and the worker ---------------------------------------------------------------

    def tick(self, minutes: int = 1) -> None:
        """Each step a minute later (the retry job skips transactions pending for less than two
        minutes: their sender may still be at work)."""
        self._clock.__exit__(None, None, None)
        self.now += timedelta(minutes=minutes)
        self._clock = clock_pinned(self.now)
        self._clock.__enter__()

    def work(self) -> int:
        """The worker: deliver the outbox until it is empty; no subscriber may fail."""
        delivered_all = 0
        for _ in range(20):
            delivered, failed = outbox_dispatch(subscribers=SUBSCRIBERS)
            if failed:
                errors = OutboxEvent.objects.filter(attempts__gt=0, delivered_at__isnull=True)
                detail = [(e.pk, e.name, e.payload, e.last_error[-600:]) for e in errors]
                raise AssertionError(f"an outbox subscriber failed: {detail}")
            delivered_all += delivered
            if not delivered:
                break
        return delivered_all

    # --- calls -------------------------------------------------------------------------------

    def attempt(self, label: str, call, *, expect_ok: bool | None = None, race_ok=False):
        """Run one use case. Refused: it must have changed nothing. `expect_ok`: what the model
        predicts (None: no prediction)."""
        before = self.snap
        try:
            result = call()
        except DomainError as exc:
            assert race_ok or exc.code not in RACE_CODES, (
                f"{label}: a single writer lost a race ({exc.code}: {exc.message})"
            )
            diff = money_diff(before, money_read(self.w))
            assert not diff, f"{label} was refused ({exc.code}) but changed: {diff}"
            assert expect_ok is not True, (
                f"{label}: the model expected success, Ordino refused: {exc.code}: {exc.message}"
            )
            # the report tells refusals the model predicted from those it did not judge
            predicted = ", predicted" if expect_ok is False else ""
            TALLY[f"{label} refused ({exc.code}{predicted})"] += 1
            return REFUSED
        assert expect_ok is not False, f"{label}: the model expected a refusal, Ordino accepted"
        TALLY[f"{label} done"] += 1
        return result

    # --- picking targets ----------------------------------------------------------------------

    def order_pick(self, pick: int, statuses=None):
        ids = sorted(
            o.id for o in self.snap.orders.values() if statuses is None or o.status in statuses
        )
        return self.snap.orders[ids[pick % len(ids)]] if ids else None

    def currency_of(self, order_id: int) -> str:
        return self.snap.orders[order_id].currency

    def money(self, amount: str | Decimal) -> Decimal:
        return Decimal(str(amount))
