"""The authorization matrix, generated from the OpenAPI document: every operation × tokens.

(a) no token → 401; (b) a token with only an unrelated scope → 403; (c) the area's read scope →
reads pass, writes 403; (d) tokens limited to the channel `web`, to the location WH-A, and to
both → an object of another channel/location answers exactly 404 `<thing>_not_found` to reads
and writes, a refused write changes nothing, lists leave the others' objects out, shared
configuration and whole-network answers are 403 `token_restricted`, and objects within the
limits read 200 (docs/security.md, "Principals and their scopes");
(e) every write schema refuses unknown fields and read-only fields (422 naming the field).

Every operation of the document must be classified in RESTRICTION below (how the restricted
tokens are kept out of it, or why it is shared), or in SIGNED (a provider's webhook: no token,
its sender's signature authenticates it; the matrix does not apply, `test_f_...` checks it): a
new endpoint fails `test_every_operation_is_classified` until someone decides how it is scoped.
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
        "invoice_id": shop.invoices["web"],
        "return_id": shop.returns["web"],
        "exchange_id": shop.exchanges["web"],
        "shipment_id": shop.shipments["web"],
        "payment_id": 1,
        "refund_id": 999_999,  # no such refund: the order's scope is checked before it is looked up
        "hold_id": 999_999,  # no such hold: the order's scope is checked before it is looked up
        "rate_id": 999_999,  # no such rate: writes are refused before it is looked up
        "purchase_id": 999_999,  # no such label purchase: the fulfillment order's scope first
        "endpoint_id": 999_999,  # no such webhook endpoint: refused before it is looked up
        "message_id": 999_999,
        "call_id": 999_999,  # no such call: a restricted token is refused before it is looked up
        "connection_id": 999_999,  # connectors refuse restricted tokens before any look-up
        "platform": "shopify",
        "job_id": 999_999,  # no such import: restricted tokens are refused before the look-up
        "carrier": "dhl",
        "kind": "fuel",
        "location": "WH-A",  # a carrier's manifest of a location's day (docs/shipping.md)
        "date": "2026-12-02",
        "channel": "web",  # a channel's shipping policy (shared configuration)
    }


def request_for(op: Operation, shop: Shop, **path_overrides) -> Request:
    values = {**path_values(shop), **path_overrides}
    if "/shipping/services/" in op.path and "code" not in path_overrides:
        values["code"] = "paket"  # the seed's service dhl:paket
    if "case_id" in op.path_params and "case_id" not in path_overrides:
        values["case_id"] = _case_of(lambda shop: shop.orders["web"])(shop)
    path = op.path.format(**{name: values[name] for name in op.path_params})
    if op.path == f"{V1}/inventory/feeds" and op.method == "post":
        return Request("post", path, "location,sku,quantity\nWH-A,TEE,5\n", "text/csv")
    schema = body_schema(op)
    body = example(schema) if schema is not None else None
    if op.label in BODY_RULES:  # rules across fields that a JSON schema does not say
        body = {**body, **BODY_RULES[op.label](shop)}
    return Request(op.method, path, body)


# ----------------------------------------------------------------------------- (d) rules

# The restricted tokens: limited to the channel `web`, to the location WH-A, and to both.
CHANNEL, LOCATION, BOTH = "channel", "location", "both"
RESTRICTED = (CHANNEL, LOCATION, BOTH)
# Both limits at once is the intersection: whatever either limit keeps out, both keep out.
TOKENS_OF = {CHANNEL: (CHANNEL, BOTH), LOCATION: (LOCATION, BOTH)}


@dataclass
class Rule:
    """How the restricted tokens are kept out of an operation.

    `limit`: the limit the rule is about (CHANNEL or LOCATION: tried with that token and with
    BOTH), or a tuple of tokens for a refusal of the whole operation (`expect` 403).
    `params`, `body`, `query`: path parameters, body fields and query string naming an object
    of another channel/location (or, for a refusal, the object the request is about).
    `expect`: (status, problem code); 404 `<thing>_not_found` exactly as for an object that
    does not exist. `hidden`: for a list, values that must not appear in the answer (200).
    """

    limit: str | tuple[str, ...]
    expect: tuple[int, str] = (404, "")
    params: Callable[[Shop], dict] = field(default=lambda shop: {})
    body: Callable[[Shop], dict] = field(default=lambda shop: {})
    query: str = ""
    hidden: Callable[[Shop], list[str]] = field(default=lambda shop: [])

    @property
    def tokens(self) -> tuple[str, ...]:
        return self.limit if isinstance(self.limit, tuple) else TOKENS_OF[self.limit]


def outside(limit: str, problem: str, query: str = "", **params: Callable[[Shop], object]) -> Rule:
    """An object of another channel/location named in the path: 404 `problem`."""
    return Rule(
        limit,
        (404, problem),
        params=lambda shop: {k: f(shop) for k, f in params.items()},
        query=query,
    )


def outside_body(limit: str, problem: str, **fields: Callable[[Shop], object]) -> Rule:
    """An object of another channel/location named in the body: 404 `problem`."""
    return Rule(limit, (404, problem), body=lambda shop: {k: f(shop) for k, f in fields.items()})


def refused(*tokens: str, **params: Callable[[Shop], object]) -> Rule:
    """Shared configuration or a whole-network answer: 403 `token_restricted`."""
    return Rule(
        tokens or RESTRICTED,
        (403, "token_restricted"),
        params=lambda shop: {k: f(shop) for k, f in params.items()},
    )


def listed_without(limit: str, hidden: Callable[[Shop], list[str]]) -> Rule:
    return Rule(limit, (200, ""), hidden=hidden)


def unscoped(why: str) -> list[Rule]:
    """Readable by every principal holding the read scope (`why` says why)."""
    assert why
    return []


MARKET_ORDER = lambda shop: shop.orders["market"]  # noqa: E731
AT_B_ORDER = lambda shop: shop.orders["web-at-WH-B"]  # noqa: E731
MARKET_CUSTOMER = lambda shop: shop.customers["market"]  # noqa: E731
AT_B_CUSTOMER = lambda shop: shop.customers["web-at-WH-B"]  # noqa: E731
MARKET_FO = lambda shop: shop.order_fulfillments["market"]  # noqa: E731 (at WH-A)
AT_B_FO = lambda shop: shop.order_fulfillments["web-at-WH-B"]  # noqa: E731 (channel web)
WH_B = lambda shop: "WH-B"  # noqa: E731

WH_A = lambda shop: "WH-A"  # noqa: E731
MARKET = lambda shop: "market"  # noqa: E731
WEB = lambda shop: "web"  # noqa: E731
SHARED = "shared configuration: read by all, written by unrestricted tokens"


def order_rules() -> list[Rule]:
    return [
        outside(CHANNEL, "order_not_found", order_id=MARKET_ORDER),
        outside(LOCATION, "order_not_found", order_id=AT_B_ORDER),
    ]


def invoice_rules() -> list[Rule]:
    return [
        outside(CHANNEL, "invoice_not_found", invoice_id=lambda shop: shop.invoices["market"]),
        outside(
            LOCATION, "invoice_not_found", invoice_id=lambda shop: shop.invoices["web-at-WH-B"]
        ),
    ]


def _declined_payment(order: Callable[[Shop], int]) -> Callable[[Shop], int]:
    """A declined payment of the order (made once): the full-scope token's retry passes."""

    def made(shop: Shop) -> int:
        from ordino.core.domain.clock import utcnow
        from ordino.payments.models import Payment

        payment, _ = Payment.objects.get_or_create(
            order_id=order(shop),
            sequence=1,
            defaults={"method": "card", "provider": "test", "token": "tok_approve",
                      "amount": "1.00", "currency": "EUR", "status": "declined",
                      "created_at": utcnow(), "updated_at": utcnow()},
        )  # fmt: skip
        return payment.pk

    return made


