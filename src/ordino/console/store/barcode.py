"""A Code 128 barcode as inline SVG: on a card, the SKU (or the catalog's barcode) stands in for
a product image, and a handheld scanner reads it off the screen or the paper. python-barcode
encodes (code sets, check symbol); this module only draws its modules as SVG bars."""

from __future__ import annotations

from barcode.codex import Code128
from barcode.errors import BarcodeError
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

QUIET = 10  # modules of white either side, so a scanner finds the ends
MAX_LENGTH = 40  # a longer text would not fit a card at a scannable module width


def code128_modules(text: str) -> str | None:
    """The barcode's modules, "1" bar and "0" space, or None when the text cannot be encoded
    (empty, too long, or a character Code 128 has not)."""
    if not text or len(text) > MAX_LENGTH:
        return None
    try:
        return Code128(text).build()[0]
    except BarcodeError:
        return None


def _bar_runs(modules: str) -> list[tuple[int, int]]:
    """(start, width) of each run of bar modules."""
    runs: list[tuple[int, int]] = []
    start = None
    for i, module in enumerate(modules + "0"):
        if module == "1" and start is None:
            start = i
        elif module == "0" and start is not None:
            runs.append((start, i - start))
            start = None
    return runs


def barcode_svg(text: str, *, height: int = 48, module: int = 2) -> SafeString:
    """The barcode as an inline SVG (empty when `text` cannot be encoded)."""
    modules = code128_modules(text)
    if modules is None:
        return mark_safe("")
    bars = "".join(
        f'<rect x="{QUIET + start}" y="0" width="{width}" height="1"/>'
        for start, width in _bar_runs(modules)
    )
    total = len(modules) + 2 * QUIET
    return format_html(
        '<svg class="st-code128" role="img" aria-label="barcode {}" viewBox="0 0 {} 1" '
        'preserveAspectRatio="none" width="{}" height="{}" style="background:#fff;max-width:100%">'
        "{}</svg>",
        text,
        total,
        total * module,
        height,
        mark_safe(bars),
    )
