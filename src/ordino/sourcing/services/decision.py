"""The decision order capture and re-routing ask for: which profile is in effect, where the
order's items come from (`sourcing_decide`), and the stored decision with its explanation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ordino.core.sql import instances_insert
from ordino.sourcing.domain import Decision, OrderFacts, Profile, address_unserved, decide
from ordino.sourcing.facts import (
    UNKNOWN,
    Snapshot,
    candidates_enrich,
    profile_needs,
    versions_in_effect,
)
from ordino.sourcing.models import SourcingDecision, SourcingProfileVersion
from ordino.sourcing.services.definitions import BUILT_IN, version_parse


@dataclass(frozen=True)
class Sourced:
    decision: Decision
    order: OrderFacts
    profile: Profile
    version_id: int | None  # None: the built-in default


# Parsed active versions by revision. An active version never changes (a new activation gets
# a new revision), so this cache can only miss, never be stale; correctness needs no process state.
_PROFILES: dict[str, tuple[Profile, int]] = {}


def profile_for_capture(revision: str | None, now: datetime) -> tuple[Profile, int | None]:
    """The profile in effect, from the revision read with the candidates (no statement when
    cached), or read now when the candidates query could not tell (no stock rows)."""
    if revision is None:
        return BUILT_IN, None
    if revision != UNKNOWN and revision in _PROFILES:
        return _PROFILES[revision]
    rows = (
        versions_in_effect(now)
        if revision == UNKNOWN
        else SourcingProfileVersion.objects.filter(revision=revision)
    )
    row = rows.values_list(
        "id", "number", "definition", "effective_from", "revision", "profile__code"
    ).first()
    if row is None:
        return BUILT_IN, None
    pk, number, definition, effective_from, rev, code = row
    profile = version_parse(definition, code=code, number=number, effective_from=effective_from)
    if len(_PROFILES) > 256:
        _PROFILES.clear()
    _PROFILES[str(rev)] = (profile, pk)
    return profile, pk


def sourcing_decide(*, order: OrderFacts, snapshot: Snapshot, now: datetime) -> Sourced:
    """Where the order's items come from, by the profile in effect at `now`, over the
    candidates read in `snapshot` (plus what the profile needs: groups, capacity, zones)."""
    profile, version_id = profile_for_capture(snapshot.profile_revision, now)
    candidates, zones = candidates_enrich(
        snapshot.candidates, needs=profile_needs(profile), now=now, destinations=[order.destination]
    )
    decision = decide(order, candidates, profile, now, zones=zones)
    return Sourced(decision, order, profile, version_id)


def sourcing_decision_record(
    *, order_id: int, sourced: Sourced, trigger: str, now: datetime
) -> SourcingDecision:
    """Store the decision and its explanation: one statement."""
    d = sourced.decision
    record = SourcingDecision(
        order_id=order_id,
        profile_version_id=sourced.version_id,
        profile_code=sourced.profile.code,
        version_number=sourced.profile.version,
        trigger=trigger,
        outcome=d.outcome,
        strategy=d.strategy or "",
        summary=d.explanation.summary[:500],
        explanation=d.to_dict(),
        cancel_after=d.cancel_after,
        created_at=now,
    )
    return instances_insert([record])[0]


def decision_summary(record: SourcingDecision) -> dict[str, object]:
    """The short form on the order's timeline."""
    return {
        "decision_id": record.pk,
        "profile": record.profile_code,
        "version": record.version_number,
        "outcome": record.outcome,
        "strategy": record.strategy or None,
        "summary": record.summary,
        "cancel_after": None if record.cancel_after is None else record.cancel_after.isoformat(),
        # no location reaches the address: cases open `address_unshippable` (docs/cases.md)
        "address_unserved": address_unserved(record.explanation.get("explanation") or {}),
    }
