"""HTTP adapter of the audit: `GET /audit` (scope `audit:read`, unrestricted tokens only)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from ordino.audit import selectors
from ordino.core.pagination import Page, PageParams, paginate
from ordino.core.params import Code, IsoDateTime, SearchText
from ordino.core.principal import principal_of

router = Router(tags=["audit"])


class AuditEntryOut(Schema):
    id: int
    at: datetime
    actor: str
    object_type: str
    object_id: str
    object_label: str
    action: str
    before: Any = None
    after: Any = None
    reason: str


@router.get("", response=Page[AuditEntryOut], summary="Search the audit log")
def audit_list(
    request: HttpRequest,
    page: Query[PageParams],
    actor: SearchText | None = None,
    object_type: Code | None = None,
    object_id: Code | None = None,
    action: Code | None = None,
    since: IsoDateTime | None = None,
    until: IsoDateTime | None = None,
    q: SearchText | None = None,
):
    """Who changed what and when, oldest first: configuration (every console page, channels,
    locations, tax rates, the catalog, case types, hold rules, sourcing profiles, SSO mappings,
    store credit given, users, roles, console access, tokens) and actions on orders
    (docs/people.md, "Audit"). A filter past its bound, a time without its offset or an empty
    range: 422."""
    principal = principal_of(request)
    principal.require("audit:read")
    principal.scope.require_unrestricted("the audit log")  # it names every location's changes
    entries = selectors.audit_list(actor=actor, object_type=object_type, object_id=object_id,
                                   action=action, since=since, until=until, q=q)  # fmt: skip
    return paginate(entries, page)
