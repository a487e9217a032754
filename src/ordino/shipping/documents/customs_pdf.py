"""A shipment's CN22 or CN23 customs declaration as PDF, A4 or letter (docs/shipping.md,
"Customs"): printed beside our own labels when a parcel crosses a customs border. The sender
and addressee, the category of the contents (merchandise), then every item — description,
quantity, net weight, value, HS tariff number, country of origin — on as many pages as it
takes, the totals, the non-delivery instruction, the certification, its signer and date.
Text is folded as the labels' is (`domain/label_text.py`: what Helvetica prints)."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from ordino.shipping.customs import CustomsPaper
from ordino.shipping.documents.sheet import BOLD, FONT, MARGIN, MONO, document, rule, text
from ordino.shipping.domain.label_text import text_fold
from ordino.shipping.domain.labels import weight_text
from ordino.shipping.domain.slips import rows_paginate

ROW = 15.0
STEP = 19.0  # an item's row: its description, its SKU below
BOTTOM = 150.0  # the totals, the certification and the signature stay above it
CERTIFY = (
    "I certify that the particulars given in this customs declaration are correct and that "
    "this item does not contain any dangerous article prohibited by postal regulations."
)
TITLES = {"CN22": "CN22 Customs declaration", "CN23": "CN23 Customs declaration"}


def customs_pdf(paper_: CustomsPaper, paper: str = "a4") -> bytes:
    title = f"{paper_.declaration.form} shipment {paper_.shipment_id}"
    return document(paper, title, lambda c, size: _draw(c, size, paper_))


def _draw(c: Canvas, size: tuple[float, float], p: CustomsPaper) -> None:
    width, height = size
    top = _head(c, width, height, p)
    first = int((top - ROW - BOTTOM) // STEP)
    rest = int((height - MARGIN - 40 - ROW - BOTTOM) // STEP)
    items = p.declaration.items
    pages = rows_paginate(len(items), first=first, rest=rest)
    for number, rows in enumerate(pages):
        if number:
            text(c, f"{TITLES[p.declaration.form]} · shipment {p.shipment_id} (continued)",
                 BOLD, 11, MARGIN, height - MARGIN - 10, width=width - 2 * MARGIN)  # fmt: skip
            top = height - MARGIN - 40
        y = _table_head(c, width, top, p.declaration.currency)
        for i in rows:
            item = items[i]
            text(c, text_fold(item.description), FONT, 9, MARGIN, y, width=175)
            text(c, text_fold(item.sku), MONO, 7, MARGIN, y - 8, width=175)
            text(c, str(item.quantity), FONT, 9, MARGIN + 215, y, right=True)
            text(c, weight_text(item.net_weight_grams), FONT, 9, MARGIN + 280, y, right=True)
            text(c, f"{item.value}", FONT, 9, MARGIN + 350, y, right=True)
            text(c, item.hs_code, MONO, 9, MARGIN + 365, y)
            text(c, item.origin_country, FONT, 9, width - MARGIN, y, right=True)
            y -= STEP
        if number == len(pages) - 1:
            _foot(c, width, y, p)
        c.showPage()


def _head(c: Canvas, width: float, height: float, p: CustomsPaper) -> float:
    d = p.declaration
    y = height - MARGIN
    text(c, TITLES[d.form], BOLD, 18, MARGIN, y - 18)
    text(c, "May be opened officially", FONT, 9, width - MARGIN, y - 18, right=True)
    tracking = ", ".join(p.tracking_numbers) or "none"
    said = f"Order {text_fold(p.order_number)} · shipment {p.shipment_id} · tracking {tracking}"
    text(c, said, FONT, 9, MARGIN, y - 34, width=width - 2 * MARGIN)
    y -= 58
    half = (width - 2 * MARGIN) / 2
    for x, title, lines in ((MARGIN, "From", p.sender), (MARGIN + half, "To", p.recipient)):
        text(c, title.upper(), BOLD, 8, x, y)
        for i, line in enumerate(lines):
            text(c, line, FONT, 10, x, y - 14 - 12.5 * i, width=half - 10)
    y -= 14 + 12.5 * max(len(p.sender), len(p.recipient), 1) + 8
    text(c, f"Category of item: [X] {d.contents_type.capitalize()}   [ ] Gift   "
         "[ ] Documents   [ ] Commercial sample   [ ] Returned goods   [ ] Other",
         FONT, 9, MARGIN, y, width=width - 2 * MARGIN)  # fmt: skip
    return y - 22


def _table_head(c: Canvas, width: float, y: float, currency: str) -> float:
    for label, x, right in (
        ("Detailed description of contents", MARGIN, False),
        ("Qty", MARGIN + 215, True),
        ("Net weight", MARGIN + 280, True),
        (f"Value ({currency})", MARGIN + 350, True),
        ("HS tariff no.", MARGIN + 365, False),
        ("Origin", width - MARGIN, True),
    ):
        text(c, label, BOLD, 8, x, y, right=right)
    rule(c, y - 5, width)
    return y - ROW - 4


def _foot(c: Canvas, width: float, y: float, p: CustomsPaper) -> None:
    d = p.declaration
    rule(c, y + 5, width)  # under the last item's SKU
    y -= 10
    text(c, f"Total: {len(d.items)} item line(s), {sum(i.quantity for i in d.items)} unit(s)",
         BOLD, 10, MARGIN, y)  # fmt: skip
    text(c, weight_text(d.net_weight_grams), BOLD, 10, MARGIN + 280, y, right=True)
    text(c, f"{d.value} {d.currency}", BOLD, 10, MARGIN + 350, y, right=True)
    y -= 22
    text(c, f"If undeliverable: {_non_delivery(d.non_delivery)}", FONT, 9, MARGIN, y)
    y -= 16
    text(c, CERTIFY, FONT, 8, MARGIN, y, width=width - 2 * MARGIN)
    y -= 16
    text(c, f"Signed: {text_fold(d.signer)} · {p.day.isoformat()}", BOLD, 10, MARGIN, y)


def _non_delivery(option: str) -> str:
    return "return to sender" if option == "return" else "treat as abandoned"
