"""Cells into typed values: bounded, exact, timezone-aware; every reason named."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from ordino.transfer.domain.cells import CellError, cell_parse
from ordino.transfer.domain.fields import fields_of

ORDER = fields_of("orders")


def _code(field: str, raw: object) -> str:
    with pytest.raises(CellError) as refused:
        cell_parse(ORDER[field], raw)
    return refused.value.code


def test_money_is_decimal_from_text_and_from_a_spreadsheet_number():
    assert cell_parse(ORDER["unit_price"], "19.99") == Decimal("19.99")
    assert cell_parse(ORDER["unit_price"], 19.99) == Decimal("19.99")  # never float noise
    assert cell_parse(ORDER["unit_price"], 20.0) == Decimal("20")


@pytest.mark.parametrize(
    ("raw", "code"),
    [("abc", "invalid_decimal"), ("NaN", "invalid_decimal"), ("-1", "negative"),
     ("1e20", "out_of_range"), ("1.0001", "too_precise"), ("", "required")],
)  # fmt: skip
def test_bad_money_is_refused_with_its_reason(raw, code):
    assert _code("unit_price", raw) == code


def test_quantities_are_whole_and_bounded():
    assert cell_parse(ORDER["quantity"], "3") == 3
    assert cell_parse(ORDER["quantity"], 3.0) == 3
    assert _code("quantity", "1.5") == "invalid_integer"
    assert _code("quantity", "0") == "out_of_range"
    assert _code("quantity", "100001") == "out_of_range"


def test_a_naive_time_is_read_in_the_zone_given_and_kept_in_utc():
    berlin = ZoneInfo("Europe/Berlin")
    value = cell_parse(ORDER["placed_at"], "2026-07-01 12:00:00", zone=berlin)
    assert value == datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    assert cell_parse(ORDER["placed_at"], "2026-07-01T12:00:00Z").tzinfo == UTC
    spreadsheet = cell_parse(ORDER["placed_at"], datetime(2026, 1, 1, 9), zone=berlin)
    assert spreadsheet == datetime(2026, 1, 1, 8, tzinfo=UTC)
    assert _code("placed_at", "yesterday") == "invalid_datetime"
    assert _code("placed_at", "1900-01-01T00:00:00Z") == "out_of_range"


def test_text_is_bounded_by_what_is_stored_and_codes_have_no_blanks():
    assert _code("external_id", "x" * 129) == "too_long"
    assert _code("sku", "TE E") == "invalid_code"
    assert _code("email", "a\x00b") == "nul_character"
    assert cell_parse(ORDER["email"], "  ") is None
