"""The stateful model's fulfillment rules: what locations do with their part of an order —
accept, pick, pack, hold, release, ship, deliver, reject, the pickup counter — and the
backorder fill."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from ordino.fulfillment.models import FulfillmentOrder
from ordino.fulfillment.services import (
    fulfillment_accept,
    fulfillment_deliver,
    fulfillment_hold,
    fulfillment_pack,
    fulfillment_pick_start,
    fulfillment_picked_up,
    fulfillment_ready_for_pickup,
    fulfillment_reject,
    fulfillment_release,
    fulfillment_ship,
)
from ordino.orders.services import backorders_fill
from tests.reliability.stateful.model import (
    ACTOR,
    REFUSED,
    SHIPPABLE,
    WORKING,
    ModelMachine,
    components,
    looseness,
    picks,
)


class FulfillmentRules(ModelMachine):
    """What locations do with their fulfillment orders."""

    @precondition(lambda self: self.fos_in(WORKING))
    @rule(
        pick=picks,
        step=st.sampled_from(["accept", "accept", "accept", "pick", "pack", "hold", "release"]),
        loose=st.booleans(),
    )
    def progress(self, pick, step, loose):
        """Given a fulfillment order, when the location accepts, picks, packs, holds or
        releases it, then only the state table's moves are taken (staying in the same status is
        refused: accepting twice is a mistake, not news) and stock does not move."""
        service, allowed = {
            "accept": (fulfillment_accept, {"open", "on_hold"}),
            "pick": (fulfillment_pick_start, {"accepted"}),
            "pack": (fulfillment_pack, {"accepted", "picking"}),
            "hold": (
                lambda **kw: fulfillment_hold(reason="check", **kw),
                {"open", "accepted"},
            ),
            "release": (fulfillment_release, {"on_hold"}),
        }[step]
        fo = self.fo_pick(pick, None if loose else allowed)
        if fo is None:
            return
        self.attempt(
            step, lambda: service(fo_id=fo.id, actor=ACTOR), expect_ok=fo.status in allowed
        )

    @precondition(lambda self: self.fos_in(SHIPPABLE))
    @rule(pick=picks, partial=st.booleans(), qty=st.integers(1, 3), loose=looseness)
    def ship(self, pick, partial, qty, loose):
        """Given a fulfillment order, when the location ships all its open items or some of one
        line, then those units leave on hand and the order line counts them shipped."""
        fo = self.fo_pick(pick, None if loose else SHIPPABLE)
        if fo is None:
            return
        open_fls = [fl for fl in self.snap.fls_of(fo.id) if fl.open]
        if partial and open_fls:
            fl = open_fls[pick % len(open_fls)]
            lines = [(self.line_no_of(fl), qty)]
            taking = [(fl, qty)]
            ok = fo.status in SHIPPABLE and qty <= fl.open
        else:
            lines, taking = None, [(fl, fl.open) for fl in open_fls]
            ok = fo.status in SHIPPABLE and bool(open_fls)
        done = self.attempt(
            "ship",
            lambda: fulfillment_ship(
                fo_id=fo.id, carrier="DHL", tracking_numbers=["JD1"], lines=lines, actor=ACTOR
            ),
            expect_ok=ok,
        )
        if done is not REFUSED:
            for sku, units in self.units_of(taking).items():
                self.on_hand[(fo.location_id, sku)] -= units
                self.flows["shipped"] += units

    @precondition(lambda self: self.fos_in({"shipped"}))
    @rule(pick=picks, loose=looseness)
    def deliver(self, pick, loose):
        """Given a shipped fulfillment order, when the carrier delivers, then its shipped
        items count as delivered (anything not shipped is refused)."""
        fo = self.fo_pick(pick, None if loose else {"shipped"}, method=None)
        if fo is None:
            return
        self.attempt(
            "deliver",
            lambda: fulfillment_deliver(fo_id=fo.id, actor=ACTOR),
            expect_ok=(fo.status == "shipped" and fo.delivery_method == "ship") or None,
        )

    @precondition(lambda self: self.fos_in(SHIPPABLE))
    @rule(
        pick=picks,
        reason=st.sampled_from(["not_found", "damaged", "no_capacity", "other"]),
        partial=st.booleans(),
        qty=st.integers(1, 3),
        loose=looseness,
    )
    def reject(self, pick, reason, partial, qty, loose):
        """Given a fulfillment order, when the location rejects all or some items, then the
        units go where the reason says (not found: gone, with the free units there too;
        damaged: unavailable; no capacity / other: back to available) and the items are
        routed again elsewhere, or backordered."""
        fo = self.fo_pick(pick, None if loose else SHIPPABLE)
        if fo is None:
            return
        open_fls = [fl for fl in self.snap.fls_of(fo.id) if fl.open]
        if partial and open_fls:
            fl = open_fls[pick % len(open_fls)]
            lines, taking = [(self.line_no_of(fl), qty)], [(fl, qty)]
            ok = fo.status in SHIPPABLE and qty <= fl.open
        else:
            lines, taking = None, [(fl, fl.open) for fl in open_fls]
            ok = fo.status in SHIPPABLE and bool(open_fls)
        before = self.snap
        done = self.attempt(
            "reject",
            lambda: fulfillment_reject(fo_id=fo.id, reason=reason, lines=lines, actor=ACTOR),
            expect_ok=ok,
        )
        if done is REFUSED:
            return
        for sku, units in self.units_of(taking).items():
            key = (fo.location_id, sku)
            if reason == "damaged":
                self.unavailable[key] += units
            elif reason == "not_found":
                b = before.balance(*key)
                # The rejected units are gone, and so is whatever was free on the shelf.
                gone = units + max(0, b.free)
                self.on_hand[key] -= gone
                self.flows["not_found"] += gone

    def counter_ready(self, fo) -> bool:
        """May this fulfillment order go to the store's counter? A pickup: yes, until it is
        closed. Ship-to-store: once shipped to the store (or if the store itself holds it)."""
        at_store = fo.location_id == self.snap.orders[fo.order_id].pickup_location_id
        if fo.delivery_method == "pickup":
            return fo.status in SHIPPABLE
        if fo.delivery_method == "ship_to_store":
            return fo.status == "shipped" or (at_store and fo.status in SHIPPABLE)
        return False

    @precondition(lambda self: any(self.counter_ready(fo) for fo in self.snap.fos.values()))
    @rule(pick=picks, loose=looseness)
    def ready_for_pickup(self, pick, loose):
        """Given a pickup order at its store, or a ship-to-store order shipped there, when it is
        put at the counter, then it waits there with its stock still committed; a ship order,
        or a ship-to-store order still at the warehouse, is refused."""
        fos = [fo for fo in self.snap.fos.values() if loose or self.counter_ready(fo)]
        fo = sorted(fos, key=lambda fo: fo.id)[pick % len(fos)]
        ok = self.counter_ready(fo)
        if fo.delivery_method == "ship_to_store" and fo.status in SHIPPABLE and not ok:
            ok = False
        elif fo.delivery_method == "pickup" and fo.status == "shipped":
            ok = None
        self.attempt(
            "ready_for_pickup",
            lambda: fulfillment_ready_for_pickup(fo_id=fo.id, actor=ACTOR),
            expect_ok=ok,
        )

    @precondition(lambda self: self.fos_in({"ready_for_pickup"}))
    @rule(pick=picks, loose=looseness)
    def picked_up(self, pick, loose):
        """Given an order waiting at the counter, when the customer collects it, then its
        items leave the store's stock and count as shipped and delivered."""
        fo = self.fo_pick(pick, None if loose else {"ready_for_pickup"})
        if fo is None:
            return
        taking = [(fl, fl.open) for fl in self.snap.fls_of(fo.id) if fl.open]
        done = self.attempt(
            "picked_up",
            lambda: fulfillment_picked_up(
                fo_id=fo.id,
                pickup_code=FulfillmentOrder.objects.get(pk=fo.id).pickup_code,
                actor=ACTOR,
            ),
            expect_ok=fo.status == "ready_for_pickup",
        )
        if done is not REFUSED:
            for sku, units in self.units_of(taking).items():
                self.on_hand[(fo.location_id, sku)] -= units
                self.flows["picked_up"] += units

    @precondition(lambda self: any(line.backordered for line in self.snap.lines.values()))
    @rule(which=st.sets(components, min_size=1))
    def fill_backorders(self, which):
        """Given backordered lines, when stock of some SKUs arrived, then backorders needing
        them are reserved, oldest order first, never at a location that rejected the order."""
        self.attempt(
            "backorders_fill",
            lambda: backorders_fill(sku_ids={self.sku(s) for s in which}, actor=ACTOR),
            expect_ok=True,
        )
