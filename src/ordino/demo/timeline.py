"""When things happen in the demo shop: orders placed over the last weeks with a real shop's
rhythm, and each fulfillment step some hours (or days) after the one before.

Pure Python and deterministic: every draw comes from a generator seeded by the order's own key,
so the same data and the same `now` give the same times, whatever order the loader asks in.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

DAYS_OF_ORDERS = 42  # six weeks
SHOP_ZONE = ZoneInfo("Europe/Paris")  # the synthetic retailer's and its stores' local time
SETUP_BEFORE = timedelta(days=7)  # catalog, places, customers exist a week before the first order
STOCK_BEFORE = timedelta(days=2)  # the opening stock arrives two days before the first order
GROWTH = 0.6  # the last day sells this much more than the first (a shop that grows)
# Relative demand by weekday (Monday first) and by local hour: evenings and Sundays online.
WEEKDAY_WEIGHTS = (1.0, 0.95, 0.95, 1.0, 0.9, 0.7, 0.85)
HOUR_WEIGHTS = (
    *(0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.6, 1.0, 1.3, 1.5, 1.6),  # 0-11 h
    *(1.7, 1.5, 1.3, 1.3, 1.4, 1.5, 1.7, 2.0, 2.1, 1.8, 1.2, 0.6),  # 12-23 h
)
WORK_OPENS, WORK_CLOSES = 8, 20  # warehouse and store staff work 8:00-20:00 local time


def digest_rng(*parts: object) -> random.Random:
    """A generator of its own for one thing (an order, a fulfillment order)."""
    key = "|".join(str(p) for p in parts).encode()
    return random.Random(int(hashlib.sha256(key).hexdigest()[:16], 16))


def placed_times(rng: random.Random, count: int, *, now: datetime) -> list[datetime]:
    """`count` instants over the DAYS_OF_ORDERS days ending `now`, oldest first: more on
    weekdays and in the day's busy hours (local time), growing over the weeks, none after `now`."""
    today = now.astimezone(SHOP_ZONE).date()
    days = [today - timedelta(days=back) for back in range(DAYS_OF_ORDERS - 1, -1, -1)]
    day_weights = [
        WEEKDAY_WEIGHTS[day.weekday()] * (1 + GROWTH * i / (DAYS_OF_ORDERS - 1))
        for i, day in enumerate(days)
    ]
    hours = list(range(24))
    times: list[datetime] = []
    while len(times) < count:
        day = rng.choices(days, day_weights)[0]
        hour = rng.choices(hours, HOUR_WEIGHTS)[0]
        local = datetime.combine(day, time(hour), tzinfo=SHOP_ZONE)
        at = (local + timedelta(seconds=rng.randrange(3600))).astimezone(UTC)
        if at <= now:  # today's later hours have not come yet: draw again
            times.append(at)
    return sorted(times)


@dataclass(frozen=True)
class Redating:
    """Maps a data set's own instants (Olist's 2016-2018) onto the DAYS_OF_ORDERS days before
    `now`: the newest moves by whole days to yesterday (UTC), keeping its time of day, and the
    others keep their spacing to it, squeezed in proportion when the data spans more than the
    window. Whole days from the date: loading again the same day gives the same dates."""

    first: datetime
    last: datetime
    now: datetime

    @classmethod
    def of(cls, instants: list[datetime], *, now: datetime) -> Redating:
        return cls(min(instants), max(instants), now)

    @property
    def factor(self) -> float:
        window = timedelta(days=DAYS_OF_ORDERS - 1)
        span = self.last - self.first
        return 1.0 if span <= window else window / span

    def __call__(self, at: datetime) -> datetime:
        yesterday = self.now.astimezone(UTC).date() - timedelta(days=1)
        newest = self.last + (yesterday - self.last.astimezone(UTC).date())
        return newest - (self.last - at) * self.factor


def capture_delay(rng: random.Random, channel_kind: str) -> timedelta:
    """From placed to captured: a marketplace batches its orders, the others send at once."""
    if channel_kind == "marketplace":
        return timedelta(minutes=rng.uniform(5, 40))
    return timedelta(seconds=rng.uniform(5, 120))


def working(at: datetime, rng: random.Random) -> datetime:
    """`at`, or the next morning's first hours when staff are not at work then."""
    local = at.astimezone(SHOP_ZONE)
    if WORK_OPENS <= local.hour < WORK_CLOSES:
        return at
    day = local.date() + (timedelta(days=1) if local.hour >= WORK_CLOSES else timedelta(0))
    opens = datetime.combine(day, time(WORK_OPENS), tzinfo=SHOP_ZONE)
    return (opens + timedelta(minutes=rng.uniform(0, 90))).astimezone(UTC)


@dataclass(frozen=True)
class Steps:
    """When one fulfillment order moves: accepted, picking started, packed, shipped (or ready at
    the counter), delivered (or collected)."""

    accept: datetime
    pick: datetime
    pack: datetime
    hand_over: datetime  # shipped, or ready for pickup
    done: datetime  # delivered, or picked up


def steps_draw(rng: random.Random, start: datetime, *, pickup: bool) -> Steps:
    """A plausible pace: accepted within hours (a tenth of the work waits a day or two),
    picked and packed hours later, shipped the same day or the next, delivered 1-4 days after;
    a pickup is ready within two hours of packing and collected hours to 4 days later."""
    backlog = timedelta(days=rng.uniform(1, 2.5)) if rng.random() < 0.1 else timedelta(0)
    accept = working(start + backlog + timedelta(hours=rng.uniform(0.2, 4)), rng)
    pick = working(accept + timedelta(hours=rng.uniform(0.2, 3)), rng)
    pack = working(pick + timedelta(hours=rng.uniform(0.3, 3)), rng)
    if pickup:
        hand_over = working(pack + timedelta(hours=rng.uniform(0.2, 2)), rng)
        done = working(hand_over + timedelta(hours=rng.uniform(2, 96)), rng)
    else:
        hand_over = working(pack + timedelta(hours=rng.uniform(0.3, 5)), rng)
        done = working(hand_over + timedelta(days=rng.uniform(1, 4)), rng)
    return Steps(accept, pick, pack, hand_over, done)


def olist_steps(row: dict[str, Any], captured: datetime, drawn: Steps) -> Steps:
    """An Olist order's own pace (approved, handed to the carrier, delivered), moved with its
    capture; a missing or out-of-order date keeps the drawn one."""
    try:
        bought = datetime.fromisoformat(row["order_purchase_timestamp"])
    except (KeyError, TypeError, ValueError):
        return drawn

    def moved(column: str, after: datetime, fallback: datetime) -> datetime:
        try:
            at = captured + (datetime.fromisoformat(row.get(column) or "") - bought)
        except ValueError:
            return max(fallback, after + timedelta(minutes=5))
        return at if at > after else max(fallback, after + timedelta(minutes=5))

    accept = moved("order_approved_at", captured, drawn.accept)
    carrier_after = accept + timedelta(minutes=10)
    hand_over = moved("order_delivered_carrier_date", carrier_after, drawn.hand_over)
    pick, pack = accept + (hand_over - accept) / 3, accept + (hand_over - accept) * 2 / 3
    done = moved("order_delivered_customer_date", hand_over, drawn.done)
    return Steps(accept, pick, pack, hand_over, done)
