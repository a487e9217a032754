"""Small import files written by the tests themselves."""

from __future__ import annotations

import io

from openpyxl import Workbook

ORDER_HEADER = (
    "channel,external_id,currency,placed_at,email,first_name,last_name,ship_line1,ship_city,"
    "ship_postal_code,ship_country,sku,quantity,unit_price"
)


def csv_file(*lines: str) -> io.BytesIO:
    return io.BytesIO(("\n".join(lines) + "\n").encode())


def order_row(ext: str, sku: str = "TEE", qty: int = 1, price: str = "10.00", **kw) -> str:
    values = {
        "channel": "web", "external_id": ext, "currency": "EUR",
        "placed_at": "2026-03-01T10:00:00Z", "email": f"{ext.lower()}@example.com",
        "first_name": "Ada", "last_name": "Lovelace", "ship_line1": "1 Main St",
        "ship_city": "Berlin", "ship_postal_code": "10115", "ship_country": "DE",
        "sku": sku, "quantity": str(qty), "unit_price": price, **kw,
    }  # fmt: skip
    return ",".join(values[name] for name in ORDER_HEADER.split(","))


def xlsx_file(rows: list[list[object]]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out
