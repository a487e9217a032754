"""Imports through the use cases: all or nothing, every bad row listed, exactly once."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ordino.catalog.models import Product, Sku
from ordino.customers.models import Customer
from ordino.integrations.models import IntegrationCall
from ordino.inventory.models import StockBalance, StockMovement
from ordino.orders.models import Order
from ordino.transfer.importing import import_mapping_save, import_run
from ordino.transfer.models import ImportJob
from tests.factories import stock
from tests.transfer.files import ORDER_HEADER, csv_file, order_row, xlsx_file

pytestmark = pytest.mark.django_db


def _run(kind, handle, name="file.csv", **kw):
    return import_run(kind=kind, handle=handle, file_name=name, actor="cli:test", **kw)


@pytest.fixture
def stocked(shop):
    for sku in ("TEE", "MUG", "CAP"):
        stock(shop["wh_a"], shop[sku], 100)
    return shop


def test_orders_import_captures_each_order_once_and_a_second_run_creates_nothing(stocked):
    # given a file of two orders, the first with two lines
    rows = [order_row("L-1"), order_row("L-1", sku="MUG", qty=2, price="4.50"), order_row("L-2")]
    # when it is imported twice
    first = _run("orders", csv_file(ORDER_HEADER, *rows))
    second = _run("orders", csv_file(ORDER_HEADER, *rows))
    # then two orders exist, with exact money, and the second run replayed them
    assert (first.status, first.created, first.existing, first.rows_done) == ("done", 2, 0, 3)
    assert (second.status, second.created, second.existing) == ("done", 0, 2)
    order = Order.objects.get(external_id="L-1")
    assert order.lines.count() == 2
    assert order.subtotal == Decimal("19.00")
    assert Order.objects.count() == 2


def test_a_dry_run_lists_every_bad_row_and_changes_nothing(stocked):
    # given a file with a bad cell, an unknown SKU and a too-precise price among good rows
    rows = [
        order_row("L-1"),
        order_row("L-2", qty=0),
        order_row("L-3", sku="NOPE"),
        order_row("L-4", price="1.234"),
        order_row("L-5"),
    ]
    # when it is dry-run
    job = _run("orders", csv_file(ORDER_HEADER, *rows), dry_run=True)
    # then every bad row is listed with its row and column, and nothing was written
    assert job.status == ImportJob.REFUSED
    where = [(e["row"], e["column"], e["code"]) for e in job.errors]
    assert (3, "quantity", "out_of_range") in where
    assert (4, "sku", "unknown_sku") in where or any(r == 4 and c == "sku" for r, c, _ in where)
    assert any(r == 5 and c == "unit_price" for r, c, _ in where)
    assert job.rows_failed == 3
    assert Order.objects.count() == 0


def test_a_refused_file_imports_nothing_even_its_good_rows(stocked):
    job = _run("orders", csv_file(ORDER_HEADER, order_row("L-1"), order_row("L-2", sku="NOPE")))
    assert job.status == ImportJob.REFUSED
    assert job.rows_failed == 1
    assert Order.objects.count() == 0
    (logged,) = IntegrationCall.objects.filter(system="import")
    assert (logged.ok, logged.object_id, logged.operation) == (False, str(job.pk), "orders")
    assert StockBalance.objects.get(sku=stocked["TEE"], location=stocked["wh_a"]).committed == 0


def test_a_clean_dry_run_is_checked_and_writes_nothing(stocked):
    job = _run("orders", csv_file(ORDER_HEADER, order_row("L-1")), dry_run=True)
    assert (job.status, job.created, job.rows_done) == ("checked", 1, 1)
    assert Order.objects.count() == 0


def test_a_saved_mapping_renames_columns_and_adds_constants(stocked):
    # given a legacy file with its own headers and no channel or currency column
    import_mapping_save(
        kind="orders",
        name="legacy",
        columns={"Order No": "external_id", "Item": "sku", "Qty": "quantity", "Price": "unit_price",
                 "Town": "ship_city", "Street": "ship_line1", "Land": "ship_country"},
        constants={"channel": "web", "currency": "EUR", "timezone": "Europe/Berlin"},
    )  # fmt: skip
    handle = csv_file("Order No;Item;Qty;Price;Town;Street;Land;placed_at",
                      "A-1;TEE;1;10.00;Berlin;1 Main St;DE;2026-03-01 12:00:00")  # fmt: skip
    # when it is imported with the mapping
    job = _run("orders", handle, mapping_name="legacy")
    # then the order is captured, its naive time read in Berlin
    assert job.status == "done", job.errors
    order = Order.objects.get(external_id="A-1")
    assert order.placed_at.isoformat() == "2026-03-01T11:00:00+00:00"


def test_a_missing_required_column_refuses_the_file_naming_it(stocked):
    job = _run("orders", csv_file("channel,external_id,currency,sku,quantity", "web,1,EUR,TEE,1"))
    assert job.status == "refused"
    assert job.errors == [
        {"row": 1, "column": "unit_price", "code": "missing_column",
         "message": "No column feeds unit_price (required)."}
    ]  # fmt: skip


def test_products_import_creates_products_and_skus_from_a_spreadsheet(db):
    rows = [
        ["product_code", "product_name", "sku", "sku_name", "weight_grams", "tags"],
        ["SHIRT", "Shirt", "SHIRT-S", "Shirt S", 200, "summer,cotton"],
        ["SHIRT", "Shirt", "SHIRT-M", "Shirt M", 210.0, ""],
    ]
    job = _run("products", xlsx_file(rows), name="catalog.xlsx")
    assert job.status == "done", job.errors
    assert (job.created, Product.objects.count(), Sku.objects.count()) == (2, 1, 2)
    assert Sku.objects.get(code="SHIRT-M").weight_grams == 210
    again = _run("products", xlsx_file(rows), name="catalog.xlsx")
    assert (again.created, again.existing) == (0, 2)


def test_customers_import_skips_known_e_mails(db):
    handle = csv_file("email,first_name,last_name,country,address_line1,address_city",
                      "ada@example.com,Ada,Lovelace,GB,1 Main St,London",
                      "ADA@example.com,Ada,Again,GB,,")  # fmt: skip
    job = _run("customers", handle)
    assert (job.status, job.created, job.existing) == ("done", 1, 1)
    assert Customer.objects.get().addresses.count() == 1


def test_stock_import_counts_through_the_ledger_and_again_moves_nothing(shop):
    handle = "location,sku,on_hand,safety_stock", "WH-A,TEE,12,2", "WH-B,MUG,5,"
    job = _run("stock", csv_file(*handle))
    assert (job.status, job.created) == ("done", 2)
    balance = StockBalance.objects.get(location=shop["wh_a"], sku=shop["TEE"])
    assert (balance.on_hand, balance.safety_stock) == (12, 2)
    moved = StockMovement.objects.count()
    again = _run("stock", csv_file(*handle))
    assert (again.status, again.created, again.existing) == ("done", 0, 2)
    assert StockMovement.objects.count() == moved


def test_stock_import_names_an_unknown_location(shop):
    job = _run("stock", csv_file("location,sku,on_hand", "NOWHERE,TEE,1"))
    assert job.status == "refused"
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "location")]
