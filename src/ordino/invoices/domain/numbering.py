"""Document numbers: a series' prefix, the year when it restarts yearly, a zero-padded sequence.

INV-2026-000123 is the 123rd invoice of 2026 in the series INV; CN-000007 the 7th credit note of
a series that never restarts. The sequence itself is taken in the database (services/numbering.py);
this only spells it."""

from __future__ import annotations

INVOICE = "invoice"
CREDIT_NOTE = "credit_note"
KINDS = (INVOICE, CREDIT_NOTE)

# The series each kind is numbered in unless configured otherwise (docs/invoices.md).
DEFAULT_SERIES = {INVOICE: "INV", CREDIT_NOTE: "CN"}


def number_format(*, prefix: str, year: int | None, sequence: int, width: int = 6) -> str:
    """The printed number: `prefix-year-000123`, or `prefix-000123` without a year."""
    if sequence < 1:
        raise ValueError("a document number starts at 1")
    digits = f"{sequence:0{width}d}"
    return f"{prefix}-{year}-{digits}" if year else f"{prefix}-{digits}"
