"""HTTP adapter for cases (docs/cases.md, "API"): the inbox, a customer's inquiry, and an
agent's steps. Reads need `cases:read`, writes `cases:write`; a case outside the token's reach
(its order's channel or locations) is 404, and a restricted token sees no case without an order."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from ordino.cases import selectors, services
from ordino.cases.domain.types import BUILTIN
from ordino.cases.schemas import (
    AssignIn,
    CaseFilters,
    CaseOut,
    CaseTypeOut,
    CommentIn,
    InquiryIn,
    ResolveIn,
    RoutingPreviewIn,
    RoutingRuleChangeIn,
    RoutingRuleIn,
    RoutingRuleOut,
    StatusIn,
    TakeIn,
)
from ordino.core.domain.clock import utcnow
from ordino.core.pagination import Page, PageParams, paginate
from ordino.core.principal import Principal, principal_of
from ordino.holds.schemas import HoldPreviewOut
from ordino.holds.services import release_permitted

router = Router(tags=["cases"])


def _caller(request: HttpRequest, scope: str) -> Principal:
    principal = principal_of(request)
    principal.require(scope)
    return principal


def _actor(principal: Principal) -> str:
    return f"token:{principal.token.name}"


def _one(case_id: int, principal: Principal) -> dict:
    case = selectors.case_get(case_id=case_id, scope=principal.scope)
    return selectors.case_serialize(case, now=utcnow(), activities=True)


@router.get("", response=Page[CaseOut], summary="List cases")
def case_list(request: HttpRequest, filters: Query[CaseFilters], page: Query[PageParams]):
    """The active cases (or those of `status`), oldest first, filtered by type, order, owner
    or team."""
    principal = _caller(request, "cases:read")
    cases = selectors.case_filter(
        scope=principal.scope, status=filters.status, type_code=filters.type,
        order_id=filters.order_id, owner=filters.owner, team=filters.team,
    )  # fmt: skip
    result = paginate(cases, page)
    now = utcnow()
    items = [selectors.case_serialize(c, now=now) for c in result.items]
    return {"items": items, "next_cursor": result.next_cursor}


@router.post("", response={201: CaseOut}, summary="Open a customer inquiry")
def inquiry_create(request: HttpRequest, payload: InquiryIn):
    """A customer's question or request, as a case of type `inquiry` (its order and customer
    must be within the token's reach)."""
    principal = _caller(request, "cases:write")
    case = services.inquiry_open(
        title=payload.title, description=payload.description, actor=_actor(principal),
        order_id=payload.order_id, customer_id=payload.customer_id,
        priority=payload.priority, scope=principal.scope,
    )  # fmt: skip
    return Status(201, _one(case.pk, principal))


@router.get("/types", response=list[CaseTypeOut], summary="List case types")
def case_type_list(request: HttpRequest):
    """Every type with its SLA, ladder and one-click resolutions (built-in types appear once
    used or configured)."""
    _caller(request, "cases:read")
    for code in BUILTIN:
        services.case_type_get(code)
    return [
        {"code": t.code, "name": t.name, "priority": t.priority,
         "team": t.team.name if t.team else None, "sla_hours": t.sla_hours,
         "ladder": t.ladder, "resolutions": t.resolutions}
        for t in selectors.case_types()
    ]  # fmt: skip


@router.get("/{int:case_id}", response=CaseOut, summary="Get a case")
def case_get(request: HttpRequest, case_id: int):
    return _one(case_id, _caller(request, "cases:read"))


@router.post("/{int:case_id}/take", response=CaseOut, summary="Take a case")
def case_take(request: HttpRequest, case_id: int, payload: TakeIn):
    """The agent `user` takes it (a token is not a person, so it names them): theirs, open."""
    principal = _caller(request, "cases:write")
    services.case_assign(case_id=case_id, user=payload.user, actor=_actor(principal),
                         scope=principal.scope)  # fmt: skip
    return _one(case_id, principal)


@router.post("/{int:case_id}/assign", response=CaseOut, summary="Assign a case")
def case_assign(request: HttpRequest, case_id: int, payload: AssignIn):
    """To a person (`user`) and/or a team's queue (`team`); the new owner is e-mailed."""
    principal = _caller(request, "cases:write")
    services.case_assign(case_id=case_id, user=payload.user, team=payload.team,
                         actor=_actor(principal), scope=principal.scope)  # fmt: skip
    return _one(case_id, principal)


@router.post("/{int:case_id}/status", response=CaseOut, summary="Set a case open or waiting")
def case_status(request: HttpRequest, case_id: int, payload: StatusIn):
    """waiting stops the SLA clock; open starts it again."""
    principal = _caller(request, "cases:write")
    services.case_status_set(case_id=case_id, status=payload.status, note=payload.note,
                             actor=_actor(principal), scope=principal.scope)  # fmt: skip
    return _one(case_id, principal)


