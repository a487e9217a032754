"""Opening a case, exactly once per cause, and closing it by itself when the cause goes away
(docs/cases.md, "Where cases come from").

A cause has a dedupe key (`payment_declined:<payment id>`, ...): the partial unique index lets
one active case per key exist, so a repeated delivery of the same event, or two workers at
once, open one case; the second insert fails inside its savepoint and answers the first case."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from django.db import IntegrityError

from ordino.cases.domain import status as st
from ordino.cases.domain.routing import Routed
from ordino.cases.domain.types import BUILTIN, INQUIRY
from ordino.cases.events import CaseOpened, CaseResolved
from ordino.cases.models import Case, CaseType
from ordino.cases.services.clock import clock_set
from ordino.cases.services.record import activity_add
from ordino.cases.services.routing import case_route
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.core.transactions import savepoint, use_case_atomic
from ordino.customers.selectors import customer_get
from ordino.orders.selectors import order_get


@dataclass(frozen=True)
class OpenCase:
    type: str
    title: str
    actor: str
    description: str = ""
    dedupe_key: str | None = None
    priority: str | None = None
    order_id: int | None = None
    customer_id: int | None = None
    payment_id: int | None = None
    fulfillment_order_id: int | None = None
    data: dict = field(default_factory=dict)


def case_type_get(code: str) -> CaseType:
    """The type, made with its built-in defaults on first use; an unknown code is 422."""
    known = CaseType.objects.select_related("team").filter(code=code).first()
    if known is not None:
        return known
    defaults = BUILTIN.get(code)
    if defaults is None:
        raise DomainError("unknown_case_type", f"No case type {code!r}.", field="type")
    # made meanwhile by another worker: the unique code refuses the second, which reads it
    with contextlib.suppress(IntegrityError), savepoint():
        CaseType.objects.get_or_create(
            code=code,
            defaults={
                "name": defaults.name, "priority": defaults.priority,
                "sla_hours": defaults.sla_hours, "resolutions": list(defaults.resolutions),
                "threshold_hours": defaults.threshold_hours,
            },
        )  # fmt: skip
    return CaseType.objects.select_related("team").get(code=code)


def case_open(command: OpenCase) -> tuple[Case, bool]:
    """The active case of the command's cause, opening it if there is none: (case, opened)."""
    with use_case_atomic():
        case_type = case_type_get(command.type)
        if command.dedupe_key:
            active = _active(command.dedupe_key)
            if active is not None:
                return active, False
        now = utcnow()
        # a routing rule may send a case about an order elsewhere (docs/cases.md, "Routing")
        routed = (
            case_route(type_code=case_type.code, order_id=command.order_id)
            if command.order_id is not None
            else None
        )
        team_id = routed.rule.team_id if routed and routed.rule.team_id else case_type.team_id
        priority = command.priority or (routed and routed.rule.priority) or case_type.priority
        case = Case(
            type=case_type, title=command.title[:200], description=command.description,
            priority=priority, status=st.NEW, owner_team_id=team_id, order_id=command.order_id,
            customer_id=command.customer_id, payment_id=command.payment_id,
            fulfillment_order_id=command.fulfillment_order_id,
            dedupe_key=command.dedupe_key or None, data=command.data, created_at=now,
            updated_at=now,
        )  # fmt: skip
        clock_set(case)
        try:
            with savepoint():
                case.save(force_insert=True)
        except IntegrityError:
            active = _active(command.dedupe_key) if command.dedupe_key else None
            if active is None:
                raise
            return active, False
        activity_add(
            case, kind="created", actor=command.actor, message=command.title, now=now,
            data={"dedupe_key": command.dedupe_key}, event=CaseOpened,
        )  # fmt: skip
        if routed is not None:
            _routed_note(case, routed, command.actor, now)
        return case, True


def _routed_note(case: Case, routed: Routed, actor: str, now) -> None:
    to = [f"team {case.owner_team.name}"] if routed.rule.team_id else []  # type: ignore[union-attr]
    to += [f"priority {routed.rule.priority}"] if routed.rule.priority else []
    activity_add(
        case, kind="assigned", actor=actor, now=now,
        message=f"Routed by rule {routed.rule.code} to {' and '.join(to)}: {routed.why}",
        data={"routing_rule": routed.rule.code, "why": routed.why},
    )  # fmt: skip


def _active(key: str) -> Case | None:
    return (
        Case.objects.select_related("type", "type__team", "owner_team")
        .filter(dedupe_key=key, status__in=st.ACTIVE)
        .first()
    )


def case_cause_gone(*, dedupe_key: str, why: str, actor: str = "system:cases") -> bool:
    """The cause went away (the payment was authorized, the backorder filled, ...): its active
    case resolves by itself. True when one did."""
    with use_case_atomic():
        case = _active(dedupe_key)
        if case is None:
            return False
        now = utcnow()
        closed = Case.objects.filter(pk=case.pk, status__in=st.ACTIVE).update(
            status=st.RESOLVED, resolution="cause_gone", resolved_at=now, updated_at=now,
            due_at=None, next_escalation_at=None,
        )  # fmt: skip
        if not closed:
            return False
        case.status = st.RESOLVED
        activity_add(
            case, kind="resolved", actor=actor, message=f"Resolved by itself: {why}", now=now,
            data={"resolution": "cause_gone"}, event=CaseResolved,
        )  # fmt: skip
        return True


def inquiry_open(
    *, title: str, description: str, actor: str, order_id: int | None,
    customer_id: int | None, priority: str | None = None, scope: Scope = UNRESTRICTED,
) -> Case:  # fmt: skip
    """A customer's inquiry, opened by an agent or through the API (no dedupe: each is its
    own). Its order and customer must be within the caller's reach (else 404); a restricted
    caller names an order (a case without one is for unrestricted callers only)."""
    if order_id is not None:
        order_get(order_id=order_id, scope=scope)
    elif scope.restricted:
        scope.require_unrestricted("an inquiry without an order")
    if customer_id is not None:
        customer_get(customer_id=customer_id, scope=scope)
    case, _ = case_open(
        OpenCase(
            type=INQUIRY,
            title=title,
            description=description,
            actor=actor,
            priority=priority,
            order_id=order_id,
            customer_id=customer_id,
        )
    )
    return case
