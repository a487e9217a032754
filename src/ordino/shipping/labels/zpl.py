"""Shipping labels as ZPL II for 203 dpi printers: one ^XA … ^XZ format per parcel on a 4×6 in
label (812×1218 dots), the same layout as the PDF (docs/shipping.md, "Labels").

Text is UTF-8 (^CI28) and every field's data goes through ^FH: `^`, `~`, `_`, `\\` and every
non-ASCII byte are written as _XX, so no text can start a command; in the barcode's data `>`
is written `>0`. The barcode is ^BC (Code 128)
in automatic mode (the printer picks the subsets, digits packed in pairs), its module as wide
as the label allows, 1 to 4 dots, with a quiet zone of 10 modules on each side. Font 0 is
about 0.9 × Helvetica's width at the same height (measured): a line that would run past the
margin is drawn narrower."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.pdfbase.pdfmetrics import stringWidth

from ordino.shipping.domain.labels import LabelContent

DPI = 203
WIDTH, HEIGHT = 812, 1218  # 4 × 6 in
DOTS_PER_PT = DPI / 72
MARGIN = 40
INNER = WIDTH - 2 * MARGIN
FONT0_PER_HELVETICA = 0.9
BAR_HEIGHT = 250
QUIET_MODULES = 10
_RAW = frozenset(chr(c) for c in range(32, 127)) - set("^~_\\")


def labels_zpl(labels: Sequence[LabelContent]) -> bytes:
    """One ZPL stream holding a format per label, in the order given."""
    return "".join(_label(label) for label in labels).encode("ascii")


def field_data(text: str) -> str:
    """^FH's form of the text: printable ASCII as it is, anything else as _XX per UTF-8 byte."""
    return "".join(
        ch if ch in _RAW else "".join(f"_{b:02X}" for b in ch.encode("utf-8")) for ch in text
    )


def barcode_data(tracking: str) -> str:
    """^BC's data: as text, and `>` as `>0` (a bare `>` starts a subset or function
    invocation, `>0` is the character itself)."""
    return field_data(tracking).replace(">", ">0")


def symbol_modules(tracking: str) -> int:
    """The symbol's modules at most: every character in subset B (11 modules each, with the
    start and check characters, and the stop's 13); automatic mode is never longer."""
    return 11 * (len(tracking) + 2) + 13


def barcode_module(tracking: str) -> int:
    """Dots per module: the widest (up to 4) that keeps the symbol and its quiet zones on the
    label."""
    return max(1, min(4, WIDTH // (symbol_modules(tracking) + 2 * QUIET_MODULES)))


def _label(label: LabelContent) -> str:
    top = 432 - MARGIN / DOTS_PER_PT  # the PDF's layout, in points from the bottom
    fields = ["^XA", "^CI28", f"^PW{WIDTH}", f"^LL{HEIGHT}", "^LH0,0"]
    fields.append(_text("FROM", 6, MARGIN, top - 6))
    fields.append(_text(label.day.isoformat(), 8, WIDTH - MARGIN, top - 6, right=True))
    y = top - 16
    for line in label.sender:
        fields.append(_text(line, 8, MARGIN, y))
        y -= 9.5
    fields.append(_rule(354))
    fields.append(_text("SHIP TO", 7, MARGIN, 343))
    y = 328
    for line in label.recipient:
        fields.append(_text(line, 12, MARGIN, y))
        y -= 14
    fields.append(_rule(244))
    if label.banner:  # a return's label: the banner large, the carrier and parcel below it
        fields.append(_text(label.banner, 44, WIDTH // 2, 198, centre=True))
        under = (label.carrier, label.service, f"Parcel {label.parcel_text}", label.weight)
        fields.append(_text("  ·  ".join(t for t in under if t), 9, MARGIN, 187))
    else:
        fields.append(_text(label.carrier, 14, MARGIN, 226))
        fields.append(_text(label.service, 11, MARGIN, 211))
        fields.append(_text(f"Parcel {label.parcel_text}", 16, MARGIN, 192))
        fields.append(_text(label.weight, 16, WIDTH - MARGIN, 192, right=True))
    fields.append(_rule(182))
    fields.append(_barcode(label.tracking_number, top_pt=176))
    fields.append(_text(label.tracking_number, 11, WIDTH // 2, 66, centre=True))
    fields.append(_rule(56))
    fields.append(_text(label.reference, 8, MARGIN, 42))
    fields.append(_text(f"{label.dated} {label.day.isoformat()}", 8, MARGIN, 30))
    fields.append("^XZ\n")
    return "\n".join(f for f in fields if f)


def _y(pt: float) -> int:
    return round((432 - pt) * DOTS_PER_PT)


def _text(text: str, size_pt: float, x: int, baseline_pt: float, *,
          right: bool = False, centre: bool = False) -> str:  # fmt: skip
    """A text field at its baseline (^FT); narrowed to fit between the margins."""
    if not text:
        return ""
    height = round(size_pt * DOTS_PER_PT)
    width = stringWidth(text, "Helvetica", height) * FONT0_PER_HELVETICA
    font_width = height if width <= INNER else max(10, int(height * INNER / width))
    drawn = width * font_width / height
    if right:
        x = round(x - drawn)
    elif centre:
        x = round(x - drawn / 2)
    return f"^FT{x},{_y(baseline_pt)}^A0N,{height},{font_width}^FH^FD{field_data(text)}^FS"


def _barcode(tracking: str, *, top_pt: float) -> str:
    module = barcode_module(tracking)
    x = max(QUIET_MODULES * module, (WIDTH - symbol_modules(tracking) * module) // 2)
    return (
        f"^BY{module},3,{BAR_HEIGHT}^FO{x},{_y(top_pt)}"
        f"^BCN,{BAR_HEIGHT},N,N,N,A^FH^FD{barcode_data(tracking)}^FS"
    )


def _rule(pt: float) -> str:
    return f"^FO{MARGIN},{_y(pt)}^GB{INNER},3,3^FS"
