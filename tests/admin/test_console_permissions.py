"""Every console action checks the permission for what it does (docs/security.md).

The whole class, enumerated from the admin site: every action of every page (the list actions and
django-unfold's list, row, detail and submit-line actions) declares its permissions; a staff user
holding only the *view* permissions is offered none of the actions that change something, does
not see their buttons, and a forged request changes nothing; a user with the page's *action
permission* (accounts/roles.py) is offered them and can run them."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Permission, User
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.urls import reverse

from ordino.accounts.models import ApiToken
from ordino.connectors.services import ConnectionSettings, connection_create, message_store
from ordino.events.models import OutboxEvent
from ordino.fulfillment.models import FulfillmentOrder
from ordino.orders.models import Order
from ordino.sourcing import services as sourcing
from ordino.sourcing.models import SourcingProfileVersion
from ordino.webhooks.models import WebhookMessage
from ordino.webhooks.services import endpoint_create
from tests.factories import make_token, order_body, stock
from tests.shipping.test_loading import paket
from tests.sourcing.helpers import OCTOBER, SEPTEMBER

pytestmark = pytest.mark.django_db

UNFOLD_ACTION_LISTS = ("actions_list", "actions_row", "actions_detail", "actions_submit_line")
# Actions that change nothing (they only show something): the view permission is enough.
READ_ONLY_ACTIONS = {("sourcingprofileversion", "simulate")}


def model_admins():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def every_action():
    """(model admin, action name, kind) for every custom action of the console."""
    found = []
    for _model, model_admin in model_admins():
        for name in model_admin.actions or ():
            found.append((model_admin, name, "list"))
        for attribute in UNFOLD_ACTION_LISTS:
            if not hasattr(model_admin, attribute):  # Django's own pages (users, groups)
                continue
            for name in model_admin._extract_action_names(getattr(model_admin, attribute)):
                found.append((model_admin, name, attribute.removeprefix("actions_")))
    return found


def action_id(entry) -> str:
    model_admin, name, kind = entry
    return f"{model_admin.opts.model_name}.{name}({kind})"


ACTIONS = every_action()
WRITE_ACTIONS = [a for a in ACTIONS if (a[0].opts.model_name, a[1]) not in READ_ONLY_ACTIONS]


def user_with(username: str, *codenames: str) -> User:
    user = User.objects.create_user(username, password="a-long-enough-Passw0rd", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return User.objects.get(pk=user.pk)  # a fresh object: no cached permissions


def every_view_permission() -> list[str]:
    return [f"view_{model._meta.model_name}" for model, _admin in model_admins()]


@pytest.fixture
def world(api, shop):
    """An order with its fulfillment order, a token, a profile that is not the default one and
    a draft version of it: one object for every action to act on."""
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    order = Order.objects.get(pk=api.post("/orders", order_body()).json()["id"])
    sourcing.profile_create(code="main", name="Main", actor="test", definition=SEPTEMBER)
    other = sourcing.profile_create(code="alt", name="Alt", actor="test", is_default=False)
    draft = sourcing.profile_draft_save(profile=other, definition=OCTOBER, actor="test")
    make_token("orders:read", name="erp")
    dead = OutboxEvent.objects.order_by("pk").first()  # an event the relay gave up on
    OutboxEvent.objects.filter(pk=dead.pk).update(dead=True, attempts=8)
    hook = endpoint_create(url="https://hooks.example.com/x", event_types_chosen=["order.shipped"])
    message = WebhookMessage.objects.create(
        endpoint=hook.endpoint, event_id=dead.pk, event_type="order.shipped", body={},
        created_at=dead.created_at, state="dead", attempts=10, round_attempts=10,
    )  # fmt: skip
    connection = connection_create(channel="web", values=ConnectionSettings(
        platform="shopify", base_url="https://perm-test.myshopify.com", access_token="shpat_t",
        webhook_secret="s", poll_interval_seconds=0,
    ))  # fmt: skip
    inbound, _ = message_store(connection=connection, source="webhook", raw_body='{"id": 1}',
                               delivery_id="d-perm", topic="orders/create")  # fmt: skip
    return {
        "carrierservice": paket(),
        "connection": connection,
        "inboundmessage": inbound,
        "webhookendpoint": hook.endpoint,
        "webhookmessage": message,
        "outboxevent": dead,
        "order": order,
        "fulfillmentorder": FulfillmentOrder.objects.get(order=order),
        "apitoken": ApiToken.objects.get(name="erp"),
        "sourcingprofile": other,
        "sourcingprofileversion": draft,
    }


def database_snapshot() -> dict[str, list[dict]]:
    """Every row of every Ordino table (and the users'), to prove that nothing changed."""
    models = [m for m in apps.get_models() if m.__module__.startswith("ordino.")]
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in models}


