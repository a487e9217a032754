"""Mappings: a file's header onto a kind's fields; every problem named."""

from __future__ import annotations

from ordino.transfer.domain.mapping import Plan, mapping_check, plan_make, status_map_parse
from ordino.transfer.domain.rows import orders_group, row_read

HEADER = ["Order", "Channel", "Cur", "Item", "Qty", "Price", "Town"]
COLUMNS = {"Order": "external_id", "Channel": "channel", "Cur": "currency", "Item": "sku",
           "Qty": "quantity", "Price": "unit_price", "Town": "ship_city"}  # fmt: skip


def test_a_mapping_naming_unknown_fields_or_a_field_twice_is_refused():
    problems = mapping_check("orders", {"A": "colour", "B": "sku", "C": "sku"}, {"size": "L"})
    assert [(p.column, p.code) for p in problems] == [
        ("A", "unknown_field"), ("C", "mapped_twice"), ("(constant)", "unknown_field"),
    ]  # fmt: skip
    assert mapping_check("orders", {}, {"timezone": "Mars/Base"})[0].code == "invalid_timezone"


def test_a_missing_column_is_named():
    plan = plan_make("orders", HEADER[:-2], COLUMNS, {})
    assert [(p.row, p.column, p.code) for p in plan] == [
        (1, "Price", "missing_column"), (1, "Town", "missing_column"),
    ]  # fmt: skip


def test_constants_fill_blank_cells_and_every_bad_cell_of_a_row_is_listed():
    plan = plan_make("orders", HEADER, {**COLUMNS, "Channel": "channel"}, {"currency": "EUR"})
    assert isinstance(plan, Plan)
    row = row_read(plan, 2, ["A-1", "web", "", "TEE", "1", "9.99", "Berlin"])
    assert row.values["currency"] == "EUR"
    bad = row_read(plan, 3, ["A-2", "web", "", "TEE", "x", "-1", "Berlin"])
    assert [(p.row, p.column, p.code) for p in bad] == [
        (3, "Qty", "invalid_integer"), (3, "Price", "negative"),
    ]  # fmt: skip


def test_rows_of_one_order_must_agree_on_the_order():
    plan = plan_make("orders", HEADER, COLUMNS, {})
    rows = [row_read(plan, n, ["A-1", "web", "EUR", "TEE", "1", "1", town])
            for n, town in ((2, "Berlin"), (3, "Paris"))]  # fmt: skip
    groups, problems = orders_group(rows, plan)
    assert len(groups) == 1 and len(groups[0].rows) == 2
    assert [(p.row, p.column, p.code) for p in problems] == [(3, "Town", "order_differs")]


def test_a_status_map_reads_their_words_in_ours():
    assert status_map_parse("Completed=delivered; Processing = open") == {
        "completed": "delivered", "processing": "open",
    }  # fmt: skip
    assert status_map_parse("completed") is None
