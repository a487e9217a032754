"""Every console page opens, searches and filters for a staff user; the order cancel action
goes through the use case."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.urls import reverse

from ordino.accounts.models import StaffAccess
from ordino.cases.models import Team
from ordino.cases.services import inquiry_open
from ordino.customers.models import CustomerAddress
from ordino.integrations.services import integration_call_record
from ordino.inventory.feed import stock_feed_apply
from ordino.inventory.services import stock_transfer_send
from ordino.locations.models import LocationGroup
from ordino.orders.models import Order, OrderTimelineEntry
from ordino.tax.services import tax_rate_create
from tests.factories import make_kit, order_body, stock
from tests.sourcing.helpers import sourcing_configure

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = User.objects.create_superuser("boss", "boss@example.com", "pw-long-enough")
    client.force_login(user)
    return client


@pytest.fixture
def some_order(api, shop):
    """An order, and at least one object of every kind the console shows."""
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    Group.objects.create(name="operations")
    clerk = User.objects.create_user("clerk", password="pw-long-enough", is_staff=True)
    StaffAccess.objects.create(user=clerk).locations.add(shop["store"])
    LocationGroup.objects.create(code="EU", name="Europe").locations.add(shop["wh_a"])
    make_kit("GIFT-SET", [(shop["TEE"], 1), (shop["MUG"], 2)])
    stock_transfer_send(
        source_code="WH-A", destination_code="WH-B", sku_code="TEE", quantity=1, actor="test"
    )
    stock_feed_apply(rows_or_file=[("WH-B", "MUG", 3)], actor="test", file_name="TEE.csv")
    sourcing_configure(shop["wh_a"])
    body = order_body()
    body["customer"]["external_id"] = "buyer-1"
    response = api.post("/orders", body, idempotency_key="admin-test")
    order = Order.objects.get(pk=response.json()["id"])
    CustomerAddress.objects.create(
        customer=order.customer, line1="Unter den Linden 1", city="Berlin", country="DE"
    )
    _a_return(api)
    _a_hold()
    tax_rate_create(country="DE", rate=Decimal("19"), name="DE VAT", valid_from=date(2020, 1, 1))
    Team.objects.create(name="Customer care")
    inquiry_open(title="Where is my TEE?", description="", actor="test", order_id=order.pk,
                 customer_id=None)  # fmt: skip
    integration_call_record(direction="in", system="stripe", operation="webhook", ok=False,
                            status_code=400, error="stripe_signature_invalid: TEE")  # fmt: skip
    _a_connection()
    _a_webhook_message()
    _a_carrier_service()
    _a_rated_shipment(api)
    return order


def _a_carrier_service() -> None:
    """dhl:paket with its zone table, its rate sheet and a remote-area surcharge."""
    from ordino.shipping.domain.quote import Surcharge
    from ordino.shipping.services import (
        service_rates_load,
        service_surcharge_set,
        service_zones_load,
    )
    from tests.shipping.test_loading import RATES, ZONES, paket

    paket()
    service_zones_load(service_key="dhl:paket", data=ZONES, actor="test")
    service_rates_load(service_key="dhl:paket", data=RATES, actor="test")
    remote = Surcharge("remote_area", amount=Decimal(5), prefixes=("18565",))
    service_surcharge_set(service_key="dhl:paket", surcharge=remote, actor="test")
    from ordino.shipping.commands import BoxTypeSettings
    from ordino.shipping.services import box_type_save

    box_type_save(command=BoxTypeSettings(code="TEE-BOX", name="Tee box", inner=(300, 200, 100),
                  outer=(310, 210, 110), tare_g=150, max_weight_g=5000), actor="test")  # fmt: skip
    from ordino.shipping.channel_policies import channel_policy_set

    channel_policy_set(channel="web", policy="cheapest", actor="test")


def _a_rated_shipment(api) -> None:
    """A third order rated with dhl:paket and shipped with its choice (its cost kept), and the
    tracker of its parcel."""
    from ordino.fulfillment.models import Shipment
    from ordino.shipping.tracking import trackers_create

    fo = api.post("/orders", order_body("W-SHIP")).json()["fulfillment_orders"][0]["id"]
    box = {"length_cm": 30, "width_cm": 20, "height_cm": 10, "weight_kg": "1.2"}
    assert api.post(f"/fulfillment/orders/{fo}/rates", {"parcels": [box]}).status_code == 201
    shipped = api.post(f"/fulfillment/orders/{fo}/ship-rated", {"tracking_numbers": ["TEE-1"]})
    assert shipped.status_code == 201, shipped.content
    shipment = Shipment.objects.get(pk=shipped.json()["shipment_id"])
    trackers_create(shipment_id=shipment.pk, fulfillment_order_id=fo, carrier="dhl",
                    tracking_numbers=["TEE-1"])  # fmt: skip
    # the merchant's "shipped" e-mail, and the one sent for the shipment
    from ordino.shipping.commands import NoticeTemplateSettings
    from ordino.shipping.notices.services import notice_template_save, shipment_notice_send

    notice_template_save(command=NoticeTemplateSettings(
        kind="shipped", subject="TEE {{ order_number }}", body="Hi"), actor="test")  # fmt: skip
    shipment_notice_send(shipment_id=shipment.pk, kind="shipped")
    # a carrier account and a label bought through it (as label_purchase leaves one)
    from ordino.shipping.carrier_accounts import AccountSettings, carrier_account_save
    from ordino.shipping.models import LabelPurchase

    account, _ = carrier_account_save(
        values=AccountSettings(code="ep", name="EasyPost", adapter="easypost", api_key="k"),
        actor="test",
    )
    LabelPurchase.objects.create(
        fulfillment_order_id=fo, parcel=1, account=account, key="ordino-admin-1", status="bought",
        tracking_number="TEE-1", actor="test", amount=Decimal("5.93"), currency="USD",
    )  # fmt: skip


def _a_webhook_message() -> None:
    """A webhook endpoint (made after the orders: no delivery is asked) and a message to it."""
    from ordino.core.domain.clock import utcnow
    from ordino.webhooks.models import WebhookMessage
    from ordino.webhooks.services.endpoints import endpoint_create

    made = endpoint_create(
        url="https://hooks.example.com/TEE", event_types_chosen=["order.captured"]
    )
    # the newest endpoint has no message: a page that deletes it may (messages protect theirs)
    endpoint_create(url="https://hooks.example.com/new", event_types_chosen=["order.shipped"])
    WebhookMessage.objects.create(
        endpoint=made.endpoint, event_id=1, event_type="order.captured", order_id=1, sequence=1,
        body={"type": "order.captured"}, created_at=utcnow(), state="dead", attempts=10,
    )  # fmt: skip


def _a_connection() -> None:
    """A Shopify connection of the web channel and one message it received."""
    from ordino.connectors.services import ConnectionSettings, connection_create, message_store

    connection = connection_create(channel="web", values=ConnectionSettings(
        platform="shopify", base_url="https://admin-test.myshopify.com", access_token="shpat_t",
        webhook_secret="s", poll_interval_seconds=0,
    ))  # fmt: skip
    message_store(connection=connection, source="webhook", raw_body='{"id": 1}',
                  delivery_id="d-admin", topic="orders/create")  # fmt: skip


def _a_hold() -> None:
    """A hold rule (its audit) and a hold on the shipped order (it stops nothing there)."""
    from ordino.holds.services import order_hold_system, rule_create

    condition = {"fact": "order.value", "op": "gt", "value": "100000"}
    rule_create(code="huge", name="Huge", reason="huge order", condition=condition, actor="t")
    order_hold_system(order_id=Order.objects.get(external_id="W-RET").pk, cause="test", actor="t")


def _a_return(api) -> None:
    """A second order, shipped, with a return of one tee; a return policy."""
    returned = api.post("/orders", order_body("W-RET")).json()
    fo = returned["fulfillment_orders"][0]["id"]
    shipped = api.post(
        f"/fulfillment/orders/{fo}/ship", {"carrier": "DHL", "tracking_numbers": ["R1"]}
    )
    assert shipped.status_code == 200, shipped.content
    asked = {"location": "WH-A", "reason": "other", "lines": [{"line_no": 1, "quantity": 1}]}
    assert api.post(f"/orders/{returned['id']}/returns", asked).status_code == 201
    assert api.post("/return-policies", {"sku": "TEE", "window_days": 30}).status_code == 201


def registered():
    return sorted((model._meta.app_label, model._meta.model_name) for model in admin.site._registry)


@pytest.mark.parametrize(("app", "model"), registered())
def test_every_changelist_opens_and_searches(staff, some_order, app, model):
    url = reverse(f"admin:{app}_{model}_changelist")
    assert staff.get(url).status_code == 200
    assert staff.get(url, {"q": "TEE"}).status_code == 200


@pytest.mark.parametrize(("app", "model"), registered())
def test_every_change_page_opens(staff, some_order, app, model):
    model_class = next(m for m in admin.site._registry if m._meta.model_name == model)
    obj = model_class.objects.first()
    assert obj is not None, f"the fixture should make a {model}"
    response = staff.get(reverse(f"admin:{app}_{model}_change", args=[obj.pk]), follow=True)
    assert response.status_code == 200


def test_the_cancel_action_cancels_through_the_use_case(staff, some_order):
    response = staff.post(
        reverse("admin:orders_order_changelist"),
        {
            "action": "cancel_orders",
            "_selected_action": [some_order.pk],
            "confirmed": "yes",
            "reason": "customer asked",
        },
        follow=True,
    )
    assert response.status_code == 200
    some_order.refresh_from_db()
    assert some_order.status == "cancelled"
    entry = OrderTimelineEntry.objects.filter(order=some_order, kind="cancelled").get()
    assert entry.actor == "user:boss"


@pytest.mark.parametrize(("app", "model"), registered())
def test_a_page_with_nothing_to_edit_shows_no_save_button_and_refuses_a_save(
    staff, some_order, app, model
):
    # Given the change page of an object, opened by a superuser
    model_class = next(m for m in admin.site._registry if m._meta.model_name == model)
    obj = model_class.objects.order_by("pk").first()
    url = reverse(f"admin:{app}_{model}_change", args=[obj.pk])
    page = staff.get(url)
    if page.status_code == 302:  # the order's page is a console page, no model form at all
        assert page["Location"] == reverse("console:order", args=[obj.pk])
        assert b'name="_save"' not in staff.get(page["Location"]).content
        return
    adminform = page.context["adminform"]
    editable = page.context["has_change_permission"] and (
        set(adminform.form.fields) - set(adminform.readonly_fields)
    )
    if editable:  # a form with fields to change has its Save button
        assert b'name="_save"' in page.content
        return
    # Then a page whose every field is read-only shows no Save button of any kind
    for button in (b'name="_save"', b'name="_continue"', b'name="_addanother"'):
        assert button not in page.content, button
    # and a save sent anyway is refused, changing nothing
    before = list(model_class.objects.filter(pk=obj.pk).values())
    assert staff.post(url, {"_save": "Save"}).status_code == 403
    assert list(model_class.objects.filter(pk=obj.pk).values()) == before
