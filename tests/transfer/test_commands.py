"""`ordino transfer import|reconcile|mapping`, `ordino export`, `ordino import`."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ordino.orders.models import Order
from tests.factories import stock
from tests.transfer.files import ORDER_HEADER, order_row

pytestmark = pytest.mark.django_db


def _ordino(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_a_dry_run_prints_every_bad_row_and_an_import_prints_what_it_created(shop, tmp_path):
    stock(shop["wh_a"], shop["TEE"], 10)
    path = tmp_path / "orders.csv"
    path.write_text("\n".join([ORDER_HEADER, order_row("K-1"), order_row("K-2", qty=0)]) + "\n")
    with pytest.raises(CommandError, match="Nothing imported: 1 bad row"):
        _ordino("transfer", "import", "orders", str(path), "--dry-run")
    path.write_text("\n".join([ORDER_HEADER, order_row("K-1")]) + "\n")
    printed = _ordino("transfer", "import", "orders", str(path))
    assert "Imported. 1 row(s), 0 bad; Created 1, 0 already there." in printed
    assert Order.objects.count() == 1


def test_reconcile_with_a_saved_mapping_prints_and_writes_the_differences(shop, tmp_path):
    _ordino("transfer", "mapping", "legacy_orders", "old", "--columns",
            '{"No": "external_id", "Sum": "total"}', "--constants",
            '{"channel": "web", "currency": "EUR"}')  # fmt: skip
    legacy = tmp_path / "legacy.csv"
    legacy.write_text("No;Sum\nZ-1;12,50\nZ-2;3.00\n")
    with pytest.raises(CommandError, match="row 2, column Sum"):
        _ordino("transfer", "reconcile", "--legacy", str(legacy), "--mapping", "old")
    legacy.write_text("No;Sum\nZ-1;12.50\n")
    out = tmp_path / "diff.csv"
    printed = _ordino("transfer", "reconcile", "--legacy", str(legacy), "--mapping", "old",
                      "--csv", str(out))  # fmt: skip
    assert "EUR: legacy 12.50  Ordino 0.00  difference -12.50" in printed
    assert out.read_text().splitlines()[1] == "missing_in_ordino,web,Z-1,12.50,,2"


def test_export_then_import_refuses_a_changed_file_naming_it(shop, tmp_path):
    assert "Exported" in _ordino("export", "--out", str(tmp_path / "e"))
    (tmp_path / "e" / "channels.channel.jsonl").write_text("{}\n")
    with pytest.raises(CommandError, match=r"channels\.channel\.jsonl does not match its SHA-256"):
        _ordino("import", "--from", str(tmp_path / "e"))
    with pytest.raises(CommandError, match="is not empty"):
        _ordino("export", "--out", str(tmp_path / "e"))


def test_a_background_import_is_queued_its_status_shown_then_followed_to_its_end(
    shop, tmp_path, django_capture_on_commit_callbacks
):
    from ordino.transfer.models import ImportJob

    stock(shop["wh_a"], shop["TEE"], 10)
    path = tmp_path / "orders.csv"
    path.write_text("\n".join([ORDER_HEADER, order_row("Q-1")]) + "\n")
    # when it is queued: its id is printed, nothing is imported yet
    with django_capture_on_commit_callbacks(execute=False) as handed:
        printed = _ordino("transfer", "import", "orders", str(path), "--background")
    job = ImportJob.objects.get()
    assert printed == (
        f"Import #{job.pk} queued for `ordino worker`: "
        f"`ordino transfer status {job.pk} --wait` follows it.\n"
    )
    assert _ordino("transfer", "status", str(job.pk)) == f"Import #{job.pk}: Pending, 0/0 rows.\n"
    # when the worker has run it, `status --wait` prints its outcome
    handed[0]()
    followed = _ordino("transfer", "status", str(job.pk), "--wait")
    assert followed.splitlines() == [
        f"Import #{job.pk}: Imported, 1/1 rows.",
        f"Import #{job.pk} orders orders.csv: Imported. 1 row(s), 0 bad; Created 1, 0 already "
        "there.",
    ]
    assert Order.objects.filter(external_id="Q-1").count() == 1


def test_wait_without_background_and_an_unknown_job_are_refused(db, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(ORDER_HEADER + "\n")
    with pytest.raises(CommandError, match="--wait follows a --background import"):
        _ordino("transfer", "import", "orders", str(path), "--wait")
    with pytest.raises(CommandError):
        _ordino("transfer", "status", "999")
