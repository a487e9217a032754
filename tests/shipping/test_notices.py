"""The customer's shipping e-mails: each kind sent once with the merchant's text, a repeated
event sending nothing more, skipped ones recorded with why, templates checked when saved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from ordino.audit.models import AuditEntry
from ordino.core.domain.errors import DomainError
from ordino.events.models import OutboxEvent
from ordino.orders.events import OrderShipped
from ordino.orders.models import Order, OrderTimelineEntry
from ordino.shipping.commands import NoticeTemplateSettings
from ordino.shipping.domain import tracking_maps as tm
from ordino.shipping.domain.notices import tracking_url
from ordino.shipping.events import TrackingOutForDelivery
from ordino.shipping.models import ShippingNotice, ShippingNoticeTemplate
from ordino.shipping.notices.services import notice_template_save, shipping_notices_interrupted
from ordino.shipping.tracking import tracking_events_record
from ordino.wiring import notice_on_out_for_delivery, notice_on_shipped
from tests.shipping.tracked import event, shipped, worker_runs

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ORDINO_INVOICE_EMAIL = False  # only the shipping e-mails in the outbox
    settings.ORDINO_SHIPPING_EMAIL = True


def record(*events, number="JD0001"):
    tracking_events_record(carrier="DHL", tracking_number=number, events=events, source="test")
    worker_runs()


def notices():
    return list(ShippingNotice.objects.order_by("id").values_list(
        "kind", "tracking_number", "status", "reason"))  # fmt: skip


def save(kind="shipped", subject="Order {{ order_number }}", body="Hi {{ customer_name }}",
         **extra):  # fmt: skip
    return notice_template_save(
        command=NoticeTemplateSettings(kind=kind, subject=subject, body=body, **extra),
        actor="test",
    )


def test_shipped_is_sent_once_with_the_built_in_text_and_a_tracking_link(api, shop):
    # given an order shipped with two DHL parcels
    ids = shipped(api, shop, numbers=("JD0001", "JD0002"))
    # then one e-mail went to the order's address, naming the order and linking each parcel
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [Order.objects.get().email]
    assert sent.subject == "Your order W-1 has shipped"
    assert "Hello Ada Lovelace," in sent.body
    assert f"- JD0001: {tracking_url('DHL', 'JD0001')}\n" in sent.body
    assert "- JD0002: https://www.dhl.com/" in sent.body
    assert notices() == [("shipped", "", "sent", "")]
    timeline = OrderTimelineEntry.objects.filter(kind="shipping_notice").get()
    assert timeline.message == f"Shipped e-mail sent to {sent.to[0]}."
    # when the relay hands the shipped event out again
    stored = OutboxEvent.objects.get(name=OrderShipped.name)
    notice_on_shipped(OrderShipped.from_payload(stored.payload))
    # then nothing more is sent nor written
    assert len(mail.outbox) == 1
    assert ShippingNotice.objects.filter(shipment_id=ids["shipment_id"]).count() == 1


def test_out_for_delivery_delivered_and_exception_each_once_with_the_merchants_text(api, shop):
    # given the merchant's templates and a shipment of two parcels
    save("out_for_delivery", "{{ order_number }} today", "{{ tracking_numbers|join:',' }}")
    save("delivered", "{{ order_number }} delivered", "{{ status_text }}")
    save("exception", "{{ order_number }}: {{ status_label }}", "{{ status_text }}")
    shipped(api, shop, numbers=("JD0001", "JD0002"))
    # when one parcel goes out for delivery, its events delivered twice
    record(event(tm.OUT_FOR_DELIVERY, 10, text="van"), number="JD0001")
    record(event(tm.OUT_FOR_DELIVERY, 10, text="van"), number="JD0001")
    # then one e-mail about that parcel
    assert [(m.subject, m.body) for m in mail.outbox[1:]] == [("W-1 today", "JD0001")]
    # when the first parcel is delivered: no delivered e-mail until the shipment is
    record(event(tm.DELIVERED, 20, text="at the door"), number="JD0001")
    assert len(mail.outbox) == 2
    # and the second parcel fails (then found and delivered)
    record(event(tm.FAILURE, 30, text="Address not found"), number="JD0002")
    record(event(tm.DELIVERED, 40, text="Neighbour"), number="JD0002")
    # then one exception e-mail for it and one delivered e-mail for the shipment
    assert [(m.subject, m.body) for m in mail.outbox[2:]] == [
        ("W-1: Delivery failed", "Address not found"), ("W-1 delivered", "Neighbour")]  # fmt: skip
    assert notices() == [
        ("shipped", "", "sent", ""), ("out_for_delivery", "JD0001", "sent", ""),
        ("exception", "JD0002", "sent", ""), ("delivered", "", "sent", "")]  # fmt: skip


def test_a_repeated_out_for_delivery_event_sends_nothing_more(api, shop):
    ids = shipped(api, shop)
    record(event(tm.OUT_FOR_DELIVERY, 10))
    stored = OutboxEvent.objects.get(name=TrackingOutForDelivery.name)
    assert stored.payload["shipment_id"] == ids["shipment_id"]
    notice_on_out_for_delivery(TrackingOutForDelivery.from_payload(stored.payload))
    assert len(mail.outbox) == 2
    assert ShippingNotice.objects.filter(kind="out_for_delivery").count() == 1


def test_a_parcel_straight_to_delivered_is_not_out_for_delivery(api, shop):
    shipped(api, shop)
    record(event(tm.IN_TRANSIT, 5), event(tm.OUT_FOR_DELIVERY, 10), event(tm.DELIVERED, 20))
    assert [k for k, *_ in notices()] == ["shipped", "delivered"]


def test_no_e_mail_address_is_recorded_skipped(api, shop):
    ids = shipped(api, shop, external_id="W-9")
    Order.objects.filter(pk=ids["order_id"]).update(email="")
    record(event(tm.OUT_FOR_DELIVERY, 10))
    assert mail.outbox[0].subject == "Your order W-9 has shipped"
    assert len(mail.outbox) == 1
    assert notices()[-1] == ("out_for_delivery", "JD0001", "skipped", "no_email")
    assert OrderTimelineEntry.objects.filter(kind="shipping_notice").last().message == (
        "Out for delivery e-mail (parcel JD0001) not sent: the order has no e-mail address."
    )


def test_turned_off_sends_nothing_and_says_so(api, shop, settings):
    settings.ORDINO_SHIPPING_EMAIL = False
    shipped(api, shop)
    assert mail.outbox == []
    assert notices() == [("shipped", "", "skipped", "turned_off")]


def test_an_inactive_template_sends_nothing(api, shop):
    save("shipped", is_active=False)
    shipped(api, shop)
    assert mail.outbox == []
    assert notices() == [("shipped", "", "skipped", "template_inactive")]


def test_a_template_is_saved_audited_with_its_reason(db):
    row, created = save(reason="our tone")
    assert created is True
    assert (row.kind, row.subject, row.body, row.is_active) == (
        "shipped", "Order {{ order_number }}", "Hi {{ customer_name }}", True)  # fmt: skip
    entry = AuditEntry.objects.get(object_type="shipping_notice_template")
    assert (entry.action, entry.reason, entry.after["subject"]) == (
        "created", "our tone", "Order {{ order_number }}")  # fmt: skip


@pytest.mark.parametrize(
    ("subject", "body", "field", "named"),
    [
        ("Order {{ order_numbr }}", "ok", "subject", "order_numbr"),
        ("ok", "{% if vip %}hi{% endif %}", "body", "vip"),
        ("ok", "{% for p in parcels %}{{ p.tracking_number }}{% endfor %}{{ p }}", "body", "'p'"),
        ("ok", "{{ parcels.0.weight }}", "body", "weight"),
        ("ok", "{% for p in parcels %}{{ x|default:y }}{% endfor %}", "body", "'x'"),
        ("ok", "{% if %}", "body", "does not compile"),
        ("ok", "{% load static %}", "body", "does not compile"),
        ("ok", "{% include 'x.txt' %}", "body", "does not render"),
    ],
)
def test_a_bad_template_is_refused_naming_what_and_nothing_changes(db, subject, body, field,
                                                                   named):  # fmt: skip
    save(subject="Before", body="Before")
    with pytest.raises(DomainError) as refused:
        save(subject=subject, body=body)
    assert refused.value.status == 422
    assert refused.value.code == "invalid_template"
    assert refused.value.errors[0]["field"] == field
    assert named in refused.value.message
    assert ShippingNoticeTemplate.objects.values_list("subject", "body").get() == (
        "Before", "Before")  # fmt: skip
    assert AuditEntry.objects.filter(object_type="shipping_notice_template").count() == 1


@pytest.mark.parametrize(
    ("subject", "body", "field"),
    [("x" * 201, "ok", "subject"), ("ok", "x" * 10_001, "body"), ("", "ok", "subject"),
     ("a\nb", "ok", "subject")],
)  # fmt: skip
def test_limits_are_refused_naming_the_field(db, subject, body, field):
    with pytest.raises(DomainError) as refused:
        save(subject=subject, body=body)
    assert (refused.value.status, refused.value.errors[0]["field"]) == (422, field)
    assert not ShippingNoticeTemplate.objects.exists()


def test_a_refused_send_is_recorded_failed_and_never_sent_again(api, shop, monkeypatch):
    # given a mail server that refuses the first e-mail
    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr("ordino.shipping.notices.services.EmailMultiAlternatives.send", refuse)
    shipped(api, shop)
    assert notices() == [("shipped", "", "failed", "send_error")]
    # when the shipped event is handed out again with the server back
    monkeypatch.undo()
    stored = OutboxEvent.objects.get(name=OrderShipped.name)
    notice_on_shipped(OrderShipped.from_payload(stored.payload))
    # then it is not sent: at most once
    assert mail.outbox == []
    assert OrderTimelineEntry.objects.filter(kind="shipping_notice").get().message == (
        "Shipped e-mail not sent: the mail server refused it."
    )


def test_a_notice_cut_off_mid_send_is_recorded_after_an_hour_and_not_sent_again(api, shop):
    # given the shipped e-mail's row written, its process gone before the send (still sending)
    shipped(api, shop)
    notice = ShippingNotice.objects.get()
    ShippingNotice.objects.filter(pk=notice.pk).update(status="sending", reason="", sent_at=None)
    OrderTimelineEntry.objects.filter(kind="shipping_notice").delete()
    mail.outbox.clear()
    # when the sweep runs within the hour, nothing is said yet
    assert shipping_notices_interrupted(now=notice.created_at + timedelta(minutes=30)) == 0
    # and after it, the notice is failed as interrupted, said on the timeline, and not sent
    assert shipping_notices_interrupted(now=notice.created_at + timedelta(hours=2)) == 1
    assert notices() == [("shipped", "", "failed", "interrupted")]
    assert OrderTimelineEntry.objects.get(kind="shipping_notice").message == (
        "Shipped e-mail may not have been sent: its sending was interrupted (not sent again)."
    )
    assert mail.outbox == []
    assert shipping_notices_interrupted(now=notice.created_at + timedelta(hours=3)) == 0
