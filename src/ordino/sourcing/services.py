"""Use cases of sourcing: profiles and their versions (draft → active → retired, audited), the
merchant's tables, and the decision order capture asks for (`sourcing_decide`)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max

from ordino.core.domain.bounds import effective_from_check
from ordino.core.domain.clock import utcnow
from ordino.core.domain.codes import code_check, name_check
from ordino.core.domain.countries import country_normalise
from ordino.core.domain.errors import Conflict, DomainError, NotFound
from ordino.locations.models import Location, LocationGroup
from ordino.sourcing.domain import Decision, OrderFacts, Profile, decide, profile_from_dict
from ordino.sourcing.domain.opening import calendar_from_dict
from ordino.sourcing.facts import (
    UNKNOWN,
    Snapshot,
    candidates_enrich,
    profile_needs,
    versions_in_effect,
)
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

UNSET: object = object()

# With no profile configured: today's behaviour. Fewest locations first (one location that
# covers everything, else the fewest that do), then priority; backorder the rest.
BUILT_IN_DEFINITION = {
    "code": "built-in",
    "version": 1,
    "strategies": [
        {
            "name": "fewest locations, then priority",
            "ranking": {"criteria": [{"criterion": "priority"}]},
            "split": {"max_shipments": None, "fill": "fewest_shipments"},
            "fallback": {"kind": "backorder"},
        }
    ],
}


class _Everything:
    """known_groups for versions validated when they were saved: trust their group names."""

    def __contains__(self, item: object) -> bool:
        return True

    def __iter__(self):
        return iter(())


BUILT_IN = profile_from_dict(BUILT_IN_DEFINITION, known_groups=_Everything())


# --- the decision capture and re-routing ask for ---------------------------------------------


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
    profile = _parse(definition, code=code, number=number, effective_from=effective_from)
    if len(_PROFILES) > 256:
        _PROFILES.clear()
    _PROFILES[str(rev)] = (profile, pk)
    return profile, pk


def _parse(definition: dict, *, code: str, number: int, effective_from: datetime | None) -> Profile:
    data = _full(definition, code=code, number=number, effective_from=effective_from)
    return profile_from_dict(data, known_groups=_Everything())


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
    return SourcingDecision.objects.create(
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
    }


# --- profiles and versions --------------------------------------------------------------------


def _full(
    definition: object, *, code: str, number: int, effective_from: datetime | None
) -> dict[str, object]:
    if not isinstance(definition, dict):
        raise DomainError(
            "invalid_profile",
            'definition: expected an object such as {"strategies": [...]}.',
            field="definition",
        )
    given = definition.get("code")
    if given is not None and given != code:
        raise DomainError(
            "invalid_profile",
            f"definition.code {given!r} differs from the profile's code {code!r}.",
            field="definition.code",
        )
    data = {k: v for k, v in definition.items() if k not in ("code", "version", "effective_from")}
    data.update(
        code=code,
        version=number,
        effective_from=None if effective_from is None else effective_from.isoformat(),
    )
    return data


def definition_check(
    definition: object, *, code: str, number: int = 1, effective_from: datetime | None = None
) -> Profile:
    """The Profile, or DomainError('invalid_profile') with every problem (unknown groups and
    locations, never-matching strategies, cycles of fallbacks, ...) under `definition.`."""
    data = _full(definition, code=code, number=number, effective_from=effective_from)
    groups = set(LocationGroup.objects.values_list("code", flat=True))
    locations = set(Location.objects.values_list("code", flat=True))
    try:
        return profile_from_dict(data, known_groups=groups, known_locations=locations)
    except DomainError as exc:
        for err in exc.errors:
            err["field"] = f"definition.{err['field']}"
        raise


def _effective(definition: object, effective_from: datetime | object | None) -> datetime | None:
    """effective_from given on its own wins over one inside the definition."""
    if effective_from is not UNSET:
        when = effective_from
    elif isinstance(definition, dict) and definition.get("effective_from"):
        try:
            when = datetime.fromisoformat(str(definition["effective_from"]))
        except ValueError:
            raise DomainError(
                "invalid_profile",
                f"definition.effective_from {definition['effective_from']!r} is not ISO 8601.",
                field="definition.effective_from",
            ) from None
    else:
        return None
    if when is not None and (when.tzinfo is None or when.utcoffset() is None):  # type: ignore[union-attr]
        raise DomainError(
            "naive_datetime",
            "effective_from needs a timezone, e.g. 2025-10-01T00:00:00+02:00.",
            field="effective_from",
        )
    if isinstance(when, datetime):  # one inside the definition met no schema: check it here
        field = "effective_from" if effective_from is not UNSET else "definition.effective_from"
        effective_from_check(when, now=utcnow(), field=field)
    return when  # type: ignore[return-value]


def _audit(
    profile: SourcingProfile,
    version: SourcingProfileVersion | None,
    action: str,
    actor: str,
    now: datetime,
    **data: object,
) -> None:
    ProfileAudit.objects.create(
        profile=profile, version=version, action=action, actor=actor, data=data, created_at=now
    )


def profile_get(*, code: str) -> SourcingProfile:
    profile = SourcingProfile.objects.filter(code=code).first()
    if profile is None:
        raise NotFound("sourcing_profile", code)
    return profile


def profile_create(
    *,
    code: str,
    name: str,
    actor: str,
    definition: dict | None = None,
    effective_from: datetime | None = None,
    is_default: bool | None = None,
    now: datetime | None = None,
) -> SourcingProfile:
    """A new profile, with a first draft when `definition` is given. The first profile is the
    default one unless told otherwise."""
    now = now or utcnow()
    code = code_check(code)
    name = name_check(name)
    if definition is not None:
        definition_check(
            definition, code=code, effective_from=_effective(definition, effective_from)
        )
    with transaction.atomic():
        if is_default is None:
            is_default = not SourcingProfile.objects.filter(is_default=True).exists()
        if is_default:
            SourcingProfile.objects.filter(is_default=True).update(is_default=False)
        try:
            with transaction.atomic():
                profile = SourcingProfile.objects.create(
                    code=code, name=name, is_default=is_default, created_by=actor, created_at=now
                )
        except IntegrityError:
            raise Conflict(
                "sourcing_profile_exists", f"A profile with code {code!r} exists.", field="code"
            ) from None
        _audit(profile, None, "created", actor, now, name=name, is_default=is_default)
        if definition is not None:
            profile_draft_save(
                profile=profile,
                definition=definition,
                effective_from=effective_from if effective_from is not None else UNSET,
                actor=actor,
                now=now,
            )
    return profile


def profile_default_set(*, profile: SourcingProfile, actor: str) -> SourcingProfile:
    """Make this the profile capture uses (its version in effect applies to the next order)."""
    now = utcnow()
    with transaction.atomic():
        SourcingProfile.objects.filter(is_default=True).exclude(pk=profile.pk).update(
            is_default=False
        )
        SourcingProfile.objects.filter(pk=profile.pk).update(is_default=True)
        profile.is_default = True
        _audit(profile, None, "made_default", actor, now)
    return profile


def profile_draft_save(
    *,
    profile: SourcingProfile,
    definition: dict,
    actor: str,
    effective_from: datetime | object | None = UNSET,
    note: str = "",
    now: datetime | None = None,
) -> SourcingProfileVersion:
    """Create or replace the profile's draft. Refused (nothing saved) when invalid."""
    now = now or utcnow()
    when = _effective(definition, effective_from)
    with transaction.atomic():
        draft = SourcingProfileVersion.objects.filter(
            profile=profile, status=SourcingProfileVersion.DRAFT
        ).first()
        if draft is None:
            last = profile.versions.aggregate(n=Max("number"))["n"] or 0
            number = last + 1
        else:
            number = draft.number
        definition_check(definition, code=profile.code, number=number, effective_from=when)
        stored = {
            k: v for k, v in definition.items() if k not in ("code", "version", "effective_from")
        }
        if draft is None:
            try:
                with transaction.atomic():
                    draft = SourcingProfileVersion.objects.create(
                        profile=profile,
                        number=number,
                        status=SourcingProfileVersion.DRAFT,
                        definition=stored,
                        effective_from=when,
                        note=note,
                        created_by=actor,
                        created_at=now,
                        updated_at=now,
                    )
            except IntegrityError:
                raise Conflict(
                    "draft_changed", "Someone else created a draft meanwhile; retry."
                ) from None
            action = "draft_created"
        else:
            draft.definition, draft.effective_from, draft.updated_at = stored, when, now
            draft.note = note or draft.note
            draft.save(update_fields=["definition", "effective_from", "note", "updated_at"])
            action = "draft_saved"
        _audit(
            profile,
            draft,
            action,
            actor,
            now,
            number=number,
            definition=stored,
            effective_from=None if when is None else when.isoformat(),
            note=note,
        )
    return draft


