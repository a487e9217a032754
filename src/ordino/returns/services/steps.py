"""A return's steps other than its request and its receipt: approve (→ open, its reverse
shipment expected at the location), decline (with a reason), cancel (before anything came
back), close (nothing more expected). Each writes the order's timeline and its event."""

from __future__ import annotations

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.core.transactions import use_case_atomic
from ordino.returns import selectors
from ordino.returns.domain import states
from ordino.returns.events import ReturnApproved, ReturnCancelled, ReturnClosed, ReturnDeclined
from ordino.returns.models import Return, ReturnLine, ReturnShipment
from ordino.returns.services.record import return_record, return_update

TEXT_MAX = 255


def return_approve(
    *,
    return_id: int,
    actor: str,
    scope: Scope = UNRESTRICTED,
    carrier: str = "",
    tracking_number: str = "",
) -> Return:
    """Accept the return: it is open, and its parcel is expected at the receiving location
    (its reverse shipment, with the inbound tracking number when known)."""
    with use_case_atomic():
        ret = selectors.return_get(return_id=return_id, scope=scope)
        states.transition_check(ret.state, states.OPEN)
        now = utcnow()
        ret = return_update(ret, now=now, state=states.OPEN, approved_at=now)
        ReturnShipment.objects.create(
            ret=ret,
            location_id=ret.location_id,
            state="expected",
            carrier=carrier[:64],
            tracking_number=tracking_number[:128],
            created_at=now,
        )
        tracking = f", tracking {tracking_number}" if tracking_number else ""
        return_record(
            ret=ret,
            event=ReturnApproved,
            actor=actor,
            now=now,
            message=f"Return {ret.number} approved{tracking}.",
            details={
                "location": ret.location.code,
                "carrier": carrier,
                "tracking_number": tracking_number,
            },
        )
        return ret


def return_decline(
    *, return_id: int, reason: str, actor: str, scope: Scope = UNRESTRICTED
) -> Return:
    reason = _text_check(reason, "reason")
    with use_case_atomic():
        ret = selectors.return_get(return_id=return_id, scope=scope)
        states.transition_check(ret.state, states.DECLINED)
        now = utcnow()
        ret = return_update(
            ret, now=now, state=states.DECLINED, decline_reason=reason, closed_at=now
        )
        return_record(
            ret=ret,
            event=ReturnDeclined,
            actor=actor,
            now=now,
            message=f"Return {ret.number} declined: {reason}",
            details={"reason": reason},
        )
        return ret


def return_cancel(
    *, return_id: int, actor: str, scope: Scope = UNRESTRICTED, reason: str = ""
) -> Return:
    """Withdraw the return (the customer changed their mind) before any unit came back."""
    reason = reason.strip()[:TEXT_MAX]
    with use_case_atomic():
        ret = selectors.return_get(return_id=return_id, scope=scope)
        received = sum(line.received for line in ReturnLine.objects.filter(ret=ret))
        states.cancel_check(ret.state, received)
        now = utcnow()
        ret = return_update(ret, now=now, state=states.CANCELLED, closed_at=now)
        ReturnShipment.objects.filter(ret=ret).update(state="cancelled")
        return_record(
            ret=ret,
            event=ReturnCancelled,
            actor=actor,
            now=now,
            message=f"Return {ret.number} cancelled" + (f": {reason}" if reason else "") + ".",
            details={"reason": reason},
        )
        return ret


def return_close(*, return_id: int, actor: str, scope: Scope = UNRESTRICTED) -> Return:
    """Nothing more is expected: units not received by now no longer count as requested."""
    with use_case_atomic():
        ret = selectors.return_get(return_id=return_id, scope=scope)
        states.transition_check(ret.state, states.CLOSED)
        now = utcnow()
        ret = return_update(ret, now=now, state=states.CLOSED, closed_at=now)
        ReturnShipment.objects.filter(ret=ret, state="expected").update(state="closed")
        lines = list(ReturnLine.objects.filter(ret=ret))
        details = {
            "received": sum(line.received for line in lines),
            "not_received": sum(line.quantity - line.received for line in lines),
        }
        return_record(
            ret=ret,
            event=ReturnClosed,
            actor=actor,
            now=now,
            message=f"Return {ret.number} closed: {details['received']} unit(s) received, "
            f"{details['not_received']} not.",
            details=details,
        )
        return ret


def _text_check(text: str, field: str) -> str:
    text = text.strip()
    if not 1 <= len(text) <= TEXT_MAX:
        raise DomainError("invalid_reason", f"Say why, in 1 to {TEXT_MAX} characters.", field=field)
    return text
