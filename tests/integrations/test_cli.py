"""`ordino integrations log|show|themes|export|prune` (docs/integrations.md, "Command line"),
and the daily job that keeps the log to ORDINO_INTEGRATION_LOG_DAYS."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ordino.core.domain.clock import clock_pinned
from ordino.integrations.export import COLUMNS, integration_calls_export
from ordino.integrations.models import IntegrationCall
from ordino.integrations.selectors import CallFilters
from ordino.integrations.services import integration_call_record
from ordino.wiring import PERIODIC
from tests.integrations.conftest import NOW

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    with clock_pinned(NOW):
        call_command("integrations", *args, stdout=out)
    return out.getvalue()


def test_the_log_lists_the_newest_failures_of_a_system(calls):
    printed = run("log", "--system", "shopify", "--failed", "--since", "2026-11-30").splitlines()
    assert printed[0].split() == ["id", "at", "(UTC)", "dir", "system", "operation", "status",
                                  "ms", "error"]  # fmt: skip
    assert [line.split()[1:6] for line in printed[1:]] == [
        ["2026-12-01", "10:00:00", "in", "shopify", "orders/create"],
        ["2026-11-30", "09:00:00", "in", "shopify", "orders/create"],
    ]
    assert printed[1].endswith("FAIL -      unknown SKU 'ABC-1'")


def test_the_log_prints_json_lines_without_payloads(calls):
    (line,) = run("log", "--q", "consumer key", "--json").splitlines()
    row = json.loads(line)
    assert (row["system"], row["status_code"], row["ok"]) == ("woocommerce", 401, False)
    assert "request_body" not in row
    assert run("log", "--system", "nobody") == "No calls.\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["log", "--since", "yesterday"], "is not a day"),
        (["log", "--since", "2026-11-30T00:00:00"], "since needs its offset"),
        (["log", "--since", "2026-12-01", "--until", "2026-11-01"], "until must be after since"),
        (["log", "--limit", "0"], "--limit is 1 to 1000"),
        (["log", "--status", "42"], "--status is 100 to 599"),
        (["themes", "--days", "400"], "--days is 1 to 366"),
        (["prune", "--older-than-days", "0"], "--older-than-days is 1 to 3650"),
        (["show", "999999"], "No integration call 999999"),
    ],
)
def test_bad_arguments_are_refused_saying_why(calls, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_show_prints_one_call_with_its_redacted_payloads(calls):
    printed = run("show", str(calls["sku1"].pk))
    assert "error:           unknown SKU 'ABC-1'" in printed
    assert "  X-Shopify-Hmac-Sha256: [redacted]" in printed
    assert 'request body:\n{"id": 1, "token": "[redacted]"}' in printed


def test_themes_read_as_headings_with_their_fix(calls):
    printed = run("themes", "--days", "7").splitlines()
    assert printed[0] == (
        "3 Shopify inbound calls (orders/create) failed with \"unknown SKU '…'\" this week"
    )
    assert printed[1].startswith("  per day: 0 0 0 0 1 1 1; last 2026-12-01 10:00; example: ")
    assert printed[2] == ("  fix: Add the SKU to the catalog, or map the channel's SKU to one "
                          "of yours (docs/catalog-and-customers.md)")  # fmt: skip
    assert run("themes", "--days", "1", "--system", "ebay") == "No failures in the last 1 days.\n"


@pytest.fixture
def half_a_year(db) -> list[int]:
    """Calls every 15 days from June to November: 12, the first on 2026-06-01."""
    made = []
    for n in range(12):
        with clock_pinned(datetime(2026, 6, 1, 8, tzinfo=UTC) + timedelta(days=15 * n)):
            call = integration_call_record(direction="in", system="shopify", ok=n % 3 != 0,
                                           status_code=200 if n % 3 else 422,
                                           request_body={"n": n, "password": "p"})  # fmt: skip
        made.append(call.pk)
    return made


def test_six_months_export_in_chunks_never_all_in_memory(half_a_year, django_assert_num_queries):
    out = StringIO()
    # 12 rows in chunks of 5: three full reads and one that finds nothing more
    with django_assert_num_queries(4):
        written = integration_calls_export(out, filters=CallFilters(
            since=datetime(2026, 6, 1, tzinfo=UTC)), fmt="jsonl", chunk=5)  # fmt: skip
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert written == len(rows) == 12
    assert [r["id"] for r in rows] == half_a_year
    assert (rows[0]["at"], rows[-1]["at"]) == ("2026-06-01T08:00:00Z", "2026-11-13T08:00:00Z")
    assert rows[0]["request_body"] == '{"n": 0, "password": "[redacted]"}'


def test_the_cli_exports_csv_from_a_day(half_a_year, tmp_path):
    target = tmp_path / "calls.csv"
    printed = run("export", "--since", "2026-09-01", "--out", str(target))
    assert printed == f"Exported 5 calls to {target} (csv).\n"
    with target.open(newline="") as file:
        rows = list(csv.DictReader(file))
    assert tuple(rows[0]) == COLUMNS
    assert [r["at"][:10] for r in rows] == ["2026-09-14", "2026-09-29", "2026-10-14",
                                             "2026-10-29", "2026-11-13"]  # fmt: skip
    assert not (tmp_path / "calls.csv.partial").exists()


def test_an_export_needs_a_known_format_and_a_first_day(half_a_year, tmp_path):
    with pytest.raises(CommandError, match=r"--out ends in \.csv or \.jsonl"):
        run("export", "--since", "2026-06-01", "--out", str(tmp_path / "calls.xlsx"))
    with pytest.raises(CommandError, match="--since is required"):
        run("export", "--out", str(tmp_path / "calls.jsonl"))
    assert list(tmp_path.iterdir()) == []


def test_prune_keeps_180_days_unless_told(calls):
    assert run("prune") == "Deleted 0 calls older than 180 days.\n"
    assert run("prune", "--older-than-days", "30") == "Deleted 1 calls older than 30 days.\n"
    assert not IntegrationCall.objects.filter(pk=calls["old"].pk).exists()
    assert IntegrationCall.objects.count() == 5


def test_the_daily_job_prunes_past_the_setting(calls, settings):
    (job,) = [job for _, what, job in PERIODIC if "integration log" in what]
    settings.ORDINO_INTEGRATION_LOG_DAYS = 2
    with clock_pinned(NOW):
        assert job() == 2  # the October call and the first SKU failure (29 November, 08:00)
    assert sorted(IntegrationCall.objects.values_list("system", flat=True)) == [
        "shopify", "shopify", "stripe", "woocommerce"]  # fmt: skip
