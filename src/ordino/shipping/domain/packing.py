"""Packing a fulfillment order's items into box types, explained (docs/shipping.md, "Parcels
and packing").

A simple, predictable bin packing, not an optimal one:

- every unit is packed on its own, largest volume first (then heaviest, then SKU), so the
  answer never depends on the order of the lines;
- a unit fits a box when its sorted sides fit the box's sorted inner sides (it may be turned
  any way, never tilted), the box's gross weight (tare + contents) stays within its maximum,
  and the contents stay within `FILL_PERCENT` of the inner volume — room lost between items.
  A box holding a single unit needs only its sides to fit: one item in its own box loses no
  room to another;
- boxes are filled one after another: for the next box every box type is filled by first fit
  down the units that remain, and the smallest type that takes them all is chosen, or else
  the type that takes the most volume (ties: the smaller). With one box type this is first
  fit decreasing.

Lengths are whole millimetres and weights whole grams, as the catalog keeps them, so every
sum is exact. An item without dimensions or weight is refused naming its SKU (packing it by
weight alone would propose a box it may not fit); so is an item no box type can take.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ordino.core.domain.errors import DomainError
from ordino.shipping.domain.weights import Parcel

FILL_PERCENT = 90  # of a box's inner volume that items may fill (docs/shipping.md)
MAX_SIDE_MM = 3000  # 3 m: beyond any parcel
MAX_WEIGHT_G = 1_000_000  # 1 t: beyond any parcel
MAX_UNITS = 2000  # units in one proposal: packing is quadratic in them
MAX_BOX_TYPES = 200


def _sides(length: int, width: int, height: int) -> tuple[int, int, int]:
    return tuple(sorted((length, width, height), reverse=True))  # type: ignore[return-value]


def _bounded(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


@dataclass(frozen=True)
class BoxType:
    """A box as packing sees it: inner and outer sides in mm, tare and maximum gross in g."""

    code: str
    inner: tuple[int, int, int]
    outer: tuple[int, int, int]
    tare_g: int
    max_weight_g: int

    def __post_init__(self) -> None:
        def refuse(field: str, message: str) -> None:
            raise DomainError("invalid_box_type", f"Box {self.code}: {message}", field=field)

        if not all(_bounded(s, 1, MAX_SIDE_MM) for s in (*self.inner, *self.outer)):
            refuse("inner", f"each side is a whole number of mm from 1 to {MAX_SIDE_MM}.")
        if any(o < i for o, i in zip(_sides(*self.outer), _sides(*self.inner), strict=True)):
            refuse("outer", "its outer sides cannot be smaller than its inner sides.")
        if not _bounded(self.tare_g, 0, MAX_WEIGHT_G):
            refuse("tare_g", f"the tare is 0 to {MAX_WEIGHT_G} g.")
        if not _bounded(self.max_weight_g, 1, MAX_WEIGHT_G) or self.max_weight_g <= self.tare_g:
            refuse("max_weight_g", f"the maximum gross is above the tare, ≤ {MAX_WEIGHT_G} g.")

    @property
    def sides(self) -> tuple[int, int, int]:
        return _sides(*self.inner)

    @property
    def volume(self) -> int:
        a, b, c = self.inner
        return a * b * c

    @property
    def capacity(self) -> int:
        """The volume items may fill, in mm³ (rounded down)."""
        return self.volume * FILL_PERCENT // 100

    def takes(self, unit: Unit) -> bool:
        """Whether the unit alone fits: sides, and weight with the tare."""
        fits = all(u <= b for u, b in zip(unit.sides, self.sides, strict=True))
        return fits and self.tare_g + unit.weight_g <= self.max_weight_g


@dataclass(frozen=True)
class Item:
    """A SKU to pack: its sides in mm, its weight in g (None: not in the catalog), quantity."""

    sku: str
    length_mm: int | None
    width_mm: int | None
    height_mm: int | None
    weight_g: int | None
    quantity: int

    def units(self) -> list[Unit]:
        dims = (self.length_mm, self.width_mm, self.height_mm)
        if any(d is None for d in (*dims, self.weight_g)):
            raise DomainError(
                "sku_not_measured",
                f"SKU {self.sku} has no dimensions or weight in the catalog: measure it first.",
                field="sku",
            )
        if not all(_bounded(d, 1, MAX_SIDE_MM) for d in dims):
            raise DomainError(
                "invalid_item",
                f"SKU {self.sku}: each side is 1 to {MAX_SIDE_MM} mm.",
                field="sku",
            )
        weighed = _bounded(self.weight_g, 0, MAX_WEIGHT_G)
        if not weighed or not _bounded(self.quantity, 1, MAX_UNITS):
            raise DomainError(
                "invalid_item",
                f"SKU {self.sku}: weight 0 to {MAX_WEIGHT_G} g, quantity 1 to {MAX_UNITS}.",
                field="sku",
            )
        unit = Unit(self.sku, _sides(*dims), self.weight_g)  # type: ignore[arg-type]
        return [unit] * self.quantity


@dataclass(frozen=True)
class Unit:
    """One item: sides sorted longest first."""

    sku: str
    sides: tuple[int, int, int]
    weight_g: int

    @property
    def volume(self) -> int:
        a, b, c = self.sides
        return a * b * c

    def order(self) -> tuple:
        return (-self.volume, -self.weight_g, self.sku)


@dataclass(frozen=True)
class PackedParcel:
    box: BoxType
    units: tuple[Unit, ...]
    why: str

    @property
    def contents(self) -> list[tuple[str, int]]:
        """(SKU, quantity) in packing order."""
        counts: dict[str, int] = {}
        for u in self.units:
            counts[u.sku] = counts.get(u.sku, 0) + 1
        return list(counts.items())

    @property
    def items_volume(self) -> int:
        return sum(u.volume for u in self.units)

    @property
    def gross_weight_g(self) -> int:
        return self.box.tare_g + sum(u.weight_g for u in self.units)

    def parcel(self) -> Parcel:
        """As shipping rates it: the box's outer sides in cm, the gross weight in kg."""
        length, width, height = (Decimal(s) / 10 for s in self.box.outer)
        return Parcel(length, width, height, Decimal(self.gross_weight_g) / 1000)


