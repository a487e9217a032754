"""HTTP adapter of the integration log (docs/integrations.md, "API"): `GET /integrations/calls`,
`GET /integrations/calls/{id}`, `GET /integrations/themes`. Scope `integrations:read`; a
person's token also needs its owner's `manage_integrations` (the console's admin-level rule);
a token limited to channels or locations is refused (403 `token_restricted`), as for the audit:
the log names every channel's and location's traffic."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from ordino.core.domain.errors import DomainError
from ordino.core.pagination import Page, PageParams, paginate
from ordino.core.params import IsoDateTime, SearchText
from ordino.core.principal import Principal, principal_of
from ordino.integrations import selectors
from ordino.integrations.selectors import CallFilters

router = Router(tags=["integrations"])
READ_ACTION = "manage_integrations"  # accounts/roles.py: the admin role's

Text64 = Annotated[str, Field(min_length=1, max_length=64)]


class CallOut(Schema):
    id: int
    at: datetime
    direction: str
    system: str
    connection: str
    operation: str
    method: str
    endpoint: str
    status_code: int | None
    ok: bool
    latency_ms: int | None
    error: str
    error_signature: str
    object_type: str
    object_id: str
    correlation_id: str


class CallDetailOut(CallOut):
    request_headers: dict[str, Any] | None = None
    request_body: str
    response_body: str


class FixOut(Schema):
    code: str
    title: str
    hint: str
    docs: str


class ThemeOut(Schema):
    signature: str
    heading: str
    count: int
    first_seen: datetime
    last_seen: datetime
    system: str
    direction: str
    operation: str
    status_code: int | None
    example_id: int
    example_error: str
    per_day: list[int]
    fix: FixOut | None


class ThemesOut(Schema):
    since: datetime
    until: datetime
    days: list[date]
    failures: int
    more: int
    themes: list[ThemeOut]


def _reader(request: HttpRequest) -> Principal:
    principal = principal_of(request)
    principal.require("integrations:read")
    principal.scope.require_unrestricted("the integration log")
    if principal.person_may(READ_ACTION) is False:
        raise DomainError(
            "permission_denied",
            f"This token belongs to a person whose roles do not permit {READ_ACTION!r}.",
            status=403,
        )
    return principal


@router.get("/calls", response=Page[CallOut], summary="Search the integration log")
def integration_calls(
    request: HttpRequest,
    page: Query[PageParams],
    system: Annotated[str, Field(min_length=1, max_length=32)] | None = None,
    direction: Literal["in", "out"] | None = None,
    ok: bool | None = None,
    status_code: Annotated[int, Field(ge=100, le=599)] | None = None,
    operation: Text64 | None = None,
    connection: Text64 | None = None,
    object_type: Annotated[str, Field(min_length=1, max_length=40)] | None = None,
    object_id: Text64 | None = None,
    correlation_id: Annotated[str, Field(min_length=1, max_length=128)] | None = None,
    signature: Annotated[str, Field(min_length=1, max_length=200)] | None = None,
    q: SearchText | None = None,
    since: IsoDateTime | None = None,
    until: IsoDateTime | None = None,
):
    """Every request in and call out across Ordino's edge, oldest first (by id), without the
    payloads (`GET /integrations/calls/{id}` has them). `q`: text in the error or the endpoint;
    `signature`: a failure theme's calls. A filter past its bound, a time without its offset or
    an empty range: 422."""
    _reader(request)
    filters = CallFilters(system=system, direction=direction, ok=ok, status_code=status_code,
                          operation=operation, connection=connection, object_type=object_type,
                          object_id=object_id, correlation_id=correlation_id, signature=signature,
                          q=q, since=since, until=until)  # fmt: skip
    return paginate(selectors.integration_calls_list(filters), page)


@router.get("/calls/{call_id}", response=CallDetailOut, summary="One call, with its payloads")
def integration_call(request: HttpRequest, call_id: int):
    """One call with its request headers and bodies, secrets redacted (docs/integrations.md,
    "Redaction"). 404 `integration_call_not_found` for a call that is not there."""
    _reader(request)
    return selectors.integration_call_get(call_id)


@router.get("/themes", response=ThemesOut, summary="Failures grouped into themes")
def integration_themes(
    request: HttpRequest,
    days: Annotated[int, Field(ge=1, le=selectors.THEME_DAYS_MAX)] = 7,
    system: Annotated[str, Field(min_length=1, max_length=32)] | None = None,
):
    """The last `days` days' failures grouped by error signature, the most frequent first (at
    most 50): a heading, count, first and last seen, counts per day (UTC) for a sparkline, the
    system, operation and status, one example's id and error, and where the log knows one the
    configuration that would fix it (`fix`)."""
    _reader(request)
    return selectors.integration_themes(days=days, system=system)
