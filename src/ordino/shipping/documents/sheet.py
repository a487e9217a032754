"""What the packing slip and the manifest share: A4 or letter pages drawn with reportlab,
numbered "Page 2 of 5" once every page is known, text that never runs past its column."""

from __future__ import annotations

import io
from collections.abc import Callable

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

PAPERS = {"a4": A4, "letter": LETTER}
MARGIN = 40.0
FONT, BOLD, MONO = "Helvetica", "Helvetica-Bold", "Courier"


class NumberedCanvas(Canvas):
    """Pages kept until the document is saved, then each numbered "Page i of n"."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            width = self._pagesize[0]
            text(self, f"Page {number} of {len(self._pages)}", FONT, 8, width - MARGIN, 24,
                 right=True)  # fmt: skip
            super().showPage()
        super().save()


def document(paper: str, title: str, draw: Callable[[Canvas, tuple[float, float]], None]) -> bytes:
    """A PDF of `paper` size drawn by `draw(canvas, size)`, which calls showPage per page."""
    size = PAPERS[paper]
    out = io.BytesIO()
    canvas = NumberedCanvas(out, pagesize=size, invariant=1, pageCompression=1)
    canvas.setTitle(title)
    draw(canvas, size)
    canvas.save()
    return out.getvalue()


def text(c: Canvas, value: str, font: str, size: float, x: float, y: float, *,
         right: bool = False, width: float | None = None) -> None:  # fmt: skip
    """A line at its baseline; drawn smaller (down to 5 pt) if it would run past `width`."""
    if not value:
        return
    if width is not None:
        drawn = stringWidth(value, font, size)
        if drawn > width:
            size = max(5.0, size * width / drawn)
    c.setFont(font, size)
    if right:
        c.drawRightString(x, y, value)
    else:
        c.drawString(x, y, value)


def rule(c: Canvas, y: float, page_width: float, weight: float = 0.5) -> None:
    c.setLineWidth(weight)
    c.line(MARGIN, y, page_width - MARGIN, y)
