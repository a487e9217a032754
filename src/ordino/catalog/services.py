"""Use cases of the catalog: products, SKUs and the bills of materials of kits; each change is
in the audit log with before and after (docs/people.md, "Audit")."""

from __future__ import annotations

from django.db import IntegrityError

from ordino.audit.services import audit_record, snapshot
from ordino.catalog.domain.customs import (
    customs_description_check,
    hs_code_check,
    origin_country_check,
)
from ordino.catalog.domain.kits import ComponentLine, kit_components_check
from ordino.catalog.models import KitComponent, Product, Sku
from ordino.core.domain.codes import code_check, name_check, tags_normalise
from ordino.core.domain.errors import Conflict, DomainError, NotFound
from ordino.core.transactions import savepoint, use_case_atomic

UNSET: object = object()  # "leave as it is" for optional update arguments
# a SKU's customs data, each field's check (docs/catalog-and-customers.md, "Customs data")
CUSTOMS_CHECKS = {
    "hs_code": hs_code_check,
    "origin_country": origin_country_check,
    "customs_description": customs_description_check,
}


def _dimension(value: int | None, field: str) -> int | None:
    if value is not None and value < 0:
        raise DomainError("invalid_dimension", f"{field} must not be negative.", field=field)
    return value


def _flag(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise DomainError("required", f"{field} must be true or false.", field=field)
    return value


def _barcode(value: str) -> str:
    barcode = (value or "").strip()
    if any(c.isspace() for c in barcode) or len(barcode) > 64:
        raise DomainError(
            "invalid_barcode",
            f"Barcode {value!r} must be up to 64 characters without blanks.",
            field="barcode",
        )
    return barcode


def product_create(
    *,
    code: str,
    name: str,
    description: str = "",
    tags: list[str] | None = None,
    is_active: bool = True,
) -> Product:
    code = code_check(code)
    product = Product(
        code=code,
        name=name_check(name),
        description=(description or "").strip(),
        tags=tags_normalise(tags or []),
        is_active=is_active,
    )
    try:
        with savepoint():  # a taken code: IntegrityError, answered 409; the transaction goes on
            product.save()
            _audit("product", product, "created", None)
    except IntegrityError:
        if Product.objects.filter(code=code).exists():
            raise Conflict(
                "product_exists", f"A product with code {code!r} exists.", field="code"
            ) from None
        raise
    return product


def product_update(
    *,
    product: Product,
    name: str | object = UNSET,
    description: str | object = UNSET,
    tags: list[str] | object = UNSET,
    is_active: bool | object = UNSET,
) -> Product:
    changed: list[str] = []
    before = snapshot(product)
    if name is not UNSET:
        product.name = name_check(name)  # type: ignore[arg-type]
        changed.append("name")
    if description is not UNSET:
        product.description = (description or "").strip()  # type: ignore[union-attr]
        changed.append("description")
    if tags is not UNSET:
        product.tags = tags_normalise(tags or [])  # type: ignore[arg-type]
        changed.append("tags")
    if is_active is not UNSET:
        product.is_active = _flag(is_active, "is_active")
        changed.append("is_active")
    if changed:
        with use_case_atomic():
            product.save(update_fields=changed)
            _audit("product", product, "changed", before)
    return product


def sku_create(
    *,
    product_code: str,
    code: str,
    name: str = "",
    kind: str = Sku.SIMPLE,
    barcode: str = "",
    weight_grams: int | None = None,
    length_mm: int | None = None,
    width_mm: int | None = None,
    height_mm: int | None = None,
    tags: list[str] | None = None,
    tax_class: str = "standard",
    is_active: bool = True,
    components: list[tuple[str, int]] | None = None,
    hs_code: str = "",
    origin_country: str = "",
    customs_description: str = "",
) -> Sku:
    """A new SKU of a product. A kit may bring its components (sku code, quantity) at once."""
    code = code_check(code)
    if kind not in (Sku.SIMPLE, Sku.KIT):
        raise DomainError(
            "invalid_kind", f"kind must be 'simple' or 'kit', not {kind!r}.", field="kind"
        )
    if components and kind != Sku.KIT:
        raise DomainError(
            "not_a_kit", "Only a kit has components; set kind to 'kit'.", field="components"
        )
    product = Product.objects.filter(code=product_code).first()
    if product is None:
        raise NotFound("product", product_code, field="product")
    sku = Sku(
        product=product,
        code=code,
        name=(name or "").strip(),
        kind=kind,
        barcode=_barcode(barcode),
        weight_grams=_dimension(weight_grams, "weight_grams"),
        length_mm=_dimension(length_mm, "length_mm"),
        width_mm=_dimension(width_mm, "width_mm"),
        height_mm=_dimension(height_mm, "height_mm"),
        tags=tags_normalise(tags or []),
        tax_class=code_check(tax_class, field="tax_class"),
        is_active=is_active,
        hs_code=hs_code_check(hs_code),
        origin_country=origin_country_check(origin_country),
        customs_description=customs_description_check(customs_description),
    )
    try:
        with savepoint():  # a taken code: IntegrityError, answered 409; the transaction goes on
            sku.save()
            if components:
                kit_components_set(kit=sku, components=components)
            _audit("sku", sku, "created", None)
    except IntegrityError:
        if Sku.objects.filter(code=code).exists():
            raise Conflict(
                "sku_exists", f"A SKU with code {code!r} exists.", field="code"
            ) from None
        raise
    return sku


def sku_update(
    *,
    sku: Sku,
    name: str | object = UNSET,
    barcode: str | object = UNSET,
    weight_grams: int | object | None = UNSET,
    length_mm: int | object | None = UNSET,
    width_mm: int | object | None = UNSET,
    height_mm: int | object | None = UNSET,
    tags: list[str] | object = UNSET,
    tax_class: str | object = UNSET,
    is_active: bool | object = UNSET,
    hs_code: str | object = UNSET,
    origin_country: str | object = UNSET,
    customs_description: str | object = UNSET,
) -> Sku:
    """Change a SKU's description. Its code, product and kind are fixed once created."""
    changed: list[str] = []
    before = snapshot(sku)
    if name is not UNSET:
        sku.name = (name or "").strip()  # type: ignore[union-attr]
        changed.append("name")
    if barcode is not UNSET:
        sku.barcode = _barcode(barcode)  # type: ignore[arg-type]
        changed.append("barcode")
    for field, value in (
        ("weight_grams", weight_grams),
        ("length_mm", length_mm),
        ("width_mm", width_mm),
        ("height_mm", height_mm),
    ):
        if value is not UNSET:
            setattr(sku, field, _dimension(value, field))  # type: ignore[arg-type]
            changed.append(field)
    if tags is not UNSET:
        sku.tags = tags_normalise(tags or [])  # type: ignore[arg-type]
        changed.append("tags")
    if tax_class is not UNSET:
        sku.tax_class = code_check(tax_class, field="tax_class")  # type: ignore[arg-type]
        changed.append("tax_class")
    if is_active is not UNSET:
        sku.is_active = _flag(is_active, "is_active")
        changed.append("is_active")
    customs = {"hs_code": hs_code, "origin_country": origin_country,
               "customs_description": customs_description}  # fmt: skip
    for field, value in customs.items():
        if value is not UNSET:
            setattr(sku, field, CUSTOMS_CHECKS[field](value))  # type: ignore[arg-type]
            changed.append(field)
    if changed:
        with use_case_atomic():
            sku.save(update_fields=changed)
            _audit("sku", sku, "changed", before)
    return sku


def kit_components_set(*, kit: Sku, components: list[tuple[str, int]]) -> list[KitComponent]:
    """Replace the kit's bill of materials with `components` (simple SKU code, quantity)."""
    codes = [code for code, _ in components]
    found = {s.code: s for s in Sku.objects.filter(code__in=codes)}
    missing = [
        {"field": f"components.{i}.sku", "code": "sku_not_found", "message": f"No SKU {c!r}."}
        for i, c in enumerate(codes)
        if c not in found and c != kit.code
    ]
    if missing:
        raise DomainError("sku_not_found", missing[0]["message"], errors=missing)
    lines = [
        ComponentLine(
            code=code, kind=kit.kind if code == kit.code else found[code].kind, quantity=qty
        )
        for code, qty in components
    ]
    kit_components_check(kit_code=kit.code, kit_kind=kit.kind, lines=lines)
    with use_case_atomic():
        before = _bill(kit)
        KitComponent.objects.filter(kit=kit).delete()
        rows = KitComponent.objects.bulk_create(
            [KitComponent(kit=kit, component=found[code], quantity=qty) for code, qty in components]
        )
        audit_record(object_type="sku", object_id=kit.pk, label=kit.code,
                     action="components_set", before={"components": before},
                     after={"components": [[c, q] for c, q in components]})  # fmt: skip
    return rows


def _bill(kit: Sku) -> list[list]:
    """A kit's components as [code, quantity] pairs, for the audit."""
    rows = KitComponent.objects.filter(kit=kit).order_by("id")
    return [[code, qty] for code, qty in rows.values_list("component__code", "quantity")]


def _audit(kind: str, row: Product | Sku, action: str, before: dict | None) -> None:
    audit_record(object_type=kind, object_id=row.pk, label=row.code, action=action,
                 before=before, after=snapshot(row))  # fmt: skip
