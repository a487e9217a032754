"""Reads of sourcing: profiles and versions, stored decisions, an order as the engine sees it."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet, Subquery

from ordino.core.domain.errors import NotFound
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.locations.models import Location
from ordino.sourcing.models import (
    DistanceZone,
    LocationSchedule,
    ProfileAudit,
    SourcingDecision,
    SourcingProfile,
    SourcingProfileVersion,
    TransitTime,
    ZoneDistance,
)


def profile_list() -> QuerySet[SourcingProfile]:
    return SourcingProfile.objects.order_by("code").prefetch_related(
        Prefetch("versions", queryset=SourcingProfileVersion.objects.order_by("-number"))
    )


def profile_get(*, code: str) -> SourcingProfile:
    profile = profile_list().filter(code=code).first()
    if profile is None:
        raise NotFound("sourcing_profile", code)
    return profile


def version_get(*, profile: SourcingProfile, number: int) -> SourcingProfileVersion:
    version = profile.versions.filter(number=number).first()
    if version is None:
        raise NotFound("sourcing_profile_version", f"{profile.code} v{number}")
    return version


def draft_of(profile: SourcingProfile) -> SourcingProfileVersion | None:
    return next((v for v in profile.versions.all() if v.status == "draft"), None)


def audit_list(*, profile: SourcingProfile) -> QuerySet[ProfileAudit]:
    return profile.audit.select_related("version").order_by("-id")


def decisions_of_order(*, order_id: int) -> list[SourcingDecision]:
    return list(SourcingDecision.objects.filter(order_id=order_id).order_by("id"))


def explanation_sentences(explanation: dict, names: dict[str, str] | None = None) -> list[str]:
    """A stored explanation (Explanation.to_dict()) as readable lines, as `sentences()` gives;
    with `names` (location code → name) each location is called by its name."""
    names = names or {}
    out = [str(explanation.get("summary", ""))]
    for s in explanation.get("strategies", []):
        head = "matched" if s.get("matched") else "skipped"
        out.append(f"Strategy {s.get('name')!r} {head}: {s.get('condition')}.")
        out.extend(
            f"  {names.get(str(c.get('code')), c.get('code'))}: {c.get('reason')}"
            for c in s.get("candidates", [])
        )
        if s.get("split"):
            out.append(f"  Split: {s['split'].get('reason')}")
        if s.get("result"):
            out.append(f"  Result: {s['result']}")
    return out


def decision_serialize(record: SourcingDecision, codes: dict[int, str]) -> dict[str, object]:
    stored = record.explanation or {}
    shipments: dict[str, dict[str, int]] = {}
    for key, picks in (stored.get("assignments") or {}).items():
        for pick in picks:
            where = codes.get(pick["location_id"], str(pick["location_id"]))
            shipments.setdefault(where, {})[key] = pick["quantity"]
    explanation = stored.get("explanation") or {}
    return {
        "id": record.pk,
        "profile": record.profile_code,
        "version": record.version_number,
        "trigger": record.trigger,
        "outcome": record.outcome,
        "strategy": record.strategy or None,
        "summary": record.summary,
        "cancel_after": record.cancel_after,
        "created_at": record.created_at,
        "shipments": shipments,
        "backordered": stored.get("backordered") or {},
        "explanation": explanation,
        "sentences": explanation_sentences(explanation),
    }


def order_decisions(*, order_id: int) -> list[dict[str, object]]:
    """The stored decisions of an order, oldest first, with their explanations."""
    records = decisions_of_order(order_id=order_id)
    ids = {
        pick["location_id"]
        for r in records
        for picks in (r.explanation.get("assignments") or {}).values()
        for pick in picks
    }
    codes = dict(Location.objects.filter(pk__in=ids).values_list("id", "code"))
    return [decision_serialize(r, codes) for r in records]


def profile_serialize(profile: SourcingProfile, now) -> dict[str, object]:
    versions = list(profile.versions.all())
    active = [v for v in versions if v.status == SourcingProfileVersion.ACTIVE]
    due = [v for v in active if v.effective_from is None or v.effective_from <= now]
    current = max(
        due,
        key=lambda v: (v.effective_from is not None, v.effective_from or now, v.number),
        default=None,
    )
    draft = draft_of(profile)
    return {
        "code": profile.code,
        "name": profile.name,
        "is_default": profile.is_default,
        "created_by": profile.created_by,
        "created_at": profile.created_at,
        "in_effect": None if current is None else current.number,
        "draft": None if draft is None else version_serialize(draft, current),
        "versions": [
            {
                "number": v.number,
                "status": v.status,
                "effective_from": v.effective_from,
                "activated_at": v.activated_at,
            }
            for v in versions
        ],
    }


def version_serialize(
    v: SourcingProfileVersion, current: SourcingProfileVersion | None = None
) -> dict[str, object]:
    return {
        "number": v.number,
        "status": v.status,
        "in_effect": current is not None and current.pk == v.pk,
        "definition": v.definition,
        "effective_from": v.effective_from,
        "note": v.note,
        "created_by": v.created_by,
        "created_at": v.created_at,
        "updated_at": v.updated_at,
        "activated_at": v.activated_at,
        "activated_by": v.activated_by,
        "retired_at": v.retired_at,
    }


def versions_serialize(profile: SourcingProfile, now) -> list[dict[str, object]]:
    current_number = profile_serialize(profile, now)["in_effect"]
    current = next((v for v in profile.versions.all() if v.number == current_number), None)
    return [version_serialize(v, current) for v in profile.versions.all()]


def zones_read() -> dict[str, list[dict[str, object]]]:
    return {
        "zones": list(DistanceZone.objects.values("country", "region", "postal_prefix", "zone")),
        "distances": [
            {"zone_a": a, "zone_b": b, "km": km}
            for a, b, km in ZoneDistance.objects.values_list("zone_a", "zone_b", "km")
        ],
    }


def transit_times_read() -> list[dict[str, object]]:
    return list(TransitTime.objects.values("service", "from_zone", "to_zone", "days"))


def location_names() -> dict[str, str]:
    """Location code → name, to call locations by their names in explanations."""
    return dict(Location.objects.values_list("code", "name"))


def location_by_code(*, code: str, scope: Scope = UNRESTRICTED) -> Location:
    """The location, or NotFound also when the caller's scope does not see it."""
    location = Location.objects.filter(code=code).first()
    if location is None or not scope.sees_location(location.pk):
        raise NotFound("location", code)
    return location


def schedule_read(*, location: Location) -> dict[str, object]:
    schedule = LocationSchedule.objects.filter(location=location).first()
    return {
        "location": location.code,
        "calendar": schedule.calendar if schedule else {},
        "cost_per_shipment": schedule.cost_per_shipment if schedule else None,
    }


def decision_cancel_after_q(*, order_ref) -> Subquery:
    """For an order queryset (`order_ref`: OuterRef to the order's id): the date after which the
    latest sourcing decision lets its backorders be cancelled (a fallback's auto-cancel)."""
    latest = SourcingDecision.objects.filter(order_id=order_ref).order_by("-id")
    return Subquery(latest.values("cancel_after")[:1])
