"""What every step of a return shares: the order's timeline row and the return's event, written
in the step's transaction; and the guarded state change."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F

from ordino.core.domain.errors import Conflict
from ordino.events.services import event_emit
from ordino.orders.timeline import order_timeline_add
from ordino.returns.events import ReturnEvent
from ordino.returns.models import Return


def return_record(
    *,
    ret: Return,
    event: type[ReturnEvent],
    message: str,
    actor: str,
    details: dict,
    now: datetime,
) -> None:
    """The order's timeline row (kind = the event's name) and the return's outbox event."""
    data = {"return_id": ret.pk, "number": ret.number, **details}
    order_timeline_add(
        order_id=ret.order_id, kind=event.name, message=message, actor=actor, data=data, now=now
    )
    event_emit(
        event=event(
            return_id=ret.pk,
            number=ret.number,
            order_id=ret.order_id,
            state=ret.state,
            details=details,
        ),
        aggregate_id=ret.pk,
        now=now,
    )


def return_update(ret: Return, *, now: datetime, **fields) -> Return:
    """Change the return if nobody changed it since it was read (its version), else 409: two
    people acting on one return at once never both win."""
    done = Return.objects.filter(pk=ret.pk, version=ret.version).update(
        version=F("version") + 1, updated_at=now, **fields
    )
    if not done:
        raise Conflict("return_changed", "The return changed meanwhile; reload and retry.")
    ret.refresh_from_db()
    return ret
