"""The HTTP API root: one NinjaAPI under /api/v1/, its parser, and the problem+json handlers."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal
from functools import wraps

from django.http import Http404, HttpRequest
from django.urls import URLPattern, re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.operation import Operation
from ninja.parser import Parser
from ninja.utils import normalize_path

from ordino.accounting.api import router as accounting_router
from ordino.accounts.api_permissions import api_permission
from ordino.accounts.api_read_permissions import api_read_permission
from ordino.accounts.auth import TokenAuth
from ordino.accounts.people_api import router as users_router
from ordino.accounts.ratelimit import RateLimited
from ordino.audit.api import router as audit_router
from ordino.cases.api import router as cases_router
from ordino.catalog.api import router as catalog_router
from ordino.channels.api import router as channels_router
from ordino.connectors.api import router as connectors_router
from ordino.core.domain.errors import DomainError
from ordino.core.params import problem_code
from ordino.core.principal import Permission, Principal
from ordino.core.problem import problem_response
from ordino.customers.api import router as customers_router
from ordino.feeds.api import router as feeds_router
from ordino.fulfillment.api import router as fulfillment_router
from ordino.holds.api import orders_router as order_holds_router
from ordino.holds.api import router as holds_router
from ordino.integrations.api import router as integrations_router
from ordino.inventory.api import router as inventory_router
from ordino.invoices.api import order_router as order_invoices_router
from ordino.invoices.api import router as invoices_router
from ordino.locations.api import groups_router as location_groups_router
from ordino.locations.api import router as locations_router
from ordino.orders.api import router as orders_router
from ordino.payments.api import router as payments_router
from ordino.payments.credit_api import router as store_credit_router
from ordino.payments.webhooks_api import router as payment_webhooks_router
from ordino.reports.api import router as reports_router
from ordino.returns.api import exchanges_router
from ordino.returns.api import orders_router as order_returns_router
from ordino.returns.api import policies_router as return_policies_router
from ordino.returns.api import router as returns_router
from ordino.risk.api import orders_router as order_risk_router
from ordino.risk.api import router as risk_router
from ordino.shipping.api import fulfillment_router as fulfillment_rates_router
from ordino.shipping.api import router as shipping_router
from ordino.shipping.carriers_api import fulfillment_router as fulfillment_labels_router
from ordino.shipping.carriers_api import router as carrier_accounts_router
from ordino.shipping.documents_api import customs_router, manifests_router, slips_router
from ordino.shipping.labels_api import router as shipment_labels_router
from ordino.shipping.notices_api import shipments_router as shipment_notices_router
from ordino.shipping.notices_api import templates_router as notice_templates_router
from ordino.shipping.tracking_api import carriers_router
from ordino.shipping.tracking_api import router as shipments_router
from ordino.sourcing.api import promise_router
from ordino.sourcing.api import router as sourcing_router
from ordino.tax.api import router as tax_router
from ordino.transfer.api import router as transfer_router
from ordino.webhooks.api import router as webhooks_router


class DecimalJsonParser(Parser):
    """JSON numbers become Decimal, never float, so 19.99 stays 19.99."""

    def parse_body(self, request: HttpRequest):
        try:
            data = json.loads(request.body or b"null", parse_float=Decimal)
        except (ValueError, UnicodeDecodeError) as exc:
            raise DomainError(
                "malformed_json", f"The request body is not valid JSON: {exc}", status=400
            ) from None
        if _has_nul(data):
            raise _nul_refused("body")
        return data


def _has_nul(value) -> bool:
    """A NUL character anywhere: PostgreSQL text cannot hold it (it would be a server error)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _nul_refused(where: str) -> DomainError:
    return DomainError(
        "nul_character", "Text may not contain the NUL character (U+0000).", field=where
    )


