"""The API permission matrix × people: every write operation × every default role × an object in
and out of the person's reach (docs/people.md, "A person's API tokens"; issue 11's rule).

A token owned by a person does what the person may do in the console: each write needs the
permission `accounts/api_permissions.py` names for it (else 403 `permission_denied`, before
anything is looked up), and the person's console access limits the token as its own limits do
(an object of another channel or location: exactly the answer `test_authorization_matrix.py`
expects of a restricted token). Each person holds one default role, with an all-scope token;
"in" is the shop's object every principal reaches, "out:channel" / "out:location" the same
request by a person limited to the channel `web` / the location WH-A naming an object of
another (the rules of RESTRICTION). A refused request changes nothing in any table.

The write operations are read from Ninja's own routes (`ordino.api.routes`), so a new write
without its permission fails `test_every_write_names_the_permission_a_person_needs`.

The read leg: every GET × every default role, a person's all-scope token: answered when the
person holds the permission `accounts/api_read_permissions.py` names for it (or one of those it
names), else 403 `permission_denied`; a new GET without its row fails
`test_every_read_names_the_permission_a_person_needs`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db import connection, transaction
from django.test import Client

from ordino.accounts.api_permissions import API_PERMISSIONS, UNLISTED, api_permission
from ordino.accounts.api_read_permissions import API_READ_PERMISSIONS, api_read_permission
from ordino.accounts.models import ApiToken, StaffAccess
from ordino.accounts.roles import ROLE_NAMES, roles_install
from ordino.api import WRITE_METHODS, api, person_permitted, routes
from ordino.channels.models import Channel
from ordino.core.domain.errors import DomainError
from ordino.core.principal import EVERYTHING, Principal, permission_names
from ordino.locations.models import Location
from tests.factories import auth, make_token
from tests.reliability.seed import Shop
from tests.reliability.test_authorization_matrix import (
    BY_LABEL,
    CHANNEL,
    LOCATION,
    READ_POSTS,
    RESTRICTION,
    SIGNED,
    Request,
    _request,
    request_for,
)

SUPERUSER = "superuser"
PEOPLE = (*ROLE_NAMES, SUPERUSER)
LIMITS = (CHANNEL, LOCATION)


def write_labels() -> list[str]:
    return sorted(
        label
        for label, _ in routes(api)
        if label.split(" ")[0].lower() in WRITE_METHODS and API_PERMISSIONS.get(label)
    )


WRITES = write_labels()
READS = sorted(label for label, _ in routes(api) if label.startswith("GET "))


@dataclass
class People:
    shop: Shop
    client: Client
    tokens: dict[tuple[str, str], str]  # (role, "all" | CHANNEL | LOCATION) → secret
    permissions: dict[str, set[str]]  # role → the permissions its person holds


def _person(name: str, role: str, limit: str, web: Channel, wh_a: Location) -> User:
    user = User.objects.create_user(name, password="pw-long-enough", is_staff=True,
                                    is_superuser=role == SUPERUSER)  # fmt: skip
    if role != SUPERUSER:
        user.groups.add(Group.objects.get(name=role))
    if limit == CHANNEL:
        StaffAccess.objects.create(user=user).channels.add(web)
    elif limit == LOCATION:
        StaffAccess.objects.create(user=user).locations.add(wh_a)
    return user


@pytest.fixture(scope="module")
def people(reliability_shop, django_db_blocker) -> People:
    """A person of every default role (and a superuser), unlimited, limited to the channel web,
    and limited to the location WH-A, each owning an all-scope token with no limits of its own."""
    with django_db_blocker.unblock():
        roles_install(Group, Permission)
        web, wh_a = Channel.objects.get(code="web"), Location.objects.get(code="WH-A")
        tokens, permissions = {}, {}
        for role in PEOPLE:
            for limit in ("all", *LIMITS):
                name = f"{role.replace(' ', '-')}-{limit}"
                user = _person(name, role, limit, web, wh_a)
                tokens[(role, limit)] = make_token("*", name=name, owner=user)
            person = User.objects.get(username=f"{role.replace(' ', '-')}-all")
            permissions[role] = person.get_all_permissions()
        # noted as used "later": no request of this module notes a use (rows_written stays put)
        ApiToken.objects.update(last_used_at=datetime(2100, 1, 1, tzinfo=UTC))
    return People(reliability_shop, Client(), tokens, permissions)


def rows_written() -> int:
    """Rows inserted, updated or deleted so far on this connection (in this transaction on
    PostgreSQL): a refusal that leaves it unchanged wrote nothing at all."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT total_changes()")
        else:
            cursor.execute("SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0)"
                           " FROM pg_stat_xact_user_tables")  # fmt: skip
        return int(cursor.fetchone()[0])


