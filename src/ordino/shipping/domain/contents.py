"""What is in each parcel (docs/shipping.md, "What is in each parcel"): the units a fulfillment
order's parcels say they hold, checked against its open units, and a parcel's units spread
over the order lines its customs declaration names."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ordino.core.domain.errors import DomainError

Contents = tuple[tuple[str, int], ...]  # (SKU, units)


def contents_within(
    parcels: Sequence[Contents], open_units: dict[str, int], *, parcel: int | None = None
) -> None:
    """Parcels that say what they hold hold only open units of the fulfillment order, and no
    more of a SKU than is open; either every parcel says it or none does (a parcel left unsaid
    would be declared as holding everything). 422 `parcel_contents_invalid`, naming the
    parcel; `parcel`: the number of the one parcel checked (a label purchase), whose request
    names its contents at the top."""

    def named(index: int) -> str:
        return f"Parcel {parcel if parcel is not None else index + 1}"

    def field(index: int) -> str:
        return "contents" if parcel is not None else f"parcels.{index}.contents"

    said = [bool(c) for c in parcels]
    if any(said) and not all(said):
        index = said.index(False)
        raise _invalid(
            f"{named(index)} does not say what it holds while others do: say it for each "
            "parcel, or for none.",
            field(index),
        )
    held: dict[str, int] = {}
    for index, contents in enumerate(parcels):
        for item, (sku, units) in enumerate(contents):
            where = f"{field(index)}.{item}"
            if sku not in open_units:
                raise _invalid(
                    f"{named(index)} holds {sku}, which is not open on this fulfillment "
                    f"order (open: {_listed(open_units)}).",
                    f"{where}.sku",
                )
            held[sku] = held.get(sku, 0) + units
            if held[sku] > open_units[sku]:
                raise _invalid(
                    f"The parcels hold {held[sku]} of {sku}; {open_units[sku]} are open.",
                    f"{where}.quantity",
                )


def open_by_sku(lines: Iterable[tuple[str, int]]) -> dict[str, int]:
    """(SKU, open units) of each order line, summed by SKU, in the order first met."""
    open_units: dict[str, int] = {}
    for sku, units in lines:
        open_units[sku] = open_units.get(sku, 0) + int(units)
    return open_units


def units_by_line(contents: Contents, lines: Sequence[tuple[int, str, int]]) -> dict[int, int]:
    """A parcel's units per order line: `lines` are (line_no, SKU, open units) in line order;
    a SKU on two lines fills the first line's open units first."""
    left = dict(contents)
    units: dict[int, int] = {}
    for line_no, sku, open_units in lines:
        take = min(left.get(sku, 0), open_units)
        units[line_no] = take
        if take:
            left[sku] -= take
    return units


def _listed(open_units: dict[str, int]) -> str:
    shown = ", ".join(f"{sku}×{n}" for sku, n in list(open_units.items())[:10] if n)
    return shown or "nothing"


def _invalid(message: str, field: str) -> DomainError:
    return DomainError("parcel_contents_invalid", message, field=field)
