"""Actual, dimensional and billable weight (docs/shipping.md, "Billable weight").

Parcels are measured in centimetres and kilograms; a service rates in kilograms or pounds and
its dimensional divisor is in its own units (5000 cm³/kg internationally, 139 in³/lb for UPS and
FedEx, 166 in³/lb for USPS above one cubic foot). Conversions are exact (1 in = 2.54 cm,
1 lb = 0.45359237 kg), so a billable weight never depends on a float's rounding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from ordino.core.domain.errors import DomainError

CM_PER_INCH = Decimal("2.54")
KG_PER_LB = Decimal("0.45359237")
UNITS = ("kg", "lb")
MAX_PARCEL = Decimal(1000)  # cm a side, kg: beyond any parcel service (freight is not rated here)
MAX_SKU = 64  # a SKU's code, as the catalog stores it
MAX_CONTENT_LINES = 200  # SKUs named in one parcel
MAX_UNITS = 100_000  # units of one SKU in one parcel


@dataclass(frozen=True)
class Parcel:
    """One box as measured: outer length × width × height in cm, weight in kg."""

    length_cm: Decimal
    width_cm: Decimal
    height_cm: Decimal
    weight_kg: Decimal
    # (SKU, units) packed in it, when said (docs/shipping.md, "What is in each parcel"): its
    # customs declaration names these units only
    contents: tuple[tuple[str, int], ...] = ()

    def __post_init__(self) -> None:
        for name in ("length_cm", "width_cm", "height_cm", "weight_kg"):
            value = getattr(self, name)
            if not value.is_finite() or not 0 < value <= MAX_PARCEL:
                raise DomainError(
                    "invalid_parcel",
                    f"A parcel's {name} must be above 0, at most {MAX_PARCEL}.",
                    field=name,
                )
        contents_check(self.contents)

    def sides(self, unit: str) -> tuple[Decimal, Decimal, Decimal]:
        """Longest first, in the service's length unit (cm for kg, in for lb)."""
        per = CM_PER_INCH if unit == "lb" else Decimal(1)
        dims = (self.length_cm / per, self.width_cm / per, self.height_cm / per)
        return tuple(sorted(dims, reverse=True))  # type: ignore[return-value]

    def weight(self, unit: str) -> Decimal:
        return self.weight_kg / KG_PER_LB if unit == "lb" else self.weight_kg

    def length_plus_girth(self, unit: str) -> Decimal:
        longest, a, b = self.sides(unit)
        return longest + 2 * (a + b)


@dataclass(frozen=True)
class DimRule:
    """How a service weighs volume: `divisor` in its units (cm³/kg or in³/lb); applied only
    above `min_volume` (USPS: 1728 in³); billable weights rounded up to `increment`."""

    unit: str = "kg"
    divisor: Decimal = Decimal(5000)
    min_volume: Decimal = Decimal(0)
    increment: Decimal = Decimal("0.5")

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise DomainError("invalid_unit", f"A weight unit is one of {UNITS}.", field="unit")
        if self.divisor <= 0 or self.increment <= 0 or self.min_volume < 0:
            raise DomainError(
                "invalid_dim_rule",
                "The divisor and the increment must be above 0.",
                field="divisor",
            )


@dataclass(frozen=True)
class Weights:
    """In the service's unit. `dimensional` is 0 when the service does not apply it (a parcel
    at or under its minimum volume)."""

    unit: str
    actual: Decimal
    dimensional: Decimal
    billable: Decimal

    @property
    def by_volume(self) -> bool:
        return self.dimensional > self.actual

    def why(self) -> str:
        used = "dimensional" if self.by_volume else "actual"
        return (
            f"actual {_text(self.actual)} {self.unit}, dimensional {_text(self.dimensional)} "
            f"{self.unit}: billed on the {used} weight, rounded up to {_text(self.billable)} "
            f"{self.unit}"
        )


def up_to(value: Decimal, increment: Decimal) -> Decimal:
    """`value` rounded up to a whole number of `increment`s (0.5 kg, 1 lb)."""
    steps = (value / increment).to_integral_value(rounding=ROUND_CEILING)
    return (steps * increment).normalize() if steps else increment


