"""A Code 128 (set B) barcode as inline SVG: on a card, the SKU (or the catalog's barcode)
stands in for a product image, and a handheld scanner reads it off the screen or the paper.
The patterns are the standard table: value → widths of bar, space, bar, space, bar, space."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

PATTERNS = (
    "212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 221312 231212 "
    "112232 122132 122231 113222 123122 123221 223211 221132 221231 213212 223112 312131 "
    "311222 321122 321221 312212 322112 322211 212123 212321 232121 111323 131123 131321 "
    "112313 132113 132311 211313 231113 231311 112133 112331 132131 113123 113321 133121 "
    "313121 211331 231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 "
    "314111 221411 431111 111224 111422 121124 121421 141122 141221 112214 112412 122114 "
    "122411 142112 142211 241211 221114 413111 241112 134111 111242 121142 121241 114212 "
    "124112 124211 411212 421112 421211 212141 214121 412121 111143 111341 131141 114113 "
    "114311 411113 411311 113141 114131 311141 411131 211412 211214 211232"
).split()
START_B = 104
STOP = "2331112"
QUIET = 10  # modules of white either side, so a scanner finds the ends
MAX_LENGTH = 40


def code128_widths(text: str) -> list[int] | None:
    """Widths of the bars and spaces (alternating, starting with a bar), or None when the text
    cannot be set B (empty, too long, or outside printable ASCII)."""
    if not text or len(text) > MAX_LENGTH or any(not 32 <= ord(c) <= 126 for c in text):
        return None
    values = [START_B] + [ord(c) - 32 for c in text]
    check = (START_B + sum(i * v for i, v in enumerate(values[1:], start=1))) % 103
    widths = [int(w) for v in [*values, check] for w in PATTERNS[v]]
    return widths + [int(w) for w in STOP]


def barcode_svg(text: str, *, height: int = 48, module: int = 2) -> SafeString:
    """The barcode as an inline SVG (empty when `text` cannot be encoded)."""
    widths = code128_widths(text)
    if widths is None:
        return mark_safe("")
    x, bars = QUIET, []
    for i, w in enumerate(widths):
        if i % 2 == 0:
            bars.append(f'<rect x="{x}" y="0" width="{w}" height="1"/>')
        x += w
    total = x + QUIET
    return format_html(
        '<svg class="st-code128" role="img" aria-label="barcode {}" viewBox="0 0 {} 1" '
        'preserveAspectRatio="none" width="{}" height="{}" style="background:#fff;max-width:100%">'
        "{}</svg>",
        text,
        total,
        total * module,
        height,
        mark_safe("".join(bars)),
    )
