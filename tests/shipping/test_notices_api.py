"""The customer's shipping e-mails through the API and the command line: templates read, set
(checked, 422 naming the field and the variable) and previewed; a shipment's notices within
the caller's reach."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.utils.html import escape

from ordino.audit.models import AuditEntry
from ordino.orders.models import Order
from ordino.shipping.domain.tracking_links import tracking_url
from ordino.shipping.models import ShippingNoticeTemplate
from tests.conftest import ApiClient
from tests.factories import auth, make_channel, make_token
from tests.shipping.tracked import shipped

pytestmark = pytest.mark.django_db
T = "/shipping/notice-templates"


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ORDINO_INVOICE_EMAIL = False


def put(api, kind, body):
    return api.client.put(f"/api/v1{T}/{kind}", data=json.dumps(body),
                          content_type="application/json", **api.headers)  # fmt: skip


def test_a_template_is_built_in_until_set_then_the_merchants(api):
    # given no template set: the built-in one
    built_in = api.get(f"{T}/delivered")
    assert built_in.status_code == 200
    assert (built_in.json()["built_in"], built_in.json()["subject"]) == (
        True, "Your order {{ order_number }} was delivered")  # fmt: skip
    assert "tracking_url" in built_in.json()["variables"]
    # when the merchant sets it: 201, then 200 when changed
    body = {"subject": "{{ order_number }} is home", "body": "{{ status_text }}", "reason": "r"}
    assert put(api, "delivered", body).status_code == 201
    changed = put(api, "delivered", {**body, "is_active": False})
    assert changed.status_code == 200
    got = changed.json()
    assert {k: v for k, v in got.items() if k != "variables"} == {
        "kind": "delivered", "channel": None, "subject": "{{ order_number }} is home",
        "body": "{{ status_text }}", "html": "", "from_email": "", "is_active": False,
        "built_in": False}  # fmt: skip
    assert AuditEntry.objects.filter(object_type="shipping_notice_template").count() == 2


def test_an_unknown_variable_is_refused_naming_it_and_nothing_changes(api):
    response = put(api, "shipped", {"subject": "ok", "body": "Hi {{ first_name }}"})
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == "invalid_template"
    assert problem["errors"][0]["field"] == "body"
    assert "'first_name'" in problem["errors"][0]["message"]
    assert not ShippingNoticeTemplate.objects.exists()


@pytest.mark.parametrize(("field", "size"), [("subject", 201), ("body", 10_001)])
def test_over_long_subject_or_body_is_422_naming_the_field(api, field, size):
    body = {"subject": "ok", "body": "ok", field: "x" * size}
    response = put(api, "shipped", body)
    assert response.status_code == 422
    assert field in json.dumps(response.json()["errors"])
    assert not ShippingNoticeTemplate.objects.exists()


def test_an_unknown_kind_is_404(api):
    assert api.get(f"{T}/birthday").status_code == 404
    response = put(api, "birthday", {"subject": "ok", "body": "ok"})
    assert (response.status_code, response.json()["code"]) == (404, "notice_template_not_found")


def test_a_preview_renders_the_sample_and_writes_nothing(api):
    response = api.post(f"{T}/exception/preview", {"body": "{{ status_text }} ({{ carrier }})"})
    assert response.status_code == 200
    assert response.json()["body"] == "Address not found. (DHL)"
    assert response.json()["subject"] == "A problem with the delivery of your order 1001"
    refused = api.post(f"{T}/exception/preview", {"subject": "{{ nope }}"})
    assert (refused.status_code, refused.json()["errors"][0]["field"]) == (422, "subject")
    assert not ShippingNoticeTemplate.objects.exists()


def test_a_restricted_token_reads_but_does_not_change_templates(client, shop):
    limited = ApiClient(client, make_token("shipping", location_codes=["WH-A"]))
    assert limited.get(f"{T}/shipped").status_code == 200
    response = put(limited, "shipped", {"subject": "ok", "body": "ok"})
    assert (response.status_code, response.json()["code"]) == (403, "token_restricted")


def test_a_shipments_notices_within_reach_else_404(api, client, shop):
    ids = shipped(api, shop)
    response = api.get(f"/shipments/{ids['shipment_id']}/notices")
    assert response.status_code == 200
    body = response.json()
    assert (body["shipment_id"], body["order_id"]) == (ids["shipment_id"], ids["order_id"])
    assert [(x["kind"], x["status"], x["subject"]) for x in body["notices"]] == [
        ("shipped", "sent", "Your order W-1 has shipped")]  # fmt: skip
    # a token limited to another location: as if it did not exist
    elsewhere = make_token("fulfillment:read", location_codes=["WH-B"])
    hidden = client.get(f"/api/v1/shipments/{ids['shipment_id']}/notices", **auth(elsewhere))
    assert (hidden.status_code, hidden.json()["code"]) == (404, "shipment_not_found")
    unrelated = make_token(scopes="orders:read")
    refused = client.get(f"/api/v1/shipments/{ids['shipment_id']}/notices", **auth(unrelated))
    assert (refused.status_code, refused.json()["code"]) == (403, "insufficient_scope")


def test_the_command_line_sets_a_template_and_lists_notices(api, shop, tmp_path, capsys):
    body = tmp_path / "body.txt"
    body.write_text("Hi {{ customer_name }}")
    call_command("shipping", "notice-template", "shipped", "--subject", "{{ order_number }}",
                 "--body-file", str(body), "--reason", "cli")  # fmt: skip
    assert capsys.readouterr().out == "The shipped template set (created).\n"
    ids = shipped(api, shop)
    call_command("shipping", "notices", str(ids["shipment_id"]))
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("shipped")
    assert "sent" in out[0] and "W-1" in out[0]
    body.write_text("{{ nope }}")
    with pytest.raises(CommandError, match="nope"):
        call_command("shipping", "notice-template", "shipped", "--subject", "s",
                     "--body-file", str(body))  # fmt: skip


def test_a_draft_previews_its_html_escaped_with_a_real_order_and_writes_nothing(api, shop):
    # given an order shipped with one DHL parcel
    shipped(api, shop, external_id="W-7")
    draft = {"subject": "{{ order_number }}", "body": "Hi {{ customer_name }}",
             "html": "<p>{{ customer_name }} &mdash; {{ tracking_url }}</p>",
             "order_number": "W-7"}  # fmt: skip
    # when the draft is previewed with that order
    response = api.post(f"{T}/shipped/preview", draft)
    # then it renders the order's context, the HTML escaped
    assert response.status_code == 200, response.content
    got = response.json()
    assert (got["subject"], got["body"], got["channel"]) == ("W-7", "Hi Ada Lovelace", "web")
    assert got["html"] == f"<p>Ada Lovelace &mdash; {escape(tracking_url('DHL', 'JD0001'))}</p>"
    assert got["context"]["tracking_numbers"] == ["JD0001"]
    assert not ShippingNoticeTemplate.objects.exists()


def test_a_preview_without_html_answers_it_blank(api):
    response = api.post(f"{T}/delivered/preview", {"html": ""})
    assert (response.status_code, response.json()["html"]) == (200, "")
    built_in = api.post(f"{T}/delivered/preview", {}).json()
    assert "Hello Ada Lovelace," in built_in["html"]


def test_a_bad_html_draft_is_422_naming_the_field(api):
    response = api.post(f"{T}/shipped/preview", {"html": "<p>{{ customer_name|safe }}</p>"})
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["errors"][0]["field"]) == (
        "invalid_template", "html")  # fmt: skip


def test_a_preview_with_an_order_outside_the_callers_reach_is_404(api, client, shop):
    # given an order of the web channel and a token limited to another channel
    shipped(api, shop, external_id="W-7")
    make_channel("market")
    elsewhere = ApiClient(client, make_token("shipping:read orders:read", channel_codes=["market"]))
    # when it previews with that order: as if it did not exist
    response = elsewhere.post(f"{T}/shipped/preview", {"order_number": "W-7"})
    assert (response.status_code, response.json()["code"]) == (404, "order_not_found")
    assert response.json()["errors"][0]["field"] == "order_number"
    # and a token that may not read orders is refused a real order
    blind = ApiClient(client, make_token("shipping:read"))
    refused = blind.post(f"{T}/shipped/preview", {"order_number": "W-7"})
    assert (refused.status_code, refused.json()["code"]) == (403, "insufficient_scope")


def test_a_channels_template_is_set_read_and_previewed_by_its_code(api, shop):
    body = {"subject": "Web {{ order_number }}", "body": "ok", "from_email": "a@web.example"}
    assert put(api, "shipped?channel=web", body).status_code == 201
    web = api.get(f"{T}/shipped?channel=web").json()
    assert (web["channel"], web["subject"], web["from_email"]) == ("web", "Web {{ order_number }}",
                                                                   "a@web.example")  # fmt: skip
    # every other channel still gets the built-in one
    assert api.get(f"{T}/shipped").json()["built_in"] is True
    preview = api.post(f"{T}/shipped/preview", {"channel": "web"})
    assert preview.json()["subject"] == "Web 1001"


def test_an_unknown_channel_is_404_naming_it_and_nothing_changes(api):
    response = put(api, "shipped?channel=nowhere", {"subject": "ok", "body": "ok"})
    assert (response.status_code, response.json()["code"]) == (404, "channel_not_found")
    assert response.json()["errors"][0]["field"] == "channel"
    assert not ShippingNoticeTemplate.objects.exists()
    assert not AuditEntry.objects.filter(object_type="shipping_notice_template").exists()
    preview = api.post(f"{T}/shipped/preview", {"channel": "nowhere"})
    assert (preview.status_code, preview.json()["code"]) == (404, "channel_not_found")


def test_the_command_line_previews_a_draft_and_saves_nothing(db, tmp_path, capsys):
    html = tmp_path / "body.html"
    html.write_text("<b>{{ customer_name }}</b>")
    call_command("shipping", "notice-preview", "delivered", "--html-file", str(html))
    out = capsys.readouterr().out
    assert out.startswith("Subject: Your order 1001 was delivered\n")
    assert out.endswith("HTML:\n<b>Ada Lovelace</b>\n")
    assert not ShippingNoticeTemplate.objects.exists()


def test_the_templates_set_are_listed_every_channel_first(api, shop):
    assert api.get(T).json() == []
    make_channel("market")
    put(api, "shipped?channel=web", {"subject": "Web", "body": "ok"})
    put(api, "shipped", {"subject": "Every", "body": "ok"})
    put(api, "delivered?channel=market", {"subject": "Market", "body": "ok"})
    listed = api.get(T)
    assert listed.status_code == 200
    assert [(t["kind"], t["channel"], t["subject"]) for t in listed.json()] == [
        ("delivered", "market", "Market"), ("shipped", None, "Every"),
        ("shipped", "web", "Web")]  # fmt: skip


def test_a_number_two_channels_share_asks_for_the_channel(api, shop):
    shipped(api, shop, external_id="W-7")
    market = make_channel("market")
    Order.objects.create(**{**Order.objects.values().get(), "id": None, "channel_id": market.pk})
    response = api.post(f"{T}/shipped/preview", {"order_number": "W-7"})
    assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "channel")
    assert response.json()["code"] == "order_number_ambiguous"
    chosen = api.post(f"{T}/shipped/preview", {"order_number": "W-7", "channel": "market"})
    assert (chosen.status_code, chosen.json()["channel"]) == (200, "market")
