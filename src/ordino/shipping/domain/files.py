"""Zone tables and rate sheets as CSV files (docs/shipping.md, "Loading"): each row typed and
bounded, every bad cell named by row and column; the caller refuses a file with any error.

Row numbers are the file's lines as a spreadsheet shows them (the header is row 1).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation

from ordino.core.domain.errors import DomainError
from ordino.shipping.domain.sheets import Bracket
from ordino.shipping.domain.zones import ZoneRule

MAX_BYTES = 5_000_000
MAX_ROWS = 50_000
MAX_WEIGHT = Decimal(1000)  # kg or lb: no parcel service carries more
MAX_PRICE = Decimal(1_000_000)
ZONE_COLUMNS = ("zone", "country", "region", "postal_prefix")
RATE_COLUMNS = ("zone", "above", "up_to", "price")
TEXT_LIMITS = {"zone": 32, "country": 2, "region": 64, "postal_prefix": 16}


def zone_rows_read(data: bytes) -> list[ZoneRule]:
    rows, errors = _rows(data, ZONE_COLUMNS, required=("zone", "country"))
    out = []
    for n, row in rows:
        cells = {c: _text(row, c, n, errors) for c in ZONE_COLUMNS}
        out.append(
            ZoneRule(cells["zone"], cells["country"], cells["region"], cells["postal_prefix"], n)
        )
    _raise(errors, "invalid_zones", "The zone table has errors.")
    return out


def rate_rows_read(data: bytes) -> list[Bracket]:
    rows, errors = _rows(data, RATE_COLUMNS, required=RATE_COLUMNS)
    out = []
    for n, row in rows:
        zone = _text(row, "zone", n, errors)
        above = _number(row, "above", n, errors, MAX_WEIGHT)
        up_to = _number(row, "up_to", n, errors, MAX_WEIGHT)
        price = _number(row, "price", n, errors, MAX_PRICE)
        if None not in (above, up_to, price):
            out.append(Bracket(zone, above, up_to, price, n))  # type: ignore[arg-type]
    _raise(errors, "invalid_rate_sheet", "The rate sheet has errors.")
    return out


def _rows(data: bytes, columns: tuple[str, ...], required: tuple[str, ...]):
    if len(data) > MAX_BYTES:
        raise DomainError("file_too_large", f"At most {MAX_BYTES} bytes.", field="file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError("invalid_encoding", "The file is not UTF-8.", field="file") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in required if c not in header]
    unknown = [h for h in header if h not in columns]
    if missing or unknown:
        raise DomainError(
            "invalid_header",
            f"The header must name {', '.join(columns)}"
            + (f"; missing {', '.join(missing)}" if missing else "")
            + (f"; unknown {', '.join(unknown)}" if unknown else "")
            + ".",
            field="file",
        )
    reader.fieldnames = header
    rows = []
    for n, row in enumerate(reader, start=2):
        if n - 1 > MAX_ROWS:
            raise DomainError("too_many_rows", f"At most {MAX_ROWS} rows.", field="file")
        if any((v or "").strip() for k, v in row.items() if k is not None):
            rows.append((n, row))
    if not rows:
        raise DomainError("empty_file", "The file has no rows.", field="file")
    return rows, []


def _text(row: dict, column: str, n: int, errors: list) -> str:
    value = (row.get(column) or "").strip()
    if "\x00" in value or len(value) > TEXT_LIMITS[column]:
        errors.append(_error(n, column, f"at most {TEXT_LIMITS[column]} characters"))
        return ""
    return value


def _number(row: dict, column: str, n: int, errors: list, limit: Decimal) -> Decimal | None:
    raw = (row.get(column) or "").strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        errors.append(_error(n, column, f"{raw!r} is not a number"))
        return None
    if not value.is_finite() or value < 0 or value > limit:
        errors.append(_error(n, column, f"{raw} is not between 0 and {limit}"))
        return None
    if value.as_tuple().exponent < -3:  # type: ignore[operator]
        errors.append(_error(n, column, f"{raw} has more than 3 decimals"))
        return None
    return value


def _error(n: int, column: str, message: str) -> dict[str, str]:
    return {
        "field": f"row {n}",
        "code": "invalid_cell",
        "message": f"Row {n}, {column}: {message}.",
    }


def _raise(errors: list, code: str, message: str) -> None:
    if errors:
        raise DomainError(code, message, errors=errors)
