"""The bulk stock feed: absolute counts from a file, through the ledger; a malformed file
changes nothing; rows refused by the stock rules are listed and skipped."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from ordino.core.domain.errors import DomainError
from ordino.inventory.domain.feed import FeedRow, RowError, rows_parse
from ordino.inventory.domain.ledger import AVAILABLE, COMMITTED, Movement
from ordino.inventory.feed import stock_feed_apply
from ordino.inventory.ledger import LedgerContext, movements_apply
from ordino.inventory.models import StockFeed, StockMovement
from ordino.inventory.services import inventory_check
from tests.conftest import ApiClient
from tests.factories import make_kit, make_location, make_sku, make_token, stock
from tests.inventory.helpers import balance_of, snapshot

# --- parsing (no database) ----------------------------------------------------------------


def test_a_header_is_optional_and_may_name_the_columns_in_any_order():
    plain = list(rows_parse(["WH1,MUG,5\n", "WH1,CUP,0\n"]))
    assert plain == [FeedRow(1, "WH1", "MUG", 5), FeedRow(2, "WH1", "CUP", 0)]
    headed = list(rows_parse(["\ufeffSKU;Quantity;Location\n", "MUG; 7 ;WH1\n", "\n"]))
    assert headed == [FeedRow(2, "WH1", "MUG", 7)]


@pytest.mark.parametrize(
    ("line", "column", "code"),
    [
        ("WH1,MUG,-3", "quantity", "negative"),
        ("WH1,MUG,3.5", "quantity", "not_an_integer"),
        ("WH1,MUG,lots", "quantity", "not_an_integer"),
        ("WH1,MUG,", "quantity", "not_an_integer"),
        ("WH1,MUG", "row", "wrong_field_count"),
        (",MUG,1", "location", "required"),
        ("WH1, ,1", "sku", "required"),
    ],
)
def test_malformed_rows_name_their_line_and_column(line, column, code):
    ok, error = rows_parse(["WH1,CUP,1\n", line + "\n"])
    assert ok == FeedRow(1, "WH1", "CUP", 1)
    assert isinstance(error, RowError)
    assert (error.line, error.column, error.code) == (2, column, code)
    assert error.message.startswith("line 2:")


# --- applying (database) ------------------------------------------------------------------


@pytest.fixture
def shelf(db):
    wh1, wh2 = make_location("WH1", priority=1), make_location("WH2", priority=2)
    mug, cup, saucer = make_sku("MUG"), make_sku("CUP"), make_sku("SAUCER")
    stock(wh1, mug, 10)
    stock(wh1, cup, 4)
    return {"wh1": wh1, "wh2": wh2, "mug": mug, "cup": cup, "saucer": saucer}


def test_a_feed_sets_on_hand_through_the_ledger_and_skips_unchanged_rows(shelf):
    feed = stock_feed_apply(
        rows_or_file=[
            "location,sku,quantity",
            "WH1,MUG,7",
            "WH1,CUP,4",
            "WH2,SAUCER,12",
            "WH2,MUG,0",
        ],
        actor="test",
        file_name="counts.csv",
    )
    assert (feed.rows, feed.applied, feed.unchanged, feed.refused) == (4, 2, 2, 0)
    assert feed.status == StockFeed.APPLIED and feed.finished_at and feed.file_name == "counts.csv"
    assert balance_of(shelf["wh1"], shelf["mug"])["on_hand"] == 7
    assert balance_of(shelf["wh2"], shelf["saucer"])["on_hand"] == 12
    moves = StockMovement.objects.filter(reason="feed").order_by("id")
    assert [(m.from_state, m.to_state, m.quantity) for m in moves] == [
        ("available", "external", 3),
        ("external", "available", 12),
    ]
    assert {m.reference for m in moves} == {f"feed:{feed.pk}"}
    assert inventory_check().ok


def test_applying_the_same_feed_again_changes_nothing(shelf):
    rows = [("WH1", "MUG", 3), ("WH2", "CUP", 9)]
    stock_feed_apply(rows_or_file=rows, actor="test")
    before = snapshot()
    again = stock_feed_apply(rows_or_file=rows, actor="test")
    assert (again.applied, again.unchanged) == (0, 2)
    assert snapshot() == before


def test_a_malformed_file_is_refused_whole_with_errors_naming_line_and_column(shelf):
    make_kit("SET", [(shelf["mug"], 1), (shelf["cup"], 1)])
    before = snapshot()
    with pytest.raises(DomainError) as caught:
        stock_feed_apply(
            rows_or_file=[
                "WH1,MUG,1",  # fine, but the file is refused
                "WH9,MUG,1",
                "WH1,NOPE,1",
                "WH1,MUG,x",
                "WH1,SET,2",
                "WH1,MUG,-1",
                "WH1,MUG,4",
            ],
            actor="test",
        )
    assert caught.value.code == "feed_invalid"
    assert [(e["field"], e["code"]) for e in caught.value.errors] == [
        ("line 2, location", "unknown_location"),
        ("line 3, sku", "unknown_sku"),
        ("line 4, quantity", "not_an_integer"),
        ("line 5, sku", "kit_not_stockable"),
        ("line 6, quantity", "negative"),
        ("line 7, row", "duplicate_row"),
    ]
    assert "6 row(s) have errors" in caught.value.message
    assert snapshot() == before
    assert not StockFeed.objects.exists()


def test_an_empty_file_is_refused(shelf):
    with pytest.raises(DomainError) as caught:
        stock_feed_apply(rows_or_file=["location,sku,quantity"], actor="test")
    assert caught.value.code == "feed_empty"


def test_a_count_below_committed_is_refused_per_row_and_the_rest_applies(shelf):
    movements_apply(
        [Movement(shelf["wh1"].pk, shelf["mug"].pk, AVAILABLE, COMMITTED, 6)],
        context=LedgerContext(reason="reserve"),
    )
    feed = stock_feed_apply(rows_or_file=[("WH1", "MUG", 5), ("WH1", "CUP", 1)], actor="test")
    assert (feed.applied, feed.unchanged, feed.refused) == (1, 0, 1)
    [refusal] = feed.refusals
    assert refusal["line"] == 1 and refusal["code"] == "count_below_committed"
    assert (refusal["location"], refusal["sku"], refusal["committed"]) == ("WH1", "MUG", 6)
    assert balance_of(shelf["wh1"], shelf["mug"])["on_hand"] == 10  # never oversold
    assert balance_of(shelf["wh1"], shelf["cup"])["on_hand"] == 1


def test_a_location_restricted_caller_may_feed_only_its_locations(shelf):
    with pytest.raises(DomainError) as caught:
        stock_feed_apply(
            rows_or_file=[("WH2", "MUG", 5)],
            actor="test",
            visible_location_ids={shelf["wh1"].pk},
        )
    assert caught.value.errors[0]["code"] == "unknown_location"


def test_a_count_sets_on_hand_and_keeps_what_is_committed(shelf):
    # Given 6 of the 10 mugs reserved for an order
    movements_apply(
        [Movement(shelf["wh1"].pk, shelf["mug"].pk, AVAILABLE, COMMITTED, 6)],
        context=LedgerContext(reason="reserve"),
    )
    # When a feed counts 8
    feed = stock_feed_apply(rows_or_file=[("WH1", "MUG", 8)], actor="test")
    # Then on hand is 8, the reservation is kept, and 2 left through one ledger row
    assert (feed.applied, feed.unchanged, feed.refused) == (1, 0, 0)
    balance = balance_of(shelf["wh1"], shelf["mug"])
    assert (balance["on_hand"], balance["committed"]) == (8, 6)
    move = StockMovement.objects.get(reason="feed")
    assert (move.from_state, move.to_state, move.quantity) == ("available", "external", 2)
    assert inventory_check().ok


def test_a_file_from_disk_in_chunks(shelf, tmp_path, monkeypatch):
    monkeypatch.setattr("ordino.inventory.feed.CHUNK_ROWS", 2)
    path = tmp_path / "stock.csv"
    path.write_bytes(b"\xef\xbb\xbfWH1;MUG;1\r\nWH1;CUP;2\r\nWH2;MUG;3\r\nWH2;CUP;0\r\n")
    feed = stock_feed_apply(rows_or_file=path, actor="test")
    assert (feed.file_name, feed.rows, feed.applied, feed.unchanged) == ("stock.csv", 4, 3, 1)
    assert StockMovement.objects.filter(reason="feed").count() == 3
    assert inventory_check().ok


# --- CLI and API --------------------------------------------------------------------------


def test_the_command_applies_a_file_and_reports(shelf, tmp_path):
    path = tmp_path / "counts.csv"
    path.write_text("location,sku,quantity\nWH1,MUG,8\n")
    out = io.StringIO()
    call_command("inventory", "feed", str(path), stdout=out)
    assert "1 rows, 1 applied, 0 unchanged, 0 refused" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text("WH1,MUG,eight\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="refused"):
        call_command("inventory", "feed", str(bad), stderr=err)
    assert "line 1, quantity" in err.getvalue()


def test_the_api_takes_an_upload_or_a_csv_body(api, shelf, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 8  # the upload goes through a temporary file
    upload = SimpleUploadedFile("counts.csv", b"WH1,MUG,2\nWH1,CUP,4\n", "text/csv")
    response = api.client.post("/api/v1/inventory/feeds", {"file": upload}, **api.headers)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["file_name"], body["applied"], body["unchanged"]) == ("counts.csv", 1, 1)
    again = api.get(f"/inventory/feeds/{body['id']}")
    assert again.status_code == 200 and again.json()["applied"] == 1

    response = api.client.post(
        "/api/v1/inventory/feeds", b"WH2,CUP,5\n", content_type="text/csv", **api.headers
    )
    assert response.status_code == 201 and response.json()["applied"] == 1


def test_the_api_refuses_a_malformed_feed_as_a_problem(api, shelf):
    before = snapshot()
    response = api.client.post(
        "/api/v1/inventory/feeds",
        b"WH1,MUG,1\nWH1,MUG,2\n",
        content_type="text/csv",
        **api.headers,
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "line 2, row"
    assert snapshot() == before
    odd = api.client.post(
        "/api/v1/inventory/feeds", b"{}", content_type="application/json", **api.headers
    )
    assert odd.status_code == 415


def test_restricted_tokens_feed_their_locations_and_see_their_feeds(client, shelf, api):
    store = ApiClient(client, make_token("inventory", name="wh1", location_codes=["WH1"]))
    other = store.client.post(
        "/api/v1/inventory/feeds", b"WH2,MUG,1\n", content_type="text/csv", **store.headers
    )
    assert other.status_code == 422
    assert other.json()["errors"][0]["code"] == "unknown_location"
    mine = store.client.post(
        "/api/v1/inventory/feeds", b"WH1,MUG,1\n", content_type="text/csv", **store.headers
    )
    assert mine.status_code == 201
    assert store.get(f"/inventory/feeds/{mine.json()['id']}").status_code == 200
    theirs = api.client.post(
        "/api/v1/inventory/feeds", b"WH2,MUG,1\n", content_type="text/csv", **api.headers
    ).json()["id"]
    assert store.get(f"/inventory/feeds/{theirs}").status_code == 404
    reader = ApiClient(client, make_token("inventory:read", name="ro"))
    denied = reader.client.post(
        "/api/v1/inventory/feeds", b"WH1,MUG,1\n", content_type="text/csv", **reader.headers
    )
    assert denied.status_code == 403


@pytest.mark.parametrize("as_upload", [False, True], ids=["csv body", "multipart upload"])
def test_a_feed_larger_than_memory_takes_an_idempotency_key(api, shelf, settings, as_upload):
    # Given feeds larger than Django keeps in memory (the key's fingerprint spools them)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 16
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 8
    rows = b"WH1,MUG,7\nWH2,CUP,9\n"  # 20 bytes

    def send():
        headers = {**api.headers, "HTTP_IDEMPOTENCY_KEY": f"feed-{as_upload}"}
        if as_upload:
            upload = SimpleUploadedFile("counts.csv", rows, "text/csv")
            return api.client.post("/api/v1/inventory/feeds", {"file": upload}, **headers)
        return api.client.post("/api/v1/inventory/feeds", rows, content_type="text/csv", **headers)

    # When one is sent twice with the same key
    first, again = send(), send()
    # Then it is applied once and the second answer is the first, replayed
    assert first.status_code == 201, first.content
    assert first.json()["applied"] == 2
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert StockFeed.objects.count() == 1
