"""A location works through its queue: accept, pick, pack; hold and release."""

from __future__ import annotations

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.core.transactions import use_case_atomic
from ordino.fulfillment.domain import status as fs
from ordino.fulfillment.models import FulfillmentOrder
from ordino.fulfillment.ports import OrderNews, order_tell
from ordino.fulfillment.services.common import fo_load, fo_move


def _step(
    *,
    fo_id: int,
    target: str,
    actor: str,
    verb: str,
    scope: Scope,
    note: str = "",
    **fields,
) -> FulfillmentOrder:
    with use_case_atomic():
        loaded = fo_load(fo_id=fo_id, scope=scope)
        now = utcnow()
        fo_move(loaded.fo, target, now, **fields)
        message = f"{verb.capitalize()} at {loaded.fo.location.code}" + (
            f": {note}" if note else ""
        )
        where = {"fulfillment_order_id": fo_id, "location": loaded.fo.location.code}
        # A step in the location's queue: the order records it; its status stays.
        order_tell(
            OrderNews(
                order_id=loaded.fo.order_id,
                kind=f"fulfillment_{target}",
                message=message + ".",
                data=where,
                actor=actor,
                now=now,
                status_follows=False,
            )
        )
        return loaded.fo


def fulfillment_accept(*, fo_id: int, actor: str, scope: Scope = UNRESTRICTED) -> FulfillmentOrder:
    """The location takes the work on; from now on its lines can no longer be edited."""
    return _step(
        fo_id=fo_id,
        target=fs.ACCEPTED,
        actor=actor,
        verb="accepted",
        scope=scope,
        accepted_at=utcnow(),
    )


def fulfillment_pick_start(
    *, fo_id: int, actor: str, scope: Scope = UNRESTRICTED
) -> FulfillmentOrder:
    return _step(fo_id=fo_id, target=fs.PICKING, actor=actor, verb="picking", scope=scope)


def fulfillment_pack(*, fo_id: int, actor: str, scope: Scope = UNRESTRICTED) -> FulfillmentOrder:
    return _step(fo_id=fo_id, target=fs.PACKED, actor=actor, verb="packed", scope=scope)


def fulfillment_hold(
    *, fo_id: int, reason: str, actor: str, scope: Scope = UNRESTRICTED
) -> FulfillmentOrder:
    if not reason.strip():
        raise DomainError("reason_required", "Say why the work is on hold.", field="reason")
    return _step(
        fo_id=fo_id,
        target=fs.ON_HOLD,
        actor=actor,
        verb="put on hold",
        scope=scope,
        note=reason.strip(),
    )


def fulfillment_release(*, fo_id: int, actor: str, scope: Scope = UNRESTRICTED) -> FulfillmentOrder:
    """Back to the queue after a hold: open again (accepted if it had been accepted)."""
    with use_case_atomic():
        fo = fo_load(fo_id=fo_id, scope=scope).fo
        if fo.status != fs.ON_HOLD:
            raise DomainError("not_on_hold", "This fulfillment order is not on hold.", status=409)
        target = fs.ACCEPTED if fo.accepted_at else fs.OPEN
    return _step(fo_id=fo_id, target=target, actor=actor, verb="released", scope=scope)
