"""The demo shop's last weeks, replayed in time order with the clock pinned at each step.

Every order is captured at its own time (`order_capture`), cancelled some hours later when the
data set says so (`order_cancel`), and each of its fulfillment orders is accepted, picked,
packed, shipped and delivered (or made ready and collected at the counter), now and then
rejected by a location too busy to do it and routed again, each step at its own later time
through the same use cases staff use.
Steps are run oldest first from one queue, so stock, backorders and re-routes happen in the
order they would have; a step whose time is after `now` has not happened yet: the most recent
orders are still open, the queues have work today.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ordino.core.domain.clock import clock_pinned
from ordino.core.domain.errors import DomainError
from ordino.core.transactions import savepoint
from ordino.demo.spec import CancelSpec, DemoData
from ordino.demo.timeline import (
    Redating,
    Steps,
    capture_delay,
    digest_rng,
    olist_steps,
    steps_draw,
)
from ordino.fulfillment.models import FulfillmentOrder
from ordino.fulfillment.services import (
    fulfillment_accept,
    fulfillment_deliver,
    fulfillment_pack,
    fulfillment_pick_start,
    fulfillment_picked_up,
    fulfillment_ready_for_pickup,
    fulfillment_reject,
    fulfillment_ship,
)
from ordino.orders.schemas import OrderCreateIn
from ordino.orders.services import order_cancel, order_capture

# How far a replayed Olist order may go: as far as it went in real life.
OLIST_STAGES = {  # how many of the steps (accept, pick, pack, hand over, done) it went through
    "delivered": 5,
    "shipped": 4,
    "invoiced": 3,
    "processing": 2,
    "approved": 1,
    "created": 0,
}
REJECT_SHARE = 0.04  # of work to ship: rejected for lack of capacity, routed elsewhere


@dataclass(order=True)
class _Due:
    at: datetime
    seq: int
    label: str = field(compare=False)
    action: Callable[[], Any] = field(compare=False)


@dataclass
class _Order:
    key: tuple[str, str]
    payload: dict[str, Any]
    captured_at: datetime
    cancel: CancelSpec | None
    cancel_at: datetime | None
    order_id: int | None = None
    fulfillment_orders: int = 0


class Replay:
    def __init__(self, data: DemoData, *, now: datetime, actor: str, failures: list[str]):
        self.now, self.actor, self.failures = now, actor, failures
        self.queue: list[_Due] = []
        self.seq = 0
        self.by_id: dict[int, _Order] = {}
        self.ids: dict[tuple[str, str], int] = {}
        self.replayed = self.cancelled = self.steps_done = 0
        self.fo_seen = FulfillmentOrder.objects.order_by("-id").values_list("id", flat=True).first()
        self.fo_seen = self.fo_seen or 0
        kinds = {c.code: c.kind for c in data.channels}
        cancels = {(c.channel, c.external_id): c for c in data.cancels}
        dated = orders_dated(data, now=now, kinds=kinds, cancels=cancels)
        self.first_at = min((o.captured_at for o in dated), default=now)
        for order in dated:
            label = f"order {order.key[0]}/{order.key[1]}"
            self._at(order.captured_at, label, self._capture(order))

    def run(self) -> None:
        while self.queue and self.queue[0].at <= self.now:
            due = heapq.heappop(self.queue)
            with clock_pinned(due.at):
                try:
                    with savepoint():  # a refused step leaves the load's transaction usable
                        due.action()
                    self.steps_done += due.label.startswith(("fulfillment", "reject"))
                except DomainError as exc:
                    self.failures.append(f"{due.label}: {exc.code}: {exc.message}")
                if due.label.startswith(("order", "reject")):  # the steps that make new ones
                    self._fulfillment_orders_schedule()

    def _at(self, when: datetime, label: str, action: Callable[[], Any]) -> None:
        self.seq += 1
        heapq.heappush(self.queue, _Due(when, self.seq, label, action))

    def _capture(self, order: _Order) -> Callable[[], None]:
        def capture() -> None:
            command = OrderCreateIn.model_validate(order.payload).command()
            result = order_capture(command=command, actor=self.actor)
            if result.replayed:
                self.replayed += 1
                return
            order.order_id = result.order.pk
            self.by_id[order.order_id] = order
            self.ids[order.key] = order.order_id
            if order.cancel is not None and order.cancel_at is not None:
                self._at(order.cancel_at, f"cancel {order.key[1]}", self._cancel(order))

        return capture

    def _cancel(self, order: _Order) -> Callable[[], None]:
        cancel = order.cancel
        assert cancel is not None and order.order_id is not None

        def run() -> None:
            order_cancel(
                order_id=order.order_id,
                lines=list(cancel.lines) if cancel.lines is not None else None,
                reason=cancel.reason,
                actor=self.actor,
            )
            self.cancelled += 1

        return run

    def _fulfillment_orders_schedule(self) -> None:
        """Plan the steps of the fulfillment orders the last step made (a capture, a re-route,
        a backorder filled), from the moment they were made."""
        new = FulfillmentOrder.objects.filter(id__gt=self.fo_seen, status="open").order_by("id")
        for fo in new.values("id", "order_id", "delivery_method", "created_at"):
            self.fo_seen = max(self.fo_seen, fo["id"])
            order = self.by_id.get(fo["order_id"])
            if order is None or (order.cancel is not None and order.cancel.lines is None):
                continue  # not this load's, or cancelled whole before anyone touches it
            order.fulfillment_orders += 1
            self._fulfillment_plan(order, fo)

    def _fulfillment_plan(self, order: _Order, fo: dict[str, Any]) -> None:
        rng = digest_rng("fo", *order.key, order.fulfillment_orders)
        start = max(fo["created_at"], order.cancel_at or fo["created_at"]) + timedelta(minutes=5)
        pickup = fo["delivery_method"] == "pickup"
        steps = steps_draw(rng, start, pickup=pickup)
        raw = order.payload.get("raw_payload")
        olist = raw.get("order") if isinstance(raw, dict) else None
        stage = 5
        if isinstance(olist, dict):
            stage = OLIST_STAGES.get(olist.get("order_status", ""), 0)
            steps = olist_steps(olist, order.captured_at, steps)
        elif not pickup and rng.random() < REJECT_SHARE:
            self._at(steps.accept, f"reject fo {fo['id']}", self._reject(fo["id"]))
            return
        self._steps_push(fo["id"], steps, stage=stage, pickup=pickup, rng_draw=rng.random())

    def _steps_push(self, fo_id: int, steps: Steps, *, stage: int, pickup: bool, rng_draw: float):
        actor, label = self.actor, f"fulfillment {fo_id}"
        moves: list[tuple[datetime, Callable[[], Any]]] = [
            (steps.accept, lambda: fulfillment_accept(fo_id=fo_id, actor=actor)),
            (steps.pick, lambda: fulfillment_pick_start(fo_id=fo_id, actor=actor)),
            (steps.pack, lambda: fulfillment_pack(fo_id=fo_id, actor=actor)),
        ]
        if pickup:
            moves += [
                (steps.hand_over, lambda: fulfillment_ready_for_pickup(fo_id=fo_id, actor=actor)),
                (steps.done, lambda: _collected(fo_id, actor)),
            ]
        else:
            tracking = f"DEMO{int(rng_draw * 10**10):010d}"
            carrier = "DHL" if rng_draw < 0.5 else "UPS"
            moves += [
                (
                    steps.hand_over,
                    lambda: fulfillment_ship(
                        fo_id=fo_id,
                        carrier=carrier,
                        service="parcel",
                        tracking_numbers=[tracking],
                        actor=actor,
                    ),
                ),
                (steps.done, lambda: fulfillment_deliver(fo_id=fo_id, actor=actor)),
            ]
        for when, move in moves[:stage]:
            self._at(when, label, move)

    def _reject(self, fo_id: int) -> Callable[[], None]:
        def run() -> None:
            fulfillment_reject(
                fo_id=fo_id,
                reason="no_capacity",
                note="Store too busy today (demo)",
                actor=self.actor,
            )

        return run


def orders_dated(
    data: DemoData,
    *,
    now: datetime,
    kinds: dict[str, str],
    cancels: dict[tuple[str, str], CancelSpec],
) -> list[_Order]:
    """The data set's orders with their times in the weeks before `now`: synthetic ones as
    drawn (for their `as_of`), the others (Olist) moved into the window; each captured
    shortly after it was placed, a cancellation some hours after the capture."""
    placed = [p["placed_at"] for p in data.orders]
    if not placed:
        return []
    redate: Callable[[datetime], datetime] = (
        (lambda at: at) if data.as_of is not None else Redating.of(placed, now=now)
    )
    dated = []
    for payload in data.orders:
        key = (payload["channel"], payload["external_id"])
        rng = digest_rng("order", *key)
        placed_at = min(redate(payload["placed_at"]), now)
        captured = min(placed_at + capture_delay(rng, kinds.get(key[0], "")), now)
        cancel = cancels.get(key)
        cancel_at = min(captured + timedelta(hours=rng.uniform(0.1, 3)), now) if cancel else None
        dated.append(_Order(key, {**payload, "placed_at": placed_at}, captured, cancel, cancel_at))
    return dated


def _collected(fo_id: int, actor: str):
    """The customer shows the pickup code the ready-for-pickup notice gave them."""
    code = FulfillmentOrder.objects.values_list("pickup_code", flat=True).get(pk=fo_id)
    return fulfillment_picked_up(fo_id=fo_id, pickup_code=code, actor=actor)