def payment_rules() -> list[Rule]:
    return [
        outside(CHANNEL, "order_not_found", order_id=MARKET_ORDER,
                payment_id=_declined_payment(MARKET_ORDER)),
        outside(LOCATION, "order_not_found", order_id=AT_B_ORDER,
                payment_id=_declined_payment(AT_B_ORDER)),
    ]  # fmt: skip


def _refund_of(order: Callable[[Shop], int]) -> Callable[[Shop], int]:
    """A refund of the order (made once): the full-scope token's resend reaches its check."""

    def made(shop: Shop) -> int:
        from ordino.core.domain.clock import utcnow
        from ordino.payments.models import Refund

        refund, _ = Refund.objects.get_or_create(
            order_id=order(shop), reason="matrix",
            defaults={"amount": "1.00", "currency": "EUR", "shipping": "0", "goodwill": "1.00",
                      "status": "reversed", "created_at": utcnow()},
        )  # fmt: skip
        return refund.pk

    return made


def refund_rules() -> list[Rule]:
    return [
        outside(CHANNEL, "order_not_found", order_id=MARKET_ORDER,
                refund_id=_refund_of(MARKET_ORDER)),
        outside(LOCATION, "order_not_found", order_id=AT_B_ORDER,
                refund_id=_refund_of(AT_B_ORDER)),
    ]  # fmt: skip


def _case_of(order: Callable[[Shop], int]) -> Callable[[Shop], int]:
    """An inquiry about the order (made once per test): cases follow their order's scope."""

    def made(shop: Shop) -> int:
        from ordino.cases.models import Case
        from ordino.cases.services import inquiry_open

        known = Case.objects.filter(order_id=order(shop), title="matrix").first()
        if known is not None:
            return known.pk
        return inquiry_open(title="matrix", description="", actor="test",
                            order_id=order(shop), customer_id=None).pk  # fmt: skip

    return made


def _open_hold(order: Callable[[Shop], int]) -> Callable[[Shop], int]:
    """An open hold of the order (made once): the full-scope token's release passes."""

    def made(shop: Shop) -> int:
        from ordino.core.domain.clock import utcnow
        from ordino.holds.models import OrderHold

        hold, _ = OrderHold.objects.get_or_create(
            order_id=order(shop), cause="manual_test", released_at=None,
            defaults={"reason": "test", "placed_at": utcnow()},
        )  # fmt: skip
        return hold.pk

    return made


def case_rules() -> list[Rule]:
    return [
        outside(CHANNEL, "case_not_found", case_id=_case_of(MARKET_ORDER)),
        outside(LOCATION, "case_not_found", case_id=_case_of(AT_B_ORDER)),
    ]


def hold_rules() -> list[Rule]:
    return [
        outside(CHANNEL, "order_not_found", order_id=MARKET_ORDER,
                hold_id=_open_hold(MARKET_ORDER)),
        outside(LOCATION, "order_not_found", order_id=AT_B_ORDER,
                hold_id=_open_hold(AT_B_ORDER)),
    ]  # fmt: skip


def customer_rules() -> list[Rule]:
    return [
        outside(CHANNEL, "customer_not_found", customer_id=MARKET_CUSTOMER),
        outside(LOCATION, "customer_not_found", customer_id=AT_B_CUSTOMER),
    ]


def fulfillment_rules() -> list[Rule]:
    return [
        outside(CHANNEL, "fulfillment_order_not_found", fo_id=MARKET_FO),
        outside(LOCATION, "fulfillment_order_not_found", fo_id=AT_B_FO),
    ]


def _label_of(fo: Callable[[Shop], int]) -> Callable[[Shop], int]:
    """A failed label purchase of the fulfillment order (made once): the full-scope token's void
    reaches its check (409 `not_voidable`) and calls no carrier."""

    def made(shop: Shop) -> int:
        from ordino.shipping.models import CarrierAccount, LabelPurchase

        purchase, _ = LabelPurchase.objects.get_or_create(
            fulfillment_order_id=fo(shop), parcel=1,
            defaults={"key": f"matrix-{fo(shop)}", "status": "failed", "actor": "matrix",
                      "account": CarrierAccount.objects.get(code="sheets")},
        )  # fmt: skip
        return purchase.pk

    return made


