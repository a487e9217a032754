"""The merchant's tables sourcing reads: location calendars and costs, distance zones and the
km between them, transit times."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.db import IntegrityError

from ordino.core.domain.countries import country_normalise
from ordino.core.domain.errors import Conflict, DomainError
from ordino.core.transactions import savepoint, use_case_atomic
from ordino.locations.models import Location
from ordino.sourcing.domain.opening import calendar_from_dict
from ordino.sourcing.models import DistanceZone, LocationSchedule, TransitTime, ZoneDistance
from ordino.sourcing.services.definitions import UNSET


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
    with use_case_atomic():
        if replace:
            DistanceZone.objects.all().delete()
            ZoneDistance.objects.all().delete()
        try:
            with savepoint():
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
    with use_case_atomic():
        if replace:
            TransitTime.objects.all().delete()
        try:
            with savepoint():
                TransitTime.objects.bulk_create(items)
        except IntegrityError:
            raise Conflict("transit_exists", "A transit time is listed twice.") from None
    return len(items)
