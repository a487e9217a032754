"""Reads of the catalog."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet

from ordino.catalog.models import KitComponent, Product, Sku
from ordino.core.domain.errors import NotFound


def json_list_contains(queryset: QuerySet, field: str, value: str) -> QuerySet:
    """Rows whose JSON list `field` holds `value`, on PostgreSQL and on SQLite."""
    if connection.vendor == "postgresql":
        return queryset.filter(**{f"{field}__contains": [value]})
    table = queryset.model._meta.db_table
    column = queryset.model._meta.get_field(field).column
    return queryset.extra(
        where=[f'EXISTS (SELECT 1 FROM json_each("{table}"."{column}") WHERE value = %s)'],
        params=[value],
    )


def product_list(
    *, q: str | None = None, tag: str | None = None, active: bool | None = None
) -> QuerySet[Product]:
    qs = Product.objects.all()
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q))
    if tag:
        qs = json_list_contains(qs, "tags", tag.strip().lower())
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def product_get(*, code: str) -> Product:
    product = Product.objects.filter(code=code).first()
    if product is None:
        raise NotFound("product", code)
    return product


def _skus() -> QuerySet[Sku]:
    return Sku.objects.select_related("product").prefetch_related(
        Prefetch(
            "components",
            queryset=KitComponent.objects.select_related("component").order_by("id"),
        )
    )


def sku_list(
    *,
    product: str | None = None,
    tag: str | None = None,
    barcode: str | None = None,
    kind: str | None = None,
    q: str | None = None,
    active: bool | None = None,
) -> QuerySet[Sku]:
    qs = _skus()
    if product:
        qs = qs.filter(product__code=product)
    if tag:
        qs = json_list_contains(qs, "tags", tag.strip().lower())
    if barcode:
        qs = qs.filter(barcode=barcode.strip())
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(product__name__icontains=q))
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def sku_get(*, code: str) -> Sku:
    sku = _skus().filter(code=code).first()
    if sku is None:
        raise NotFound("sku", code)
    return sku


@dataclass(frozen=True)
class SkuConsumption:
    """What one item of a SKU takes from stock: a kit's components, or the SKU itself."""

    id: int
    code: str
    name: str
    consumes: dict[int, int]  # SKU id → units per item; empty for a kit without components


def skus_consumption(
    *, codes: Collection[str] = (), ids: Collection[int] = (), active_only: bool
) -> list[SkuConsumption]:
    """The SKUs named by code or by id, with what one item of each consumes. One statement,
    and a second only when a kit is among them. `active_only`: what may still be sold
    (capture, an added line); an order's own lines consume what they consume even after."""
    if codes and ids:
        raise ValueError("name the SKUs by code or by id, not both")
    if not codes and not ids:
        return []
    skus = Sku.objects.filter(code__in=codes) if codes else Sku.objects.filter(pk__in=ids)
    if active_only:
        skus = skus.filter(is_active=True)
    rows = list(skus.values_list("id", "code", "name", "kind"))
    kits: dict[int, dict[int, int]] = {pk: {} for pk, _, _, kind in rows if kind == Sku.KIT}
    if kits:
        for kit_id, component_id, quantity in KitComponent.objects.filter(
            kit_id__in=list(kits)
        ).values_list("kit_id", "component_id", "quantity"):
            kits[kit_id][component_id] = quantity
    return [
        SkuConsumption(pk, code, name, kits[pk] if kind == Sku.KIT else {pk: 1})
        for pk, code, name, kind in rows
    ]


@dataclass(frozen=True)
class SkuMeasures:
    """What packing reads of a SKU: sides in mm and weight in g, None when not measured."""

    code: str
    length_mm: int | None
    width_mm: int | None
    height_mm: int | None
    weight_grams: int | None


def skus_measures(*, codes: Collection[str]) -> dict[str, SkuMeasures]:
    """The measures of the SKUs named (those that exist), by code: one query."""
    fields = ("code", "length_mm", "width_mm", "height_mm", "weight_grams")
    return {
        row[0]: SkuMeasures(*row)
        for row in Sku.objects.filter(code__in=list(codes)).values_list(*fields)
    }


@dataclass(frozen=True)
class SkuCustoms:
    """What a customs declaration reads of a SKU (docs/catalog-and-customers.md, "Customs
    data"): blank strings and None when not given."""

    code: str
    name: str
    hs_code: str
    origin_country: str
    customs_description: str
    weight_grams: int | None

    @property
    def declared_as(self) -> str:
        return self.customs_description or self.name or self.code


def skus_customs(*, codes: Collection[str]) -> dict[str, SkuCustoms]:
    """The customs data of the SKUs named (those that exist), by code: one query."""
    fields = ("code", "name", "hs_code", "origin_country", "customs_description", "weight_grams")
    return {
        row[0]: SkuCustoms(*row)
        for row in Sku.objects.filter(code__in=list(codes)).values_list(*fields)
    }
