"""The stateful model's inventory rules: opening stock, receipts, adjustments, counts,
damages, safety stock and transfers, each with the model's prediction of whether Ordino accepts
it and what changes."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import initialize, rule

from ordino.inventory.services import (
    stock_adjust,
    stock_count,
    stock_damage_mark,
    stock_damage_writeoff,
    stock_receive,
    stock_safety_set,
    stock_transfer_receive,
    stock_transfer_send,
)
from tests.reliability.stateful.model import (
    ACTOR,
    REFUSED,
    ModelMachine,
    components,
    locations,
    skus,
)
from tests.reliability.stateful.world import LOCATIONS


class InventoryRules(ModelMachine):
    """What warehouse and store staff do to stock."""

    # --- setup ---------------------------------------------------------------------------

    @initialize(
        a=st.integers(0, 6), b=st.integers(0, 6), c=st.integers(0, 4), at=st.sampled_from(LOCATIONS)
    )
    def opening_stock(self, a, b, c, at):
        """Given a new world, when goods arrive at one location, then they are on hand there."""
        for short, qty in (("A", a), ("B", b), ("C", c)):
            if qty:
                self.receive(at, short, qty)

    # --- rules -------------------------------------------------------------------------

    @rule(at=locations, sku=skus, qty=st.integers(1, 8))
    def receive(self, at, sku, qty):
        """Given any SKU, when goods are received at a location, then on hand grows by the
        quantity (a kit is refused: it has no stock of its own)."""
        key = (self.loc(at), self.sku(sku))
        done = self.attempt(
            "receive",
            lambda: stock_receive(
                location_code=self.w.location_codes[at],
                sku_code=self.w.sku_codes[sku],
                quantity=qty,
                actor=ACTOR,
            ),
            expect_ok=sku != "K",
        )
        if done is not REFUSED:
            self.on_hand[key] += qty
            self.flows["received"] += qty

    @rule(
        op=st.sampled_from(
            ["adjust", "count", "damage", "write_off", "safety", "send", "send", "arrive"]
        ),
        at=locations,
        to=locations,
        sku=components,
        amount=st.integers(-6, 12),
        reason=st.sampled_from(["found", "lost", "theft", "expired", "correction"]),
    )
    def stock_change(self, op, at, to, sku, amount, reason):
        """Given a balance, when an operator adjusts, counts, marks damaged, writes off, sets
        safety stock, sends a transfer or receives one, then the model predicts whether Ordino
        accepts it and what changes."""
        if op == "send":
            self.transfer_send(at, to, sku, abs(amount) % 6 + 1)
        elif op == "arrive":
            if self.snap.transfers:
                self.transfer_receive(abs(amount), None if amount <= 0 else amount % 6 + 1)
        elif op == "adjust":
            self.adjust(at, sku, amount, reason)
        elif op == "count":
            self.count(at, sku, abs(amount))
        elif op == "safety":
            self.set_safety(at, sku, abs(amount) % 4)
        else:
            self.damage(at, sku, abs(amount) % 5, write_off=op == "write_off")

    def adjust(self, at, sku, delta, reason):
        """Given a balance, when an operator corrects it by ±delta, then a removal succeeds
        only from free units (never committed or unavailable ones) and 0 is refused."""
        key = (self.loc(at), self.sku(sku))
        b = self.snap.balance(*key)
        done = self.attempt(
            "adjust",
            lambda: stock_adjust(
                location_code=self.w.location_codes[at],
                sku_code=self.w.sku_codes[sku],
                delta=delta,
                reason=reason,
                actor=ACTOR,
            ),
            expect_ok=delta > 0 or (delta < 0 and b.free >= -delta),
        )
        if done is not REFUSED:
            self.on_hand[key] += delta
            self.flows["adjusted"] += delta

    def count(self, at, sku, counted):
        """Given a balance, when a cycle count finds `counted` units, then on hand becomes
        that; a count below committed + unavailable is refused."""
        key = (self.loc(at), self.sku(sku))
        b = self.snap.balance(*key)
        done = self.attempt(
            "count",
            lambda: stock_count(
                location_code=self.w.location_codes[at],
                sku_code=self.w.sku_codes[sku],
                counted=counted,
                actor=ACTOR,
            ),
            expect_ok=counted >= b.committed + b.unavailable,
        )
        if done is not REFUSED:
            self.flows["counted"] += counted - self.on_hand[key]
            self.on_hand[key] = counted

    def set_safety(self, at, sku, qty):
        """Given a balance, when the safety stock is set, then it is held back from sale
        (a policy: it may exceed what is there)."""
        key = (self.loc(at), self.sku(sku))
        self.attempt(
            "safety",
            lambda: stock_safety_set(
                location_code=self.w.location_codes[at],
                sku_code=self.w.sku_codes[sku],
                quantity=qty,
                actor=ACTOR,
            ),
            expect_ok=True,
        )
        self.safety[key] = qty

    def transfer_send(self, source, destination, sku, qty):
        """Given free units at a source, when they are sent to another location, then they
        leave the source's on hand and are incoming at the destination (same location and
        more than is free are refused)."""
        src, dst = (self.loc(source), self.sku(sku)), (self.loc(destination), self.sku(sku))
        free = self.snap.balance(*src).free
        done = self.attempt(
            "transfer_send",
            lambda: stock_transfer_send(
                source_code=self.w.location_codes[source],
                destination_code=self.w.location_codes[destination],
                sku_code=self.w.sku_codes[sku],
                quantity=qty,
                actor=ACTOR,
            ),
            expect_ok=source != destination and free >= qty,
        )
        if done is not REFUSED:
            self.on_hand[src] -= qty
            self.incoming[dst] += qty
            self.flows["in_transit"] += qty

    def transfer_receive(self, pick, qty):
        """Given a transfer, when the destination receives all or some of what is in transit,
        then those units move from incoming to on hand (more than in transit is refused)."""
        transfer_id = sorted(self.snap.transfers)[pick % len(self.snap.transfers)]
        total, received, _ = self.snap.transfers[transfer_id]
        remaining = total - received
        taking = remaining if qty is None else qty
        done = self.attempt(
            "transfer_receive",
            lambda: stock_transfer_receive(transfer_id=transfer_id, quantity=qty, actor=ACTOR),
            expect_ok=remaining > 0 and taking <= remaining,
        )
        if done is not REFUSED:
            transfer = done.transfer
            key = (transfer.destination_id, transfer.sku_id)
            self.incoming[key] -= taking
            self.on_hand[key] += taking
            self.flows["in_transit"] -= taking

    def damage(self, at, sku, qty, write_off):
        """Given a balance, when free units are found damaged (or damaged units are written
        off), then they become unavailable (or leave on hand and unavailable)."""
        key = (self.loc(at), self.sku(sku))
        b = self.snap.balance(*key)
        service = stock_damage_writeoff if write_off else stock_damage_mark
        done = self.attempt(
            "write_off" if write_off else "damage",
            lambda: service(
                location_code=self.w.location_codes[at],
                sku_code=self.w.sku_codes[sku],
                quantity=qty,
                actor=ACTOR,
            ),
            expect_ok=qty > 0 and ((b.unavailable >= qty) if write_off else (b.free >= qty)),
        )
        if done is REFUSED:
            return
        if write_off:
            self.unavailable[key] -= qty
            self.on_hand[key] -= qty
            self.flows["written_off"] += qty
        else:
            self.unavailable[key] += qty
