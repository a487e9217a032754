"""One cell into one typed value, or a reason why not (docs/transfer.md, "Cells").

Cells come as text (CSV) or as what a spreadsheet holds (XLSX: numbers, dates). Numbers are
never floats inside Ordino: a spreadsheet's number is read through its shortest text form
(19.99 → Decimal("19.99")). A naive date and time is read in the mapping's time zone (UTC by
default) and kept in UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, tzinfo
from decimal import Decimal, InvalidOperation

from ordino.transfer.domain.fields import (
    BOOL,
    CODE,
    DATETIME,
    DECIMAL,
    INT,
    TAGS,
    Field,
)

MAX_DECIMAL_DIGITS = 15  # as the tables store money: 18 digits, 3 of them decimals
_TRUE = {"1", "true", "yes", "y", "x"}
_FALSE = {"0", "false", "no", "n", ""}
_INT = re.compile(r"^[+-]?\d{1,12}$")


class CellError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def cell_text(raw: object) -> str:
    """What a cell says, as text: blanks stripped; a spreadsheet's number without float noise."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, float):
        return repr(raw) if not raw.is_integer() else str(int(raw))
    if isinstance(raw, datetime | date | time):
        return raw.isoformat()
    return str(raw).strip()


def cell_parse(field: Field, raw: object, *, zone: tzinfo = UTC) -> object:
    """The typed value of `raw` for `field`; None for a blank optional cell."""
    if isinstance(raw, datetime) and field.type == DATETIME:
        return _aware(raw, zone)
    text = cell_text(raw)
    if "\x00" in text:
        raise CellError("nul_character", "Text may not contain the NUL character.")
    if not text:
        if field.required:
            raise CellError("required", f"{field.name} is required.")
        return None
    if len(text) > field.max_length:
        raise CellError(
            "too_long", f"{len(text)} characters; {field.name} holds at most {field.max_length}."
        )
    parse = _PARSERS.get(field.type)
    return parse(field, text, zone) if parse else text


def _code(field: Field, text: str, zone: tzinfo) -> str:
    if any(c.isspace() for c in text):
        raise CellError("invalid_code", f"{text!r} may not contain blanks.")
    return text


def _int(field: Field, text: str, zone: tzinfo) -> int:
    if text.endswith(".0"):  # a spreadsheet's whole number written as text
        text = text[:-2]
    if not _INT.match(text):
        raise CellError("invalid_integer", f"{text!r} is not a whole number.")
    value = int(text)
    if not field.minimum <= value <= field.maximum:
        raise CellError(
            "out_of_range", f"{value} is not between {field.minimum} and {field.maximum}."
        )
    return value


def _decimal(field: Field, text: str, zone: tzinfo) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CellError("invalid_decimal", f"{text!r} is not a decimal number.") from None
    if not value.is_finite():
        raise CellError("invalid_decimal", f"{text!r} is not a finite number.")
    if value < 0:
        raise CellError("negative", f"{text} may not be negative.")
    if value >= Decimal(10) ** MAX_DECIMAL_DIGITS:
        raise CellError("out_of_range", f"{text} is too large.")
    if int(value.as_tuple().exponent) < -3:
        raise CellError("too_precise", f"{text} has more than 3 decimals.")
    return value


def _datetime(field: Field, text: str, zone: tzinfo) -> datetime:
    candidate = text.replace("Z", "+00:00") if text.endswith("Z") else text
    try:
        value = datetime.fromisoformat(candidate)
    except ValueError:
        raise CellError(
            "invalid_datetime",
            f"{text!r} is not an ISO 8601 date and time (2026-03-01T14:30:00+01:00).",
        ) from None
    if not 1970 <= value.year <= 2100:
        raise CellError("out_of_range", f"{text} is not between 1970 and 2100.")
    return _aware(value, zone)


def _aware(value: datetime, zone: tzinfo) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC)


def _tags(field: Field, text: str, zone: tzinfo) -> list[str]:
    return [t.strip() for t in re.split(r"[,;|]", text) if t.strip()]


def _bool(field: Field, text: str, zone: tzinfo) -> bool:
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise CellError("invalid_boolean", f"{text!r} is not yes/no (true, false, 1, 0).")


_PARSERS = {
    CODE: _code,
    INT: _int,
    DECIMAL: _decimal,
    DATETIME: _datetime,
    TAGS: _tags,
    BOOL: _bool,
}
