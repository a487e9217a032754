"""Use cases of tax rates: create, change, delete, import a CSV (docs/tax.md).

Every change is checked by the pure rules (`tax/domain/rates.py`), refuses a period that meets
another rate's for the same country, region and class (two rates on one day would make the
calculation guess), and emits its event and its audit entry in the same transaction
(docs/events.md, docs/people.md "Audit").
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError

from ordino.audit.services import audit_record, snapshot
from ordino.core.domain.codes import code_check, name_check
from ordino.core.domain.countries import country_normalise
from ordino.core.domain.errors import Conflict, DomainError
from ordino.core.transactions import savepoint, use_case_atomic
from ordino.events.services import event_emit
from ordino.tax.domain.rates import overlap_of, rate_check, validity_check
from ordino.tax.events import TaxRateChanged, TaxRateCreated, TaxRateDeleted, TaxRateEvent
from ordino.tax.models import TaxRate
from ordino.tax.selectors import rate_of

UNSET: object = object()
REGION_MAX = 128
IMPORT_MAX_ROWS = 10_000
IMPORT_COLUMNS = ("country", "region", "tax_class", "rate", "name", "valid_from", "valid_to")


def tax_rate_create(
    *,
    country: str,
    rate: Decimal,
    name: str,
    valid_from: date,
    region: str = "",
    tax_class: str = "standard",
    valid_to: date | None = None,
) -> TaxRate:
    row = TaxRate(
        country=country_normalise(country),
        region=_region(region),
        tax_class=code_check(tax_class, field="tax_class"),
        rate=rate_check(rate),
        name=name_check(name),
        valid_from=valid_from,
        valid_to=valid_to,
    )
    with use_case_atomic():
        _save_checked(row)
        _emit(TaxRateCreated, row)
        _audit(row, "created", None)
    return row


def tax_rate_update(
    *,
    tax_rate: TaxRate,
    region: str | object = UNSET,
    tax_class: str | object = UNSET,
    rate: Decimal | object = UNSET,
    name: str | object = UNSET,
    valid_from: date | object = UNSET,
    valid_to: date | object | None = UNSET,
) -> TaxRate:
    """Change a rate. Orders taxed before keep the rate stored on their lines."""
    checks = {
        "region": lambda v: _region(v),
        "tax_class": lambda v: code_check(v, field="tax_class"),
        "rate": lambda v: rate_check(v),
        "name": lambda v: name_check(v),
        "valid_from": lambda v: _required(v, "valid_from"),
        "valid_to": lambda v: v,
    }
    given = {
        "region": region,
        "tax_class": tax_class,
        "rate": rate,
        "name": name,
        "valid_from": valid_from,
        "valid_to": valid_to,
    }
    changed = [field for field, value in given.items() if value is not UNSET]
    before = snapshot(tax_rate)
    for field in changed:
        setattr(tax_rate, field, checks[field](given[field]))
    with use_case_atomic():
        _save_checked(tax_rate, update_fields=changed)
        _emit(TaxRateChanged, tax_rate)
        _audit(tax_rate, "changed", before)
    return tax_rate


def tax_rate_delete(*, tax_rate: TaxRate) -> None:
    """Delete a rate (a mistake); a rate that ended is better given a `valid_to`."""
    with use_case_atomic():
        _emit(TaxRateDeleted, tax_rate)
        _audit(tax_rate, "deleted", snapshot(tax_rate), after=False)
        tax_rate.delete()


def tax_rates_import(*, text: str) -> list[TaxRate]:
    """Create the rates of a CSV (header: country, region, tax_class, rate, name, valid_from,
    valid_to): all or none. A refused row raises with its line number; nothing is written."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [
        c for c in ("country", "rate", "name", "valid_from") if c not in (reader.fieldnames or [])
    ]
    if missing:
        raise DomainError("invalid_csv", f"The header lacks {', '.join(missing)}.", field="header")
    created: list[TaxRate] = []
    with use_case_atomic():
        for number, row in enumerate(reader, start=2):
            if number - 1 > IMPORT_MAX_ROWS:
                raise DomainError("invalid_csv", f"At most {IMPORT_MAX_ROWS} rows.", field="rows")
            try:
                created.append(tax_rate_create(**_csv_row(row)))
            except DomainError as exc:  # the same refusal (and status), naming the line
                message = f"Line {number}: {exc.message}"
                raise DomainError(
                    exc.code, message, field=f"line {number}", status=exc.status
                ) from None
    return created


def _csv_row(row: dict[str, str | None]) -> dict:
    def text(column: str) -> str:
        return (row.get(column) or "").strip()

    try:
        rate = Decimal(text("rate"))
    except InvalidOperation:
        raise DomainError("invalid_rate", f"{text('rate')!r} is not a decimal.") from None
    return {
        "country": text("country"),
        "region": text("region"),
        "tax_class": text("tax_class") or "standard",
        "rate": rate,
        "name": text("name"),
        "valid_from": _date(text("valid_from"), "valid_from"),
        "valid_to": _date(text("valid_to"), "valid_to") if text("valid_to") else None,
    }


def _date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DomainError(
            "invalid_date", f"{field} {value!r} is not a date such as 2026-01-01.", field=field
        ) from None


def _region(region: str | None) -> str:
    value = (region or "").strip()
    if len(value) > REGION_MAX:
        raise DomainError(
            "invalid_region", f"A region has at most {REGION_MAX} characters.", field="region"
        )
    return value


def _required(value, field: str):
    if value is None:
        raise DomainError("required", f"{field} must not be null.", field=field)
    return value


def tax_rate_check(*, row: TaxRate) -> None:
    """Refuse a period that meets another rate's of the same country, region and class (the
    console's form asks this before saving; every use case asks it again)."""
    validity_check(row.valid_from, row.valid_to)
    siblings = TaxRate.objects.filter(country=row.country, tax_class=row.tax_class).exclude(
        pk=row.pk
    )
    other = overlap_of(rate_of(row), [rate_of(r) for r in siblings])
    if other is not None:
        raise Conflict(
            "tax_rate_overlaps",
            f"{other.name!r} (id {other.id}) applies from {other.valid_from} to "
            f"{other.valid_to or 'open'}: end it first (valid_to).",
            field="valid_from",
        )


def _save_checked(row: TaxRate, update_fields: list[str] | None = None) -> None:
    tax_rate_check(row=row)
    try:
        with savepoint():  # a race on the unique key: 409, and the transaction goes on
            row.save(update_fields=update_fields) if row.pk else row.save()
    except IntegrityError:
        raise Conflict(
            "tax_rate_exists",
            "A rate for this country, region and class starts on that day.",
            field="valid_from",
        ) from None


def _audit(row: TaxRate, action: str, before: dict | None, *, after: bool = True) -> None:
    audit_record(object_type="tax_rate", object_id=row.pk, label=row.name, action=action,
                 before=before, after=snapshot(row) if after else None)  # fmt: skip


def _emit(event: type[TaxRateEvent], row: TaxRate) -> None:
    event_emit(
        event=event(
            rate_id=row.pk,
            country=row.country,
            region=row.region,
            tax_class=row.tax_class,
            rate=str(row.rate),
            rate_name=row.name,
            valid_from=row.valid_from.isoformat(),
            valid_to=row.valid_to.isoformat() if row.valid_to else None,
        ),
        aggregate_id=row.pk,
    )
