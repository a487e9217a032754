"""Text a 4×6 in shipping label can print (docs/shipping.md, "Labels").

Both label formats print with resident fonts: PDF's Helvetica and a Zebra printer's font 0
cover Windows-1252 (Latin-1 and a few more). A character outside it is folded to its base
letter where there is one (ő → o, Ł → L), else printed as "?", so a label never shows a black
box or silently drops a letter. Control characters (tabs, new lines) become one space. A line
longer than its limit is cut and ends with "...", so a reader sees that it was cut.
"""

from __future__ import annotations

import unicodedata

PRINTABLE_ENCODING = "cp1252"
CUT_MARK = "..."
# Letters NFKD does not decompose to a base letter.
_BASES = str.maketrans(
    {"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i", "Ŧ": "T", "ŧ": "t"}
)


def _printable(ch: str) -> bool:
    try:
        ch.encode(PRINTABLE_ENCODING)
    except UnicodeEncodeError:
        return False
    return ch.isprintable()


def text_fold(text: str) -> str:
    """The text in characters both label formats print; runs of spaces and controls → one space."""
    out = []
    for ch in unicodedata.normalize("NFC", text).translate(_BASES):
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"):
            out.append(" ")
        elif _printable(ch):
            out.append(ch)
        else:
            base = "".join(
                c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
            )
            out.append(base if base and all(_printable(c) for c in base) else "?")
    return " ".join("".join(out).split())


def text_cut(text: str, limit: int) -> str:
    """The folded text, at most `limit` characters: a longer one is cut and ends with "..."."""
    folded = text_fold(text)
    if len(folded) <= limit:
        return folded
    return folded[: limit - len(CUT_MARK)].rstrip() + CUT_MARK