def outcome(response) -> str | tuple[int, str]:
    """What the matrix compares: a refusal's status and code, or "authorized" (any answer the
    same request gives a principal allowed to make it: 2xx, 404 of a missing hold, 409, 422)."""
    if response.status_code in (401, 403):
        return response.status_code, response.json()["code"]
    return "authorized"


def permitted(people: People, role: str, label: str) -> bool:
    return role == SUPERUSER or API_PERMISSIONS[label] in people.permissions[role]


def send_rolled_back(people: People, request: Request, token: str):
    """The request in a transaction rolled back after it: every cell starts from the same shop."""
    with transaction.atomic():
        before = rows_written()
        response = request.send(people.client, token)
        unchanged = rows_written() == before
        transaction.set_rollback(True)
    return response, unchanged


def test_every_write_names_the_permission_a_person_needs(db):
    # given every operation Ninja routes (the same labels as the OpenAPI document's)
    routed = {label for label, _ in routes(api)}
    assert routed == set(BY_LABEL)
    writes = {label for label in routed if label.split(" ")[0].lower() in WRITE_METHODS}
    # then every write, and nothing else, is in the table
    assert writes - set(API_PERMISSIONS) == set(), "name the permission a person needs"
    assert set(API_PERMISSIONS) - writes == set(), "these are no writes of the API any more"
    # only POSTs that read, signed webhooks and a hold's release (its rule names the action:
    # tests/holds/test_release_permission.py) need no permission here
    release = "POST /api/v1/orders/{order_id}/holds/{hold_id}/release"
    assert {label for label, p in API_PERMISSIONS.items() if p is None} == READ_POSTS | set(
        SIGNED
    ) | {release}
    # every permission named exists (an action, or a model's Django permission)
    known = {f"{app}.{codename}" for app, codename in
             Permission.objects.values_list("content_type__app_label", "codename")}  # fmt: skip
    assert {p for p in API_PERMISSIONS.values() if p} - known == set()


def test_an_unlisted_write_is_refused_to_every_persons_token(db):
    assert api_permission("POST /api/v1/something-new") == UNLISTED
    assert not Permission.objects.filter(codename=UNLISTED.split(".")[1]).exists()


def _cells(label: str, role: str) -> list[tuple[str, str, object]]:
    """(where, limit, rule) for the label: in scope, and each rule of RESTRICTION that keeps a
    person limited to the channel web or the location WH-A out (a superuser is never limited,
    in the console as in the API: docs/people.md)."""
    cells: list[tuple[str, str, object]] = [("in", "all", None)]
    if role == SUPERUSER:
        return cells
    for limit in LIMITS:
        cells += [(f"out:{limit}", limit, r) for r in RESTRICTION[label] if limit in r.tokens]
    return cells


@pytest.mark.parametrize("label", WRITES)
def test_every_role_in_and_out_of_its_reach_gets_the_exact_answer(people, db, label):
    op = BY_LABEL[label]
    shop = people.shop
    got, want, changed = {}, {}, []
    for role in PEOPLE:
        allowed = permitted(people, role, label)
        for i, (where, limit, rule) in enumerate(_cells(label, role)):
            request = request_for(op, shop) if rule is None else _request(op, rule, shop)
            response, unchanged = send_rolled_back(people, request, people.tokens[(role, limit)])
            key = (role, f"{where}.{i}")
            if rule is None:
                got[key] = outcome(response)
                want[key] = "authorized" if allowed else (403, "permission_denied")
            else:
                got[key] = (response.status_code, response.json().get("code"))
                want[key] = rule.expect if allowed else (403, "permission_denied")
            if want[key] != "authorized" and not unchanged:
                changed.append(key)
    assert got == want
    assert changed == []


def test_a_persons_token_reaches_only_where_both_it_and_its_owner_reach(people, db):
    # given a person limited to the channel web, owning a token limited to the channel market
    shop = people.shop
    owner = User.objects.get(username="admin-channel")
    token = make_token("*", name="nowhere", owner=owner, channel_codes=["market"])
    client = Client()
    # when it reads the orders of either channel: then neither (the limits' intersection)
    for channel in ("web", "market"):
        response = client.get(f"/api/v1/orders/{shop.orders[channel]}", **auth(token))
        assert response.status_code == 404, response.content
        assert response.json()["code"] == "order_not_found"
    listed = client.get("/api/v1/orders?limit=200", **auth(token))
    assert listed.status_code == 200
    assert listed.json()["items"] == []