def label_rules() -> list[Rule]:
    return [
        outside(CHANNEL, "fulfillment_order_not_found", fo_id=MARKET_FO,
                purchase_id=_label_of(MARKET_FO)),
        outside(LOCATION, "fulfillment_order_not_found", fo_id=AT_B_FO,
                purchase_id=_label_of(AT_B_FO)),
    ]  # fmt: skip


def shipment_rules() -> list[Rule]:
    """A shipment is reached as its fulfillment order is (docs/shipping.md, "Labels")."""
    return [
        outside(CHANNEL, "shipment_not_found", shipment_id=lambda shop: shop.shipments["market"]),
        outside(
            LOCATION,
            "shipment_not_found",
            shipment_id=lambda shop: shop.shipments["web-at-WH-B"],
        ),
    ]


def return_rules() -> list[Rule]:
    return [
        outside(CHANNEL, "return_not_found", return_id=lambda shop: shop.returns["market"]),
        outside(LOCATION, "return_not_found", return_id=lambda shop: shop.returns["web-at-WH-B"]),
    ]


def location_write(code: str) -> list[Rule]:
    return [outside_body(LOCATION, "location_not_found", **{code: WH_B})]


FO_ACTIONS = ("accept", "pick", "pack", "hold", "release", "ship", "reject", "deliver")
FO_HANDOVER = ("ready-for-pickup", "picked-up")
RETURN_ACTIONS = ("approve", "decline", "cancel", "receive", "close")
PROFILE_READS = (
    "GET /api/v1/sourcing/profiles",
    "GET /api/v1/sourcing/profiles/{code}",
    "POST /api/v1/sourcing/profiles/{code}/draft/validate",
    "GET /api/v1/sourcing/profiles/{code}/versions",
    "GET /api/v1/sourcing/profiles/{code}/audit",
)