def pack(items: Sequence[Item], boxes: Sequence[BoxType]) -> list[PackedParcel]:
    """The parcels for `items` in `boxes`' types, each explained; refused when a unit fits no
    box type or an item is not measured."""
    if not boxes:
        raise DomainError("no_box_types", "No box types are set up for this location.")
    if len(boxes) > MAX_BOX_TYPES:
        raise DomainError("too_many_box_types", f"At most {MAX_BOX_TYPES} box types.")
    units = sorted((u for item in items for u in item.units()), key=Unit.order)
    if len(units) > MAX_UNITS:
        raise DomainError("too_many_units", f"At most {MAX_UNITS} units are packed at once.")
    types = sorted(boxes, key=lambda b: (b.volume, b.max_weight_g, b.code))
    for unit in {u.sku: u for u in units}.values():
        if not any(box.takes(unit) for box in types):
            raise DomainError(
                "item_fits_no_box",
                f"SKU {unit.sku} ({_mm(unit.sides)}, {unit.weight_g} g) fits no box type.",
                field="sku",
            )
    parcels: list[PackedParcel] = []
    while units:
        box, taken, reason = _next_box(types, units)
        chosen = set(taken)
        parcel = PackedParcel(box, tuple(units[i] for i in taken), "")
        parcels.append(PackedParcel(box, parcel.units, _why(parcel, reason)))
        units = [u for i, u in enumerate(units) if i not in chosen]
    return parcels


def _next_box(types: list[BoxType], units: list[Unit]) -> tuple[BoxType, list[int], str]:
    best: tuple[BoxType, list[int], int] | None = None
    for box in types:  # smallest first
        taken = _fill(box, units)
        if len(taken) == len(units):
            return box, taken, "the smallest box that takes all that remained"
        volume = sum(units[i].volume for i in taken)
        if best is None or volume > best[2]:
            best = (box, taken, volume)
    assert best is not None and best[1]  # the largest unit fits some type: checked before
    return best[0], best[1], f"no box takes all {len(units)} units left: it takes the most"


def _fill(box: BoxType, units: list[Unit]) -> list[int]:
    """First fit down the units: the indexes the box takes."""
    taken: list[int] = []
    volume, weight = 0, box.tare_g
    for i, unit in enumerate(units):
        if not box.takes(unit) or weight + unit.weight_g > box.max_weight_g:
            continue
        if taken and volume + unit.volume > box.capacity:
            continue
        taken.append(i)
        volume += unit.volume
        weight += unit.weight_g
    return taken


def _why(parcel: PackedParcel, reason: str) -> str:
    items = ", ".join(f"{sku} ×{n}" for sku, n in parcel.contents)
    box = parcel.box
    return (
        f"{items} in {box.code}: {_litres(parcel.items_volume)} of {_litres(box.capacity)} l, "
        f"{_kg(parcel.gross_weight_g)} of {_kg(box.max_weight_g)} kg ({reason})"
    )


def _litres(mm3: int) -> str:
    return f"{Decimal(mm3) / 1_000_000:.1f}"


def _kg(grams: int) -> str:
    return format((Decimal(grams) / 1000).normalize(), "f")


def _mm(sides: tuple[int, int, int]) -> str:
    return "×".join(str(s) for s in sides) + " mm"
