"""A bulk stock feed: a merchant's file of absolute stock counts, one (location, SKU, quantity)
per row. Pure Python: parsing and the per-row rules; the service resolves codes and writes.

Format: CSV (comma, semicolon or tab, detected from the first line), UTF-8 (a BOM is fine),
three columns `location,sku,quantity`. An optional first line names the columns, in any order
(`location`/`location_code`, `sku`/`sku_code`, `quantity`/`qty`/`count`/`on_hand`). Blank lines
are skipped; cells are trimmed. Line numbers count every physical line from 1, header included.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ordino.inventory.domain.ledger import Quantities, counted_movement

COLUMNS = ("location", "sku", "quantity")
ALIASES = {
    "location": "location",
    "location_code": "location",
    "sku": "sku",
    "sku_code": "sku",
    "quantity": "quantity",
    "qty": "quantity",
    "count": "quantity",
    "counted": "quantity",
    "on_hand": "quantity",
}
MAX_QUANTITY = 2_000_000_000  # fits the balance's integer column
DELIMITERS = ",;\t"


@dataclass(frozen=True)
class FeedRow:
    line: int
    location: str
    sku: str
    quantity: int


@dataclass(frozen=True)
class RowError:
    line: int
    column: str  # location, sku, quantity, or "row" for the row as a whole
    code: str
    message: str

    def as_problem(self) -> dict[str, str]:
        return {
            "field": f"line {self.line}, {self.column}",
            "code": self.code,
            "message": self.message,
        }


def quantity_parse(text: str) -> int | None:
    """A whole number of units written as digits (an optional + sign); None otherwise."""
    digits = text[1:] if text[:1] == "+" else text
    if not digits.isascii() or not digits.isdigit():
        return None
    return int(digits)


def _header(cells: list[str]) -> tuple[int, int, int] | None:
    """The positions of (location, sku, quantity) when `cells` is a header line; None if data."""
    names = [ALIASES.get(c.strip().lower().replace(" ", "_")) for c in cells]
    if len(cells) == 3 and set(names) == set(COLUMNS):
        return tuple(names.index(col) for col in COLUMNS)  # type: ignore[return-value]
    return None


def rows_parse(lines: Iterable[str]) -> Iterator[FeedRow | RowError]:
    """Every data row of a feed, or the error that makes it unusable, in file order.

    Syntax only: codes are not looked up here, duplicates are found by the caller (which knows
    the ids). `lines` are text lines (a file opened in text mode, or a list)."""
    for row in rows_scan(lines):
        yield row if isinstance(row, RowError) else FeedRow(*row)


def rows_scan(lines: Iterable[str]) -> Iterator[tuple[int, str, str, int] | RowError]:
    """rows_parse's rows as plain (line, location, sku, quantity) tuples: what a million-row
    feed reads, where building an object per row would cost more than the rest of the check."""
    lines = iter(lines)
    first = next(lines, None)
    if first is None:
        return
    delimiter = max(DELIMITERS, key=first.count) if any(d in first for d in DELIMITERS) else ","
    reader = csv.reader(_chain(first.lstrip("\ufeff"), lines), delimiter=delimiter, strict=True)
    order: tuple[int, int, int] | None = None  # known once the first row says if it is a header
    while True:
        try:
            for cells in reader:
                if len(cells) != 3 and (not cells or (len(cells) == 1 and not cells[0].strip())):
                    continue
                if order is None:
                    order = _header(cells)
                    if order is not None:
                        continue
                    order = (0, 1, 2)
                yield _row_check(reader.line_num, cells, order)
            return
        except csv.Error as exc:
            line = reader.line_num
            yield RowError(line, "row", "malformed_csv", f"line {line}: {exc}.")


def _row_check(
    line: int, cells: list[str], order: tuple[int, int, int]
) -> tuple[int, str, str, int] | RowError:
    """One data line's cells (location, sku, quantity in `order`) as a row, or what is wrong."""
    if len(cells) == 3:  # the common case first, in as few steps as it takes
        location, sku, raw = (
            cells[order[0]].strip(),
            cells[order[1]].strip(),
            cells[order[2]].strip(),
        )
        if location and sku and raw.isdigit() and raw.isascii() and len(raw) <= 10:
            quantity = int(raw)
            if quantity <= MAX_QUANTITY:
                return (line, location, sku, quantity)
    return _row_problem(line, cells, order)


def _row_problem(
    line: int, cells: list[str], order: tuple[int, int, int]
) -> tuple[int, str, str, int] | RowError:
    """_row_check's every rule, in order, for a row off the common case."""
    if len(cells) != 3:
        return RowError(
            line,
            "row",
            "wrong_field_count",
            f"line {line}: expected 3 fields (location, sku, quantity), got {len(cells)}.",
        )
    location, sku, raw = (cells[i].strip() for i in order)
    if not location:
        return RowError(line, "location", "required", f"line {line}: the location is empty.")
    if not sku:
        return RowError(line, "sku", "required", f"line {line}: the SKU is empty.")
    if raw.startswith("-") and quantity_parse(raw[1:]) is not None:
        return RowError(
            line,
            "quantity",
            "negative",
            f"line {line}: the quantity {raw!r} is negative; a stock count is 0 or more.",
        )
    quantity = quantity_parse(raw)
    if quantity is None:
        return RowError(
            line,
            "quantity",
            "not_an_integer",
            f"line {line}: the quantity {raw!r} is not a whole number.",
        )
    if quantity > MAX_QUANTITY:
        return RowError(
            line,
            "quantity",
            "too_large",
            f"line {line}: the quantity {raw} is above {MAX_QUANTITY}.",
        )
    return (line, location, sku, quantity)


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


# --- the per-row stock rule -------------------------------------------------------------------

UNCHANGED = "unchanged"
REFUSED = "refused"
CHANGED = "changed"


@dataclass(frozen=True)
class CountOutcome:
    kind: str  # unchanged, refused, changed
    step: tuple[str, str, int] | None = None  # the counted movement when changed
    floor: int = 0  # committed + unavailable, when refused


def count_outcome(current: Quantities, counted: int) -> CountOutcome:
    """What a counted quantity does to a balance: nothing, one counted movement, or a refusal
    when it is below what is committed plus unavailable (never oversell; the row is skipped)."""
    floor = current.committed + current.unavailable
    if counted == current.on_hand:
        return CountOutcome(UNCHANGED)
    if counted < floor:
        return CountOutcome(REFUSED, floor=floor)
    return CountOutcome(CHANGED, step=counted_movement(current.on_hand, counted))


def refusal_message(
    *, line: int, location: str, sku: str, counted: int, current: Quantities
) -> str:
    return (
        f"line {line}: {location} {sku}: cannot set on hand to {counted}: {current.committed} "
        f"unit(s) are committed to orders and {current.unavailable} are unavailable, so at least "
        f"{current.committed + current.unavailable} must be on hand. The row was skipped."
    )