RESTRICTION: dict[str, list[Rule]] = {
    "POST /api/v1/catalog/products": [refused()],
    "GET /api/v1/catalog/products": unscoped(SHARED),
    "GET /api/v1/catalog/products/{code}": unscoped(SHARED),
    "PATCH /api/v1/catalog/products/{code}": [refused(code=lambda shop: "P-TEE")],
    "POST /api/v1/catalog/skus": [refused()],
    "GET /api/v1/catalog/skus": unscoped(SHARED),
    "GET /api/v1/catalog/skus/{code}": unscoped(SHARED),
    "PATCH /api/v1/catalog/skus/{code}": [refused(code=lambda shop: "TEE")],
    "PUT /api/v1/catalog/skus/{code}/components": [refused(code=lambda shop: "GIFT")],
    "POST /api/v1/location-groups": [refused()],
    "GET /api/v1/location-groups": unscoped("groups name no stock"),
    "POST /api/v1/locations": [refused()],
    "GET /api/v1/locations": [
        listed_without(LOCATION, lambda shop: ['"WH-B"', '"STORE-1"']),
    ],
    "GET /api/v1/locations/{code}": [outside(LOCATION, "location_not_found", code=WH_B)],
    "PATCH /api/v1/locations/{code}": [
        outside(LOCATION, "location_not_found", code=WH_B),
        refused(code=WH_A),
    ],
    "POST /api/v1/channels": [refused()],
    "GET /api/v1/channels": [listed_without(CHANNEL, lambda shop: ['"market"'])],
    "GET /api/v1/channels/{code}": [outside(CHANNEL, "channel_not_found", code=MARKET)],
    "PATCH /api/v1/channels/{code}": [
        outside(CHANNEL, "channel_not_found", code=MARKET),
        refused(code=WEB),
    ],
    # a channel's feed (docs/feeds.md): it counts every location; its settings are shared
    "GET /api/v1/feeds/{code}": [
        outside(CHANNEL, "channel_not_found", code=MARKET),
        refused(LOCATION, BOTH, code=WEB),
    ],
    "GET /api/v1/feeds/{code}/items": [
        outside(CHANNEL, "channel_not_found", code=MARKET),
        refused(LOCATION, BOTH, code=WEB),
    ],
    "POST /api/v1/feeds/{code}/push": [
        outside(CHANNEL, "channel_not_found", code=MARKET),
        refused(LOCATION, BOTH, code=WEB),
    ],
    "PUT /api/v1/feeds/{code}/settings": [
        outside(CHANNEL, "channel_not_found", code=MARKET),
        refused(code=WEB),
    ],
    "POST /api/v1/customers": [refused()],
    "GET /api/v1/customers": [
        listed_without(CHANNEL, lambda shop: ["buyer@market.example"]),
        listed_without(LOCATION, lambda shop: [f'"id": {shop.customers["web-at-WH-B"]},']),
    ],
    "GET /api/v1/customers/{customer_id}": customer_rules(),
    "PATCH /api/v1/customers/{customer_id}": customer_rules(),
    "POST /api/v1/customers/{customer_id}/addresses": customer_rules(),
    "GET /api/v1/customers/{customer_id}/store-credit": customer_rules(),
    "POST /api/v1/customers/{customer_id}/store-credit": customer_rules(),
    "POST /api/v1/inventory/receipts": location_write("location"),
    "POST /api/v1/inventory/incoming": location_write("location"),
    "POST /api/v1/inventory/adjustments": location_write("location"),
    "POST /api/v1/inventory/counts": location_write("location"),
    "POST /api/v1/inventory/damages": location_write("location"),
    "POST /api/v1/inventory/safety-stock": location_write("location"),
    "POST /api/v1/inventory/transfers": location_write("source"),
    "GET /api/v1/inventory/transfers": [
        listed_without(LOCATION, lambda shop: [f'"id": {shop.transfers["WH-B>STORE-1"]},'])
    ],
    "POST /api/v1/inventory/transfers/{transfer_id}/receive": [
        outside(  # only the destination receives
            LOCATION, "transfer_not_found", transfer_id=lambda shop: shop.transfers["WH-A>WH-B"]
        )
    ],
    "GET /api/v1/inventory/transfers/{transfer_id}": [
        outside(
            LOCATION, "transfer_not_found", transfer_id=lambda shop: shop.transfers["WH-B>STORE-1"]
        )
    ],
    "GET /api/v1/inventory/balances": [
        listed_without(LOCATION, lambda shop: ['"WH-B"', '"STORE-1"'])
    ],
    "GET /api/v1/inventory/movements": [
        listed_without(LOCATION, lambda shop: ['"WH-B"', '"STORE-1"'])
    ],
    "POST /api/v1/inventory/availability/bulk": [
        listed_without(LOCATION, lambda shop: ['"WH-B"', '"STORE-1"']),
        outside_body(CHANNEL, "channel_not_found", channel=MARKET),
    ],
    "GET /api/v1/inventory/availability/{sku}": [
        listed_without(LOCATION, lambda shop: ['"WH-B"', '"STORE-1"']),
        outside(CHANNEL, "channel_not_found", query="?channel=market"),
    ],
    # A feed row naming another location is refused as one naming no location at all (422).
    "POST /api/v1/inventory/feeds": [
        Rule(LOCATION, (422, "feed_invalid"), body=lambda shop: {"__csv__": "WH-B,TEE,5\n"})
    ],
    "GET /api/v1/inventory/feeds/{feed_id}": [  # applied by another caller
        outside(LOCATION, "stock_feed_not_found", feed_id=lambda shop: shop.feeds[0])
    ],
    "POST /api/v1/orders": [
        outside_body(CHANNEL, "channel_not_found", channel=MARKET),
        # limited to locations only: it sells in no channel (a till's token names its channel)
        Rule((LOCATION,), (404, "channel_not_found"), body=lambda shop: {"channel": "web"}),
    ],
    "GET /api/v1/orders": [
        listed_without(CHANNEL, lambda shop: ['"market"']),
        listed_without(LOCATION, lambda shop: ['"WEB-B"']),
    ],
    # cases: of the orders the token reaches; none without an order (docs/cases.md)
    "GET /api/v1/cases": [
        listed_without(CHANNEL, lambda shop: [f'"id": {_case_of(MARKET_ORDER)(shop)},']),
        listed_without(LOCATION, lambda shop: [f'"id": {_case_of(AT_B_ORDER)(shop)},']),
    ],
    "POST /api/v1/cases": [
        outside_body(CHANNEL, "order_not_found", order_id=MARKET_ORDER),
        outside_body(LOCATION, "order_not_found", order_id=AT_B_ORDER),
    ],
    "GET /api/v1/cases/types": unscoped("case types are shared configuration"),
    "GET /api/v1/cases/{case_id}": case_rules(),
    **{
        f"POST /api/v1/cases/{{case_id}}/{a}": case_rules()
        for a in ("take", "assign", "status", "comments", "resolve")
    },
    "GET /api/v1/orders/{order_id}": order_rules(),
    "POST /api/v1/orders/{order_id}/cancel": order_rules(),
    "POST /api/v1/orders/{order_id}/comments": order_rules(),
    "POST /api/v1/orders/{order_id}/payments": order_rules(),
    "POST /api/v1/orders/{order_id}/payments/{payment_id}/retry": payment_rules(),
    "POST /api/v1/orders/{order_id}/refunds": order_rules(),
    "POST /api/v1/orders/{order_id}/refunds/{refund_id}/resend": refund_rules(),
    "GET /api/v1/orders/{order_id}/balance": order_rules(),
    "GET /api/v1/orders/{order_id}/timeline": order_rules(),
    "GET /api/v1/orders/{order_id}/invoices": order_rules(),
    "POST /api/v1/orders/{order_id}/credit-notes": order_rules(),
    "GET /api/v1/invoices/{invoice_id}": invoice_rules(),
    "GET /api/v1/invoices/{invoice_id}/pdf": invoice_rules(),
    "POST /api/v1/orders/{order_id}/edit": order_rules(),
    "GET /api/v1/orders/{order_id}/changes": order_rules(),
    "GET /api/v1/orders/{order_id}/sourcing": [
        Rule(
            (CHANNEL,),
            (404, "order_not_found"),
            params=lambda shop: {"order_id": MARKET_ORDER(shop)},
        ),
        refused(LOCATION, BOTH),  # the explanation ranks every location
    ],
    # returns: of the channels' orders, to the token's locations (docs/returns.md)
    "POST /api/v1/orders/{order_id}/returns": [
        *order_rules(),
        outside_body(LOCATION, "location_not_found", location=WH_B),
    ],
    "GET /api/v1/orders/{order_id}/return-link": order_rules(),
    # an exchange changes the order (its new lines): the order's change reach, as an edit's
    "POST /api/v1/orders/{order_id}/exchanges": order_rules(),
    "GET /api/v1/exchanges": [
        listed_without(CHANNEL, lambda shop: [f'"id": {shop.exchanges["market"]},']),
        listed_without(LOCATION, lambda shop: [f'"id": {shop.exchanges["market"]},']),
    ],
    "GET /api/v1/exchanges/{exchange_id}": [
        outside(CHANNEL, "return_not_found", exchange_id=lambda shop: shop.exchanges["market"]),
        outside(LOCATION, "return_not_found", exchange_id=lambda shop: shop.exchanges["market"]),
    ],
    "GET /api/v1/returns": [
        listed_without(CHANNEL, lambda shop: [f'"id": {shop.returns["market"]},']),
        listed_without(LOCATION, lambda shop: [f'"id": {shop.returns["web-at-WH-B"]},']),
    ],
    "GET /api/v1/returns/{return_id}": return_rules(),
    "GET /api/v1/returns/{return_id}/label": return_rules(),
    **{f"POST /api/v1/returns/{{return_id}}/{a}": return_rules() for a in RETURN_ACTIONS},
    "GET /api/v1/return-policies": unscoped(SHARED),
    "POST /api/v1/return-policies": [refused()],
    "GET /api/v1/fulfillment/orders": [
        # a fulfillment order's own id (its shipments have ids too): "id": N, "order_id"
        listed_without(CHANNEL, lambda shop: [f'"id": {MARKET_FO(shop)}, "order_id"']),
        listed_without(LOCATION, lambda shop: [f'"id": {AT_B_FO(shop)}, "order_id"']),
    ],
    "GET /api/v1/fulfillment/orders/{fo_id}": fulfillment_rules(),
    "GET /api/v1/shipments/{shipment_id}/labels": shipment_rules(),
    "GET /api/v1/shipments/{shipment_id}/customs": shipment_rules(),
    "GET /api/v1/shipments/{shipment_id}/tracking": shipment_rules(),
    "GET /api/v1/shipments/{shipment_id}/notices": shipment_rules(),
    "GET /api/v1/fulfillment/orders/{fo_id}/rates": fulfillment_rules(),
    "POST /api/v1/fulfillment/orders/{fo_id}/rates": fulfillment_rules(),
    "POST /api/v1/fulfillment/orders/{fo_id}/ship-rated": fulfillment_rules(),
    # a parcel's label bought from a carrier follows its fulfillment order (docs/shipping.md)
    "GET /api/v1/fulfillment/orders/{fo_id}/labels": fulfillment_rules(),
    "POST /api/v1/fulfillment/orders/{fo_id}/labels/purchase": fulfillment_rules(),
    "POST /api/v1/fulfillment/orders/{fo_id}/labels/buy-chosen": fulfillment_rules(),
    "POST /api/v1/fulfillment/orders/{fo_id}/ship-labels": fulfillment_rules(),
    "POST /api/v1/fulfillment/orders/{fo_id}/labels/{purchase_id}/void": label_rules(),
    **{f"POST /api/v1/fulfillment/orders/{{fo_id}}/{a}": fulfillment_rules() for a in FO_ACTIONS},
    **{f"POST /api/v1/fulfillment/orders/{{fo_id}}/{a}": fulfillment_rules() for a in FO_HANDOVER},
    "POST /api/v1/sourcing/profiles": [refused()],
    **{label: [refused()] for label in PROFILE_READS},
    "PUT /api/v1/sourcing/profiles/{code}/draft": [refused()],
    "POST /api/v1/sourcing/profiles/{code}/versions/{number}/activate": [refused()],
    "POST /api/v1/sourcing/profiles/{code}/default": [refused()],
    "POST /api/v1/sourcing/simulate": [refused()],
    "POST /api/v1/sourcing/backtest": [refused()],
    "GET /api/v1/sourcing/zones": unscoped("postal zones belong to no channel or location"),
    "PUT /api/v1/sourcing/zones": [refused()],
    "GET /api/v1/sourcing/transit-times": unscoped("carrier transit days"),
    "PUT /api/v1/sourcing/transit-times": [refused()],
    "GET /api/v1/sourcing/schedules/{code}": [outside(LOCATION, "location_not_found", code=WH_B)],
    "PUT /api/v1/sourcing/schedules/{code}": [
        outside(LOCATION, "location_not_found", code=WH_B),
        refused(code=WH_A),
    ],
    "POST /api/v1/promise": [
        Rule((CHANNEL,), (404, "channel_not_found"), body=lambda shop: {"channel": "market"}),
        refused(LOCATION, BOTH),  # the answer ranks every location
    ],
    "GET /api/v1/reports/kpis": [
        Rule((CHANNEL,), (404, "channel_not_found"), query="?channel=market"),
        refused(LOCATION, BOTH),  # reports add up every location's work
    ],
    "GET /api/v1/reports/series": [
        Rule((CHANNEL,), (404, "channel_not_found"), query="?channel=market"),
        refused(LOCATION, BOTH),  # reports add up every location's work
    ],
    "GET /api/v1/accounting/journal": [refused()],  # finance data of the whole network
    "GET /api/v1/reports/shipping": [
        Rule((CHANNEL,), (404, "channel_not_found"), query="?channel=market"),
        refused(LOCATION, BOTH),  # reports add up every location's work
    ],
    "GET /api/v1/reports/returns": [
        Rule((CHANNEL,), (404, "channel_not_found"), query="?channel=market"),
        refused(LOCATION, BOTH),  # reports add up every location's work
    ],
    # hold rules test every channel's orders: unrestricted tokens only (docs/holds.md)
    "GET /api/v1/holds/rules": [refused()],
    "POST /api/v1/holds/rules": [refused()],
    "POST /api/v1/holds/rules/preview": [refused()],
    "GET /api/v1/holds/rules/{code}": [refused()],
    "POST /api/v1/holds/rules/{code}/versions": [refused()],
    "POST /api/v1/holds/rules/{code}/versions/{number}/activate": [refused()],
    "POST /api/v1/holds/rules/{code}/retire": [refused()],
    "GET /api/v1/holds/report": [refused()],
    # case routing rules route every channel's cases: unrestricted tokens only (docs/cases.md)
    "GET /api/v1/cases/routing-rules": [refused()],
    "POST /api/v1/cases/routing-rules": [refused()],
    "POST /api/v1/cases/routing-rules/preview": [refused()],
    "GET /api/v1/cases/routing-rules/{code}": [refused()],
    "PUT /api/v1/cases/routing-rules/{code}": [refused()],
    "DELETE /api/v1/cases/routing-rules/{code}": [refused()],
    # channel connectors: the integration set-up and every channel's raw orders (docs/connectors.md)
    "POST /api/v1/connectors/connections": [refused()],
    "GET /api/v1/connectors/connections": [refused()],
    "GET /api/v1/connectors/connections/{connection_id}": [refused()],
    "PATCH /api/v1/connectors/connections/{connection_id}": [refused()],
    "POST /api/v1/connectors/connections/{connection_id}/test": [refused()],
    "POST /api/v1/connectors/connections/{connection_id}/poll": [refused()],
    "GET /api/v1/connectors/messages": [refused()],
    "GET /api/v1/connectors/messages/{message_id}": [refused()],
    "POST /api/v1/connectors/messages/{message_id}/replay": [refused()],
    "GET /api/v1/orders/{order_id}/holds": order_rules(),
    "POST /api/v1/orders/{order_id}/holds/{hold_id}/release": hold_rules(),
    # an order's risk follows the order; the settings score every channel's orders (docs/risk.md)
    "GET /api/v1/orders/{order_id}/risk": order_rules(),
    "POST /api/v1/orders/{order_id}/risk/rescore": order_rules(),
    "GET /api/v1/risk/settings": [refused()],
    "PATCH /api/v1/risk/settings": [refused()],
    "POST /api/v1/tax/rates": [refused()],
    "GET /api/v1/tax/rates": unscoped(SHARED),
    "PATCH /api/v1/tax/rates/{rate_id}": [refused()],
    "DELETE /api/v1/tax/rates/{rate_id}": [refused()],
    # box types: every location packs in them (docs/shipping.md, "Parcels and packing")
    "GET /api/v1/shipping/boxes": unscoped(SHARED),
    "GET /api/v1/shipping/boxes/{code}": unscoped(SHARED),
    "PUT /api/v1/shipping/boxes/{code}": [refused()],
    # a fulfillment order's packing proposal follows the fulfillment order
    "GET /api/v1/fulfillment/orders/{fo_id}/packing": fulfillment_rules(),
    "GET /api/v1/fulfillment/orders/{fo_id}/packing-slip": fulfillment_rules(),
    # a carrier's manifest is the location's whole handover: a location limit reaches its own
    # locations' manifests; a channel limit none (it would list a part of the parcels)
    "GET /api/v1/shipping/manifests/{location}/{carrier}/{date}": [
        outside(LOCATION, "location_not_found", location=lambda shop: "WH-B"),
        refused(CHANNEL, BOTH),
    ],
    # carriers' services rate every location's parcels (docs/shipping.md, "The API")
    "GET /api/v1/shipping/services": unscoped(SHARED),
    "GET /api/v1/shipping/services/{carrier}/{code}": unscoped(SHARED),
    "PUT /api/v1/shipping/services/{carrier}/{code}": [refused()],
    "PUT /api/v1/shipping/services/{carrier}/{code}/zones": [refused()],
    "PUT /api/v1/shipping/services/{carrier}/{code}/rates": [refused()],
    "PUT /api/v1/shipping/services/{carrier}/{code}/surcharges/{kind}": [refused()],
    "DELETE /api/v1/shipping/services/{carrier}/{code}/surcharges/{kind}": [refused()],
    "POST /api/v1/shipping/services/{carrier}/{code}/deactivate": [refused()],
    "POST /api/v1/shipping/services/{carrier}/{code}/activate": [refused()],
    # policies per channel: every location's rate shops choose by them (shared configuration)
    "GET /api/v1/shipping/policies": unscoped(SHARED),
    "PUT /api/v1/shipping/policies/{channel}": [refused()],
    "DELETE /api/v1/shipping/policies/{channel}": [refused()],
    "POST /api/v1/shipping/quote": unscoped("a what-if over shared rates; writes nothing"),
    # carrier accounts: every location's labels are bought through them (shared configuration)
    "GET /api/v1/shipping/accounts": unscoped(SHARED),
    "PUT /api/v1/shipping/accounts/{code}": [refused()],
    # the customer's e-mails: every location's customers get them (docs/shipping.md)
    "GET /api/v1/shipping/notice-templates": unscoped(SHARED),
    "GET /api/v1/shipping/notice-templates/{kind}": unscoped(SHARED),
    "PUT /api/v1/shipping/notice-templates/{kind}": [refused()],
    # a sample, or an order the caller reaches (tests/shipping/test_notices_api.py); writes nothing
    "POST /api/v1/shipping/notice-templates/{kind}/preview": unscoped("a sample; writes nothing"),
    "GET /api/v1/audit": [refused()],  # every location's changes (docs/people.md)
    "GET /api/v1/users/report": [refused()],  # every location's staff (docs/people.md)
    # every channel's and location's traffic (docs/integrations.md)
    "GET /api/v1/integrations/calls": [refused()],
    "GET /api/v1/integrations/calls/{call_id}": [refused()],
    "GET /api/v1/integrations/themes": [refused()],
    # touches of the orders a token reaches: its channels', its locations' (docs/reports.md)
    "GET /api/v1/reports/touches": [
        Rule((CHANNEL,), (404, "channel_not_found"), query="?channel=market"),
    ],
    "GET /api/v1/reports/teams": [refused()],  # every location's staff (docs/people.md)
    # a webhook endpoint receives every channel's events: unrestricted tokens only
    # (docs/webhooks.md)
    **{
        f"{method} {V1}/webhooks{path}": [refused()]
        for method, path in (
            ("GET", "/event-types"),
            ("GET", "/endpoints"),
            ("POST", "/endpoints"),
            ("GET", "/endpoints/{endpoint_id}"),
            ("PATCH", "/endpoints/{endpoint_id}"),
            ("DELETE", "/endpoints/{endpoint_id}"),
            ("POST", "/endpoints/{endpoint_id}/disable"),
            ("POST", "/endpoints/{endpoint_id}/enable"),
            ("POST", "/endpoints/{endpoint_id}/rotate-secret"),
            ("GET", "/endpoints/{endpoint_id}/messages"),
            ("POST", "/endpoints/{endpoint_id}/replay"),
            ("GET", "/messages/{message_id}"),
            ("POST", "/messages/{message_id}/replay"),
        )
    },
    # imports and reconciliations reach every channel and location (docs/transfer.md)
    "POST /api/v1/transfer/imports": [refused()],
    "GET /api/v1/transfer/imports/{job_id}": [refused()],
    "POST /api/v1/transfer/reconcile": [refused()],
}