def test_every_console_action_declares_its_permissions():
    # Given every action of every console page
    # (13: the bulk "picked up" went away, a handover needs the pickup code — docs/fulfillment.md)
    assert len(ACTIONS) >= 13, [action_id(a) for a in ACTIONS]
    for model_admin, name, _kind in ACTIONS:
        method = getattr(model_admin, name)
        # Then it declares what it needs: acting (the model's change permission), or viewing
        expected = ["view"] if (model_admin.opts.model_name, name) in READ_ONLY_ACTIONS else ["act"]
        assert list(method.allowed_permissions) == expected, action_id((model_admin, name, ""))


@pytest.mark.parametrize("entry", ACTIONS, ids=action_id)
def test_a_view_only_user_is_offered_no_action_that_changes_something(entry):
    # Given a staff user with every view permission and nothing else
    model_admin, name, kind = entry
    request = RequestFactory().get("/")
    request.user = user_with("viewer", *every_view_permission())
    # When the console lists the actions it offers them
    if kind == "list":
        offered = set(model_admin.get_actions(request))
    else:
        prefix = f"{model_admin.opts.app_label}_{model_admin.opts.model_name}_"
        offered = {
            a.action_name.removeprefix(prefix)
            for a in model_admin._filter_unfold_actions_by_permissions(
                request, model_admin._get_base_actions_detail(), "1"
            )
            + model_admin._filter_unfold_actions_by_permissions(
                request, model_admin._get_base_actions_list()
            )
        }
    # Then an action that changes something is not among them; a read-only one is
    expected = (model_admin.opts.model_name, name) in READ_ONLY_ACTIONS
    assert (name in offered) is expected


@pytest.mark.parametrize("entry", WRITE_ACTIONS, ids=action_id)
def test_a_view_only_user_cannot_run_an_action_and_nothing_changes(client, world, entry):
    # Given a view-only staff user, and the object the action acts on
    model_admin, name, kind = entry
    client.force_login(user_with("viewer", *every_view_permission()))
    target = world[model_admin.opts.model_name]
    before = database_snapshot()
    # When the user sends the action anyway (a forged form or a typed-in URL)
    if kind == "list":
        changelist = reverse(
            f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}_changelist"
        )
        response = client.post(changelist, {"action": name, "_selected_action": [target.pk]})
        # Then the console shows the list again without running anything (it offers no action)
        assert response.status_code == 200
        assert [str(m) for m in get_messages(response.wsgi_request)] == []
    else:
        url = reverse(
            f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}_{name}",
            args=[target.pk],
        )
        # Then both the page and the submission are refused
        assert client.get(url).status_code == 403
        assert client.post(url, {"carrier": "DHL", "tracking_numbers": "T1",
                                 "reason": "not_found"}).status_code == 403  # fmt: skip
    # and nothing in the database changed
    assert database_snapshot() == before


