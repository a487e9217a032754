"""Shipping labels as PDF: one 4×6 in page (288×432 pt) per parcel, drawn with reportlab
(docs/shipping.md, "Labels"). The Code 128 barcode is reportlab's own; its module is a whole
number of 203 dpi printer dots (1 to 4: 0.125 to 0.5 mm), as wide as the page allows with the
10-module quiet zone on each side, and the symbol starts on a dot, so a thermal printer prints
every bar as wide as it should be.
A line that would still run past the margin at its size is drawn smaller (never below 5 pt)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.graphics.barcode.code128 import Code128
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from ordino.shipping.domain.labels import LabelContent

PAGE = (288.0, 432.0)  # 4 × 6 in at 72 pt per inch
MARGIN = 14.0
INNER = PAGE[0] - 2 * MARGIN
DOT = 72 / 203  # pt: one dot of a 203 dpi printer
DOTS_MAX = 4  # per module: 0.5 mm
GAIN = 0.3  # dot: taken off each bar, half on each side (bar width reduction)
BAR_HEIGHT = 90.0
QUIET_MODULES = 10
FONT, BOLD, MONO = "Helvetica", "Helvetica-Bold", "Courier-Bold"


def labels_pdf(labels: Sequence[LabelContent]) -> bytes:
    """A PDF with one page per label, in the order given."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=PAGE, invariant=1, pageCompression=1)
    canvas.setTitle("Shipping labels")
    for label in labels:
        _page(canvas, label)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _page(c: Canvas, label: LabelContent) -> None:
    top = PAGE[1] - MARGIN
    _text(c, "FROM", FONT, 6, MARGIN, top - 6)
    _text(c, label.day.isoformat(), FONT, 8, PAGE[0] - MARGIN, top - 6, right=True)
    y = top - 16
    for line in label.sender:
        _text(c, line, FONT, 8, MARGIN, y)
        y -= 9.5
    _rule(c, 354)
    _text(c, "SHIP TO", FONT, 7, MARGIN, 343)
    y = 328
    for line in label.recipient:
        _text(c, line, BOLD, 12, MARGIN, y)
        y -= 14
    _rule(c, 244)
    if label.banner:  # a return's label: the banner large, the carrier and parcel below it
        _text(c, label.banner, BOLD, 44, PAGE[0] / 2, 198, centre=True)
        under = (label.carrier, label.service, f"Parcel {label.parcel_text}", label.weight)
        _text(c, "  ·  ".join(t for t in under if t), FONT, 9, MARGIN, 187)
    else:
        _text(c, label.carrier, BOLD, 14, MARGIN, 226)
        _text(c, label.service, FONT, 11, MARGIN, 211)
        _text(c, f"Parcel {label.parcel_text}", BOLD, 16, MARGIN, 192)
        _text(c, label.weight, BOLD, 16, PAGE[0] - MARGIN, 192, right=True)
    _rule(c, 182)
    barcode_draw(c, label.tracking_number, left=0, width=PAGE[0], bottom=84)
    _text(c, label.tracking_number, MONO, 11, PAGE[0] / 2, 66, centre=True)
    _rule(c, 56)
    _text(c, label.reference, FONT, 8, MARGIN, 42)
    _text(c, f"{label.dated} {label.day.isoformat()}", FONT, 8, MARGIN, 30)


def barcode_draw(c: Canvas, value: str, *, left: float, width: float, bottom: float,
                 height: float = BAR_HEIGHT, dots_max: int = DOTS_MAX) -> None:  # fmt: skip
    """reportlab's Code 128 encoding (subsets chosen, check character), its bars drawn on
    whole dots (reportlab's own drawing puts bar edges between dots), each a little narrower
    than its dots (`GAIN`), so ink spread or a rounded coordinate never closes a one-dot
    space. Centred in [left, left + width] with its quiet zones (the packing slip's and the
    manifest's too: shipping/documents/)."""
    symbol = Code128(value, quiet=0)
    symbol.validate()
    symbol.encode()
    # A-D: a bar 1 to 4 modules wide; a-d: a space
    runs = [(ch.isupper(), "abcd".index(ch.lower()) + 1) for ch in symbol.decompose()]
    modules = sum(w for _, w in runs)
    start, room = round(left / DOT), round(width / DOT)
    dots = max(1, min(dots_max, room // (modules + 2 * QUIET_MODULES)))
    x = start + (room - modules * dots) // 2
    c.setFillGray(0)
    for bar, w in runs:
        if bar:
            c.rect((x + GAIN / 2) * DOT, bottom, (w * dots - GAIN) * DOT, height, stroke=0, fill=1)
        x += w * dots


def _text(c: Canvas, text: str, font: str, size: float, x: float, y: float, *,
          right: bool = False, centre: bool = False) -> None:  # fmt: skip
    if not text:
        return
    width = stringWidth(text, font, size)
    if width > INNER:
        size = max(5.0, size * INNER / width)
        width = stringWidth(text, font, size)
    c.setFont(font, size)
    if right:
        c.drawRightString(x, y, text)
    elif centre:
        c.drawCentredString(x, y, text)
    else:
        c.drawString(x, y, text)


def _rule(c: Canvas, y: float) -> None:
    c.setLineWidth(1)
    c.line(MARGIN, y, PAGE[0] - MARGIN, y)
