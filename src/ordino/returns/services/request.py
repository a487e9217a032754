"""Asking for a return: eligibility first (returns/domain/eligibility.py), then the return, its
lines, the order's timeline and `return.requested`. A refused request changes nothing and names
the field (`lines.0.quantity`, ...)."""

from __future__ import annotations

from django.db import IntegrityError
from django.db.models import Max

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import Conflict, DomainError, NotFound
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.core.transactions import savepoint, use_case_atomic
from ordino.locations.models import Location
from ordino.locations.selectors import location_get
from ordino.orders.models import Order, OrderLine
from ordino.orders.selectors import order_get
from ordino.returns import selectors
from ordino.returns.commands import CREATED_VIA, RequestReturn
from ordino.returns.domain import states
from ordino.returns.domain.eligibility import REASONS, Wanted, request_check
from ordino.returns.events import ReturnRequested
from ordino.returns.models import Return, ReturnLine
from ordino.returns.services.record import return_record

NOTE_MAX = 500


def return_request(*, command: RequestReturn, scope: Scope = UNRESTRICTED) -> Return:
    """Request a return of some shipped units of an order, to be received at one location."""
    _inputs_check(command)
    with use_case_atomic():
        order = order_get(order_id=command.order_id, scope=scope)
        location = _location(command.location_code, scope)
        if not selectors.return_reached(
            scope, channel_id=order.channel_id, location_id=location.pk
        ):
            raise NotFound("location", command.location_code, field="location")
        lines = {line.line_no: line for line in OrderLine.objects.filter(order_id=order.pk)}
        facts = selectors.order_line_facts(order=order, lines=list(lines.values()))
        now = utcnow()
        wanted = [Wanted(item.line_no, item.quantity) for item in command.lines]
        request_check(lines=facts, wanted=wanted, now=now)
        ret = _create(order, location, command, now)
        ReturnLine.objects.bulk_create(
            [
                ReturnLine(
                    ret=ret,
                    order_line=lines[item.line_no],
                    line_no=item.line_no,
                    sku_code=lines[item.line_no].sku_code,
                    quantity=item.quantity,
                    reason=item.reason or command.reason,
                )
                for item in command.lines
            ]
        )
        units = sum(item.quantity for item in command.lines)
        return_record(
            ret=ret,
            event=ReturnRequested,
            actor=command.actor,
            now=now,
            message=f"Return {ret.number} requested: {units} unit(s) to {location.code} "
            f"({command.reason.replace('_', ' ')}).",
            details={
                "location": location.code,
                "reason": command.reason,
                "created_via": command.created_via,
                "lines": [{"line_no": i.line_no, "quantity": i.quantity} for i in command.lines],
            },
        )
        return ret


def _inputs_check(command: RequestReturn) -> None:
    """What needs no database: reasons, the note, where it came from."""
    errors = []
    if command.reason not in REASONS:
        errors.append(_reason_error("reason"))
    for i, item in enumerate(command.lines):
        if item.reason and item.reason not in REASONS:
            errors.append(_reason_error(f"lines.{i}.reason"))
    if len(command.customer_note) > NOTE_MAX:
        errors.append(
            {
                "field": "customer_note",
                "code": "note_too_long",
                "message": f"At most {NOTE_MAX} characters.",
            }
        )
    if command.created_via not in CREATED_VIA:
        raise ValueError(f"created_via {command.created_via!r}")
    if errors:
        raise DomainError(errors[0]["code"], errors[0]["message"], errors=errors)


def _reason_error(field: str) -> dict[str, str]:
    return {
        "field": field,
        "code": "reason_invalid",
        "message": f"A reason is one of: {', '.join(REASONS)}.",
    }


def _location(code: str, scope: Scope) -> Location:
    try:
        return location_get(code=code, scope=scope)
    except NotFound:
        raise NotFound("location", code, field="location") from None


def next_seq(order_id: int) -> int:
    return (Return.objects.filter(order_id=order_id).aggregate(m=Max("seq"))["m"] or 0) + 1


def _create(order: Order, location: Location, command: RequestReturn, now) -> Return:
    """The return row, numbered R<order>-<n>. Two requests for one order at once take the
    same number: the second is refused (409) rather than both passing eligibility."""
    seq = next_seq(order.pk)
    try:
        with savepoint():
            return Return.objects.create(
                order=order,
                seq=seq,
                number=f"R{order.pk}-{seq}",
                state=states.REQUESTED,
                reason=command.reason,
                customer_note=command.customer_note.strip(),
                location=location,
                created_via=command.created_via,
                actor=command.actor[:128],
                created_at=now,
                updated_at=now,
            )
    except IntegrityError:
        raise Conflict(
            "return_changed", "Another return of this order was just requested; retry."
        ) from None
