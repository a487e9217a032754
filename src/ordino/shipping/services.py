"""Shipping's use cases: a carrier's services, and their zones and rate sheets loaded whole
(docs/shipping.md, "Loading"). A refused file changes nothing: the checks run before the
table is touched, and the replacement is one transaction. Every change is audited."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError

from ordino.audit.services import audit_record, snapshot
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import Conflict, DomainError, NotFound
from ordino.core.domain.money import currency_check
from ordino.core.transactions import savepoint, use_case_atomic
from ordino.locations.selectors import location_get
from ordino.shipping.commands import BoxTypeSettings, ServiceSettings
from ordino.shipping.domain.files import rate_rows_read, zone_rows_read
from ordino.shipping.domain.packing import BoxType as Box
from ordino.shipping.domain.quote import SURCHARGE_KINDS, Surcharge
from ordino.shipping.domain.sheets import rate_sheet_check
from ordino.shipping.domain.weights import UNITS, DimRule
from ordino.shipping.domain.zones import postal_normal, zone_rules_check
from ordino.shipping.models import (
    BoxType,
    Carrier,
    CarrierService,
    RateBracket,
    ServiceSurcharge,
    ServiceZone,
)

AUDITED = (
    "name",
    "currency",
    "unit",
    "divisor",
    "min_volume",
    "increment",
    "transit_days",
    "max_weight",
    "max_longest",
    "max_length_plus_girth",
    "is_active",
)


def carrier_service_save(*, command: ServiceSettings, actor: str) -> CarrierService:
    service_settings_check(command)
    with use_case_atomic():
        carrier, _ = Carrier.objects.get_or_create(
            code=command.carrier, defaults={"name": command.carrier_name or command.carrier}
        )
        service = CarrierService.objects.filter(carrier=carrier, code=command.code).first()
        before = snapshot(service, exclude=_unaudited()) if service else None
        service = service or CarrierService(carrier=carrier, code=command.code)
        for name in AUDITED:
            if name != "is_active":
                setattr(service, name, getattr(command, name))
        service.save()
        audit_record(
            object_type="carrier_service",
            object_id=service.pk,
            label=str(service),
            action="changed" if before else "created",
            before=before,
            after=snapshot(service, exclude=_unaudited()),
            reason=command.reason,
            actor=actor,
        )
    return service


def carrier_service_activate(
    *, service_key: str, active: bool, actor: str, reason: str = ""
) -> CarrierService:
    """Set a service active or not (an inactive one is never quoted nor chosen; its tables
    stay for the day it comes back). Audited when it changes; asking again changes nothing."""
    _service_find(service_key)
    with use_case_atomic():
        service = _service_lock(service_key)
        if service.is_active == active:
            return service
        before = snapshot(service, exclude=_unaudited())
        service.is_active = active
        service.save(update_fields=["is_active"])
        audit_record(
            object_type="carrier_service",
            object_id=service.pk,
            label=str(service),
            action="activated" if active else "deactivated",
            before=before,
            after=snapshot(service, exclude=_unaudited()),
            reason=reason.strip()[:500],
            actor=actor,
        )
    return service


def service_zones_load(*, service_key: str, data: bytes, actor: str) -> int:
    """Replace the service's zone table with the file's (checked whole first)."""
    rules = zone_rules_check(zone_rows_read(data))
    _service_find(service_key)  # a 404 before anything is written
    with use_case_atomic():
        service = _service_lock(service_key)
        before = service.zones.count()
        service.zones.all().delete()
        ServiceZone.objects.bulk_create(
            ServiceZone(
                service=service,
                zone=r.zone,
                country=r.country,
                region=r.region,
                postal_prefix=r.postal_prefix,
                row=r.row,
            )
            for r in rules
        )
        service.zones_loaded_at = utcnow()
        service.save(update_fields=["zones_loaded_at"])
        _audit_load(service, "zones_loaded", before, len(rules), actor)
    return len(rules)


def service_rates_load(*, service_key: str, data: bytes, actor: str) -> int:
    """Replace the service's rate sheet with the file's (checked whole first)."""
    rows = rate_rows_read(data)
    found = _service_find(service_key)
    sheet = rate_sheet_check(found.currency, found.unit, rows)  # before anything is written
    with use_case_atomic():
        service = _service_lock(service_key)
        if (service.currency, service.unit) != (found.currency, found.unit):
            sheet = rate_sheet_check(service.currency, service.unit, rows)  # changed meanwhile
        before = service.brackets.count()
        service.brackets.all().delete()
        RateBracket.objects.bulk_create(
            RateBracket(
                service=service, zone=b.zone, above=b.above, up_to=b.up_to, price=b.price, row=b.row
            )
            for b in sheet.brackets
        )
        service.rates_loaded_at = utcnow()
        service.save(update_fields=["rates_loaded_at"])
        _audit_load(service, "rates_loaded", before, len(sheet.brackets), actor)
    return len(sheet.brackets)


def _service_find(key: str, *, lock: bool = False) -> CarrierService:
    carrier, _, code = key.partition(":")
    services = CarrierService.objects.select_related("carrier")
    if lock:
        services = services.select_for_update()
    service = services.filter(carrier__code=carrier, code=code).first()
    if service is None:
        raise NotFound("carrier_service", key)
    return service


def _service_lock(key: str) -> CarrierService:
    return _service_find(key, lock=True)


def _audit_load(service: CarrierService, action: str, before: int, after: int, actor: str):
    audit_record(
        object_type="carrier_service",
        object_id=service.pk,
        label=str(service),
        action=action,
        before={"rows": before},
        after={"rows": after},
        actor=actor,
    )


def service_settings_check(c: ServiceSettings) -> None:
    """The settings' refusals, each naming its field; also what the console's form shows before
    anything is written (shipping/admin.py)."""
    errors = []

    def bad(field: str, message: str) -> None:
        errors.append({"field": field, "code": "invalid_service", "message": message})

    for field, value, limit in (
        ("carrier", c.carrier, 32),
        ("code", c.code, 32),
        ("name", c.name, 100),
        ("carrier_name", c.carrier_name, 100),
    ):
        if (field != "carrier_name" and not value.strip()) or len(value) > limit:
            bad(field, f"{field} is required, at most {limit} characters.")
    if ":" in c.carrier or ":" in c.code:
        bad("code", "A carrier or service code cannot hold ':'.")
    if c.unit not in UNITS:
        bad("unit", f"unit is one of {', '.join(UNITS)}.")
    if not 0 <= c.transit_days <= 60:
        bad("transit_days", "transit_days is between 0 and 60.")
    for field, limit in (
        ("max_weight", 1000),
        ("divisor", 100000),
        ("increment", 100),
        ("min_volume", 10**8),
        ("max_longest", 1000),
        ("max_length_plus_girth", 3000),
    ):
        value = getattr(c, field)
        if not isinstance(value, Decimal) or not value.is_finite() or not 0 <= value <= limit:
            bad(field, f"{field} is between 0 and {limit}.")
    if errors:
        raise DomainError("invalid_service", "The service's settings have errors.", errors=errors)
    currency_check(c.currency)
    DimRule(c.unit, c.divisor, c.min_volume, c.increment)  # divisor, increment above 0
    if c.max_weight <= 0:
        raise DomainError("invalid_service", "max_weight must be above 0.", field="max_weight")


def _unaudited() -> tuple[str, ...]:
    return tuple(
        f.name for f in CarrierService._meta.concrete_fields if f.name not in (*AUDITED, "code")
    )


def service_surcharge_set(
    *, service_key: str, surcharge: Surcharge, actor: str, remove: bool = False
) -> None:
    """Set (or remove) one kind of surcharge of a service, checked and audited."""
    _surcharge_check(surcharge)
    found = _service_find(service_key)
    if remove and not found.surcharges.filter(kind=surcharge.kind).exists():
        raise NotFound("surcharge", f"{service_key} {surcharge.kind}")
    with use_case_atomic():
        service = _service_lock(service_key)
        row = service.surcharges.filter(kind=surcharge.kind).first()
        before = snapshot(row, exclude=("id", "service")) if row else None
        if remove:
            if row is not None:
                row.delete()
            after = None
        else:
            row = row or ServiceSurcharge(service=service, kind=surcharge.kind)
            row.amount, row.percent = surcharge.amount, surcharge.percent
            row.longest, row.length_plus_girth = surcharge.longest, surcharge.length_plus_girth
            row.prefixes = [postal_normal(p) for p in surcharge.prefixes]
            row.save()
            after = snapshot(row, exclude=("id", "service"))
        audit_record(
            object_type="carrier_service",
            object_id=service.pk,
            label=str(service),
            action=f"surcharge_{'removed' if remove else 'set'}",
            before=before,
            after=after,
            actor=actor,
        )


def _surcharge_check(s: Surcharge) -> None:
    def refuse(field: str, message: str) -> None:
        raise DomainError("invalid_surcharge", message, field=field)

    if s.kind not in SURCHARGE_KINDS:
        refuse("kind", f"kind is one of {', '.join(SURCHARGE_KINDS)}.")
    for field, limit in (
        ("amount", Decimal(100000)),
        ("percent", Decimal(100)),
        ("longest", Decimal(1000)),
        ("length_plus_girth", Decimal(3000)),
    ):
        value = getattr(s, field)
        if not value.is_finite() or not 0 <= value <= limit or value.as_tuple().exponent < -3:
            refuse(field, f"{field} is between 0 and {limit}, at most 3 decimals.")
    if len(s.prefixes) > 1000 or any(not 0 < len(postal_normal(p)) <= 16 for p in s.prefixes):
        refuse("prefixes", "At most 1000 postal prefixes of 1 to 16 letters or digits.")
    if s.kind == "oversize" and not (s.longest or s.length_plus_girth):
        refuse("longest", "An oversize surcharge needs longest or length_plus_girth.")
    if s.kind == "remote_area" and not s.prefixes:
        refuse("prefixes", "A remote-area surcharge needs its postal prefixes.")


BOX_AUDITED = (
    "name",
    "inner_length_mm",
    "inner_width_mm",
    "inner_height_mm",
    "outer_length_mm",
    "outer_width_mm",
    "outer_height_mm",
    "tare_g",
    "max_weight_g",
    "is_active",
)


def box_type_save(*, command: BoxTypeSettings, actor: str) -> BoxType:
    """Create or change a box type (by location and code), checked and audited."""
    box_type_check(command)
    location = location_get(code=command.location) if command.location else None
    with use_case_atomic():
        box = (
            BoxType.objects.select_for_update().filter(location=location, code=command.code).first()
        )
        before = snapshot(box, exclude=_box_unaudited()) if box else None
        box = box or BoxType(location=location, code=command.code)
        box.name, box.is_active = command.name, command.is_active
        box.inner_length_mm, box.inner_width_mm, box.inner_height_mm = command.inner
        box.outer_length_mm, box.outer_width_mm, box.outer_height_mm = command.outer
        box.tare_g, box.max_weight_g = command.tare_g, command.max_weight_g
        box.updated_at = utcnow()
        try:
            with savepoint():  # created meanwhile by another request: 409, nothing written
                box.save()
        except IntegrityError:
            raise Conflict(
                "box_type_conflict",
                f"Box type {command.code} was created meanwhile: send the change again.",
                field="code",
            ) from None
        audit_record(
            object_type="box_type",
            object_id=box.pk,
            label=f"{box.code}@{command.location or '*'}",
            action="changed" if before else "created",
            before=before,
            after=snapshot(box, exclude=_box_unaudited()),
            reason=command.reason,
            actor=actor,
        )
    return box


def box_type_check(c: BoxTypeSettings) -> None:
    """What `box_type_save` refuses, before anything is written (the console's form asks it)."""
    for field, value, limit in (("code", c.code, 32), ("name", c.name, 100)):
        if not isinstance(value, str) or not value.strip() or len(value) > limit:
            raise DomainError(
                "invalid_box_type", f"{field} is required, at most {limit} characters.", field=field
            )
    if len(c.reason) > 500:
        raise DomainError("invalid_box_type", "reason: at most 500 characters.", field="reason")
    Box(c.code, c.inner, c.outer, c.tare_g, c.max_weight_g)  # sides, tare, maximum: bounded


def _box_unaudited() -> tuple[str, ...]:
    return ("id", "location", "code", "created_at", "updated_at")
