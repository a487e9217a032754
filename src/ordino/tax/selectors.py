"""Reads of tax rates: lists for the API and the console, and what a capture needs in one
statement (the SKUs' tax classes and the destination's rates, docs/tax.md)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from django.db import connection
from django.db.models import QuerySet

from ordino.catalog.models import Sku
from ordino.core.domain.errors import NotFound
from ordino.core.sql import row_converter
from ordino.tax.domain.calculation import OrderTax, TaxLine, order_tax
from ordino.tax.domain.rates import STANDARD, Rate
from ordino.tax.models import TaxRate


def tax_rate_list(
    *,
    country: str | None = None,
    region: str | None = None,
    tax_class: str | None = None,
) -> QuerySet[TaxRate]:
    qs = TaxRate.objects.order_by("country", "region", "tax_class", "valid_from", "id")
    if country:
        qs = qs.filter(country=country.strip().upper())
    if region is not None:
        qs = qs.filter(region__iexact=region.strip())
    if tax_class:
        qs = qs.filter(tax_class=tax_class)
    return qs


def tax_rate_get(*, rate_id: int) -> TaxRate:
    found = TaxRate.objects.filter(pk=rate_id).first()
    if found is None:
        raise NotFound("tax_rate", rate_id)
    return found


def rate_of(row: TaxRate) -> Rate:
    """A row as the pure calculation takes it."""
    return Rate(
        id=row.pk or 0,
        country=row.country,
        region=row.region,
        tax_class=row.tax_class,
        rate=row.rate,
        name=row.name,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
    )


def tax_quote(
    *,
    country: str | None,
    region: str,
    lines: Sequence[tuple[str, Decimal]],
    shipping: Decimal,
    currency: str,
    inclusive: bool,
    on: date,
) -> OrderTax:
    """The tax of an order's lines (SKU code, amount after discounts) and shipping at a
    destination: the one calculation capture and edit share (docs/tax.md). One statement."""
    if not country:  # nowhere to tax: every amount 0, said so; nothing to read
        inputs = TaxInputs({sku: STANDARD for sku, _ in lines}, [])
    else:
        inputs = tax_inputs_read(sku_codes=[sku for sku, _ in lines], country=country)
    return order_tax(
        country=country,
        region=region,
        lines=[TaxLine(amount, inputs.classes[sku]) for sku, amount in lines],
        shipping=shipping,
        rates=inputs.rates,
        currency=currency,
        inclusive=inclusive,
        on=on,
    )


@dataclass(frozen=True)
class TaxInputs:
    """What the calculation reads from the database for one order."""

    classes: dict[str, str]  # SKU code → tax class (STANDARD for a code not found)
    rates: list[Rate]  # the destination country's rates, every class and period


def tax_inputs_read(*, sku_codes: Collection[str], country: str | None) -> TaxInputs:
    """The SKUs' tax classes and the country's rates, in ONE statement (capture's hot path,
    docs/performance.md): a UNION ALL of both, its text built once per number of SKUs."""
    codes = sorted(set(sku_codes))
    if not codes and not country:
        return TaxInputs({}, [])
    with connection.cursor() as cursor:
        cursor.execute(_inputs_sql(connection.vendor, len(codes)), [*codes, country or ""])
        convert = _convert(connection.vendor)
        rows = [convert(row) for row in cursor.fetchall()]
    classes = {code: STANDARD for code in codes}
    rates: list[Rate] = []
    for kind, pk, key, tax_class, region, rate, name, valid_from, valid_to in rows:
        if kind == 0:
            classes[key] = tax_class
        else:
            rates.append(Rate(pk, key, region, tax_class, rate, name, valid_from, valid_to))
    rates.sort(key=lambda r: (r.valid_from, r.id))
    return TaxInputs(classes, rates)


@cache
def _convert(vendor: str):
    field = TaxRate._meta.get_field
    return row_converter(
        (None, None, None, None, None, field("rate"), None, field("valid_from"), field("valid_to"))
    )


@cache
def _inputs_sql(vendor: str, skus: int) -> str:
    # `vendor` keys the cache: a test process may switch databases between runs.
    q = connection.ops.quote_name
    rates = (
        "SELECT 1, r.id, r.country, r.tax_class, r.region, r.rate, r.name, r.valid_from,"
        f" r.valid_to FROM {q(TaxRate._meta.db_table)} r WHERE r.country = %s"
    )
    if not skus:
        return rates
    marks = ", ".join(["%s"] * skus)
    return (
        "SELECT 0, s.id, s.code, s.tax_class, '', NULL, '', NULL, NULL"
        f" FROM {q(Sku._meta.db_table)} s WHERE s.code IN ({marks}) UNION ALL {rates}"
    )