def refuse_nul(view):
    """Wrap an API view: a NUL character in the path or the query answers 422, not a 500."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs):
        where = "path" if "\x00" in request.path else None
        if where is None and any(_has_nul(k) or _has_nul(v) for k, v in request.GET.lists()):
            where = "query"
        if where is not None:
            exc = _nul_refused(where)
            return problem_response(exc.status, exc.code, exc.message, exc.errors)
        return view(request, *args, **kwargs)

    return guarded


WRITE_METHODS = ("post", "put", "patch", "delete")

PROBLEM_SCHEMA = {
    "title": "Problem",
    "description": "RFC 9457 problem details with a machine-readable `code`.",
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "code": {"type": "string"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string"},
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                },
                "required": ["field", "code", "message"],
                "additionalProperties": False,
            },
        },
        "existing": {
            "description": "The object that exists already (409 `order_exists`).",
            "type": "object",
            "properties": {"id": {"type": "integer"}, "href": {"type": "string"}},
            "required": ["id", "href"],
            "additionalProperties": False,
        },
    },
    "required": ["type", "title", "status", "code", "detail"],
    "additionalProperties": False,
}

PROBLEM_DESCRIPTIONS = {
    400: "Malformed JSON, an invalid cursor or an invalid Idempotency-Key.",
    401: "No valid API token (unknown, revoked or expired).",
    403: "The token lacks the scope, is limited to some channels or locations, or belongs to "
    "a person whose roles do not permit the operation (`permission_denied`).",
    404: "Not found, or outside the token's channels or locations.",
    409: "A conflict: the object exists already, the state forbids the change, or a request "
    "with the same Idempotency-Key is still running.",
    422: "Invalid fields (listed in `errors`) or a rule refused the change.",
    429: "The token sent more requests this minute than its rate limit; `Retry-After` says "
    "when to retry.",
}
# A webhook signed by its sender (a provider's: no token, `"security": []`) answers these.
SIGNED_DESCRIPTIONS = {
    400: "The signature does not verify (or is missing, or too old): nothing was stored.",
    401: "The signature or token does not verify (a channel connection's webhook, a carrier's "
    "tracking webhook): nothing was stored.",
    404: "No active connection of that id and platform.",
    422: "The path's connection id is not a number.",
    503: "The webhook's signing secret is not configured.",
}


def signed(operation: dict) -> bool:
    """An operation authenticated by its sender's signature, not by a token."""
    return operation.get("security") == [] and "x-signed" in operation


def problem_statuses(method: str, path: str, operation: dict) -> list[int]:
    """The error statuses an operation can answer, from what every layer of the API does:
    the token (401, 403, 429: its rate limit), validation (422), the JSON parser, the cursor and
    Idempotency-Key (400), lookups of the path's object or of objects named in the body (404),
    conflicts and Idempotency-Key races (409)."""
    if signed(operation):  # a connection's webhook names its connection in the path
        statuses = [400, 401, 404, 422, 503] if "{" in path else [400, 503]
        # a webhook that refuses its sender's bad signature with its own status says so
        return sorted({*statuses, *operation.get("x-refused-statuses", [])})
    params = {p.get("name") for p in operation.get("parameters", [])}
    write = method in WRITE_METHODS
    statuses = {401, 403, 429}
    if write or params or "requestBody" in operation:  # a bare GET has nothing to refuse
        statuses.add(422)
    if write or "cursor" in params:
        statuses.add(400)
    if write or "{" in path or "channel" in params:  # the channel filter names a channel
        statuses.add(404)
    if write:
        statuses.add(409)
    return sorted(statuses)


class OrdinoAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document declares the problem+json errors every operation can
    answer, and whose unknown paths answer a problem+json 404 instead of Django's HTML page."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {})
        components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        ref = {"$ref": "#/components/schemas/Problem"}
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                descriptions = SIGNED_DESCRIPTIONS if signed(operation) else PROBLEM_DESCRIPTIONS
                for status in problem_statuses(method, path, operation):
                    responses.setdefault(
                        status,
                        {
                            "description": descriptions[status],
                            "content": {"application/problem+json": {"schema": ref}},
                        },
                    )
        return schema

    def _get_urls(self):
        for label, operation in routes(self):
            if not hasattr(operation, "guarded"):
                operation.view_func = person_permitted(operation.view_func, label)
                operation.guarded = True  # type: ignore[attr-defined]
        patterns = super()._get_urls()
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = refuse_nul(pattern.callback)
        # [\s\S]: a path with a newline is an unknown path too, not an HTML 404
        return [*patterns, re_path(r"^[\s\S]+$", unknown_path, name="unknown-path")]


ROOT = "/api/v1"  # where urls.py mounts the API
_CONVERTER = re.compile(r"{\w+:(\w+)}")


def routes(ninja_api: NinjaAPI) -> Iterator[tuple[str, Operation]]:
    """Every operation the API routes, labelled as its OpenAPI document names it
    ("POST /api/v1/orders/{order_id}/cancel"), read from Ninja's routers themselves."""
    for bound in ninja_api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            route = _CONVERTER.sub(r"{\1}", normalize_path("/".join((bound.prefix, path))))
            for operation in path_view.operations:
                for method in operation.methods:
                    yield f"{method} {ROOT}{route.rstrip('/') or '/'}", operation


def operation_permission(label: str) -> Permission:
    """What a person's token needs for the operation `label`: a write's permission
    (accounts/api_permissions.py), a read's (accounts/api_read_permissions.py)."""
    if label.split(" ")[0].lower() in WRITE_METHODS:
        return api_permission(label)
    return api_read_permission(label)


def person_permitted(view, label: str):
    """Wrap an operation's view: a person's token needs the operation's permission, read or
    write (`operation_permission`), checked before the view looks anything up — the one
    place the API asks it (docs/people.md, "A person's API tokens")."""
    permission = operation_permission(label)

    @wraps(view)
    def checked(request: HttpRequest, *args, **kwargs):
        principal = getattr(request, "auth", None)
        if isinstance(principal, Principal):
            principal.require_permission(permission)
        return view(request, *args, **kwargs)

    return checked


