"""What counts as a touch of an order, and the figures of touches per order. Pure Python, no I/O
(docs/reports.md, "Touches per order").

A touch is an action a person took on an order: a row of the order's timeline, or of a case
about the order, whose actor is a person (`user:` in the console, `cli:` at a terminal, or an
API token that a person owns) and whose kind is not a routine step. Routine steps are the work
every order needs anyway (its capture, a location accepting, picking, packing, shipping, handing
over): counting them would make every order shipped from the console look "touched"."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from ordino.core.domain.errors import DomainError
from ordino.reports.domain.metrics import percentile_from_histogram, rate

DEFAULT_DAYS, MAX_DAYS = 30, 366
PERSON_PREFIXES = ("user:", "cli:")  # the console, a terminal; `token:` is an integration
ROUTINE_KINDS = (
    "captured",
    "fulfillment_accepted",
    "fulfillment_picking",
    "fulfillment_packed",
    "shipped",
    "delivered",
    "ready_for_pickup",
    "picked_up",
)
# A case's steps that its own record keeps; those it also writes on the order's timeline
# (cases/services/record.py: created, escalated, resolved) are counted there, once.
CASE_KINDS = ("assigned", "status", "comment", "contacted")


@dataclass(frozen=True)
class TouchStats:
    orders: int
    orders_touched: int
    zero_touch_rate: Decimal | None  # orders with no touch ÷ orders
    touches: int
    mean: Decimal | None  # touches ÷ orders, 2 decimals
    p50: int | None
    p90: int | None
    max: int | None


def touch_stats(histogram: Mapping[int, int]) -> TouchStats:
    """Figures of {touches on one order: how many orders}, zero-touch orders included."""
    orders = sum(histogram.values())
    untouched = histogram.get(0, 0)
    touches = sum(n * count for n, count in histogram.items())
    return TouchStats(
        orders=orders,
        orders_touched=orders - untouched,
        zero_touch_rate=rate(untouched, orders),
        touches=touches,
        mean=rate(touches, orders, places=2),
        p50=percentile_from_histogram(histogram, 0.5),
        p90=percentile_from_histogram(histogram, 0.9),
        max=max((n for n, count in histogram.items() if count), default=None),
    )


def username_of(actor: str, token_owners: Mapping[str, str]) -> str | None:
    """The console user behind an actor: `user:<name>`, or the owner of a person's token;
    None for a terminal login (`cli:`), which names no console user."""
    if actor.startswith("user:"):
        return actor.removeprefix("user:")
    return token_owners.get(actor)


def touch_period(
    since: datetime | None, until: datetime | None, *, now: datetime
) -> tuple[datetime, datetime]:
    """[since, until): by default the DEFAULT_DAYS days up to now; `since` before `until`, at
    most MAX_DAYS days (a report over all time would read every order)."""
    until = until or now
    since = since or until - timedelta(days=DEFAULT_DAYS)
    if since >= until:
        raise DomainError("period_invalid", "`since` must be before `until`.", field="until")
    if until - since > timedelta(days=MAX_DAYS):
        raise DomainError(
            "period_too_long", f"Ask for at most {MAX_DAYS} days at a time.", field="since"
        )
    return since, until