def billable_weight(parcel: Parcel, rule: DimRule) -> Weights:
    actual = parcel.weight(rule.unit)
    longest, a, b = parcel.sides(rule.unit)
    volume = longest * a * b
    dimensional = volume / rule.divisor if volume > rule.min_volume else Decimal(0)
    billable = up_to(max(actual, dimensional), rule.increment)
    return Weights(rule.unit, _round(actual), _round(dimensional), billable)


def _round(value: Decimal) -> Decimal:
    # shown to three decimals; the billable weight is computed from the exact values
    return value.quantize(Decimal("0.001"), rounding=ROUND_CEILING)


def _text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


_NUMBER = r"(\d{1,4}(?:\.\d{1,3})?)"  # up to 9999.999: cm a side, kg
_PARCEL_TEXT = re.compile(rf"^{_NUMBER}x{_NUMBER}x{_NUMBER}@{_NUMBER}$")


def parcel_parse(text: str) -> Parcel:
    """A parcel as people type it, "LxWxH@KG" in cm and kg ("30x20x10@1.2"), optionally
    followed by what it holds ("30x20x10@1.2: TEE*2, MUG" — a SKU without a count is one
    unit): the command line's and the store screen's form."""
    measures, _, contents = text.partition(":")
    m = _PARCEL_TEXT.match(measures.strip().lower().replace(" ", ""))
    if not m:
        raise DomainError(
            "invalid_parcel",
            f"A parcel is LxWxH@KG in cm and kg, e.g. 30x20x10@1.2: {text[:40]!r}.",
            field="parcels",
        )
    return Parcel(*(Decimal(g) for g in m.groups()), contents=_contents_parse(contents))


def _contents_parse(text: str) -> tuple[tuple[str, int], ...]:
    pairs = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        sku, _, count = item.rpartition("*") if "*" in item else (item, "", "1")
        count = count.strip()
        if not count.isascii() or not count.isdigit() or len(count) > 6:
            raise DomainError(
                "invalid_parcel",
                f"A parcel's item is SKU*COUNT, e.g. TEE*2: {item[:40]!r}.",
                field="parcels",
            )
        pairs.append((sku.strip(), int(count)))
    return contents_merge(pairs)


def contents_check(contents: tuple[tuple[str, int], ...]) -> None:
    """A parcel's contents: at most MAX_CONTENT_LINES SKUs, each named once, 1 to MAX_UNITS
    units of each."""
    if len(contents) > MAX_CONTENT_LINES:
        raise DomainError(
            "invalid_parcel",
            f"A parcel names at most {MAX_CONTENT_LINES} SKUs.",
            field="contents",
        )
    seen: set[str] = set()
    for index, (sku, units) in enumerate(contents):
        where = f"contents.{index}"
        if not 1 <= len(sku) <= MAX_SKU or sku != sku.strip() or sku in seen:
            said = "named twice" if sku in seen else f"1 to {MAX_SKU} characters, no outer spaces"
            raise DomainError(
                "invalid_parcel", f"A parcel's SKU {sku[:40]!r}: {said}.", field=f"{where}.sku"
            )
        if type(units) is not int or not 1 <= units <= MAX_UNITS:
            raise DomainError(
                "invalid_parcel",
                f"A parcel holds 1 to {MAX_UNITS} units of {sku!r}.",
                field=f"{where}.quantity",
            )
        seen.add(sku)


def contents_merge(pairs) -> tuple[tuple[str, int], ...]:
    """(SKU, units) pairs as typed, one per SKU in the order first named (a SKU typed twice
    counts its units together)."""
    merged: dict[str, int] = {}
    for sku, units in pairs:
        merged[sku] = merged.get(sku, 0) + units
    return tuple(merged.items())


def parcel_text(parcel: Parcel) -> str:
    """The parcel as `parcel_parse` reads it: "30x20x10@1.2", then ": TEE*2, MUG*1" when its
    contents are said."""
    measures = "x".join(_text(v) for v in (parcel.length_cm, parcel.width_cm, parcel.height_cm))
    text = f"{measures}@{_text(parcel.weight_kg)}"
    if parcel.contents:
        text += ": " + ", ".join(f"{sku}*{units}" for sku, units in parcel.contents)
    return text