@csrf_exempt  # like every API view: callers authenticate with tokens, not cookies
def unknown_path(request: HttpRequest, *args, **kwargs):
    return problem_response(404, "not_found", f"No API endpoint {request.path}.")


api = OrdinoAPI(
    title="Ordino API",
    version="1",
    description=(
        "Ordino order management. Authenticate with `Authorization: Bearer <token>` "
        "(mint one with `ordino token create`). Every POST honours `Idempotency-Key`. "
        "Errors are application/problem+json with a machine-readable `code`."
    ),
    auth=TokenAuth(),
    parser=DecimalJsonParser(),
    urls_namespace="api-v1",
)


def field_path(loc: tuple | list) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "header")]
    return ".".join(parts) or "body"


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError):
    extensions = getattr(exc, "extensions", None)
    return problem_response(exc.status, exc.code, exc.message, exc.errors, extensions)


@api.exception_handler(RateLimited)
def on_rate_limited(request: HttpRequest, exc: RateLimited):
    response = on_domain_error(request, exc)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError):
    errors = [
        {
            "field": field_path(err.get("loc", ())),
            "code": str(err.get("type", "invalid")),
            "message": str(err.get("msg", "invalid")),
        }
        for err in exc.errors
    ]
    code = problem_code([e["code"] for e in errors])
    return problem_response(422, code, "The request has invalid fields.", errors)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError):
    return problem_response(
        401, "unauthenticated", "Send a valid API token as `Authorization: Bearer <token>`."
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404):
    return problem_response(404, "not_found", str(exc) or "Not found.")


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception):
    """Not ninja's answer (a text/plain traceback in DEBUG): the middleware decides — a
    transient conflict reruns the request, anything else is a 500 `server_error` problem
    logged once with its traceback (see ordino.core.api_edge)."""
    raise exc


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError):
    if isinstance(exc.__cause__, DomainError):  # raised by our parser, wrapped by ninja
        return on_domain_error(request, exc.__cause__)
    return problem_response(exc.status_code, "http_error", str(exc))


api.add_router("/catalog", catalog_router)
api.add_router("/locations", locations_router)
api.add_router("/location-groups", location_groups_router)
api.add_router("/channels", channels_router)
api.add_router("/customers", customers_router)
api.add_router("/customers", store_credit_router)  # a customer's store credit (payments)
api.add_router("/inventory", inventory_router)
api.add_router("/orders", orders_router)
api.add_router("/orders", payments_router)  # an order's payments, refunds and balance
api.add_router("/orders", order_risk_router)  # an order's fraud risk
api.add_router("/risk", risk_router)  # fraud screening's settings
api.add_router("/payments", payment_webhooks_router)  # signed by the provider, not scoped
api.add_router("/fulfillment", fulfillment_router)
api.add_router("/shipments", shipment_labels_router)  # a shipment's labels (shipping)
api.add_router("/shipments", customs_router)  # its CN22/CN23 customs form (docs/shipping.md)
api.add_router("/fulfillment", fulfillment_rates_router)  # rate shopping (docs/shipping.md)
api.add_router("/fulfillment", fulfillment_labels_router)  # labels bought (docs/shipping.md)
api.add_router("/fulfillment", slips_router)  # a fulfillment order's packing slip (shipping)
api.add_router("/sourcing", sourcing_router)
api.add_router("/promise", promise_router)
api.add_router("/reports", reports_router)
api.add_router("/accounting", accounting_router)
api.add_router("/orders", order_invoices_router)
api.add_router("/invoices", invoices_router)
api.add_router("/returns", returns_router)
api.add_router("/return-policies", return_policies_router)
api.add_router("/orders", order_returns_router)
api.add_router("/holds", holds_router)
api.add_router("/orders", order_holds_router)  # an order's holds and their release
api.add_router("/exchanges", exchanges_router)
api.add_router("/tax", tax_router)
api.add_router("/shipping", shipping_router)  # carriers' services, rates and quotes
api.add_router("/shipping", carrier_accounts_router)  # carrier accounts (docs/shipping.md)
api.add_router("/shipping", manifests_router)  # a carrier's day manifest (docs/shipping.md)
api.add_router("/shipping", notice_templates_router)  # the customer's e-mails (docs/shipping.md)
api.add_router("/cases", cases_router)
api.add_router("/audit", audit_router)
api.add_router("/integrations", integrations_router)  # the integration log and its themes
api.add_router("/users", users_router)
api.add_router("/transfer", transfer_router)
api.add_router("/feeds", feeds_router)  # available-to-sell pushed to channels
api.add_router("/webhooks", webhooks_router)  # outbound webhooks (docs/webhooks.md)
api.add_router("/connectors", connectors_router)  # the inbound webhooks: signed, not scoped
api.add_router("/shipments", shipments_router)  # a shipment's tracking (docs/shipping.md)
api.add_router("/shipments", shipment_notices_router)  # its customer e-mails (docs/shipping.md)
api.add_router("/carriers", carriers_router)  # carriers' tracking webhooks: signed, not scoped
