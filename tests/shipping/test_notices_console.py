"""The console's customer e-mails: the templates' page through the use case (a refusal on its
field, nothing written), its preview with a sample order, and the notices read-only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from ordino.accounts.models import StaffAccess
from ordino.audit.models import AuditEntry
from ordino.shipping.models import ShippingNotice, ShippingNoticeTemplate
from tests.shipping.tracked import shipped

pytestmark = pytest.mark.django_db
ADD = "admin:shipping_shippingnoticetemplate_add"


@pytest.fixture
def boss(client):
    client.force_login(User.objects.create_superuser("boss", "b@example.com", "pw-long-enough"))
    return client


def test_the_list_offers_the_kinds_still_built_in(boss):
    page = boss.get(reverse("admin:shipping_shippingnoticetemplate_changelist"))
    assert page.status_code == 200
    assert b'href="add/?kind=out_for_delivery"' in page.content


def test_adding_from_the_built_in_text_previews_it_then_saves_through_the_use_case(boss):
    # when the page adds the delivered e-mail: the built-in text and its preview
    page = boss.get(reverse(ADD) + "?kind=delivered")
    assert page.status_code == 200
    assert b"Your order 1001 was delivered" in page.content
    # when the merchant saves their own
    posted = boss.post(reverse(ADD), {"kind": "delivered", "subject": "{{ order_number }} home",
                                      "body": "Enjoy, {{ customer_name }}", "is_active": "on",
                                      "reason": "tone"})  # fmt: skip
    assert posted.status_code == 302
    row = ShippingNoticeTemplate.objects.get()
    assert (row.kind, row.subject, row.body) == ("delivered", "{{ order_number }} home",
                                                 "Enjoy, {{ customer_name }}")  # fmt: skip
    entry = AuditEntry.objects.get(object_type="shipping_notice_template")
    assert (entry.actor, entry.reason) == ("user:boss", "tone")
    # then its page previews it with the sample order
    page = boss.get(reverse("admin:shipping_shippingnoticetemplate_change", args=[row.pk]))
    assert b"Enjoy, Ada Lovelace" in page.content


def test_an_unknown_variable_is_refused_on_its_field_and_nothing_is_written(boss):
    body = {"kind": "shipped", "subject": "ok", "body": "Hi {{ first_name }}", "is_active": "on"}
    posted = boss.post(reverse(ADD), body)
    assert posted.status_code == 200
    assert "first_name" in str(posted.context["adminform"].form.errors["body"])
    assert not ShippingNoticeTemplate.objects.exists()
    assert not AuditEntry.objects.filter(object_type="shipping_notice_template").exists()


def test_the_notices_are_read_only_and_scoped(api, client, shop):
    shipped(api, shop)
    notice = ShippingNotice.objects.get()
    user = User.objects.create_user("clerk", password="pw-long-enough", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="view_shippingnotice"))
    access = StaffAccess.objects.create(user=user)
    access.locations.add(shop["wh_b"])  # not where it shipped from
    client.force_login(user)
    change = reverse("admin:shipping_shippingnotice_change", args=[notice.pk])
    assert client.get(change).status_code == 404
    access.locations.set([shop["wh_a"]])
    page = client.get(change)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.post(change, {"status": "sent"}).status_code == 403


DRAFT = {"kind": "shipped", "channel": "", "subject": "Order {{ order_number }}",
         "body": "Hi {{ customer_name }}", "html": "<p>Hi <b>{{ customer_name }}</b></p>",
         "from_email": "", "is_active": "on", "reason": "", "preview_order": ""}  # fmt: skip


def test_preview_renders_the_draft_in_a_sandboxed_frame_and_saves_nothing(boss):
    # when the merchant previews a draft
    page = boss.post(reverse(ADD), {**DRAFT, "_preview": "1"})
    # then the page shows it rendered with the sample order, and nothing is written
    assert page.status_code == 200
    assert page.context["adminform"].form.errors == {}
    html = page.content.decode()
    assert "Preview of the draft, not saved (a sample order)" in html
    assert "<strong>Subject:</strong> Order 1001" in html
    assert 'sandbox="" srcdoc="&lt;p&gt;Hi &lt;b&gt;Ada Lovelace&lt;/b&gt;&lt;/p&gt;"' in html
    assert 'name="_preview"' in html
    assert not ShippingNoticeTemplate.objects.exists()
    assert not AuditEntry.objects.filter(object_type="shipping_notice_template").exists()


def test_preview_shows_a_refusal_on_its_field_and_saves_nothing(boss):
    page = boss.post(reverse(ADD), {**DRAFT, "html": "{{ customer_name|safe }}", "_preview": "1"})
    assert page.status_code == 200
    assert "|safe" in str(page.context["adminform"].form.errors["html"])
    assert "notice-preview-html" not in page.content.decode()
    assert not ShippingNoticeTemplate.objects.exists()


def test_preview_with_a_real_order_or_an_unknown_one_on_its_field(api, boss, shop):
    shipped(api, shop, external_id="W-5")
    page = boss.post(reverse(ADD), {**DRAFT, "preview_order": "W-5", "_preview": "1"})
    assert "<strong>Subject:</strong> Order W-5" in page.content.decode()
    assert "(order W-5)" in page.content.decode()
    unknown = boss.post(reverse(ADD), {**DRAFT, "preview_order": "W-404", "_preview": "1"})
    assert "W-404" in str(unknown.context["adminform"].form.errors["preview_order"])
    assert not ShippingNoticeTemplate.objects.exists()


def test_a_channels_template_is_added_beside_the_one_for_every_channel(boss, shop):
    assert boss.post(reverse(ADD), DRAFT).status_code == 302
    posted = boss.post(reverse(ADD), {**DRAFT, "channel": "web", "subject": "Web",
                                      "from_email": "Web <web@shop.example>"})  # fmt: skip
    assert posted.status_code == 302
    web = ShippingNoticeTemplate.objects.get(channel__code="web")
    assert (web.subject, web.from_email, web.html) == (
        "Web", "Web <web@shop.example>", DRAFT["html"])  # fmt: skip
    # a second one for every channel is refused on the form
    again = boss.post(reverse(ADD), DRAFT)
    assert again.status_code == 200
    assert "for every channel exists" in str(again.context["adminform"].form.errors)
    assert ShippingNoticeTemplate.objects.count() == 2
    # the list names each one's channel
    listed = boss.get(reverse("admin:shipping_shippingnoticetemplate_changelist")).content.decode()
    assert "Every channel" in listed and ">web<" in listed
