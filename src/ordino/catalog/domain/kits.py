"""Kits and bundles: a kit is made of simple SKUs and has no stock of its own. Pure Python."""

from __future__ import annotations

from dataclasses import dataclass

from ordino.core.domain.errors import DomainError

SIMPLE = "simple"
KIT = "kit"


@dataclass(frozen=True)
class ComponentLine:
    """One requested component of a kit: the component's code and kind, and how many."""

    code: str
    kind: str
    quantity: int


def kit_components_check(*, kit_code: str, kit_kind: str, lines: list[ComponentLine]) -> None:
    """Refuse a bill of materials that could not be fulfilled; every fault names its line."""
    if kit_kind != KIT:
        raise DomainError(
            "not_a_kit",
            f"SKU {kit_code!r} is a simple SKU; only a kit has components.",
            field="components",
        )
    if not lines:
        raise DomainError("kit_empty", "A kit needs at least one component.", field="components")
    errors: list[dict[str, str]] = []
    seen: set[str] = set()
    for i, line in enumerate(lines):
        where = f"components.{i}"
        if line.code == kit_code:
            errors.append(
                {
                    "field": f"{where}.sku",
                    "code": "kit_contains_itself",
                    "message": f"Kit {kit_code!r} cannot contain itself.",
                }
            )
        elif line.kind != SIMPLE:
            errors.append(
                {
                    "field": f"{where}.sku",
                    "code": "component_not_simple",
                    "message": f"{line.code!r} is a kit; components must be simple SKUs.",
                }
            )
        if line.code in seen:
            errors.append(
                {
                    "field": f"{where}.sku",
                    "code": "component_duplicate",
                    "message": f"{line.code!r} is listed twice; give its total quantity once.",
                }
            )
        seen.add(line.code)
        if line.quantity <= 0:
            errors.append(
                {
                    "field": f"{where}.quantity",
                    "code": "quantity_not_positive",
                    "message": f"Quantity of {line.code!r} must be greater than 0.",
                }
            )
    if errors:
        raise DomainError(errors[0]["code"], errors[0]["message"], errors=errors)
