"""The customer's shipping e-mails in HTML and per channel: the HTML part escaped (the text
part not), multipart only when the template has HTML, a channel's template chosen over the
one for every channel, its sender used, an unknown channel refused with nothing saved."""

from __future__ import annotations

import pytest
from django.core import mail

from ordino.audit.models import AuditEntry
from ordino.core.domain.errors import DomainError
from ordino.fulfillment.models import FulfillmentOrder
from ordino.orders.models import Order
from ordino.shipping.commands import NoticeTemplateSettings
from ordino.shipping.domain.notices import DEFAULTS
from ordino.shipping.models import ShippingNoticeTemplate
from ordino.shipping.notices.services import notice_template_save
from tests.factories import make_channel
from tests.shipping.tracked import capture, shipped, worker_runs

pytestmark = pytest.mark.django_db
NAME = "<script>alert(1)</script> O'Brien & Co"


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ORDINO_INVOICE_EMAIL = False  # only the shipping e-mails in the outbox
    settings.ORDINO_SHIPPING_EMAIL = True
    settings.DEFAULT_FROM_EMAIL = "orders@ordino.example"


def save(kind="shipped", subject="Order {{ order_number }}", body="Hi {{ customer_name }}",
         **extra):  # fmt: skip
    return notice_template_save(
        command=NoticeTemplateSettings(kind=kind, subject=subject, body=body, **extra),
        actor="test",
    )


def shipped_to(api, shop, name: str) -> None:
    """An order whose shipping address bears `name`, shipped whole with one DHL parcel."""
    order = capture(api, shop)
    Order.objects.filter(pk=order["id"]).update(shipping_address={"name": name})
    fo = FulfillmentOrder.objects.get(order_id=order["id"])
    response = api.post(f"/fulfillment/orders/{fo.pk}/ship",
                        {"carrier": "DHL", "tracking_numbers": ["JD0001"]})  # fmt: skip
    assert response.status_code == 200, response.content
    worker_runs()


def html_of(message) -> str:
    assert len(message.alternatives) == 1
    content, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    return content


def test_the_built_in_e_mail_is_multipart_its_html_escaped_its_text_not(api, shop):
    # given an order for a customer whose name is markup
    shipped_to(api, shop, NAME)
    # then one e-mail: text and HTML
    (sent,) = mail.outbox
    assert sent.body.startswith(f"Hello {NAME},\n")
    html = html_of(sent)
    assert "Hello &lt;script&gt;alert(1)&lt;/script&gt; O&#x27;Brien &amp; Co," in html
    assert "<script>" not in html
    assert 'href="https://www.dhl.com/' in html  # the tracking link as a button
    assert sent.from_email == "orders@ordino.example"


def test_a_template_without_html_sends_text_only(api, shop):
    save(body="Hi {{ customer_name }}", html="")
    shipped_to(api, shop, NAME)
    (sent,) = mail.outbox
    assert (sent.body, sent.alternatives) == (f"Hi {NAME}", [])


def test_the_merchants_html_is_escaped_and_sent_beside_the_text(api, shop):
    save(html="<p>Hi <b>{{ customer_name }}</b></p>")
    shipped_to(api, shop, NAME)
    (sent,) = mail.outbox
    assert sent.body == f"Hi {NAME}"
    assert html_of(sent) == (
        "<p>Hi <b>&lt;script&gt;alert(1)&lt;/script&gt; O&#x27;Brien &amp; Co</b></p>"
    )


def test_a_channels_template_is_chosen_over_the_one_for_every_channel(api, shop):
    # given a template for every channel, one for the order's channel and one for another
    make_channel("market")
    save(subject="Every channel {{ order_number }}")
    save(subject="Web {{ order_number }}", channel="web", from_email="Shop A <a@shop.example>")
    save(subject="Market {{ order_number }}", channel="market")
    # when a web order ships
    shipped(api, shop)
    # then the web template was sent, from the web shop's sender
    (sent,) = mail.outbox
    assert (sent.subject, sent.from_email) == ("Web W-1", "Shop A <a@shop.example>")


def test_without_a_channels_template_the_one_for_every_channel_is_sent(api, shop):
    make_channel("market")
    save(subject="Market {{ order_number }}", channel="market")
    shipped(api, shop)
    assert [m.subject for m in mail.outbox] == ["Your order W-1 has shipped"]  # built-in
    save(subject="Every channel {{ order_number }}")
    shipped(api, shop, external_id="W-2")
    assert mail.outbox[-1].subject == "Every channel W-2"


def test_an_inactive_channel_template_silences_that_channel_only(api, shop):
    save(subject="Every {{ order_number }}")
    save(subject="Web {{ order_number }}", channel="web", is_active=False)
    shipped(api, shop)
    assert mail.outbox == []


def test_an_unknown_channel_is_refused_and_nothing_is_saved(db):
    with pytest.raises(DomainError) as refused:
        save(channel="nowhere")
    assert (refused.value.status, refused.value.code) == (404, "channel_not_found")
    assert refused.value.errors[0]["field"] == "channel"
    assert not ShippingNoticeTemplate.objects.exists()
    assert not AuditEntry.objects.filter(object_type="shipping_notice_template").exists()


def test_each_channel_keeps_its_own_row_and_a_save_changes_only_its_own(db):
    make_channel("web")
    save(subject="Every")
    web, created = save(subject="Web", channel="web")
    assert created is True
    changed, created = save(subject="Web 2", channel="web")
    assert (changed.pk, created) == (web.pk, False)
    assert sorted(ShippingNoticeTemplate.objects.values_list("subject", flat=True)) == [
        "Every", "Web 2"]  # fmt: skip
    entry = AuditEntry.objects.filter(object_type="shipping_notice_template").last()
    assert (entry.object_label, entry.before["subject"], entry.after["channel"]) == (
        "shipped (web)", "Web", "web")  # fmt: skip


@pytest.mark.parametrize(
    ("extra", "field", "named"),
    [
        ({"html": "<p>{{ first_name }}</p>"}, "html", "first_name"),
        ({"html": "<p>{{ customer_name|safe }}</p>"}, "html", "|safe"),
        ({"html": "{% autoescape off %}{{ customer_name }}{% endautoescape %}"}, "html",
         "autoescape off"),
        ({"html": "{% for p in parcels %}{{ p.tracking_number|safe }}{% endfor %}"}, "html",
         "|safe"),
        ({"html": "x" * 50_001}, "html", "50000"),
        ({"from_email": "not an address"}, "from_email", "address"),
        ({"from_email": "a@b.example\nBcc: x@y.example"}, "from_email", "address"),
    ],
)  # fmt: skip
def test_a_bad_html_or_sender_is_refused_naming_the_field(db, extra, field, named):
    save(subject="Before")
    with pytest.raises(DomainError) as refused:
        save(subject="After", **extra)
    assert (refused.value.status, refused.value.code) == (422, "invalid_template")
    assert refused.value.errors[0]["field"] == field
    assert named in refused.value.errors[0]["message"]
    assert ShippingNoticeTemplate.objects.values_list("subject", flat=True).get() == "Before"


def test_every_built_in_html_passes_the_checks_of_a_saved_one(db):
    for kind, built_in in DEFAULTS.items():
        row, _ = save(kind=kind, subject=built_in.subject, body=built_in.body,
                      html=built_in.html)  # fmt: skip
        assert row.html.startswith("<!DOCTYPE html>")
