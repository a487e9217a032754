"""Every console action × every default role × an object in / out of the user's scope → the
exact status (docs/people.md, "Who may do what"; issue 11's rule). A user holds one default role
and is limited to the channel `web`: the in-scope object is of `web`, the out-of-scope one of
`app`. Actions on shared configuration or the whole network (rules, tokens, users, the audit,
the journal) are "in scope" for an unlimited user and "out of scope" for a limited one, who is
refused them (403), as the API refuses a restricted token. Each request runs in a transaction
rolled back after it, so every cell starts from the same world; a request refused, or outside
the scope, changes nothing (checked on the order and the carrier service)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from ordino.accounts.models import ApiToken, StaffAccess
from ordino.accounts.roles import ROLE_NAMES, ROLES, roles_install
from ordino.fulfillment.models import FulfillmentOrder
from ordino.orders.models import Order, OrderTimelineEntry
from ordino.shipping.models import CarrierService, RateBracket
from ordino.sourcing import services as sourcing
from tests.factories import make_channel, make_token, order_body, stock
from tests.risk.conftest import SETTINGS_FORM
from tests.shipping.test_loading import paket
from tests.sourcing.helpers import OCTOBER, SEPTEMBER

pytestmark = pytest.mark.django_db
ACTIONS_OF = {role.name: set(role.actions) for role in ROLES}
ROLE = {role.name: role for role in ROLES}


@dataclass(frozen=True)
class ConsoleAction:
    name: str
    permission: str  # the action permission (accounts/roles.py)
    send: Callable[[Client, dict, str], object]  # (client, world, "in" | "out") → response
    done: int  # the status of a permitted request on an object in scope
    scoped: bool = True
    scope_first: bool = False  # 404 outside the scope even without the permission (if it sees)
    list_action: bool = False  # the list's action menu: it acts on the rows the user reaches
    sees: tuple[str, str] = ("orders", "order")  # the page's model: its view permission


def post(name: str, key: str, data: dict | None = None, *extra):
    def send(client: Client, world: dict, where: str):
        return client.post(reverse(name, args=[world[where][key].pk, *extra]), data or {})

    return send


def admin_list_action(url_name: str, action: str, key: str):
    def send(client: Client, world: dict, where: str):
        return client.post(
            reverse(url_name),
            {
                "action": action,
                "confirmed": "yes",
                "reason": "matrix",
                "_selected_action": [world[where][key].pk],
            },
        )

    return send


def shipping_upload(client: Client, world: dict, where: str):
    # a fresh file per request: a file object is read once
    sheet = SimpleUploadedFile("rates.csv", b"zone,above,up_to,price\n1,0,5,5.50\n")
    url = reverse("admin:shipping_carrierservice_upload", args=[world["service"].pk])
    return client.post(url, {"kind": "rates", "file": sheet})


def get(name: str, *args):
    return lambda client, world, where: client.get(reverse(name, args=args))


CANCEL = {"cancel_1": "1", "reason": "matrix", "confirmed": "1"}
CREDIT = {"currency": "EUR", "amount": "5", "reason": "matrix"}
SHIP = {"carrier": "DHL", "tracking_numbers": "T1"}
RISK = {**SETTINGS_FORM, "velocity_hours": "48", "reason": "matrix"}
CHANGE_SERVICE = "shipping.change_carrierservice"  # a model permission, not a role's action
SERVICE = {"name": "Paket", "currency": "EUR", "unit": "kg", "divisor": "5000", "min_volume": "0",
           "increment": "0.5", "transit_days": "3", "max_weight": "30", "max_longest": "0",
           "max_length_plus_girth": "0"}  # fmt: skip
FUEL = {"kind": "fuel", "percent": "10", "_set": "1"}

CASES = (
    ConsoleAction("order comment", "edit_orders",
                  post("console:order_comment", "order", {"text": "called"}), 302),
    ConsoleAction("order cancel units", "cancel_orders",
                  post("console:order_cancel", "order", CANCEL), 302),
    ConsoleAction("order refund (preview)", "refund", post("console:order_refund", "order"), 200),
    ConsoleAction("customer store credit", "refund",
                  post("console:customer_credit_give", "customer", CREDIT), 302),
    ConsoleAction("return start", "manage_returns", post("console:return_start", "order"), 302),
    ConsoleAction("store step accept", "fulfil",
                  post("console:store_fo_step", "fo", {}, "accept"), 302, scope_first=True,
                  sees=("fulfillment", "fulfillmentorder")),
    ConsoleAction("orders list: cancel", "cancel_orders",
                  admin_list_action("admin:orders_order_changelist", "cancel_orders", "order"),
                  302, list_action=True),
    ConsoleAction("fulfillment order: ship", "fulfil",
                  post("admin:fulfillment_fulfillmentorder_ship", "fo", SHIP), 302),
    ConsoleAction("order risk: score again", "edit_orders",
                  post("console:risk_rescore", "order"), 302),
    ConsoleAction("fraud screening: save settings", "manage_rules",
                  lambda c, w, _: c.post(reverse("console:risk_settings"), RISK), 302,
                  scoped=False),
    ConsoleAction("sourcing: activate", "manage_rules",
                  lambda c, w, _: c.post(reverse("console:sourcing_rules_compare", args=["main"]),
                                         {"reason": "matrix", "confirm": "on"}),
                  302, scoped=False),
    ConsoleAction("tokens: revoke", "manage_integrations",
                  admin_list_action("admin:accounts_apitoken_changelist", "revoke_selected",
                                    "token"), 302, scoped=False, list_action=True,
                  sees=("accounts", "apitoken")),
    ConsoleAction("users: add page", "manage_users", get("admin:auth_user_add"), 200,
                  scoped=False),
    ConsoleAction("audit log", "see_audit", get("admin:audit_auditentry_changelist"), 200,
                  scoped=False),
    ConsoleAction("finance journal", "see_finance", get("console:accounting_journal"), 200,
                  scoped=False),
    # carriers' services: the model's change permission (no default role carries it, as for
    # tax rates), shared configuration a limited user may not change (docs/shipping.md)
    ConsoleAction("shipping: change a service", CHANGE_SERVICE,
                  lambda c, w, _: c.post(reverse("admin:shipping_carrierservice_change",
                                                 args=[w["service"].pk]), SERVICE), 302,
                  scoped=False, sees=("shipping", "carrierservice")),
    ConsoleAction("shipping: upload a rate sheet", CHANGE_SERVICE, shipping_upload, 302,
                  scoped=False, sees=("shipping", "carrierservice")),
    ConsoleAction("shipping: set a surcharge", CHANGE_SERVICE,
                  lambda c, w, _: c.post(reverse("admin:shipping_carrierservice_surcharge",
                                                 args=[w["service"].pk]), FUEL), 302,
                  scoped=False, sees=("shipping", "carrierservice")),
)  # fmt: skip


@pytest.fixture
def world(api, shop):
    """A web order (in scope) and an app order (out of scope), each with its customer and its
    fulfillment order at WH-A; a draft sourcing profile; a token; a user per role."""
    roles_install(Group, Permission)
    make_channel("app", currency="EUR")
    stock(shop["wh_a"], shop["TEE"], 10)
    stock(shop["wh_a"], shop["MUG"], 10)
    profile = sourcing.profile_create(code="main", name="Main", actor="test", definition=SEPTEMBER)
    sourcing.profile_draft_save(profile=profile, definition=OCTOBER, actor="test")
    made = {}
    for where, channel, email in (("in", "web", "in@example.com"), ("out", "app", "o@example.com")):
        body = order_body(f"{where}-1", channel=channel)
        body["customer"] = {**body["customer"], "email": email}
        order = Order.objects.get(pk=api.post("/orders", body).json()["id"])
        made[where] = {"order": order, "customer": order.customer,
                       "fo": FulfillmentOrder.objects.get(order=order)}  # fmt: skip
    make_token("orders:read", name="victim")
    made["in"]["token"] = made["out"]["token"] = ApiToken.objects.get(name="victim")
    made["service"] = paket()
    web = shop["channel"]
    users = {}
    for role in ROLE_NAMES:
        for limited in (True, False):
            name = f"{role.replace(' ', '-')}-{'web' if limited else 'all'}"
            user = User.objects.create_user(name, password="pw-long-enough", is_staff=True)
            user.groups.add(Group.objects.get(name=role))
            if limited:
                StaffAccess.objects.create(user=user).channels.add(web)
            users[(role, limited)] = user
    made["users"] = users
    return made


def sees(role: str, model: tuple[str, str]) -> bool:
    views = ROLE[role].views
    return views == "*" or model in views


def permitted_to(role: str, permission: str) -> bool:
    """A role's action, or a model permission (`app.codename`): roles carry only views."""
    if "." not in permission:
        return permission in ACTIONS_OF[role]
    app, codename = permission.split(".")
    model = codename.removeprefix("view_")
    return codename.startswith("view_") and sees(role, (app, model))


