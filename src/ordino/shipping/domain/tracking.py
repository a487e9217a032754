"""A tracker's state folded from its carrier's events (docs/shipping.md, "Tracking").

Events arrive late, twice and out of order (webhooks are retried, polls overlap, carriers
backfill scans). The fold is built so that none of it matters:

- each event has an identity: the carrier's event id when it gives one, else a fingerprint of
  its carrier status, substatus, time, description and location; an identity seen before is a
  duplicate and changes nothing (the first one seen is kept);
- the status is the highest-ranked status of all the events (`tracking_maps.STATUSES`): a
  maximum, so it never moves backwards and is the same whatever the order of arrival;
- the timeline holds each event once, sorted by the time it happened (then rank, identity).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property

from ordino.core.domain.errors import DomainError
from ordino.shipping.domain.tracking_maps import STATUSES, UNKNOWN

DESCRIPTION_MAX = 255
LOCATION_MAX = 128
CARRIER_ID_MAX = 100
RAW_MAX = 64
TRACKING_NUMBER_MAX = 64
CARRIER_MAX = 32


@dataclass(frozen=True)
class CarrierEvent:
    """One scan or status update, its status already in our vocabulary."""

    status: str
    occurred_at: datetime
    description: str = ""
    location: str = ""
    carrier_event_id: str = ""
    carrier_status: str = ""
    carrier_substatus: str = ""

    @cached_property  # a frozen dataclass keeps it in its __dict__: computed once
    def identity(self) -> str:
        if self.carrier_event_id:
            return f"id:{self.carrier_event_id}"
        parts = (self.carrier_status, self.carrier_substatus, self.occurred_at.isoformat(),
                 self.description, self.location)  # fmt: skip
        digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
        return f"fp:{digest[:40]}"

    @property
    def rank(self) -> int:
        return STATUSES[self.status].rank


def _text(value: object, limit: int) -> str:
    """A carrier's text, single-line and bounded: it is shown, never refused."""
    text = unicodedata.normalize("NFC", str(value or ""))
    text = " ".join(text.replace("\x00", " ").split())
    return text[:limit]


def event_make(
    *,
    status: str,
    occurred_at: datetime,
    description: object = "",
    location: object = "",
    carrier_event_id: object = "",
    carrier_status: object = "",
    carrier_substatus: object = "",
) -> CarrierEvent:
    """A bounded event: an unknown status is `unknown`; a time without a zone is refused."""
    if occurred_at.tzinfo is None or occurred_at.utcoffset() is None:
        raise DomainError("naive_time", "An event's time must say its time zone.",
                          field="occurred_at")  # fmt: skip
    return CarrierEvent(
        status=status if status in STATUSES else UNKNOWN,
        occurred_at=occurred_at.astimezone(UTC),
        description=_text(description, DESCRIPTION_MAX),
        location=_text(location, LOCATION_MAX),
        carrier_event_id=_text(carrier_event_id, CARRIER_ID_MAX),
        carrier_status=_text(carrier_status, RAW_MAX),
        carrier_substatus=_text(carrier_substatus, RAW_MAX),
    )


def _order(event: CarrierEvent) -> tuple:
    return (event.occurred_at, event.rank, event.identity)


@dataclass(frozen=True)
class TrackerState:
    status: str = UNKNOWN
    timeline: tuple[CarrierEvent, ...] = ()

    @property
    def action_required(self) -> bool:
        return STATUSES[self.status].action_required

    @property
    def last_event_at(self) -> datetime | None:
        return max((e.occurred_at for e in self.timeline), default=None)

    @property
    def identities(self) -> frozenset[str]:
        return frozenset(e.identity for e in self.timeline)


@dataclass(frozen=True)
class Applied:
    """What a batch of events did: the state before and after, the events new to it."""

    before: TrackerState
    after: TrackerState
    added: tuple[CarrierEvent, ...]
    duplicates: int

    @property
    def moved(self) -> bool:
        return self.before.status != self.after.status


def status_higher(a: str, b: str) -> str:
    """The status that wins of two: the higher rank (a tie is the same status)."""
    return a if STATUSES[a].rank >= STATUSES[b].rank else b


def tracker_fold(state: TrackerState, events: Iterable[CarrierEvent]) -> Applied:
    """Add the events new to the tracker; its status becomes the highest of all."""
    known = set(state.identities)
    added: list[CarrierEvent] = []
    duplicates = 0
    for event in events:
        if event.identity in known:
            duplicates += 1
            continue
        known.add(event.identity)
        added.append(event)
    status = state.status
    for event in added:
        status = status_higher(status, event.status)
    timeline = tuple(sorted((*state.timeline, *added), key=_order))
    return Applied(state, TrackerState(status, timeline), tuple(added), duplicates)


def carrier_code(name: object) -> str:
    """A carrier's name as a code to match on: lower case, letters and digits only, so "DHL
    Express", "dhl_express" and "DHLExpress" are one carrier."""
    return "".join(ch for ch in str(name or "").lower() if ch.isalnum())[:CARRIER_MAX]


def tracking_number_clean(value: object) -> str:
    """A tracking number as carriers print it: no spaces, upper case, bounded."""
    return "".join(str(value or "").split()).upper()[:TRACKING_NUMBER_MAX]


def event_stored(*, identity: str, **fields) -> CarrierEvent:
    """An event read back from storage, keeping the identity it was stored under (a
    fingerprint is never recomputed from stored text: the stored identity is the truth)."""
    event = CarrierEvent(**fields)
    event.__dict__["identity"] = identity  # seeds the cached property; the dataclass is frozen
    return event