def profile_draft_validate(
    *, profile: SourcingProfile, definition: dict | None = None
) -> dict[str, object]:
    """Check a definition (or the stored draft) without saving: {valid, errors, profile}."""
    if definition is None:
        draft = profile.versions.filter(status=SourcingProfileVersion.DRAFT).first()
        if draft is None:
            raise NotFound("draft", profile.code)
        definition, number, when = draft.definition, draft.number, draft.effective_from
    else:
        number = (profile.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        when = _effective(definition, UNSET)
    try:
        checked = definition_check(
            definition, code=profile.code, number=number, effective_from=when
        )
    except DomainError as exc:
        return {"valid": False, "errors": exc.errors or [_error(exc)], "profile": None}
    return {"valid": True, "errors": [], "profile": checked.to_dict()}


def _error(exc: DomainError) -> dict[str, str]:
    return {"field": "definition", "code": exc.code, "message": exc.message}


def profile_version_activate(
    *,
    profile: SourcingProfile,
    number: int,
    actor: str,
    effective_from: datetime | object | None = UNSET,
    now: datetime | None = None,
) -> SourcingProfileVersion:
    """Activate a draft, from `effective_from` (default: the draft's date, else now). The next
    capture uses it as soon as it is in effect. Versions it supersedes for good (an active
    version in effect now beats them) are retired."""
    now = now or utcnow()
    with transaction.atomic():
        version = (
            SourcingProfileVersion.objects.select_for_update()
            .filter(profile=profile, number=number)
            .first()
        )
        if version is None:
            raise NotFound("sourcing_profile_version", f"{profile.code} v{number}")
        if version.status != SourcingProfileVersion.DRAFT:
            raise Conflict(
                "version_not_draft",
                f"Version {number} of {profile.code} is {version.status}; only a draft can be "
                "activated (save its definition as a new draft to bring it back).",
            )
        when = version.effective_from if effective_from is UNSET else effective_from
        # Without a date it takes effect now, ahead of versions dated before now.
        when = when or now
        if when is not None and (when.tzinfo is None or when.utcoffset() is None):  # type: ignore[union-attr]
            raise DomainError(
                "naive_datetime", "effective_from needs a timezone.", field="effective_from"
            )
        definition_check(version.definition, code=profile.code, number=number, effective_from=when)  # type: ignore[arg-type]
        version.status = SourcingProfileVersion.ACTIVE
        version.effective_from = when  # type: ignore[assignment]
        version.activated_at, version.activated_by = now, actor
        version.revision = uuid.uuid4()
        version.updated_at = now
        version.save(
            update_fields=[
                "status",
                "effective_from",
                "activated_at",
                "activated_by",
                "revision",
                "updated_at",
            ]
        )
        retired = _retire_superseded(profile, now)
        _audit(
            profile,
            version,
            "activated",
            actor,
            now,
            number=number,
            effective_from=None if when is None else when.isoformat(),  # type: ignore[union-attr]
            retired=retired,
        )
    return version


def _retire_superseded(profile: SourcingProfile, now: datetime) -> list[int]:
    """Retire active versions that can never be in effect again: one in effect at `now`
    outranks them and time only moves on."""
    active = list(profile.versions.filter(status=SourcingProfileVersion.ACTIVE))

    def key(v: SourcingProfileVersion) -> tuple:
        return (v.effective_from is not None, v.effective_from or now, v.number)

    due = [v for v in active if v.effective_from is None or v.effective_from <= now]
    if not due:
        return []
    current = max(due, key=key)
    stale = [v.number for v in due if v.pk != current.pk]
    if stale:
        profile.versions.filter(number__in=stale).update(
            status=SourcingProfileVersion.RETIRED, retired_at=now
        )
    return sorted(stale)


# --- the merchant's tables ---------------------------------------------------------------------


def location_schedule_set(
    *,
    location: Location,
    calendar: dict | None = None,
    cost_per_shipment: Decimal | object | None = UNSET,
) -> LocationSchedule:
    """A location's calendar (validated) and cost per shipment."""
    if calendar:
        calendar_from_dict(calendar)
    schedule, _ = LocationSchedule.objects.get_or_create(location=location)
    if calendar is not None:
        schedule.calendar = calendar
    if cost_per_shipment is not UNSET:
        schedule.cost_per_shipment = cost_per_shipment  # type: ignore[assignment]
    schedule.save()
    return schedule


PREFIX_MAX = DistanceZone._meta.get_field("postal_prefix").max_length


def zones_load(
    *, zones: Sequence[dict], distances: Sequence[dict] = (), replace: bool = True
) -> tuple[int, int]:
    """Load the zone table ({country, region?, postal_prefix?, zone}) and km between zones
    ({zone_a, zone_b, km}); `replace` drops what was there."""
    rows, errors = [], []
    for i, z in enumerate(zones):
        try:
            country = country_normalise(str(z["country"]), field=f"zones.{i}.country")
        except DomainError as exc:
            errors += exc.errors
            continue
        # Upper-casing may lengthen a prefix ('ß' → 'SS'): check it as it will be stored.
        prefix = (z.get("postal_prefix") or "").replace(" ", "").upper()
        if len(prefix) > PREFIX_MAX:
            errors.append(
                {
                    "field": f"zones.{i}.postal_prefix",
                    "code": "too_long",
                    "message": f"A postal prefix has at most {PREFIX_MAX} characters.",
                }
            )
            continue
        rows.append(
            DistanceZone(
                country=country, region=z.get("region") or "", postal_prefix=prefix, zone=z["zone"]
            )
        )
    if errors:
        raise DomainError("invalid_zones", "Some zones are not valid.", errors=errors)
    pairs = [ZoneDistance(zone_a=d["zone_a"], zone_b=d["zone_b"], km=d["km"]) for d in distances]
    with transaction.atomic():
        if replace:
            DistanceZone.objects.all().delete()
            ZoneDistance.objects.all().delete()
        try:
            with transaction.atomic():
                DistanceZone.objects.bulk_create(rows)
                ZoneDistance.objects.bulk_create(pairs)
        except IntegrityError:
            raise Conflict("zone_exists", "A zone or zone pair is listed twice.") from None
    return len(rows), len(pairs)


def transit_times_load(*, rows: Sequence[dict], replace: bool = True) -> int:
    """Load transit days ({service, from_zone?, to_zone?, days}; '*' = any zone)."""
    items = [
        TransitTime(
            service=r["service"],
            from_zone=r.get("from_zone") or "*",
            to_zone=r.get("to_zone") or "*",
            days=r["days"],
        )
        for r in rows
    ]
    with transaction.atomic():
        if replace:
            TransitTime.objects.all().delete()
        try:
            with transaction.atomic():
                TransitTime.objects.bulk_create(items)
        except IntegrityError:
            raise Conflict("transit_exists", "A transit time is listed twice.") from None
    return len(items)