def test_a_deactivated_persons_token_answers_401_even_before_it_is_revoked(people, db):
    # given a person deactivated by hand (not through `ordino users deactivate`)
    owner = User.objects.get(username="customer-service-all")
    token = people.tokens[("customer service", "all")]
    User.objects.filter(pk=owner.pk).update(is_active=False)
    # when their token calls: then 401, as a revoked token
    response = Client().get("/api/v1/orders", **auth(token))
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_a_role_granted_an_action_permits_it_from_the_next_request(people, db):
    # given a store clerk's token, refused a refund
    shop = people.shop
    token = people.tokens[("store staff", "all")]
    path = f"/api/v1/orders/{shop.orders['web']}/refunds"
    body = '{"goodwill": "1.00", "reason": "matrix"}'
    refused = Client().post(path, body, content_type="application/json", **auth(token))
    assert (refused.status_code, refused.json()["code"]) == (403, "permission_denied")
    # when store staff may refund: then the same request passes authorization
    Group.objects.get(name="store staff").permissions.add(
        Permission.objects.get(content_type__app_label="accounts", codename="refund")
    )
    again = Client().post(path, body, content_type="application/json", **auth(token))
    assert again.status_code not in (401, 403), again.content


def test_rows_written_sees_a_write_so_the_matrix_check_is_not_vacuous(people, db):
    # given the shop; when the seed's token receives stock: then rows_written moved
    request = Request("post", "/api/v1/inventory/receipts",
                      {"location": "WH-A", "sku": "TEE", "quantity": 1})  # fmt: skip
    response, unchanged = send_rolled_back(people, request, people.shop.token)
    assert response.status_code == 201, response.content
    assert not unchanged


# --- the read leg ------------------------------------------------------------------------------


def read_permitted(people: People, role: str, label: str) -> bool:
    names = permission_names(API_READ_PERMISSIONS[label])
    held = people.permissions.get(role, set())
    return role == SUPERUSER or not names or any(name in held for name in names)


def test_every_read_names_the_permission_a_person_needs(db):
    # given every GET Ninja routes
    reads = {label for label, _ in routes(api) if label.startswith("GET ")}
    # then every GET, and nothing else, is in the read table
    assert reads - set(API_READ_PERMISSIONS) == set(), "name the permission a person needs"
    assert set(API_READ_PERMISSIONS) - reads == set(), "these are no reads of the API any more"
    # and every permission named exists (an action, or a model's Django permission)
    known = {f"{app}.{codename}" for app, codename in
             Permission.objects.values_list("content_type__app_label", "codename")}  # fmt: skip
    named = {n for p in API_READ_PERMISSIONS.values() for n in permission_names(p)}
    assert named - known == set()


def _principal(permissions) -> Principal:
    credential = type("Credential", (), {"name": "someone"})()
    return Principal(token=credential, scopes=["*"], channel_ids=None, location_ids=None,
                     permissions=permissions)  # fmt: skip


def test_an_unlisted_read_is_refused_to_every_persons_token(db):
    # given a GET the read table does not know, its view wrapped as the API wraps every view
    label = "GET /api/v1/something-new"
    assert api_read_permission(label) == UNLISTED
    view = person_permitted(lambda request: "answered", label)
    request = type("Request", (), {})()
    # when a person holding every role's permissions calls it: then 403 permission_denied
    every = Permission.objects.values_list("content_type__app_label", "codename")
    request.auth = _principal(frozenset(f"{app}.{codename}" for app, codename in every))
    with pytest.raises(DomainError) as refused:
        view(request)
    assert (refused.value.status, refused.value.code) == (403, "permission_denied")
    # while an integration's token (no person) and a superuser's are limited by scopes alone
    for permissions in (None, EVERYTHING):
        request.auth = _principal(permissions)
        assert view(request) == "answered"


@pytest.mark.parametrize("label", READS)
def test_every_role_reads_exactly_what_its_permissions_permit(people, db, label):
    # given a person of each default role (and a superuser) owning an all-scope token
    op = BY_LABEL[label]
    got, want = {}, {}
    for role in PEOPLE:
        # when they read: then answered iff permitted, else 403 naming the permission
        request = request_for(op, people.shop)
        response, _ = send_rolled_back(people, request, people.tokens[(role, "all")])
        got[role] = outcome(response)
        allowed = read_permitted(people, role, label)
        want[role] = "authorized" if allowed else (403, "permission_denied")
    assert got == want


def test_a_read_refused_to_a_person_says_which_permission_it_needs(people, db):
    # given a store clerk's token (scope `*`), whose role does not see finance
    token = people.tokens[("store staff", "all")]
    # when it reads the accounting journal
    response = people.client.get("/api/v1/accounting/journal", **auth(token))
    # then 403 problem+json naming the permission, as a refused write answers
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "permission_denied"
    assert "'accounts.see_finance'" in body["detail"]
    assert body["permissions"] == ["accounts.see_finance"]
    # and finance's token reads it
    finance = people.tokens[("finance", "all")]
    assert people.client.get("/api/v1/accounting/journal", **auth(finance)).status_code == 200
