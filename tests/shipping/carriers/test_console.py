"""The console shows carrier accounts and label purchases read-only: the API key never, only
whether one is kept; nothing is added, changed or deleted there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ordino.shipping.carrier_accounts import AccountSettings, carrier_account_save
from ordino.shipping.models import LabelPurchase
from tests.shipping.test_console import boss  # noqa: F401 (a fixture)
from tests.shipping.test_rating import fo  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def test_accounts_and_labels_are_shown_without_the_key(boss, fo):  # noqa: F811
    values = AccountSettings(code="ep", name="EasyPost", adapter="easypost", api_key="EZTK-123")
    account, _ = carrier_account_save(values=values, actor="test")
    purchase = LabelPurchase.objects.create(
        fulfillment_order_id=fo["id"],
        parcel=1,
        account=account,
        key="k-1",
        status="bought",
        tracking_number="9400100105442285876350",
        actor="test",
    )
    pages = [
        reverse("admin:shipping_carrieraccount_changelist"),
        reverse("admin:shipping_carrieraccount_change", args=[account.pk]),
        reverse("admin:shipping_labelpurchase_changelist"),
        reverse("admin:shipping_labelpurchase_change", args=[purchase.pk]),
    ]
    for page in pages:
        r = boss.get(page)
        assert r.status_code == 200, page
        text = r.content.decode()
        assert "EZTK-123" not in text and account.api_key_encrypted not in text, page
    assert "9400100105442285876350" in boss.get(pages[2]).content.decode()
    assert boss.get(reverse("admin:shipping_carrieraccount_add")).status_code == 403
    r = boss.post(pages[1], {"name": "changed"})
    assert r.status_code == 403
    account.refresh_from_db()
    assert account.name == "EasyPost"
