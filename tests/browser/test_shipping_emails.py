"""The merchant edits a customer e-mail in a real browser (desktop): opens "Shipping e-mails",
adds the shipped e-mail from its built-in text, writes HTML that names an unknown
variable and sees it refused on its field, fixes it, previews the draft — the HTML shown in a
sandboxed frame, a customer's markup escaped — and saves nothing until Save."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from ordino.shipping.models import ShippingNoticeTemplate

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_merchant_previews_a_draft_in_a_sandboxed_frame_then_saves(console_as):
    merchant = User.objects.create_superuser("mo", "mo@example.com", "x-Very-long-pass-1")
    page = console_as(merchant, "desktop")
    # when he opens the e-mails' page and adds the shipped one from its built-in text
    page.goto("/admin/shipping/shippingnoticetemplate/")
    page.locator("#notice-built-in").get_by_role("link", name="shipped").click()
    assert "Hello Ada Lovelace," in page.locator("#notice-preview pre").inner_text()
    # and writes HTML with a variable that does not exist, then previews
    page.get_by_label("HTML").fill("<h1>{{ first_name }}</h1>")
    page.locator("#notice-preview-button").click()
    # then it is refused on its field, nothing saved
    assert "first_name" in page.locator(".errors, .errorlist").first.inner_text()
    assert not ShippingNoticeTemplate.objects.exists()
    # when he fixes it and previews again
    page.get_by_label("HTML").fill(
        '<h1 style="color:#2563eb">Hi {{ customer_name }}</h1><script>parent.x=1</script>'
    )
    page.locator("#notice-preview-button").click()
    # then the draft is shown in a frame that runs no script, and still nothing is saved
    frame = page.locator("#notice-preview-html")
    assert frame.get_attribute("sandbox") == ""
    assert page.frame_locator("#notice-preview-html").locator("h1").inner_text() == (
        "Hi Ada Lovelace"
    )
    assert page.evaluate("window.x") is None
    assert "not saved" in page.locator("#notice-preview h2").inner_text()
    assert not ShippingNoticeTemplate.objects.exists()
    # when he saves
    page.get_by_role("button", name="Save", exact=True).click()
    row = ShippingNoticeTemplate.objects.get()
    assert (row.kind, row.channel, row.html[:4]) == ("shipped", None, "<h1 ")
