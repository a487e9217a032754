"""The stateful model's state: what on hand, unavailable, incoming and safety stock must be at
each (location, SKU), the flows that make up the on-hand total, and how a service call is tried
(`attempt`: a refused call must have changed nothing). The rules that drive it are in
`inventory_rules.py`, `order_rules.py` and `fulfillment_rules.py`; `machine.py` puts them
together with the invariants."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine

from ordino.core.domain.errors import DomainError
from ordino.orders.commands import OrderAddress
from tests.reliability.stateful.world import (
    ALL_SKUS,
    LOCATIONS,
    SIMPLE,
    Snapshot,
    World,
    snapshot_diff,
    world_create,
    world_read,
)

ACTOR = "stateful"
# Codes that mean "someone else changed it meanwhile": with one writer, they are bugs.
RACE_CODES = frozenset({"order_changed", "fulfillment_changed", "transfer_changed", "stock_busy"})
REFUSED = object()
TALLY: Counter[str] = Counter()  # calls done and refused, over the whole run
SHIPPABLE = ("open", "accepted", "picking", "packed")
WORKING = frozenset({*SHIPPABLE, "on_hold"})
ADDRESS = OrderAddress(name="Ada Lovelace", line1="Unter den Linden 1", city="Berlin", country="DE")

locations = st.sampled_from(LOCATIONS)
skus = st.sampled_from(ALL_SKUS)  # the kit too: inventory calls must refuse it
components = st.sampled_from(SIMPLE)
picks = st.integers(min_value=0, max_value=1_000)
looseness = st.sampled_from([False, False, False, True])  # True: any target, mostly refused
line_specs = st.lists(
    st.tuples(skus, st.integers(min_value=1, max_value=3)), min_size=1, max_size=3
)
prices = st.sampled_from([Decimal("0.00"), Decimal("4.99"), Decimal("19.99"), Decimal("0.35")])


class ModelMachine(RuleBasedStateMachine):
    """The model: what on hand, unavailable, incoming and safety stock must be at each
    (location, SKU), and the flows that make up the on-hand total."""

    def __init__(self) -> None:
        super().__init__()
        self.world: World = world_create()
        self.w = self.world
        self.on_hand: dict[tuple[int, int], int] = defaultdict(int)
        self.unavailable: dict[tuple[int, int], int] = defaultdict(int)
        self.incoming: dict[tuple[int, int], int] = defaultdict(int)
        self.safety: dict[tuple[int, int], int] = defaultdict(int)
        self.flows: Counter[str] = Counter()  # units in and out, by kind
        self.captured = 0
        self.snap: Snapshot = world_read(self.world)
        self.versions: dict[int, int] = {}

    # --- helpers -------------------------------------------------------------------------

    def loc(self, short: str) -> int:
        return self.w.location_ids[short]

    def sku(self, short: str) -> int:
        return self.w.sku_ids[short]

    def attempt(self, label: str, call, *, expect_ok: bool | None = None, race_ok=False):
        """Run one service call. Refused: it must have changed nothing. `expect_ok`: what the
        model predicts (None: no prediction)."""
        before = self.snap
        try:
            result = call()
        except DomainError as exc:
            assert race_ok or exc.code not in RACE_CODES, (
                f"{label}: a single writer lost a race ({exc.code}: {exc.message})"
            )
            after = world_read(self.w)
            diff = snapshot_diff(before, after)
            assert not diff, f"{label} was refused ({exc.code}) but changed: {diff}"
            assert expect_ok is not True, (
                f"{label}: the model expected success, Ordino refused: {exc.code}: {exc.message}"
            )
            TALLY[f"{label} refused ({exc.code})"] += 1
            return REFUSED
        assert expect_ok is not False, f"{label}: the model expected a refusal, Ordino accepted"
        TALLY[f"{label} done"] += 1
        return result

    def fo_pick(self, pick: int, statuses=None, *, method: str | None = None):
        fos = sorted(
            (
                fo
                for fo in self.snap.fos.values()
                if (statuses is None or fo.status in statuses)
                and (method is None or (fo.delivery_method == "pickup") == (method == "pickup"))
            ),
            key=lambda fo: fo.id,
        )
        return fos[pick % len(fos)] if fos else None

    def order_pick(self, pick: int, statuses=None):
        orders = sorted(
            o.id for o in self.snap.orders.values() if statuses is None or o.status in statuses
        )
        return orders[pick % len(orders)] if orders else None

    def fos_in(self, statuses, method: str | None = None) -> bool:
        return any(
            fo.status in statuses and (method is None or fo.delivery_method == method)
            for fo in self.snap.fos.values()
        )

    def line_no_of(self, fl) -> int:
        return self.snap.lines[fl.order_line_id].line_no

    def units_of(self, fls_items) -> dict[int, int]:
        """sku id → units, for [(fulfillment line, items)]."""
        units: dict[int, int] = defaultdict(int)
        for fl, items in fls_items:
            for sku, per in fl.components.items():
                units[sku] += per * items
        return units

    # --- what the model predicts ---------------------------------------------------------

    def model_problems(self, snap: Snapshot) -> list[str]:
        problems = []
        for at in LOCATIONS:
            for sku in SIMPLE:
                key = (self.loc(at), self.sku(sku))
                b = snap.balance(*key)
                model = (self.on_hand[key], self.unavailable[key], self.incoming[key])
                if (b.on_hand, b.unavailable, b.incoming) != model:
                    problems.append(
                        f"{at}/{sku}: (on hand, unavailable, incoming) is "
                        f"{(b.on_hand, b.unavailable, b.incoming)}, the model says {model}"
                    )
                if b.safety_stock != self.safety[key]:
                    problems.append(f"{at}/{sku}: safety {b.safety_stock} ≠ {self.safety[key]}")
        on_hand = sum(b.on_hand for b in snap.balances.values())
        flows = (
            self.flows["received"]
            + self.flows["adjusted"]
            + self.flows["counted"]
            - self.flows["shipped"]
            - self.flows["picked_up"]
            - self.flows["written_off"]
            - self.flows["not_found"]
            - self.flows["in_transit"]
        )
        if on_hand != flows:
            problems.append(f"units in − units out = {flows}, on hand = {on_hand}")
        if len(snap.orders) != self.captured:
            problems.append(f"{self.captured} order(s) captured, {len(snap.orders)} stored")
        return problems


def oversold_problems(before: Snapshot, after: Snapshot) -> list[str]:
    """A step that commits more units at a (location, SKU) may take at most what was sellable
    there (free and above the safety stock) before it."""
    problems = []
    for key, b in after.balances.items():
        was = before.balance(*key)
        grew = b.committed - was.committed
        if grew > 0 and grew > max(0, was.sellable):
            problems.append(
                f"{key}: {grew} unit(s) reserved where only {max(0, was.sellable)} were "
                f"sellable ({was} → {b})"
            )
    return problems
