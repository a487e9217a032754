"""Reads of cases: the inbox (my cases, my team's, unassigned; overdue first), one case with its
activity, the types. A principal limited to channels or locations sees the cases of the orders
it reaches, and no case without an order (docs/security.md's rule, core/domain/scope.py)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import F, Q, QuerySet

from ordino.cases.domain import status as st
from ordino.cases.models import Case, CaseType, Team
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.orders.models import Order
from ordino.orders.selectors import order_scope_q

VIEWS = ("all", "mine", "team", "unassigned")


def case_scope_q(scope: Scope) -> Q:
    if not scope.restricted:
        return Q()
    return Q(order_id__in=Order.objects.filter(order_scope_q(scope)).values("pk"))


def _base() -> QuerySet[Case]:
    return Case.objects.select_related("type", "owner_user", "owner_team", "order")


def case_get(*, case_id: int, scope: Scope = UNRESTRICTED) -> Case:
    case = _base().filter(case_scope_q(scope), pk=case_id).first()
    if case is None:
        raise NotFound("case", case_id)
    return case


def case_filter(
    *,
    scope: Scope = UNRESTRICTED,
    view: str = "all",
    user_id: int | None = None,
    status: str | None = None,
    type_code: str | None = None,
    order_id: int | None = None,
    owner: str | None = None,
    team: str | None = None,
) -> QuerySet[Case]:
    """The cases a caller sees, filtered; active ones unless a status is asked for."""
    cases = _base().filter(case_scope_q(scope))
    cases = cases.filter(status=status) if status else cases.filter(status__in=st.ACTIVE)
    if type_code:
        cases = cases.filter(type__code=type_code)
    if order_id is not None:
        cases = cases.filter(order_id=order_id)
    if owner:
        cases = cases.filter(owner_user__username=owner)
    if team:
        cases = cases.filter(owner_team__name=team)
    if view == "mine":
        cases = cases.filter(owner_user_id=user_id)
    elif view == "team":
        teams = Team.objects.filter(members__id=user_id).values("pk")
        cases = cases.filter(owner_team_id__in=teams)
    elif view == "unassigned":
        cases = cases.filter(owner_user__isnull=True)
    return cases


def case_inbox(*, limit: int = 200, **filters) -> list[Case]:
    """The inbox: overdue first (earliest due first, no due time last), then newest."""
    cases = case_filter(**filters)
    return list(cases.order_by(F("due_at").asc(nulls_last=True), "-created_at", "-pk")[:limit])


def case_types() -> list[CaseType]:
    return list(CaseType.objects.select_related("team").order_by("code"))


def user_by_name(username: str, *, field: str = "user"):
    """An active user by name; none: 422 `unknown_user` naming the field."""
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise DomainError("unknown_user", f"No active user {username!r}.", field=field)
    return user


def teams() -> list[Team]:
    return list(Team.objects.order_by("name"))


def team_by_name(name: str, *, field: str = "team") -> Team:
    team = Team.objects.filter(name=name).first()
    if team is None:
        raise DomainError("unknown_team", f"No team {name!r}.", field=field)
    return team


def case_serialize(case: Case, *, now: datetime, activities: bool = False) -> dict:
    out = {
        "id": case.pk,
        "type": case.type.code,
        "type_name": case.type.name,
        "title": case.title,
        "description": case.description,
        "priority": case.priority,
        "status": case.status,
        "owner_user": case.owner_user.get_username() if case.owner_user else None,
        "owner_team": case.owner_team.name if case.owner_team else None,
        "order_id": case.order_id,
        "order_number": case.order.external_id if case.order_id else None,
        "customer_id": case.customer_id,
        "payment_id": case.payment_id,
        "fulfillment_order_id": case.fulfillment_order_id,
        "created_at": case.created_at,
        "due_at": case.due_at,
        "overdue": case.due_at is not None and case.due_at < now and case.status in st.ACTIVE,
        "escalation_level": case.escalation_level,
        "resolution": case.resolution or None,
        "resolved_at": case.resolved_at,
        "resolutions": resolutions_offered(case),
    }
    if activities:
        out["activities"] = [
            {"kind": a.kind, "actor": a.actor, "message": a.message, "created_at": a.created_at}
            for a in case.activities.all()
        ]
    return out


def resolutions_offered(case: Case) -> list[str]:
    """The one-click resolutions of the case's type that apply to it now: none once closed;
    retrying needs a payment, re-routing and cancelling an order; releasing a hold the hold the
    case is about."""
    if case.status not in st.ACTIVE:
        return []
    needs = {"retry_payment": case.payment_id, "reroute": case.order_id,
             "cancel_line": case.order_id, "cancel_order": case.order_id,
             "release_hold": (case.data or {}).get("hold_id"),
             "approve": case.order_id, "reject": case.order_id,
             "contact_customer": case.order_id or case.customer_id}  # fmt: skip
    return [r for r in case.type.resolutions if r not in needs or needs[r] is not None]
