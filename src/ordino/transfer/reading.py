"""Reading an import file: CSV (UTF-8, comma, semicolon or tab) or XLSX (the first sheet),
bounded in size and rows (docs/transfer.md, "Files").

CSV and XLSX are read directly (csv, openpyxl in read-only mode) rather than through
django-import-export/tablib: tablib loads the whole sheet into memory first, and the rows must
reach Ordino's use cases, not model saves, with their row number and column kept for errors.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from ordino.transfer.domain.mapping import Problem

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
MAX_CELL_CHARS = 10_000  # csv's own field limit, far above any field's length
FORMATS = ("csv", "xlsx")


class FileRefused(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass
class Sheet:
    """A file's header and its data rows (numbered as a spreadsheet numbers them)."""

    header: list[str]
    rows: list[tuple[int, list[object]]]
    size: int
    sha256: str


def file_format(name: str) -> str:
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in FORMATS:
        raise FileRefused(
            Problem(0, "file", "unsupported_format", f"{name!r}: import a .csv or .xlsx file.")
        )
    return suffix


def sheet_read(handle: IO[bytes], name: str) -> Sheet:
    """The whole file, checked against the bounds; refused as a whole when it breaks one."""
    kind = file_format(name)
    data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise FileRefused(
            Problem(0, "file", "file_too_large", f"A file may hold {MAX_FILE_BYTES} bytes.")
        )
    lines = _csv_rows(data) if kind == "csv" else _xlsx_rows(data)
    header = next(lines, None)
    if header is None:
        raise FileRefused(Problem(1, "file", "empty_file", "The file has no header row."))
    rows: list[tuple[int, list[object]]] = []
    for number, cells in enumerate(lines, start=2):
        if len(rows) >= MAX_ROWS:
            raise FileRefused(
                Problem(number, "file", "too_many_rows", f"A file may hold {MAX_ROWS} rows.")
            )
        rows.append((number, cells))
    digest = hashlib.sha256(data).hexdigest()
    return Sheet([str(h or "").strip() for h in header], rows, len(data), digest)


def _csv_rows(data: bytes) -> Iterator[list[object]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused(
            Problem(0, "file", "not_utf8", f"The file is not UTF-8 (byte {exc.start}).")
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as exc:
        raise FileRefused(
            Problem(reader.line_num, "file", "malformed_csv", f"Line {reader.line_num}: {exc}")
        ) from None


def _xlsx_rows(data: bytes) -> Iterator[list[object]]:
    from openpyxl import load_workbook  # heavy: only when a spreadsheet comes

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise FileRefused(
            Problem(0, "file", "malformed_xlsx", f"Not a readable .xlsx workbook: {exc}")
        ) from None
    try:
        sheet = book.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield list(values)
    finally:
        book.close()
