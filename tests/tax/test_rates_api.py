"""Tax rates over HTTP: create, list, change, delete; bounds, overlaps and scope."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from ordino.events.models import OutboxEvent
from ordino.tax.models import TaxRate
from tests.factories import auth, make_channel, make_token

pytestmark = pytest.mark.django_db

STANDARD = {"country": "de", "rate": "19", "name": "DE VAT standard", "valid_from": "2020-01-01"}


def problem(resp, status, code, field=None):
    assert resp.status_code == status, resp.content
    assert resp["Content-Type"] == "application/problem+json"
    body = resp.json()
    assert body["code"] == code
    if field is not None:
        assert field in [e["field"] for e in body["errors"]], body


def test_create_list_change_delete(api):
    # given a standard and a reduced rate
    created = api.post("/tax/rates", STANDARD)
    assert created.status_code == 201, created.content
    body = created.json()
    assert {k: body[k] for k in ("country", "region", "tax_class", "rate", "valid_to")} == {
        "country": "DE",
        "region": "",
        "tax_class": "standard",
        "rate": "19.000",
        "valid_to": None,
    }
    reduced = {**STANDARD, "tax_class": "reduced", "rate": 7, "name": "DE VAT reduced"}
    assert api.post("/tax/rates", reduced).status_code == 201
    # when they are listed by class
    listed = api.get("/tax/rates", tax_class="reduced").json()["items"]
    assert [r["name"] for r in listed] == ["DE VAT reduced"]
    # when the standard one ends and is renamed
    changed = api.patch(f"/tax/rates/{body['id']}", {"valid_to": "2026-12-31", "name": "Old"})
    assert changed.status_code == 200, changed.content
    assert (changed.json()["valid_to"], changed.json()["name"]) == ("2026-12-31", "Old")
    # when it is deleted
    assert api.delete(f"/tax/rates/{body['id']}").status_code == 204
    # then one rate is left, and each step emitted its event
    assert list(TaxRate.objects.values_list("name", flat=True)) == ["DE VAT reduced"]
    names = list(OutboxEvent.objects.order_by("id").values_list("name", flat=True))
    assert names == ["tax.rate_created", "tax.rate_created", "tax.rate_changed", "tax.rate_deleted"]


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"rate": "100.001"}, "amount_too_large", "rate"),
        ({"rate": "7.0001"}, "invalid_rate", "rate"),
        ({"rate": -1}, "greater_than_equal", "rate"),
        ({"country": "XX"}, "invalid_country", "country"),
        ({"name": ""}, "string_too_short", "name"),
        ({"tax_class": "a b"}, "invalid_code", "tax_class"),
        ({"valid_to": "2019-12-31"}, "invalid_period", "valid_to"),
        ({"valid_from": "1969-12-31"}, "greater_than_equal", "valid_from"),
        ({"region": "R" * 129}, "string_too_long", "region"),
        ({"extra": 1}, "extra_forbidden", "extra"),
    ],
)
def test_a_refused_rate_writes_nothing(api, change, code, field):
    # when a rate out of bounds is posted
    resp = api.post("/tax/rates", {**STANDARD, **change})
    # then 422 names the field, and nothing was written
    assert resp.status_code == 422, resp.content
    assert code in [e["code"] for e in resp.json()["errors"]] or resp.json()["code"] == code
    assert field in json.dumps(resp.json()["errors"])
    assert not TaxRate.objects.exists() and not OutboxEvent.objects.exists()


def test_an_overlapping_period_is_409_and_a_successor_is_fine(api):
    # given 16 % until the end of 2026
    api.post("/tax/rates", {**STANDARD, "rate": 16, "valid_to": "2026-12-31"})
    # when 19 % is added from mid-2026, then from 2027
    overlapping = api.post("/tax/rates", {**STANDARD, "valid_from": "2026-07-01"})
    successor = api.post("/tax/rates", {**STANDARD, "valid_from": "2027-01-01"})
    # then the overlap is refused, the successor created
    problem(overlapping, 409, "tax_rate_overlaps", "valid_from")
    assert successor.status_code == 201
    assert TaxRate.objects.count() == 2


def test_unknown_rate_is_404(api):
    problem(api.patch("/tax/rates/999", {"name": "x"}), 404, "tax_rate_not_found")
    problem(api.delete("/tax/rates/999"), 404, "tax_rate_not_found")


def test_writes_need_an_unrestricted_token_and_the_tax_scope(db):
    # given a channel-limited token, a read-only token and a rate
    make_channel("web", currency="EUR")
    client = Client()
    limited = auth(make_token("*", name="web", channel_codes=["web"]))
    reader = auth(make_token("tax:read", name="reader"))
    rate = TaxRate.objects.create(
        country="DE", tax_class="standard", rate="19", name="x", valid_from="2020-01-01"
    )
    body = json.dumps(STANDARD)
    # when they write
    post = client.post("/api/v1/tax/rates", body, content_type="application/json", **limited)
    read_post = client.post("/api/v1/tax/rates", body, content_type="application/json", **reader)
    delete = client.delete(f"/api/v1/tax/rates/{rate.pk}", **limited)
    # then 403, and both still read
    problem(post, 403, "token_restricted")
    problem(read_post, 403, "insufficient_scope")
    problem(delete, 403, "token_restricted")
    assert client.get("/api/v1/tax/rates", **limited).status_code == 200
    assert client.get("/api/v1/tax/rates", **reader).json()["items"][0]["rate"] == "19.000"
    assert TaxRate.objects.count() == 1


def test_import_csv_all_or_nothing(db, tmp_path):
    from django.core.management import CommandError, call_command

    # given a CSV with a good row and a bad one
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "country,region,tax_class,rate,name,valid_from,valid_to\n"
        "DE,,standard,19,DE VAT standard,2020-01-01,\n"
        "DE,,reduced,seven,DE VAT reduced,2020-01-01,\n"
    )
    # when it is imported, then nothing is, and the line is named
    with pytest.raises(CommandError, match="Line 3"):
        call_command("tax", "import", str(bad))
    assert not TaxRate.objects.exists()
    # when a good file is imported, then every row is
    good = tmp_path / "good.csv"
    good.write_text(
        "country,region,tax_class,rate,name,valid_from,valid_to\n"
        "DE,,standard,19,DE VAT standard,2020-01-01,\n"
        "US,NY,standard,8.875,NY sales tax,2020-01-01,2030-12-31\n"
    )
    call_command("tax", "import", str(good))
    assert sorted(TaxRate.objects.values_list("region", "rate")) == [
        ("", pytest.approx(19)),
        ("NY", pytest.approx(8.875)),
    ]


@pytest.mark.parametrize("value", [1767225600, "2026-1-1", "2026-01-01T00:00:00Z", True, None])
def test_dates_are_iso_text_only(api, value):
    # when valid_from is a timestamp, a short or timed text, a boolean or null
    resp = api.post("/tax/rates", {**STANDARD, "valid_from": value})
    # then 422 names it, and nothing was written
    assert resp.status_code == 422, resp.content
    assert "valid_from" in json.dumps(resp.json()["errors"])
    assert not TaxRate.objects.exists()


def test_a_sku_s_class_and_a_channel_s_inclusive_prices_are_set_over_the_api(api, shop):
    # when the mug becomes reduced and the channel's prices include tax
    sku = api.patch("/catalog/skus/MUG", {"tax_class": "reduced"})
    channel = api.patch("/channels/web", {"prices_include_tax": True})
    # then both say so
    assert (sku.status_code, sku.json()["tax_class"]) == (200, "reduced")
    assert (channel.status_code, channel.json()["prices_include_tax"]) == (200, True)
    # and a bad class or a null flag is refused, changing nothing
    problem(api.patch("/catalog/skus/MUG", {"tax_class": "no spaces"}), 422, "invalid_code")
    refused = api.patch("/channels/web", {"prices_include_tax": None})
    assert refused.status_code == 422, refused.content
    assert api.get("/catalog/skus/MUG").json()["tax_class"] == "reduced"
    assert api.get("/channels/web").json()["prices_include_tax"] is True
