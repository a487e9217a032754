"""Use cases of locations: warehouses, stores and dropship suppliers, and their groups."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError

from ordino.audit.services import audit_record, snapshot
from ordino.core.domain.codes import code_check, name_check
from ordino.core.domain.countries import country_normalise
from ordino.core.domain.errors import Conflict, DomainError
from ordino.core.transactions import savepoint, use_case_atomic
from ordino.locations.domain.geo import coordinates_check
from ordino.locations.models import Location, LocationGroup

UNSET: object = object()

_TEXT_FIELDS = ("address_line1", "address_line2", "city", "region", "postal_code")


def _groups_by_code(codes: list[str]) -> list[LocationGroup]:
    found = {g.code: g for g in LocationGroup.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise DomainError(
            "location_group_not_found",
            f"Unknown location group(s): {', '.join(missing)}.",
            field="groups",
        )
    return list(found.values())


def location_group_create(*, code: str, name: str) -> LocationGroup:
    code = code_check(code)
    group = LocationGroup(code=code, name=name_check(name))
    try:
        with savepoint():  # a taken code: IntegrityError, answered 409; the transaction goes on
            group.save()
    except IntegrityError:
        raise Conflict(
            "location_group_exists", f"A location group with code {code!r} exists.", field="code"
        ) from None
    return group


def location_create(
    *,
    code: str,
    name: str,
    kind: str = Location.WAREHOUSE,
    address_line1: str = "",
    address_line2: str = "",
    city: str = "",
    region: str = "",
    postal_code: str = "",
    country: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    ships: bool = True,
    pickup: bool = False,
    priority: int = 100,
    daily_capacity: int | None = None,
    groups: list[str] | None = None,
    is_active: bool = True,
) -> Location:
    code = code_check(code)
    kind = _kind_check(kind)
    coordinates_check(latitude, longitude)
    location = Location(
        code=code,
        name=name_check(name),
        kind=kind,
        country=country_normalise(country, required=False),
        latitude=latitude,
        longitude=longitude,
        ships=ships,
        pickup=pickup,
        priority=_non_negative(priority, "priority"),
        daily_capacity=_non_negative(daily_capacity, "daily_capacity"),
        is_active=is_active,
        **_texts(address_line1, address_line2, city, region, postal_code),
    )
    found_groups = _groups_by_code(groups) if groups else []
    try:
        with savepoint():  # a taken code: IntegrityError, answered 409; the transaction goes on
            location.save()
            if found_groups:
                location.groups.set(found_groups)
    except IntegrityError:
        if Location.objects.filter(code=code).exists():
            raise Conflict(
                "location_exists", f"A location with code {code!r} exists.", field="code"
            ) from None
        raise
    audit_record(
        object_type="location",
        object_id=location.code,
        label=location.name,
        action="created",
        after=snapshot(location),
    )
    return location


def _kind_check(kind: str) -> str:
    if kind not in dict(Location.KINDS):
        raise DomainError(
            "invalid_kind", f"kind must be one of {', '.join(dict(Location.KINDS))}.", field="kind"
        )
    return kind


def _texts(*values: str | None) -> dict[str, str]:
    """The address's text fields, in the order of _TEXT_FIELDS, trimmed."""
    return {f: (v or "").strip() for f, v in zip(_TEXT_FIELDS, values, strict=True)}


def _non_negative(value: int | None, field: str) -> int | None:
    if value is not None and value < 0:
        raise DomainError("invalid_number", f"{field} must not be negative.", field=field)
    return value


def location_update(
    *,
    location: Location,
    name: str | object = UNSET,
    kind: str | object = UNSET,
    address_line1: str | object = UNSET,
    address_line2: str | object = UNSET,
    city: str | object = UNSET,
    region: str | object = UNSET,
    postal_code: str | object = UNSET,
    country: str | object = UNSET,
    latitude: Decimal | object | None = UNSET,
    longitude: Decimal | object | None = UNSET,
    ships: bool | object = UNSET,
    pickup: bool | object = UNSET,
    priority: int | object = UNSET,
    daily_capacity: int | object | None = UNSET,
    groups: list[str] | object = UNSET,
    is_active: bool | object = UNSET,
) -> Location:
    """Change any field `location_create` takes except the code; `groups` replaces the groups."""
    given = {k: v for k, v in locals().items() if k != "location" and v is not UNSET}
    before = snapshot(location)  # after `locals()`: it is no field
    changes: dict[str, object] = dict(given)
    groups = changes.pop("groups", UNSET)
    for field, value in changes.items():
        if field in ("ships", "pickup", "is_active", "priority") and value is None:
            raise DomainError("required", f"{field} must not be null.", field=field)
        if field == "name":
            value = name_check(value)  # type: ignore[arg-type]
        elif field == "kind":
            value = _kind_check(value)  # type: ignore[arg-type]
        elif field == "country":
            value = country_normalise(value, required=False)  # type: ignore[arg-type]
        elif field in ("priority", "daily_capacity"):
            value = _non_negative(value, field)  # type: ignore[arg-type]
        elif field in _TEXT_FIELDS:
            value = (value or "").strip()  # type: ignore[union-attr]
        setattr(location, field, value)
    coordinates_check(location.latitude, location.longitude)
    found_groups = _groups_by_code(groups) if isinstance(groups, list) and groups else []
    with use_case_atomic():
        if changes:
            location.save(update_fields=list(changes))
        if groups is not UNSET:
            location.groups.set(found_groups)
    audit_record(
        object_type="location",
        object_id=location.code,
        label=location.name,
        action="changed",
        before=before,
        after=snapshot(location),
    )
    return location


def location_groups_set(*, location: Location, group_codes: list[str]) -> Location:
    """Replace the groups the location belongs to."""
    found = _groups_by_code(group_codes)
    with use_case_atomic():
        before = snapshot(location)
        location.groups.set(found)
        audit_record(object_type="location", object_id=location.code, label=location.name,
                     action="groups_set", before=before, after=snapshot(location))  # fmt: skip
    return location
