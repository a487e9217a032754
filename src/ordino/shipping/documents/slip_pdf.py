"""A packing slip as PDF, A4 or letter (docs/shipping.md, "Packing slips"): the order number,
the fulfillment order's reference as a Code 128 barcode (whole-dot bars, as the labels'),
the shipping location and the ship-to address, the parcels when a rating or a proposal has
them, then every line — SKU, name, quantity to pack, quantity shipped so far — continued on
as many pages as it takes, each line on exactly one page (`domain/slips.py: rows_paginate`)."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from ordino.shipping.documents.sheet import BOLD, FONT, MARGIN, MONO, document, rule, text
from ordino.shipping.domain.slips import PackingSlip, rows_paginate
from ordino.shipping.labels.pdf import barcode_draw

ROW = 15.0  # pt per line of the table
PARCELS_SHOWN = 12  # the slip lists at most this many parcels, then says how many more
BOTTOM = 60.0  # the table stops above the totals and the page number


def packing_slip_pdf(slip: PackingSlip, paper: str = "a4") -> bytes:
    return document(paper, f"Packing slip {slip.reference}", lambda c, size: _draw(c, size, slip))


def _draw(c: Canvas, size: tuple[float, float], slip: PackingSlip) -> None:
    width, height = size
    top = _first_header(c, width, height, slip)
    first = int((top - BOTTOM - 2 * ROW) // ROW)
    rest = int((height - MARGIN - 40 - BOTTOM - 2 * ROW) // ROW)
    pages = rows_paginate(len(slip.lines), first=first, rest=rest)
    for number, rows in enumerate(pages):
        if number:
            text(c, f"Packing slip · Order {slip.order_number} · {slip.reference} (continued)",
                 BOLD, 11, MARGIN, height - MARGIN - 10, width=width - 2 * MARGIN)  # fmt: skip
            top = height - MARGIN - 40
        y = _table_head(c, width, top)
        for i in rows:
            line = slip.lines[i]
            text(c, line.sku, MONO, 9, MARGIN, y, width=150)
            text(c, line.name, FONT, 9, MARGIN + 155, y, width=width - 2 * MARGIN - 275)
            text(c, str(line.to_pack), BOLD, 10, width - MARGIN - 70, y, right=True)
            text(c, str(line.shipped), FONT, 10, width - MARGIN, y, right=True)
            y -= ROW
        if number == len(pages) - 1:
            rule(c, y + ROW - 5, width)
            text(c, f"{len(slip.lines)} line(s): {slip.to_pack} item(s) to pack, "
                 f"{slip.shipped} shipped so far", BOLD, 10, MARGIN, y - 4)  # fmt: skip
        c.showPage()


def _first_header(c: Canvas, width: float, height: float, slip: PackingSlip) -> float:
    """The first page's head; answers where the table starts."""
    y = height - MARGIN
    text(c, "Packing slip", BOLD, 20, MARGIN, y - 18)
    text(c, f"Order {slip.order_number}", BOLD, 13, MARGIN, y - 38)
    text(c, f"Fulfillment order {slip.fo_id} · printed {slip.day.isoformat()}", FONT, 9,
         MARGIN, y - 52)  # fmt: skip
    barcode_draw(c, slip.reference, left=width / 2, width=width / 2 - MARGIN + 10,
                 bottom=y - 48, height=44, dots_max=3)  # fmt: skip
    text(c, slip.reference, MONO, 10, width - MARGIN, y - 60, right=True)
    y -= 84
    half = (width - 2 * MARGIN) / 2
    to = "Collect at" if slip.collect else "Ship to"
    for x, title, lines in ((MARGIN, "From", slip.location), (MARGIN + half, to, slip.ship_to)):
        text(c, title.upper(), BOLD, 8, x, y)
        for i, line in enumerate(lines):
            text(c, line, BOLD if title == to and i == 0 else FONT, 10, x,
                 y - 14 - 12.5 * i, width=half - 10)  # fmt: skip
    y -= 14 + 12.5 * max(len(slip.location), len(slip.ship_to), 1) + 8
    if slip.parcels:
        text(c, f"PARCELS ({slip.parcels_from})", BOLD, 8, MARGIN, y)
        shown = slip.parcels[:PARCELS_SHOWN]
        for i, parcel in enumerate(shown, start=1):
            y -= 12
            text(c, f"{i}. {parcel.text}", FONT, 9, MARGIN, y, width=width - 2 * MARGIN)
        if len(slip.parcels) > len(shown):
            y -= 12
            text(c, f"and {len(slip.parcels) - len(shown)} more parcel(s)", FONT, 9, MARGIN, y)
        y -= 18
    return y


def _table_head(c: Canvas, width: float, top: float) -> float:
    text(c, "SKU", BOLD, 9, MARGIN, top)
    text(c, "Item", BOLD, 9, MARGIN + 155, top)
    text(c, "To pack", BOLD, 9, width - MARGIN - 70, top, right=True)
    text(c, "Shipped", BOLD, 9, width - MARGIN, top, right=True)
    rule(c, top - 5, width)
    return top - ROW - 4