def expected(case: ConsoleAction, role: str, where: str) -> int:
    permitted = permitted_to(role, case.permission)
    if not case.scoped and where == "out":
        return 403  # the whole network's: a limited user is refused
    if case.list_action:
        # the list holds only the rows the user reaches: an out-of-scope row is not acted on;
        # without the permission the action is not offered (the list is shown again)
        if permitted:
            return 302
        return 200 if sees(role, case.sees) else 403
    if where == "out" and (permitted or (case.scope_first and sees(role, case.sees))):
        return 404
    return case.done if permitted else 403


def order_state(order: Order) -> tuple:
    order.refresh_from_db()
    return order.status, order.version, OrderTimelineEntry.objects.filter(order=order).count()


def world_state(world: dict, where: str) -> tuple:
    """The order's state and the carrier service's (a refused shipping action changes neither)."""
    service = CarrierService.objects.filter(pk=world["service"].pk)
    rates = RateBracket.objects.filter(service=world["service"]).count()
    return order_state(world[where]["order"]), list(service.values()), rates


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_every_role_in_and_out_of_scope_gets_the_exact_status(world, case):
    got, want = {}, {}
    for role in ROLE_NAMES:
        for where in ("in", "out"):
            client = Client()
            limited = case.scoped or where == "out"
            client.force_login(world["users"][(role, limited)])
            before = world_state(world, where)
            with transaction.atomic():
                response = case.send(client, world, where)
                got[(role, where)] = response.status_code
                unchanged = world_state(world, where) == before
                transaction.set_rollback(True)
            want[(role, where)] = expected(case, role, where)
            if where == "out" or not permitted_to(role, case.permission):
                assert unchanged, (role, where)
    assert got == want