@pytest.mark.parametrize(
    "model_name", sorted({a[0].opts.model_name for a in WRITE_ACTIONS if a[2] != "list"})
)
def test_a_view_only_user_does_not_see_the_buttons_of_detail_actions(client, world, model_name):
    # Given a view-only user on the page of an object with detail actions (ship, reject, ...)
    client.force_login(user_with("viewer", *every_view_permission()))
    target = world[model_name]
    model_admin = admin.site._registry[type(target)]
    opts = model_admin.opts
    page = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[target.pk]))
    assert page.status_code == 200
    # Then no button leads to an action that changes something
    for admin_, name, kind in WRITE_ACTIONS:
        if admin_ is model_admin and kind != "list":
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}", args=[target.pk])
            assert url.encode() not in page.content, name
    # and the list page offers no action either
    changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    for admin_, name, _kind in WRITE_ACTIONS:
        if admin_ is model_admin:
            assert f'value="{name}"'.encode() not in changelist.content, name


@pytest.mark.parametrize("entry", WRITE_ACTIONS, ids=action_id)
def test_a_user_with_the_action_permission_is_offered_the_action(client, world, entry):
    # Given a staff user who may view this one model and holds its page's action permission
    model_admin, name, kind = entry
    opts = model_admin.opts
    user = user_with("operator", f"view_{opts.model_name}", model_admin.act_action)
    client.force_login(user)
    target = world[opts.model_name]
    # Then the console offers the action: in the list's action menu, or as a button on the page
    if kind == "list":
        page = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert f'value="{name}"'.encode() in page.content
    else:
        page = client.get(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[target.pk])
        )
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}", args=[target.pk])
        assert url.encode() in page.content


def test_an_operator_cancels_and_a_viewer_does_not(client, world):
    # Given the order, a viewer and an operator (view + change orders)
    order = world["order"]
    changelist = reverse("admin:orders_order_changelist")
    form = {
        "action": "cancel_orders",
        "_selected_action": [order.pk],
        "confirmed": "yes",
        "reason": "customer asked",
    }
    client.force_login(user_with("viewer", "view_order"))
    # When the viewer sends the cancel action, then the order stays as it was
    client.post(changelist, form)
    order.refresh_from_db()
    assert order.status == "allocated"
    # When the operator sends it, then the order is cancelled
    client.force_login(
        user_with("operator", "view_order", "cancel_orders", "edit_orders", "refund")
    )
    client.post(changelist, form)
    order.refresh_from_db()
    assert order.status == "cancelled"


def test_an_operator_ships_from_the_page_and_a_viewer_may_not(client, world):
    fo = world["fulfillmentorder"]
    url = reverse("admin:fulfillment_fulfillmentorder_ship", args=[fo.pk])
    form = {"carrier": "DHL", "tracking_numbers": "T1"}
    client.force_login(user_with("viewer", "view_fulfillmentorder"))
    assert client.post(url, form).status_code == 403
    client.force_login(user_with("operator", "view_fulfillmentorder", "fulfil"))
    assert client.post(url, form).status_code == 302
    fo.refresh_from_db()
    assert fo.status == "shipped"


def test_an_operator_activates_a_draft_from_its_page(client, world):
    # The rule pages activate after a side-by-side review, with a confirmation and a reason.
    draft = world["sourcingprofileversion"]
    url = reverse("console:sourcing_rules_compare", args=[draft.profile.code])
    form = {"reason": "stores first", "confirm": "on"}
    client.force_login(user_with("viewer", "view_sourcingprofileversion"))
    assert client.post(url, form).status_code == 403
    draft.refresh_from_db()
    assert draft.status == SourcingProfileVersion.DRAFT
    client.force_login(user_with("operator", "view_sourcingprofileversion",
                                 "manage_rules"))  # fmt: skip
    assert client.post(url, form).status_code == 302
    draft.refresh_from_db()
    assert draft.status == SourcingProfileVersion.ACTIVE


def test_the_dashboard_shows_kpis_only_to_users_who_may_see_reports(client, world):
    # Given a staff user without `see_reports` (viewing orders is not enough: docs/people.md)
    client.force_login(user_with("stock-clerk", "view_stockbalance", "view_order"))
    # Then the console's home page shows no KPI
    page = client.get(reverse("admin:index"))
    assert page.status_code == 200
    assert "kpis" not in page.context
    # and a user who may see the reports sees them
    client.force_login(user_with("analyst", "see_reports"))
    assert client.get(reverse("admin:index")).context["kpis"].orders == 1
