"""The authorization matrix, generated from the OpenAPI document: every operation × tokens.

(a) no token → 401; (b) a token with only an unrelated scope → 403; (c) the area's read scope →
reads pass, writes 403; (d) a token limited to the channel `web` or to the location WH-A →
objects of other channels/locations answer 404, cannot be changed, and never appear in lists;
(e) every write schema refuses unknown fields and read-only fields (422 naming the field).

Every operation of the document must be classified in RESTRICTION below (how a channel- or a
location-limited token is kept out of it): a new endpoint fails `test_every_operation_is_classified`
until someone decides how it is scoped.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.test import Client

from ordino.accounts.scopes import AREAS
from tests.factories import auth, make_token
from tests.reliability.openapi import Operation, openapi_document, operations, resolve
from tests.reliability.seed import Shop

DOCUMENT = openapi_document()
OPERATIONS = operations(DOCUMENT)
BY_LABEL = {op.label: op for op in OPERATIONS}
V1 = "/api/v1"

# Values a minimal body uses for fields that name the shop's objects (all visible to both
# restricted tokens: channel web, location WH-A).
KNOWN = {
    "sku": "TEE",
    "product": "P-TEE",
    "location": "WH-A",
    "source": "WH-A",
    "destination": "WH-A",
    "channel": "web",
    "currency": "EUR",
    "country": "DE",
}
# Fields no input may set: the server owns them.
READ_ONLY = {"id", "created_at", "updated_at", "status", "version", "replayed"}


# ----------------------------------------------------------------------------- bodies


def example(schema: dict, name: str = "", depth: int = 0):
    """A small valid value of a JSON schema: required properties only, known codes."""
    if "$ref" in schema:
        return example(resolve(DOCUMENT, schema["$ref"]), name, depth)
    if name in KNOWN and schema.get("type", "string") == "string" and "enum" not in schema:
        return KNOWN[name]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return example(options[0], name, depth)
    if "allOf" in schema:
        return example(schema["allOf"][0], name, depth)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {
            prop: example(sub, prop, depth + 1)
            for prop, sub in schema.get("properties", {}).items()
            if prop in schema.get("required", [])
        }
    if kind == "array":
        return [example(schema.get("items", {}), name, depth + 1)] * schema.get("minItems", 0)
    if kind == "integer":
        return max(schema.get("minimum", 1), schema.get("exclusiveMinimum", 0) + 1)
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if schema.get("format") == "date-time":
        return "2026-01-01T00:00:00Z"
    if schema.get("format") == "date":
        return "2026-01-01"
    return "X" * max(schema.get("minLength", 1), 1)


def body_schema(op: Operation) -> dict | None:
    content = op.spec.get("requestBody", {}).get("content", {})
    return content.get("application/json", {}).get("schema")


def properties(schema: dict | None) -> set[str]:
    if schema is None:
        return set()
    if "$ref" in schema:
        return properties(resolve(DOCUMENT, schema["$ref"]))
    return set(schema.get("properties", {}))


def response_properties(op: Operation) -> set[str]:
    found: set[str] = set()
    for status, response in op.spec.get("responses", {}).items():
        if status.startswith("2"):
            for media in response.get("content", {}).values():
                found |= properties(media.get("schema"))
    return found


# ----------------------------------------------------------------------------- requests


@dataclass
class Request:
    method: str
    path: str
    body: object = None
    content_type: str = "application/json"

    def send(self, client: Client, token: str | None):
        headers = auth(token) if token else {}
        if self.method == "get":
            return client.get(self.path, **headers)
        data = self.body if isinstance(self.body, str) else json.dumps(self.body or {})
        return getattr(client, self.method)(
            self.path, data=data, content_type=self.content_type, **headers
        )


BODY_RULES: dict[str, Callable[[Shop], dict]] = {
    "POST /api/v1/sourcing/simulate": lambda shop: {"order_id": shop.orders["web"]},
    "POST /api/v1/promise": lambda shop: {"destination": {"country": "DE"}},
    "POST /api/v1/inventory/availability/bulk": lambda shop: {"skus": ["TEE", "ONLYB"]},
}


def path_values(shop: Shop) -> dict[str, object]:
    """Path parameters naming objects every restricted token may see."""
    return {
        "code": "WH-A",
        "sku": "TEE",
        "customer_id": shop.customers["web"],
        "order_id": shop.orders["web"],
        "transfer_id": shop.transfers["WH-B>WH-A"],
        "fo_id": shop.fulfillments["WH-A"],
        "feed_id": shop.feeds[0],
        "number": 1,
    }


def request_for(op: Operation, shop: Shop, **path_overrides) -> Request:
    values = {**path_values(shop), **path_overrides}
    path = op.path.format(**{name: values[name] for name in op.path_params})
    if op.path == f"{V1}/inventory/feeds" and op.method == "post":
        return Request("post", path, "location,sku,quantity\nWH-A,TEE,5\n", "text/csv")
    schema = body_schema(op)
    body = example(schema) if schema is not None else None
    if op.label in BODY_RULES:  # rules across fields that a JSON schema does not say
        body = {**body, **BODY_RULES[op.label](shop)}
    return Request(op.method, path, body)


# ----------------------------------------------------------------------------- (d) rules


@dataclass
class Rule:
    """How a channel- or location-limited token is kept out of an operation.

    `token`: which restricted token the rule is about ("channel" or "location"), or None when
    the operation has no channel or location dimension (`why` says so).
    `other`: path parameters and body fields naming an object of another channel/location.
    `hidden`: for a list or a read, values that must not appear anywhere in the answer.
    """

    token: str | None
    why: str = ""
    other: Callable[[Shop], dict] = field(default=lambda shop: {})
    body: Callable[[Shop], dict] = field(default=lambda shop: {})
    hidden: Callable[[Shop], list[str]] = field(default=lambda shop: [])


def unscoped(why: str) -> Rule:
    return Rule(None, why)


def other_channel_object(**params: Callable[[Shop], object]) -> Rule:
    return Rule("channel", other=lambda shop: {k: f(shop) for k, f in params.items()})


def other_location_object(**params: Callable[[Shop], object]) -> Rule:
    return Rule("location", other=lambda shop: {k: f(shop) for k, f in params.items()})


def other_location_body(*fields: str) -> Rule:
    return Rule("location", body=lambda shop: dict.fromkeys(fields, "WH-B"))


def channel_list(hidden: Callable[[Shop], list[str]]) -> Rule:
    return Rule("channel", hidden=hidden)


def location_list(hidden: Callable[[Shop], list[str]] = lambda shop: ['"WH-B"', '"STORE-1"']):
    return Rule("location", hidden=hidden)


MARKET = '"market"'
MARKET_ORDER = lambda shop: shop.orders["market"]  # noqa: E731
MARKET_CUSTOMER = lambda shop: shop.customers["market"]  # noqa: E731
AT_B = lambda shop: shop.fulfillments["WH-B"]  # noqa: E731
CREATE_ONLY_UNRESTRICTED = "refused (403) to any restricted token"

RESTRICTION: dict[str, Rule] = {
    "POST /api/v1/catalog/products": unscoped("the catalog is shared by every channel"),
    "GET /api/v1/catalog/products": unscoped("the catalog is shared by every channel"),
    "GET /api/v1/catalog/products/{code}": unscoped("the catalog is shared by every channel"),
    "PATCH /api/v1/catalog/products/{code}": unscoped("the catalog is shared by every channel"),
    "POST /api/v1/catalog/skus": unscoped("the catalog is shared by every channel"),
    "GET /api/v1/catalog/skus": unscoped("the catalog is shared by every channel"),
    "GET /api/v1/catalog/skus/{code}": unscoped("the catalog is shared by every channel"),
    "PATCH /api/v1/catalog/skus/{code}": unscoped("the catalog is shared by every channel"),
    "PUT /api/v1/catalog/skus/{code}/components": unscoped("the catalog is shared"),
    "POST /api/v1/locations/groups": Rule("location", CREATE_ONLY_UNRESTRICTED),
    "GET /api/v1/locations/groups": unscoped("groups name no stock"),
    "POST /api/v1/locations": Rule("location", CREATE_ONLY_UNRESTRICTED),
    "GET /api/v1/locations": location_list(),
    "GET /api/v1/locations/{code}": other_location_object(code=lambda shop: "WH-B"),
    "PATCH /api/v1/locations/{code}": other_location_object(code=lambda shop: "WH-B"),
    "POST /api/v1/channels": Rule("channel", CREATE_ONLY_UNRESTRICTED),
    "GET /api/v1/channels": channel_list(lambda shop: [MARKET]),
    "GET /api/v1/channels/{code}": other_channel_object(code=lambda shop: "market"),
    "PATCH /api/v1/channels/{code}": other_channel_object(code=lambda shop: "market"),
    "POST /api/v1/customers": Rule("channel", CREATE_ONLY_UNRESTRICTED),
    "GET /api/v1/customers": channel_list(lambda shop: ["buyer@market.example"]),
    "GET /api/v1/customers/{customer_id}": other_channel_object(customer_id=MARKET_CUSTOMER),
    "PATCH /api/v1/customers/{customer_id}": other_channel_object(customer_id=MARKET_CUSTOMER),
    "POST /api/v1/customers/{customer_id}/addresses": other_channel_object(
        customer_id=MARKET_CUSTOMER
    ),
    "POST /api/v1/inventory/receipts": other_location_body("location"),
    "POST /api/v1/inventory/incoming": other_location_body("location"),
    "POST /api/v1/inventory/adjustments": other_location_body("location"),
    "POST /api/v1/inventory/counts": other_location_body("location"),
    "POST /api/v1/inventory/damages": other_location_body("location"),
    "POST /api/v1/inventory/safety-stock": other_location_body("location"),
    "POST /api/v1/inventory/transfers": other_location_body("source"),
    "GET /api/v1/inventory/transfers": location_list(
        lambda shop: [f'"id": {shop.transfers["WH-B>STORE-1"]},']
    ),
    "POST /api/v1/inventory/transfers/{transfer_id}/receive": other_location_object(
        transfer_id=lambda shop: shop.transfers["WH-A>WH-B"]  # only the destination receives
    ),
    "GET /api/v1/inventory/transfers/{transfer_id}": other_location_object(
        transfer_id=lambda shop: shop.transfers["WH-B>STORE-1"]
    ),
    "GET /api/v1/inventory/balances": location_list(),
    "GET /api/v1/inventory/movements": location_list(),
    "POST /api/v1/inventory/availability/bulk": location_list(),
    "GET /api/v1/inventory/availability/{sku}": location_list(),
    "POST /api/v1/inventory/feeds": Rule(
        "location", body=lambda shop: {"__csv__": "location,sku,quantity\nWH-B,TEE,5\n"}
    ),
    "GET /api/v1/inventory/feeds/{feed_id}": other_location_object(
        feed_id=lambda shop: shop.feeds[0]  # applied by another caller
    ),
    "POST /api/v1/orders": Rule("channel", body=lambda shop: {"channel": "market"}),
    "GET /api/v1/orders": channel_list(lambda shop: [MARKET]),
    "GET /api/v1/orders/{order_id}": other_channel_object(order_id=MARKET_ORDER),
    "POST /api/v1/orders/{order_id}/cancel": other_channel_object(order_id=MARKET_ORDER),
    "GET /api/v1/orders/{order_id}/timeline": other_channel_object(order_id=MARKET_ORDER),
    "POST /api/v1/orders/{order_id}/edit": other_channel_object(order_id=MARKET_ORDER),
    "GET /api/v1/orders/{order_id}/changes": other_channel_object(order_id=MARKET_ORDER),
    "GET /api/v1/orders/{order_id}/sourcing": other_channel_object(order_id=MARKET_ORDER),
    "GET /api/v1/fulfillment/orders": location_list(
        lambda shop: [f'"id": {shop.fulfillments["WH-B"]},', '"WH-B"']
    ),
    "GET /api/v1/fulfillment/orders/{fo_id}": other_location_object(fo_id=AT_B),
    "POST /api/v1/fulfillment/orders/{fo_id}/accept": other_location_object(fo_id=AT_B),
    "POST /api/v1/fulfillment/orders/{fo_id}/pick": other_location_object(fo_id=AT_B),
    "POST /api/v1/fulfillment/orders/{fo_id}/pack": other_location_object(fo_id=AT_B),
    "POST /api/v1/fulfillment/orders/{fo_id}/hold": other_location_object(fo_id=AT_B),
    "POST /api/v1/fulfillment/orders/{fo_id}/release": other_location_object(fo_id=AT_B),
    "POST /api/v1/fulfillment/orders/{fo_id}/ship": other_location_object(fo_id=AT_B),
    "POST /api/v1/fulfillment/orders/{fo_id}/reject": other_location_object(fo_id=AT_B),
    "POST /api/v1/fulfillment/orders/{fo_id}/deliver": other_location_object(fo_id=AT_B),
    "POST /api/v1/fulfillment/orders/{fo_id}/ready-for-pickup": other_location_object(fo_id=AT_B),
    "POST /api/v1/fulfillment/orders/{fo_id}/picked-up": other_location_object(fo_id=AT_B),
    "POST /api/v1/sourcing/profiles": unscoped("sourcing configuration spans the network"),
    "GET /api/v1/sourcing/profiles": unscoped("sourcing configuration spans the network"),
    "GET /api/v1/sourcing/profiles/{code}": unscoped("sourcing configuration"),
    "PUT /api/v1/sourcing/profiles/{code}/draft": unscoped("sourcing configuration"),
    "POST /api/v1/sourcing/profiles/{code}/draft/validate": unscoped("sourcing configuration"),
    "POST /api/v1/sourcing/profiles/{code}/versions/{number}/activate": unscoped(
        "sourcing configuration"
    ),
    "POST /api/v1/sourcing/profiles/{code}/default": unscoped("sourcing configuration"),
    "GET /api/v1/sourcing/profiles/{code}/versions": unscoped("sourcing configuration"),
    "GET /api/v1/sourcing/profiles/{code}/audit": unscoped("sourcing configuration"),
    "POST /api/v1/sourcing/simulate": unscoped("a what-if over the network, writes nothing"),
    "POST /api/v1/sourcing/backtest": unscoped("a what-if over past orders, writes nothing"),
    "GET /api/v1/sourcing/zones": unscoped("shipping zones are not a location's"),
    "PUT /api/v1/sourcing/zones": unscoped("shipping zones are not a location's"),
    "GET /api/v1/sourcing/transit-times": unscoped("carrier transit days"),
    "PUT /api/v1/sourcing/transit-times": unscoped("carrier transit days"),
    "GET /api/v1/sourcing/schedules/{code}": other_location_object(code=lambda shop: "WH-B"),
    "PUT /api/v1/sourcing/schedules/{code}": other_location_object(code=lambda shop: "WH-B"),
    "POST /api/v1/promise": unscoped("a what-if over the network, writes nothing"),
    "GET /api/v1/reports/kpis": unscoped("aggregates; the report itself refuses restricted tokens"),
}

# The scope area of paths whose first segment is no area, and the POSTs that only read.
AREA_OF_PATH = {f"{V1}/promise": "sourcing"}
READ_POSTS = {
    "POST /api/v1/inventory/availability/bulk",
    "POST /api/v1/sourcing/profiles/{code}/draft/validate",
    "POST /api/v1/sourcing/simulate",
    "POST /api/v1/sourcing/backtest",
    "POST /api/v1/promise",
}


def area(op: Operation) -> str:
    found = AREA_OF_PATH.get(op.path) or op.path.removeprefix(f"{V1}/").split("/", 1)[0]
    assert found in AREAS, f"{op.label}: no scope area for {found!r}; classify it in AREA_OF_PATH"
    return found


def writes(op: Operation) -> bool:
    return op.method in ("post", "put", "patch", "delete") and op.label not in READ_POSTS


def scope(op: Operation) -> str:
    return f"{area(op)}:{'write' if writes(op) else 'read'}"


# ----------------------------------------------------------------------------- fixtures


@dataclass
class World:
    shop: Shop
    client: Client
    tokens: dict[str, str]

    def call(self, request: Request, token: str | None):
        return request.send(self.client, self.tokens.get(token) if token else None)


@pytest.fixture(scope="module")
def world(reliability_shop, django_db_blocker) -> World:
    with django_db_blocker.unblock():
        other_area = {area: next(a for a in AREAS if a != area) for area in AREAS}
        tokens = {"full": make_token("*", name="full")}
        for each in AREAS:
            tokens[f"unrelated:{each}"] = make_token(f"{other_area[each]}:write", name="other")
            tokens[f"read:{each}"] = make_token(f"{each}:read", name=f"read-{each}")
        tokens["channel"] = make_token("*", name="web-only", channel_codes=["web"])
        tokens["location"] = make_token("*", name="wh-a-only", location_codes=["WH-A"])
    return World(reliability_shop, Client(), tokens)


def labels(selector: Callable[[Operation], bool] = lambda op: True) -> list[str]:
    return [op.label for op in OPERATIONS if selector(op)]


def assert_problem(response, status: int | set[int], label: str):
    statuses = {status} if isinstance(status, int) else status
    assert response.status_code in statuses, (label, response.status_code, response.content)
    assert response["Content-Type"] == "application/problem+json", label


# ----------------------------------------------------------------------------- the matrix


def test_every_operation_is_classified():
    documented = set(BY_LABEL)
    assert documented - set(RESTRICTION) == set(), "classify these operations in RESTRICTION"
    assert set(RESTRICTION) - documented == set(), "these operations left the document"
    assert documented >= READ_POSTS
    for op in OPERATIONS:
        area(op)  # every path maps to a scope area


@pytest.mark.parametrize("label", labels())
def test_a_no_token_is_401(world, db, label):
    op = BY_LABEL[label]
    response = world.call(request_for(op, world.shop), None)
    assert_problem(response, 401, label)
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("label", labels())
def test_b_a_token_of_an_unrelated_scope_is_403(world, db, label):
    op = BY_LABEL[label]
    response = world.call(request_for(op, world.shop), f"unrelated:{area(op)}")
    assert_problem(response, 403, label)
    assert response.json()["code"] == "insufficient_scope", label


@pytest.mark.parametrize("label", labels())
def test_c_the_read_scope_reads_and_never_writes(world, db, label):
    op = BY_LABEL[label]
    request = request_for(op, world.shop)
    response = world.call(request, f"read:{area(op)}")
    if writes(op):
        assert_problem(response, 403, label)
        assert response.json()["code"] == "insufficient_scope", label
    else:
        assert response.status_code not in (401, 403), (label, response.content)
    # the full-scope token passes the same request through authorization
    assert world.call(request, "full").status_code not in (401, 403), label


def _snapshot(world: World) -> dict:
    """What a restricted token must not be able to change, read with the full-scope token."""
    shop, reads = world.shop, {}
    for path in (
        "/channels/market",
        f"/customers/{shop.customers['market']}",
        f"/orders/{shop.orders['market']}",
        "/locations/WH-B",
        "/inventory/balances?location=WH-B&limit=200",
        "/inventory/transfers?location=WH-B&limit=200",
        f"/fulfillment/orders/{shop.fulfillments['WH-B']}",
        "/sourcing/schedules/WH-B",
    ):
        response = world.call(Request("get", V1 + path), "full")
        reads[path] = (response.status_code, _without_times(response.json()))
    return reads


def _without_times(value):
    if isinstance(value, dict):
        return {k: _without_times(v) for k, v in value.items() if k not in ("updated_at",)}
    if isinstance(value, list):
        return [_without_times(v) for v in value]
    return value


@pytest.mark.parametrize("label", labels(lambda op: RESTRICTION[op.label].token is not None))
def test_d_a_restricted_token_never_reaches_other_channels_or_locations(world, db, label):
    op, rule = BY_LABEL[label], RESTRICTION[label]
    shop = world.shop
    request = request_for(op, shop, **rule.other(shop))
    body = rule.body(shop)
    if "__csv__" in body:
        request.body = body["__csv__"]
    elif body:
        request.body = {**(request.body or {}), **body}
    if rule.why == CREATE_ONLY_UNRESTRICTED:
        assert_problem(world.call(request, rule.token), 403, label)
        return
    if rule.hidden(shop):  # a list or a read: 200, without the others' objects
        response = world.call(request, rule.token)
        assert response.status_code == 200, (label, response.content)
        text = response.content.decode()
        for needle in rule.hidden(shop):
            assert needle not in text, (label, needle, text[:2000])
        # not vacuous: the full-scope token sees some of them in the same answer
        everything = world.call(request, "full").content.decode()
        assert any(needle in everything for needle in rule.hidden(shop)), label
        return
    before = _snapshot(world)
    response = world.call(request, rule.token)
    if writes(op):
        assert response.status_code in (403, 404, 422), (label, response.content)
        assert response["Content-Type"] == "application/problem+json", label
        assert _snapshot(world) == before, label
    else:
        assert_problem(response, 404, label)


WRITE_SCHEMAS = labels(lambda op: op.method != "get" and body_schema(op) is not None)


@pytest.mark.parametrize("label", WRITE_SCHEMAS)
def test_e_unknown_fields_are_refused(world, db, label):
    op = BY_LABEL[label]
    request = request_for(op, world.shop)
    if not isinstance(request.body, dict):
        pytest.skip("the body is no JSON object")
    request.body = {**request.body, "surprise_field": 1}
    response = world.call(request, "full")
    assert_problem(response, 422, label)
    fields = [e["field"] for e in response.json().get("errors", [])]
    assert "surprise_field" in fields, (label, response.content)


READ_ONLY_CASES = [
    (label, name)
    for label in WRITE_SCHEMAS
    for name in sorted(
        (READ_ONLY | response_properties(BY_LABEL[label]))
        - properties(body_schema(BY_LABEL[label]))
    )
]


@pytest.mark.parametrize(("label", "name"), READ_ONLY_CASES)
def test_e_read_only_fields_are_refused(world, db, label, name):
    op = BY_LABEL[label]
    request = request_for(op, world.shop)
    if not isinstance(request.body, dict):
        pytest.skip("the body is no JSON object")
    request.body = {**request.body, name: 1}
    response = world.call(request, "full")
    assert_problem(response, 422, label)
    fields = [e["field"] for e in response.json().get("errors", [])]
    assert name in fields, (label, response.content)
