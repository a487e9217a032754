"""The HTTP API root: one NinjaAPI under /api/v1/, its parser, and the problem+json handlers."""

from __future__ import annotations

import json
from decimal import Decimal

from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from ordino.accounts.auth import TokenAuth
from ordino.catalog.api import router as catalog_router
from ordino.channels.api import router as channels_router
from ordino.core.domain.errors import DomainError
from ordino.core.problem import problem_response
from ordino.customers.api import router as customers_router
from ordino.inventory.api import router as inventory_router
from ordino.locations.api import router as locations_router
from ordino.orders.api import router as orders_router


class DecimalJsonParser(Parser):
    """JSON numbers become Decimal, never float, so 19.99 stays 19.99."""

    def parse_body(self, request: HttpRequest):
        try:
            return json.loads(request.body or b"null", parse_float=Decimal)
        except (ValueError, UnicodeDecodeError) as exc:
            raise DomainError(
                "malformed_json", f"The request body is not valid JSON: {exc}", status=400
            ) from None


api = NinjaAPI(
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
    return problem_response(exc.status, exc.code, exc.message, exc.errors)


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
    return problem_response(422, "validation_error", "The request has invalid fields.", errors)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError):
    return problem_response(
        401, "unauthenticated", "Send a valid API token as `Authorization: Bearer <token>`."
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404):
    return problem_response(404, "not_found", str(exc) or "Not found.")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError):
    if isinstance(exc.__cause__, DomainError):  # raised by our parser, wrapped by ninja
        return on_domain_error(request, exc.__cause__)
    return problem_response(exc.status_code, "http_error", str(exc))


api.add_router("/catalog", catalog_router)
api.add_router("/locations", locations_router)
api.add_router("/channels", channels_router)
api.add_router("/customers", customers_router)
api.add_router("/inventory", inventory_router)
api.add_router("/orders", orders_router)
