"""Export → import into an empty Ordino → export again gives the same files, byte for byte;
a changed file or a database with data is refused and nothing is loaded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ordino.core.domain.errors import DomainError
from ordino.invoices.models import Invoice
from ordino.orders.models import Order
from ordino.payments.models import PaymentTransaction
from ordino.returns.models import Return
from ordino.transfer.domain.format import MANIFEST
from ordino.transfer.dump import export_write
from ordino.transfer.entities import entities
from ordino.transfer.restore import export_load
from tests.factories import order_body, stock
from tests.payments.conftest import card, work
from tests.returns.conftest import return_body, ship_all

pytestmark = pytest.mark.django_db


def _wipe() -> None:
    """An empty Ordino: every exported table emptied (constraints are checked at commit)."""
    for entity in reversed(entities()):
        entity.model._base_manager.all()._raw_delete(using="default")


@pytest.fixture
def business(api, shop):
    """Two paid orders: one shipped, delivered, partly returned and refunded (an invoice and
    a credit note from the worker), one still open."""
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    first = api.post("/orders", {**order_body("W-1"), "payments": [card()]}).json()
    api.post("/orders", {**order_body("W-2"), "payments": [card()]})
    work()
    ship_all(api, first)
    work()
    rid = api.post(f"/orders/{first['id']}/returns", return_body((1, 1))).json()["id"]
    assert api.post(f"/returns/{rid}/approve", {}).status_code == 200
    receipt = {"lines": [{"line_no": 1, "restock": 1}]}
    assert api.post(f"/returns/{rid}/receive", receipt).status_code == 200
    work()
    assert Invoice.objects.exists() and Return.objects.exists()
    assert PaymentTransaction.objects.filter(kind="capture").exists()


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != MANIFEST}


def test_export_import_export_gives_identical_files(business, tmp_path):
    # given an Ordino with orders, payments, a shipment, a return and invoices, exported
    first = export_write(out=tmp_path / "one")
    orders = list(Order.objects.order_by("id").values_list("id", "external_id", "grand_total"))
    # when it is loaded into an empty database and exported again
    _wipe()
    loaded = export_load(source=tmp_path / "one")
    second = export_write(out=tmp_path / "two")
    # then every file is the same, byte for byte, and so are the checksums
    assert _files(tmp_path / "one") == _files(tmp_path / "two")
    assert first["files"] == second["files"]
    assert sum(item.rows for item in loaded) > 50
    assert list(Order.objects.order_by("id").values_list("id", "external_id", "grand_total")) == (
        orders
    )


def test_the_manifest_lists_each_file_with_rows_and_checksum(business, tmp_path):
    manifest = export_write(out=tmp_path)
    on_disk = json.loads((tmp_path / MANIFEST).read_text())
    assert on_disk["format"] == "ordino-export" and on_disk["format_version"] == 1
    orders = [f for f in manifest["files"] if f["entity"] == "orders.Order"]
    assert [(f["file"], f["rows"]) for f in orders] == [("orders.order.jsonl", 2),
                                                        ("orders.order.csv", 2)]  # fmt: skip
    assert "accounts.ApiToken" in on_disk["excluded"]
    header = (tmp_path / "auth.user.csv").read_text().splitlines()[0]
    assert "password" not in header.split(",")


def test_a_changed_file_is_refused_by_name_and_nothing_loads(business, tmp_path):
    export_write(out=tmp_path)
    path = tmp_path / "orders.order.jsonl"
    path.write_bytes(path.read_bytes().replace(b'"W-2"', b'"W-3"'))
    _wipe()
    with pytest.raises(DomainError) as refused:
        export_load(source=tmp_path)
    assert refused.value.code == "export_refused"
    assert "orders.order.jsonl" in refused.value.message
    assert Order.objects.count() == 0


def test_a_database_with_data_is_refused(business, tmp_path):
    export_write(out=tmp_path)
    with pytest.raises(DomainError) as refused:
        export_load(source=tmp_path)
    assert refused.value.code == "database_not_empty"
    assert Order.objects.count() == 2
