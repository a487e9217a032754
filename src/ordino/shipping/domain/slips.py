"""What a packing slip says (docs/shipping.md, "Packing slips"): one fulfillment order's
order number, ship-to address, shipping location, every line (SKU, name, quantity to pack,
quantity shipped so far), its parcels when a rating or a packing proposal has them, and the
fulfillment order's reference as a Code 128 barcode. Plain values in, text fit to its column
out; the drawing is `shipping/documents/slip_pdf.py`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from ordino.shipping.domain.label_text import text_cut
from ordino.shipping.domain.labels import address_lines, weight_text

ADDRESS_WIDTH = 44  # characters of an address line at 10 pt in half the page
SKU_WIDTH = 24
NAME_WIDTH = 52
PARCEL_WIDTH = 90


@dataclass(frozen=True)
class SlipLine:
    sku: str
    name: str
    to_pack: int
    shipped: int


@dataclass(frozen=True)
class SlipParcel:
    """A parcel as the slip lists it: "40 × 30 × 30 cm, 2 kg" and what it holds or its box."""

    text: str


@dataclass(frozen=True)
class PackingSlip:
    fo_id: int
    reference: str  # the barcode's value: `fulfillment_reference`
    order_number: str
    location: tuple[str, ...]
    ship_to: tuple[str, ...]
    lines: tuple[SlipLine, ...]
    parcels: tuple[SlipParcel, ...]
    parcels_from: str  # "" (no parcels), or where they come from: "rating", "packing proposal"
    day: date
    collect: bool = False  # collected at a store: `ship_to` is the store, for the customer

    @property
    def to_pack(self) -> int:
        return sum(line.to_pack for line in self.lines)

    @property
    def shipped(self) -> int:
        return sum(line.shipped for line in self.lines)


def fulfillment_reference(fo_id: int) -> str:
    """A fulfillment order's reference, as its slip's barcode carries it: "FO-17"."""
    return f"FO-{fo_id}"


def parcel_text(length_cm: object, width_cm: object, height_cm: object, weight_grams: int | None,
                what: str = "") -> SlipParcel:  # fmt: skip
    sides = " × ".join(str(s) for s in (length_cm, width_cm, height_cm))
    weight = weight_text(weight_grams)
    text = f"{sides} cm" + (f", {weight}" if weight else "") + (f": {what}" if what else "")
    return SlipParcel(text_cut(text, PARCEL_WIDTH))


def packing_slip_make(
    *,
    fo_id: int,
    order_number: str,
    location: Mapping[str, str],
    ship_to: Mapping[str, str] | None,
    lines: Sequence[Mapping],
    parcels: Sequence[SlipParcel] = (),
    parcels_from: str = "",
    day: date,
    collect_at: Mapping[str, str] | None = None,
) -> PackingSlip:
    """The slip's content. `lines`: fulfillment's lines (`sku`, `name`, `quantity_open`,
    `quantity_shipped`), each printed once in the order given. `collect_at`: the store where
    the customer collects the order (pickup, ship to store): its address stands in for the
    ship-to, "for" the customer named on the order's address."""
    if collect_at is not None:
        customer = str((ship_to or {}).get("name") or "").strip()
        ship_to = {**collect_at, "company": f"for {customer}" if customer else ""}
    return PackingSlip(
        fo_id=fo_id,
        reference=fulfillment_reference(fo_id),
        order_number=text_cut(order_number, ADDRESS_WIDTH),
        location=address_lines(location, width=ADDRESS_WIDTH, company=False),
        ship_to=address_lines(ship_to or {}, width=ADDRESS_WIDTH, company=True),
        lines=tuple(
            SlipLine(
                sku=text_cut(str(line["sku"]), SKU_WIDTH),
                name=text_cut(str(line.get("name") or ""), NAME_WIDTH),
                to_pack=int(line["quantity_open"]),
                shipped=int(line["quantity_shipped"]),
            )
            for line in lines
        ),
        parcels=tuple(parcels) if parcels_from else (),
        parcels_from=parcels_from if parcels else "",
        day=day,
        collect=collect_at is not None,
    )


def rows_paginate(count: int, *, first: int, rest: int) -> list[range]:
    """Which rows each page holds: `first` on the first page (under the addresses), `rest` on
    each later one; every row on exactly one page, in order. No rows: one page, empty."""
    pages = [range(0, min(count, first))]
    start = first
    while start < count:
        pages.append(range(start, min(count, start + rest)))
        start += rest
    return pages
