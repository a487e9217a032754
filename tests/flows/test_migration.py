"""A merchant moves from a legacy system through the API: stock and orders dry-run, fixed,
imported whole; the next day's overlapping file creates nothing twice; the reconciliation of
the legacy system's order list comes out clean (docs/transfer.md, "Migration runbook")."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db

ORDERS = "Order No;Item;Qty;Price;Street;Town;Land;Date"


def _upload(story, path: str, name: str, lines: list[str], **form) -> dict:
    file = SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(), "text/csv")
    response = story.api.client.post(
        f"/api/v1/transfer{path}", {**form, "file": file}, **story.api.headers
    )
    return story.ok(response, 201 if path == "/imports" else 200)


def test_a_legacy_migration_with_a_parallel_run(story):
    # the stock, through the ledger
    stock = _upload(story, "/imports", "stock.csv", ["location,sku,on_hand", "WH-A,TEE,50",
                                                      "WH-A,MUG,20"], kind="stock")  # fmt: skip
    assert stock["status"] == "done"
    # the legacy orders with their own headers: a dry run finds the two bad rows at once
    columns = ('{"Order No": "external_id", "Item": "sku", "Qty": "quantity", "Price": '
               '"unit_price", "Street": "ship_line1", "Town": "ship_city", "Land": "ship_country",'
               ' "Date": "placed_at"}')  # fmt: skip
    constants = '{"channel": "web", "currency": "EUR", "timezone": "Europe/Berlin"}'
    day_one = [ORDERS, "L-1;TEE;2;19.99;1 Main St;Berlin;DE;2026-03-01 09:00",
               "L-1;MUG;1;9.50;1 Main St;Berlin;DE;2026-03-01 09:00",
               "L-2;TEE;1;19,99;2 Side St;Hamburg;DE;2026-03-01 10:00",
               "L-3;HAT;1;5.00;3 Oak St;Munich;DE;2026-03-01 11:00"]  # fmt: skip
    form = {"kind": "orders", "columns": columns, "constants": constants}
    checked = _upload(story, "/imports", "day1.csv", day_one, dry_run="true", **form)
    assert checked["status"] == "refused"
    assert [(e["row"], e["column"]) for e in checked["errors"]] == [(4, "Price"), (5, "Item")]
    assert story.ok(story.api.get("/orders"))["items"] == []
    # fixed, imported whole
    day_one[3] = day_one[3].replace("19,99", "19.99")
    day_one[4] = day_one[4].replace("HAT", "CAP")
    story.ok(story.api.post("/inventory/receipts", {"location": "WH-A", "sku": "CAP",
                                                    "quantity": 5}), 201)  # fmt: skip
    imported = _upload(story, "/imports", "day1.csv", day_one, **form)
    assert (imported["status"], imported["created"]) == ("done", 3)
    # the parallel run's next file overlaps the first: only the new order is created
    day_two = [ORDERS, day_one[1], day_one[2],
               "L-4;MUG;2;9.50;4 Elm St;Cologne;DE;2026-03-02 08:00"]  # fmt: skip
    again = _upload(story, "/imports", "day2.csv", day_two, **form)
    assert (again["created"], again["existing"]) == (1, 1)
    # the legacy system's order list reconciles with Ordino
    legacy = [
        "external_id,channel,placed_at,total,currency,line_count",
        "L-1,web,2026-03-01T08:00:00Z,49.48,EUR,2",
        "L-2,web,2026-03-01T09:00:00Z,19.99,EUR,1",
        "L-3,web,2026-03-01T10:00:00Z,5.00,EUR,1",
        "L-4,web,2026-03-02T07:00:00Z,19.00,EUR,1",
    ]
    report = _upload(story, "/reconcile", "legacy.csv", legacy)
    assert (report["matched"], report["differences_total"]) == (4, 0)
    assert report["totals"] == [
        {"currency": "EUR", "legacy": "93.47", "ordino": "93.47", "difference": "0.00"}
    ]
