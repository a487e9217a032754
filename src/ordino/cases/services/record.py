"""What every change of a case writes: its activity row, its outbox event and, for a case about
an order, a row on the order's timeline (docs/cases.md, "On the order's timeline")."""

from __future__ import annotations

from datetime import datetime

from ordino.cases.events import CaseEvent
from ordino.cases.models import Case, CaseActivity
from ordino.events.services import event_emit
from ordino.orders.timeline import order_timeline_add

ON_TIMELINE = ("created", "escalated", "resolved")


def activity_add(
    case: Case,
    *,
    kind: str,
    actor: str,
    message: str,
    now: datetime,
    data: dict | None = None,
    event: type[CaseEvent] | None = None,
) -> None:
    CaseActivity.objects.create(
        case=case, kind=kind, actor=actor[:160], message=message[:2000], data=data or {},
        created_at=now,
    )  # fmt: skip
    if event is not None:
        event_emit(
            event=event(
                case_id=case.pk,
                type=case.type.code,
                status=case.status,
                order_id=case.order_id,
                owner_user_id=case.owner_user_id,
                owner_team_id=case.owner_team_id,
                message=message[:500],
            ),
            aggregate_id=case.pk,
            now=now,
        )
    if case.order_id is not None and kind in ON_TIMELINE:
        order_timeline_add(
            order_id=case.order_id, kind=f"case_{kind}",
            message=f"Case {case.pk} ({case.type.name}): {message}", actor=actor,
            data={"case_id": case.pk, "type": case.type.code}, now=now,
        )  # fmt: skip