# Webhooks signed by their sender instead of a token (docs/security.md): the header that signs.
SIGNED = {
    "POST /api/v1/payments/webhooks/stripe": "Stripe-Signature",
    "POST /api/v1/connectors/{connection_id}/webhooks/{platform}": "X-Shopify-Hmac-Sha256",
    "POST /api/v1/carriers/easypost/webhook": "X-Hmac-Signature",
    "POST /api/v1/carriers/shippo/webhook": "token",
}
# What an unsigned call answers: (statuses, codes). A channel's webhook to a connection that does
# not exist is 404 before any signature (tests/connectors/test_webhooks.py checks the 401s).
UNSIGNED = {
    "POST /api/v1/payments/webhooks/stripe": (
        {400, 503}, ("stripe_signature_invalid", "stripe_webhook_unconfigured")),
    "POST /api/v1/connectors/{connection_id}/webhooks/{platform}": (
        {404}, ("connection_not_found",)),
    "POST /api/v1/carriers/easypost/webhook": (
        {401, 503}, ("easypost_signature_invalid", "easypost_webhook_unconfigured")),
    "POST /api/v1/carriers/shippo/webhook": (
        {401, 503}, ("shippo_token_invalid", "shippo_webhook_unconfigured")),
}  # fmt: skip

# The scope area of paths whose first segment is no area, and the POSTs that only read.
AREA_OF_PATH = {
    f"{V1}/promise": "sourcing",
    f"{V1}/location-groups": "locations",
    f"{V1}/return-policies": "returns",
    f"{V1}/orders/{{order_id}}/returns": "returns",
    f"{V1}/orders/{{order_id}}/return-link": "returns",
    f"{V1}/orders/{{order_id}}/exchanges": "returns",
    f"{V1}/exchanges": "returns",
    f"{V1}/exchanges/{{exchange_id}}": "returns",
}
# an order's invoices and credit notes are read with the orders' scope (docs/invoices.md)
AREA_OF_PATH |= {f"{V1}/invoices/{{invoice_id}}": "orders"}
# the accounting journal is finance's report (docs/accounting.md)
AREA_OF_PATH |= {f"{V1}/accounting/journal": "reports"}
AREA_OF_PATH |= {f"{V1}/reports/teams": "users"}  # people, as /users/report
AREA_OF_PATH |= {f"{V1}/invoices/{{invoice_id}}/pdf": "orders"}
# a shipment's labels are read with fulfillment's scope, as the shipment (docs/shipping.md)
AREA_OF_PATH |= {f"{V1}/shipments/{{shipment_id}}/labels": "fulfillment"}
# its customs form likewise (docs/shipping.md, "Customs")
AREA_OF_PATH |= {f"{V1}/shipments/{{shipment_id}}/customs": "fulfillment"}
# a carrier's manifest lists the location's shipments: fulfillment's scope (docs/shipping.md)
AREA_OF_PATH |= {f"{V1}/shipping/manifests/{{location}}/{{carrier}}/{{date}}": "fulfillment"}
# a shipment's tracking is read with fulfillment's scope (docs/shipping.md, "Tracking")
AREA_OF_PATH |= {f"{V1}/shipments/{{shipment_id}}/tracking": "fulfillment"}
# a shipment's customer e-mails likewise (docs/shipping.md, "Customer e-mails")
AREA_OF_PATH |= {f"{V1}/shipments/{{shipment_id}}/notices": "fulfillment"}
# store credit is money given: its own area, apart from a customer's contacts (docs/payments.md)
AREA_OF_PATH |= {f"{V1}/customers/{{customer_id}}/store-credit": "credit"}
# an order's holds are released by who may release holds (docs/holds.md)
AREA_OF_PATH |= {
    f"{V1}/orders/{{order_id}}/holds": "holds",
    f"{V1}/orders/{{order_id}}/holds/{{hold_id}}/release": "holds",
}
# fraud screening's settings are what hold rules test: the holds area (docs/risk.md)
AREA_OF_PATH |= {f"{V1}/risk/settings": "holds"}
# a channel's feed of available-to-sell is the channel's (docs/feeds.md)
AREA_OF_PATH |= {
    f"{V1}/feeds/{{code}}": "channels",
    f"{V1}/feeds/{{code}}/items": "channels",
    f"{V1}/feeds/{{code}}/settings": "channels",
    f"{V1}/feeds/{{code}}/push": "channels",
}
READ_POSTS = {
    "POST /api/v1/inventory/availability/bulk",
    "POST /api/v1/sourcing/profiles/{code}/draft/validate",
    "POST /api/v1/sourcing/simulate",
    "POST /api/v1/sourcing/backtest",
    "POST /api/v1/promise",
    "POST /api/v1/holds/rules/preview",
    "POST /api/v1/cases/routing-rules/preview",
    "POST /api/v1/transfer/reconcile",
    "POST /api/v1/shipping/quote",
    "POST /api/v1/shipping/notice-templates/{kind}/preview",
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
        tokens[CHANNEL] = make_token("*", name="web-only", channel_codes=["web"])
        tokens[LOCATION] = make_token("*", name="wh-a-only", location_codes=["WH-A"])
        tokens[BOTH] = make_token(
            "*", name="web-at-wh-a", channel_codes=["web"], location_codes=["WH-A"]
        )
    return World(reliability_shop, Client(), tokens)


def labels(selector: Callable[[Operation], bool] = lambda op: True) -> list[str]:
    """The scoped operations (SIGNED ones take no token) the selector picks."""
    return [op.label for op in OPERATIONS if op.label not in SIGNED and selector(op)]


def assert_problem(response, status: int | set[int], label: str):
    statuses = {status} if isinstance(status, int) else status
    assert response.status_code in statuses, (label, response.status_code, response.content)
    assert response["Content-Type"] == "application/problem+json", label


# ----------------------------------------------------------------------------- the matrix


def test_every_operation_is_classified():
    documented = set(BY_LABEL)
    assert documented - set(RESTRICTION) - set(SIGNED) == set(), "classify these in RESTRICTION"
    assert (set(RESTRICTION) | set(SIGNED)) - documented == set(), "these left the document"
    assert set(RESTRICTION) & set(SIGNED) == set(), "scoped or signed, not both"
    assert documented >= READ_POSTS
    for op in OPERATIONS:
        if op.label not in SIGNED:
            area(op)  # every path maps to a scope area


@pytest.mark.parametrize("label", sorted(SIGNED))
def test_f_a_signed_webhook_takes_no_token_and_refuses_an_unsigned_body(world, db, label):
    # given a webhook the document declares signed (no security, the signing header)
    op = BY_LABEL[label]
    assert op.spec["security"] == [] and op.spec["x-signed"] == SIGNED[label], label
    for token in (None, "full"):
        # when it is called without a signature, with or without a token
        path = op.path.format(**{n: path_values(world.shop)[n] for n in op.path_params})
        response = world.call(Request(op.method, path, {"id": "evt_1", "type": "x"}), token)
        # then 400 (or 503 without a signing secret), never 403: a token is not its proof
        statuses, codes = UNSIGNED[label]
        assert_problem(response, statuses, label)
        assert response.json()["code"] in codes, label


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


SNAPSHOT_PATHS = (
    "/channels?limit=200",
    "/locations?limit=200",
    "/location-groups?limit=200",
    "/catalog/products?limit=200",
    "/catalog/skus?limit=200",
    "/customers?limit=200",
    "/orders?limit=200",
    "/fulfillment/orders?limit=200",
    "/inventory/balances?limit=200",
    "/inventory/transfers?limit=200",
    "/inventory/movements?limit=200",
    "/sourcing/profiles",
    "/sourcing/zones",
    "/sourcing/transit-times",
    "/sourcing/schedules/WH-A",
    "/sourcing/schedules/WH-B",
    "/returns?limit=200",
    "/exchanges?limit=200",
    "/return-policies",
    "/tax/rates?limit=200",
    "/shipping/boxes",
    "/holds/rules",
    "/shipping/services?limit=200",
    "/shipping/accounts",
    "/shipping/policies",
)


def _snapshot(world: World) -> dict:
    """Everything a restricted token could change, read with the full-scope token."""
    reads = {}
    for path in SNAPSHOT_PATHS:
        response = world.call(Request("get", V1 + path), "full")
        assert response.status_code == 200, (path, response.content)
        reads[path] = _without_times(response.json())
    return reads


def _without_times(value):
    if isinstance(value, dict):
        return {k: _without_times(v) for k, v in value.items() if k not in ("updated_at",)}
    if isinstance(value, list):
        return [_without_times(v) for v in value]
    return value


def _request(op: Operation, rule: Rule, shop: Shop) -> Request:
    request = request_for(op, shop, **rule.params(shop))
    request.path += rule.query
    body = rule.body(shop)
    if "__csv__" in body:
        request.body = body["__csv__"]
    elif body:
        request.body = {**(request.body or {}), **body}
    return request


SCOPE_CASES = [
    pytest.param(label, i, token, id=f"{label}-{i}-{token}")
    for label in labels()
    for i, rule in enumerate(RESTRICTION[label])
    for token in rule.tokens
]


@pytest.mark.parametrize(("label", "index", "token"), SCOPE_CASES)
def test_d_a_restricted_token_never_reaches_other_channels_or_locations(
    world, db, label, index, token
):
    # given a token limited to the channel web, to the location WH-A, or to both
    op, rule = BY_LABEL[label], RESTRICTION[label][index]
    request = _request(op, rule, world.shop)
    status, code = rule.expect
    if rule.hidden(world.shop):
        # when it lists: then 200, without the objects of other channels/locations
        response = world.call(request, token)
        assert response.status_code == 200, (label, response.content)
        text = response.content.decode()
        for needle in rule.hidden(world.shop):
            assert needle not in text, (label, needle, text[:2000])
        # not vacuous: the full-scope token sees them in the same answer
        everything = world.call(request, "full").content.decode()
        assert all(needle in everything for needle in rule.hidden(world.shop)), label
        return
    before = _snapshot(world) if writes(op) else None
    # when it names an object outside its scope, or shared configuration
    response = world.call(request, token)
    # then exactly this answer, and nothing changed
    assert_problem(response, status, label)
    assert response.json()["code"] == code, (label, response.content)
    if writes(op):
        assert _snapshot(world) == before, label
    if status == 404:  # not vacuous: the same request passes with the full-scope token
        assert world.call(request, "full").status_code not in (401, 403, 404), label


def _in_scope_reads() -> list:
    """GET operations on an object every restricted token reaches (the shop's defaults:
    the web order at WH-A, its customer and fulfillment order, WH-A, the channel web)."""
    cases = []
    for label in labels(lambda op: op.method == "get" and op.path_params):
        refusals = {t for rule in RESTRICTION[label] if rule.expect[0] == 403 for t in rule.tokens}
        cases += [
            pytest.param(label, t, id=f"{label}-{t}") for t in RESTRICTED if t not in refusals
        ]
    return cases


@pytest.mark.parametrize(("label", "token"), _in_scope_reads())
def test_d_a_restricted_token_reads_what_is_in_its_scope(world, db, label, token):
    # given a restricted token and an object within its limits
    op = BY_LABEL[label]
    overrides = {}
    if "/channels/" in op.path or op.path.startswith(f"{V1}/feeds/"):
        overrides["code"] = "web"
    elif "/catalog/" in op.path:
        overrides["code"] = "P-TEE" if "/products/" in op.path else "TEE"
    elif "/shipping/boxes/" in op.path:
        overrides["code"] = "BOX-S"
    elif "/notice-templates/" in op.path:
        overrides["kind"] = "shipped"
    elif "/sourcing/profiles/" in op.path:
        pytest.skip("sourcing profiles are refused to every restricted token")
    elif op.path.endswith("/returns/{return_id}/label"):  # an open return's (docs/returns.md)
        overrides["return_id"] = world.shop.returns["web-open"]
    elif op.path.endswith("/shipments/{shipment_id}/customs"):  # one abroad (docs/shipping.md)
        overrides["shipment_id"] = world.shop.shipments["web-abroad"]
    if op.path.endswith("/feeds/{feed_id}") and token != CHANNEL:
        pytest.skip("a location-limited token reads the feeds it applied (tests/inventory)")
    # when it reads it: then 200
    response = world.call(request_for(op, world.shop, **overrides), token)
    assert response.status_code == 200, (label, token, response.content)


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
