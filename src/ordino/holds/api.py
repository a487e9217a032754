"""HTTP adapter of holds: parse, call one service or selector, serialise.

Mounted at /api/v1/holds (`router`: rules, preview, report) and /api/v1/orders (`orders_router`:
an order's holds and their release). Scope area `holds` (docs/holds.md, docs/security.md)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from ordino.core.domain.clock import utcnow
from ordino.core.params import IsoDateTime
from ordino.core.principal import principal_of
from ordino.holds import selectors, services
from ordino.holds.domain.rules import REPORT_MAX_DAYS, report_period
from ordino.holds.schemas import (
    HoldOut,
    HoldPreviewIn,
    HoldPreviewOut,
    HoldReasonIn,
    HoldReleaseIn,
    HoldRuleCreateIn,
    HoldRuleOut,
    HoldRuleVersionOut,
    HoldsReportOut,
    HoldVersionIn,
)

router = Router(tags=["holds"])
orders_router = Router(tags=["holds"])


def _actor(request: HttpRequest) -> str:
    return f"token:{principal_of(request).token.name}"


def _rules_access(request: HttpRequest, mode: str, what: str) -> None:
    """Hold rules test every channel's orders: unrestricted tokens read and change them."""
    principal = principal_of(request)
    principal.require(f"holds:{mode}")
    principal.scope.require_unrestricted(what)


def _rule_out(code: str) -> dict:
    return selectors.rule_serialize(selectors.rule_get(code=code))


@router.get("/rules", response=list[HoldRuleOut], summary="List hold and approval rules")
def rule_list(request: HttpRequest):
    _rules_access(request, "read", "reading hold rules")
    return [selectors.rule_serialize(rule, audit=False) for rule in selectors.rule_list()]


@router.post("/rules", response={201: HoldRuleOut}, summary="Create a hold or approval rule")
def rule_create(request: HttpRequest, payload: HoldRuleCreateIn):
    """A rule, with `condition` as its version 1 (a draft) when given. A condition that could
    not be evaluated (an unknown fact, an operator or value that does not fit it) is refused
    with 422 `invalid_condition`, each problem with its path; nothing is saved."""
    _rules_access(request, "write", "changing hold rules")
    rule = services.rule_create(**payload.model_dump(), actor=_actor(request))
    return Status(201, _rule_out(rule.code))


@router.post("/rules/preview", response=HoldPreviewOut, summary="Preview a condition")
def rule_preview(request: HttpRequest, payload: HoldPreviewIn):
    """Which of the newest `limit` (at most 500) orders the condition would hold, and why."""
    _rules_access(request, "read", "previewing hold rules")
    return selectors.rule_preview(condition=payload.condition, limit=payload.limit)


@router.get("/rules/{code}", response=HoldRuleOut, summary="Get a hold rule")
def rule_get(request: HttpRequest, code: str):
    _rules_access(request, "read", "reading hold rules")
    return _rule_out(code)


@router.post(
    "/rules/{code}/versions",
    response={201: HoldRuleVersionOut},
    summary="Save a new version (draft)",
)
def version_save(request: HttpRequest, code: str, payload: HoldVersionIn):
    """Save the condition as the rule's draft (a new version, or the draft replaced)."""
    _rules_access(request, "write", "changing hold rules")
    rule = selectors.rule_get(code=code)
    version = services.rule_version_save(
        rule=rule, condition=payload.condition, note=payload.note, actor=_actor(request)
    )
    return Status(201, selectors.version_serialize(version))


@router.post(
    "/rules/{code}/versions/{int:number}/activate",
    response=HoldRuleOut,
    summary="Activate a version",
)
def version_activate(request: HttpRequest, code: str, number: int, payload: HoldReasonIn):
    """Put the draft `number` in force: the next order captured or edited is tested against
    it. The version in force before is retired."""
    _rules_access(request, "write", "changing hold rules")
    rule = selectors.rule_get(code=code)
    services.rule_version_activate(
        rule=rule, number=number, actor=_actor(request), reason=payload.reason
    )
    return _rule_out(code)


@router.post("/rules/{code}/retire", response=HoldRuleOut, summary="Retire a rule")
def rule_retire(request: HttpRequest, code: str, payload: HoldReasonIn):
    """Take the rule out of force; the holds it placed that are open are released."""
    _rules_access(request, "write", "changing hold rules")
    rule = selectors.rule_get(code=code)
    services.rule_retire(rule=rule, actor=_actor(request), reason=payload.reason)
    return _rule_out(code)


class HoldsReportQuery(Schema):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    since: IsoDateTime | None = Field(
        None, alias="from", description="Holds placed from then (default: 90 days before `to`)."
    )
    until: IsoDateTime | None = Field(
        None, alias="to", description=f"... until then, excluded (default: now); at most "
        f"{REPORT_MAX_DAYS} days after `from`."
    )  # fmt: skip


@router.get("/report", response=HoldsReportOut, summary="What each rule did")
def report(request: HttpRequest, period: Query[HoldsReportQuery]):
    """Per rule, over holds placed in [from, to) (default the last 90 days, at most 366: else
    422 `invalid_period`): how often it fired, the orders it held, the delay it added (median
    hours held, released holds) and how often a person overrode it (released manually)."""
    _rules_access(request, "read", "reading the holds report")
    since, until = report_period(period.since, period.until, utcnow())
    return {
        "since": since,
        "until": until,
        "rules": selectors.holds_report(since=since, until=until),
    }


@orders_router.get("/{int:order_id}/holds", response=list[HoldOut], summary="An order's holds")
def order_holds(request: HttpRequest, order_id: int):
    principal = principal_of(request)
    principal.require("holds:read")
    holds = selectors.order_holds(order_id=order_id, scope=principal.scope)
    return [selectors.hold_serialize(hold) for hold in holds]


@orders_router.post(
    "/{int:order_id}/holds/{int:hold_id}/release", response=HoldOut, summary="Release a hold"
)
def hold_release(request: HttpRequest, order_id: int, hold_id: int, payload: HoldReleaseIn):
    """Release one open hold with a reason; when it was the order's last, its work goes back
    to the queue. A token owned by a person releases when that person holds the hold's
    permission (an approval's own, else `approve`); a token nobody owns releases holds but not
    approvals: else 403 `permission_denied`. 409 `hold_released` when it was released
    already."""
    principal = principal_of(request)
    principal.require("holds:write")
    selectors.order_hold_get(order_id=order_id, hold_id=hold_id, scope=principal.scope)
    hold = services.hold_release(
        hold_id=hold_id,
        actor=_actor(request),
        reason=payload.reason,
        permitted=services.release_permitted(principal),
    )
    return selectors.hold_serialize(hold)