@router.post("/{int:case_id}/comments", response={201: CaseOut}, summary="Comment on a case")
def case_comment(request: HttpRequest, case_id: int, payload: CommentIn):
    principal = _caller(request, "cases:write")
    services.case_comment(case_id=case_id, text=payload.text, actor=_actor(principal),
                          scope=principal.scope)  # fmt: skip
    return Status(201, _one(case_id, principal))


@router.post("/{int:case_id}/resolve", response=CaseOut, summary="Resolve a case")
def case_resolve(request: HttpRequest, case_id: int, payload: ResolveIn):
    """With one of the resolutions its type offers (`resolutions` of the case): retry the
    payment, re-route, cancel the backordered units or the order, release the hold (also
    `holds:write`, and the permission the hold asks of the token's owner: docs/holds.md),
    approve a fraud review (its holds on `risk.score` released, asking the same), contact the
    customer, resolve or void with a note. Not offered: 409 `resolution_not_offered`."""
    principal = _caller(request, "cases:write")
    if payload.resolution == "release_hold":
        principal.require("holds:write")
    person_permitted = release_permitted(principal)

    def permitted(need) -> bool:
        # approving a fraud review releases the holds on its score: a hold's release (holds:write)
        principal.require("holds:write")
        return person_permitted(need)

    services.case_resolve(case_id=case_id, resolution=payload.resolution, note=payload.note,
                          actor=_actor(principal), scope=principal.scope,
                          permitted=permitted)  # fmt: skip
    return _one(case_id, principal)


# Routing rules (docs/cases.md, "Routing"): about every channel's cases, so unrestricted tokens
# only (403 `token_restricted`), as for hold rules.


def _routing(request: HttpRequest, mode: str) -> Principal:
    principal = _caller(request, f"cases:{mode}")
    principal.scope.require_unrestricted("case routing rules")
    return principal


def _rule_in(payload: RoutingRuleIn | RoutingRuleChangeIn, code: str) -> services.RoutingRuleIn:
    return services.RoutingRuleIn(
        code=code, name=payload.name, condition=payload.condition,
        case_types=payload.case_types, team=payload.team, priority=payload.priority,
        position=payload.position,
    )  # fmt: skip


@router.get("/routing-rules", response=list[RoutingRuleOut], summary="List routing rules")
def routing_list(request: HttpRequest):
    """In the order they are tried; the first that matches a new case's order decides."""
    _routing(request, "read")
    return [services.routing_rule_snapshot(rule) for rule in services.routing_rules()]


@router.post("/routing-rules", response={201: RoutingRuleOut}, summary="Add a routing rule")
def routing_create(request: HttpRequest, payload: RoutingRuleIn):
    """Checked when saved: a condition that could not be evaluated is 422 `invalid_condition`
    (each problem with its path), an unknown case type 422 `unknown_case_type`, an unknown team
    422 `unknown_team`, neither team nor priority 422 `routing_outcome_missing`; nothing saved."""
    principal = _routing(request, "write")
    rule = services.routing_rule_create(
        data=_rule_in(payload, payload.code), actor=_actor(principal)
    )
    return Status(201, services.routing_rule_snapshot(rule))


@router.post("/routing-rules/preview", response=HoldPreviewOut, summary="Preview a routing rule")
def routing_preview(request: HttpRequest, payload: RoutingPreviewIn):
    """Which of the newest `limit` (at most 500) orders the condition matches, and why."""
    _routing(request, "read")
    return services.routing_preview(
        condition=payload.condition, case_type=payload.case_type, limit=payload.limit
    )


@router.get("/routing-rules/{code}", response=RoutingRuleOut, summary="Get a routing rule")
def routing_get(request: HttpRequest, code: str):
    _routing(request, "read")
    return services.routing_rule_snapshot(services.routing_rule_get(code=code))


@router.put("/routing-rules/{code}", response=RoutingRuleOut, summary="Change a routing rule")
def routing_update(request: HttpRequest, code: str, payload: RoutingRuleChangeIn):
    principal = _routing(request, "write")
    rule = services.routing_rule_update(
        code=code, data=_rule_in(payload, code), actor=_actor(principal), reason=payload.reason
    )
    return services.routing_rule_snapshot(rule)


@router.delete("/routing-rules/{code}", response={204: None}, summary="Delete a routing rule")
def routing_delete(request: HttpRequest, code: str):
    principal = _routing(request, "write")
    services.routing_rule_delete(code=code, actor=_actor(principal))
    return Status(204, None)
