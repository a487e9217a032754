"""A carrier's day manifest as PDF (A4 or letter) and CSV (docs/shipping.md, "A day's
manifest"): one row per parcel, by shipment then parcel, and the totals — shipments, parcels,
weight (and how many parcels had no weight recorded) — with a line for the driver's
signature on the PDF's last page."""

from __future__ import annotations

import csv
import io

from reportlab.pdfgen.canvas import Canvas

from ordino.shipping.documents.sheet import BOLD, FONT, MARGIN, MONO, document, rule, text
from ordino.shipping.domain.labels import weight_text
from ordino.shipping.domain.manifests import Manifest
from ordino.shipping.domain.slips import rows_paginate

ROW = 13.0
BOTTOM = 110.0  # room under the last page's table: the totals and the signature
HEADER = ("shipment", "order", "tracking_number", "parcel", "weight_kg", "service", "city",
          "country")  # fmt: skip
# x of each column from the left margin; the last ones right-aligned where numbers are
COLUMNS = (0, 46, 120, 248, 288, 330, 400)


def manifest_title(m: Manifest) -> str:
    return f"Manifest {m.carrier} · {m.location} · {m.day.isoformat()}"


def manifest_csv(m: Manifest) -> bytes:
    """UTF-8, a header, a row per parcel, then a `total` row: parcels in `parcel`, the weight
    recorded in `weight_kg`. A cell that a spreadsheet would take for a formula (= + - @)
    starts with a `'`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for r in m.rows:
        writer.writerow(
            [
                _cell(v)
                for v in (
                    r.shipment_id,
                    r.order_reference,
                    r.tracking_number,
                    r.parcel_text,
                    _kg(r.weight_grams),
                    r.service,
                    r.city,
                    r.country,
                )
            ]
        )
    writer.writerow(["total", "", "", m.parcels, _kg(m.weight_grams), "", "", ""])
    return out.getvalue().encode("utf-8")


def manifest_pdf(m: Manifest, paper: str = "a4") -> bytes:
    return document(paper, manifest_title(m), lambda c, size: _draw(c, size, m))


def _draw(c: Canvas, size: tuple[float, float], m: Manifest) -> None:
    width, height = size
    per_page = int((height - MARGIN - 70 - BOTTOM) // ROW)
    pages = rows_paginate(len(m.rows), first=per_page, rest=per_page)
    for number, rows in enumerate(pages):
        y = height - MARGIN - 16
        text(c, manifest_title(m), BOLD, 15, MARGIN, y, width=width - 2 * MARGIN)
        text(c, f"{m.location_name} ({m.location}) handed to {m.carrier} on "
             f"{m.day.isoformat()} (UTC)", FONT, 9, MARGIN, y - 16,
             width=width - 2 * MARGIN)  # fmt: skip
        y -= 44
        for x, title in zip(
            COLUMNS,
            (
                "Shipment",
                "Order",
                "Tracking number",
                "Parcel",
                "Weight",
                "Service",
                "City, country",
            ),
            strict=True,
        ):
            text(c, title, BOLD, 8, MARGIN + x, y)
        rule(c, y - 4, width)
        y -= ROW + 2
        for i in rows:
            r = m.rows[i]
            cells = (str(r.shipment_id), r.order_reference, r.tracking_number, r.parcel_text,
                     weight_text(r.weight_grams), r.service, f"{r.city}, {r.country}")  # fmt: skip
            for k, (x, value) in enumerate(zip(COLUMNS, cells, strict=True)):
                room = (COLUMNS[k + 1] if k + 1 < len(COLUMNS) else width - 2 * MARGIN) - x - 4
                text(c, value, MONO if k == 2 else FONT, 8, MARGIN + x, y, width=room)
            y -= ROW
        if number == len(pages) - 1:
            _totals(c, width, y, m)
        c.showPage()


def _totals(c: Canvas, width: float, y: float, m: Manifest) -> None:
    rule(c, y + ROW - 4, width, weight=1)
    weight = weight_text(m.weight_grams) or "0 kg"
    unweighed = f" ({m.unweighed} parcel(s) without a weight)" if m.unweighed else ""
    text(c, f"Total: {m.shipments} shipment(s), {m.parcels} parcel(s), {weight}{unweighed}",
         BOLD, 10, MARGIN, y - 6, width=width - 2 * MARGIN)  # fmt: skip
    for x, label in (
        (MARGIN, "Driver's name"),
        (MARGIN + 180, "Signature"),
        (MARGIN + 360, "Time"),
    ):
        c.setLineWidth(0.5)
        c.line(x, y - 50, x + 150, y - 50)
        text(c, label, FONT, 8, x, y - 60)


def _kg(grams: int | None) -> str:
    return weight_text(grams).removesuffix(" kg")


def _cell(value: object) -> str:
    s = str(value)
    return f"'{s}" if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s
