"""The one-click resolutions (docs/cases.md, "One-click resolutions"): each calls the owning
module's use case with the agent's scope, then closes the case (or, when the answer comes later,
sets it waiting: a retried payment resolves its case by itself once authorized). A resolution
the case's type does not offer is 409 `resolution_not_offered`; a refused step changes nothing."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from ordino.cases.domain import status as st
from ordino.cases.models import Case
from ordino.cases.selectors import resolutions_offered
from ordino.cases.services.clock import clock_stop
from ordino.cases.services.record import activity_add
from ordino.cases.services.work import case_close, case_locked
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.core.domain.scope import CHANGE, UNRESTRICTED, Scope
from ordino.holds.domain.rules import ReleaseNeed
from ordino.holds.services import hold_release, order_holds_release_reading
from ordino.orders.models import OrderLine
from ordino.orders.selectors import order_get
from ordino.orders.services import backorders_fill_order, order_cancel
from ordino.payments.services import payment_retry

RISK_SCORE = "risk.score"  # the fact a fraud review's approval clears (rules/domain/order_facts)


def case_resolve(
    *, case_id: int, resolution: str, actor: str, note: str = "", scope: Scope = UNRESTRICTED,
    permitted: Callable[[ReleaseNeed], bool] | None = None,
) -> Case:  # fmt: skip
    """`permitted`: may the agent release a hold needing this (`release_hold`; docs/holds.md,
    "Releasing"); None: the operator's command line."""
    with case_locked(case_id, scope) as case:
        if case.status not in st.ACTIVE:
            raise DomainError("case_closed", f"Case {case.pk} is {case.status}.", status=409)
        if resolution not in resolutions_offered(case):
            raise DomainError(
                "resolution_not_offered",
                f"A {case.type.name.lower()} case offers "
                f"{', '.join(resolutions_offered(case)) or 'nothing'}.",
                field="resolution", status=409,
            )  # fmt: skip
        if resolution == "release_hold":
            return _release_hold(case, actor=actor, note=note, scope=scope, permitted=permitted)
        if resolution == "approve":
            return _approve(case, actor=actor, note=note, scope=scope, permitted=permitted)
        return RESOLVE[resolution](case, actor=actor, note=note, scope=scope)


def _resolve(case: Case, *, actor: str, note: str, scope: Scope) -> Case:
    return case_close(case=case, resolution="resolve", actor=actor, note=note)


def _void(case: Case, *, actor: str, note: str, scope: Scope) -> Case:
    return case_close(case=case, resolution="void", actor=actor, note=note, void=True)


def _retry_payment(case: Case, *, actor: str, note: str, scope: Scope) -> Case:
    payment_retry(order_id=case.order_id, payment_id=case.payment_id, actor=actor, scope=scope)
    return _wait(case, actor=actor, message="Payment retry requested; resolves once authorized.")


def _reroute(case: Case, *, actor: str, note: str, scope: Scope) -> Case:
    _order_reach(case, scope)
    placed = backorders_fill_order(order_id=case.order_id, actor=actor)
    if not placed:
        raise DomainError(
            "nothing_rerouted", "No location can take the backordered units now.", status=409
        )
    return case_close(case=case, resolution="reroute", actor=actor,
                      note=note or f"{placed} unit(s) placed.")  # fmt: skip


def _cancel_line(case: Case, *, actor: str, note: str, scope: Scope) -> Case:
    lines = list(
        OrderLine.objects.filter(order_id=case.order_id, quantity_backordered__gt=0)
        .order_by("line_no")
        .values_list("line_no", "quantity_backordered")
    )
    if not lines:
        raise DomainError("nothing_to_cancel", "The order has no backordered units.", status=409)
    order_cancel(order_id=case.order_id, lines=lines, actor=actor, scope=scope,
                 reason=note or f"case {case.pk}")  # fmt: skip
    units = sum(q for _, q in lines)
    return case_close(case=case, resolution="cancel_line", actor=actor,
                      note=note or f"{units} backordered unit(s) cancelled.")  # fmt: skip


def _contact_customer(case: Case, *, actor: str, note: str, scope: Scope) -> Case:
    """E-mail the customer the agent's note (sent after commit); the case waits for them."""
    if not note.strip():
        raise DomainError("note_missing", "Write what to tell the customer.", field="note")
    address = (case.order.email if case.order_id else "") or (
        case.customer.email if case.customer_id else ""  # type: ignore[union-attr]
    )
    if not address:
        raise DomainError("no_email", "Neither the order nor the customer has an e-mail.",
                          status=409)  # fmt: skip
    subject = f"About your order {case.order.external_id}" if case.order_id else "Your inquiry"
    mail = EmailMessage(subject=subject, body=note, from_email=settings.DEFAULT_FROM_EMAIL,
                        to=[address])  # fmt: skip
    transaction.on_commit(mail.send)
    now = utcnow()
    activity_add(case, kind="contacted", actor=actor, message=f"E-mailed {address}: {note}",
                 now=now)  # fmt: skip
    return _wait(case, actor=actor, message="Waiting for the customer.")


def _release_hold(
    case: Case, *, actor: str, note: str, scope: Scope,
    permitted: Callable[[ReleaseNeed], bool] | None,
) -> Case:  # fmt: skip
    """The holds use case, with the agent's scope and permission; the hold's release resolves
    this case by itself later (`order.hold_released`), so it is closed here now."""
    _order_reach(case, scope)
    reason = note.strip() or f"released from case {case.pk}"
    hold_release(hold_id=case.data["hold_id"], actor=actor, reason=reason, permitted=permitted)
    return case_close(case=case, resolution="release_hold", actor=actor, note=note)


def _cancel_order(case: Case, *, actor: str, note: str, scope: Scope) -> Case:
    """Cancel what is left of the order (its holds go with it: docs/holds.md)."""
    order_cancel(order_id=case.order_id, lines=None, actor=actor, scope=scope,
                 reason=note or f"case {case.pk}")  # fmt: skip
    return case_close(case=case, resolution="cancel_order", actor=actor,
                      note=note or "The order was cancelled.")  # fmt: skip


def _approve(
    case: Case, *, actor: str, note: str, scope: Scope,
    permitted: Callable[[ReleaseNeed], bool] | None,
) -> Case:  # fmt: skip
    """A fraud review found the order genuine: it goes on, and the holds its score placed (rules
    reading `risk.score`) are released through holds' use case with the agent's permission —
    one the agent may not release refuses the approve, nothing changes (docs/risk.md)."""
    _order_reach(case, scope)
    released = order_holds_release_reading(
        order_id=case.order_id, fact=RISK_SCORE, actor=actor, permitted=permitted,
        reason=note.strip() or f"approved in fraud review (case {case.pk})",
    )  # fmt: skip
    done = f" {len(released)} hold(s) on its risk score released." if released else ""
    return case_close(case=case, resolution="approve", actor=actor,
                      note=note or f"The order is genuine.{done}")  # fmt: skip


def _reject(case: Case, *, actor: str, note: str, scope: Scope) -> Case:
    """A fraud review found the order fraudulent: the whole order is cancelled (its stock
    released, its money voided, as for any cancellation)."""
    order_cancel(order_id=case.order_id, lines=None, actor=actor, scope=scope,
                 reason=note or f"rejected as fraud (case {case.pk})")  # fmt: skip
    return case_close(case=case, resolution="reject", actor=actor,
                      note=note or "Rejected as fraud; the order is cancelled.")  # fmt: skip


def _wait(case: Case, *, actor: str, message: str) -> Case:
    now = utcnow()
    if case.status != st.WAITING:
        before, case.status = case.status, st.WAITING
        clock_stop(case, now)
        case.updated_at = now
        case.save()
        activity_add(case, kind="status", actor=actor, message=f"{before} → waiting: {message}",
                     now=now)  # fmt: skip
    return case


def _order_reach(case: Case, scope: Scope) -> None:
    order_get(order_id=case.order_id, scope=scope, reach=CHANGE)


RESOLVE = {
    "resolve": _resolve,
    "void": _void,
    "retry_payment": _retry_payment,
    "reroute": _reroute,
    "cancel_line": _cancel_line,
    "contact_customer": _contact_customer,
    "cancel_order": _cancel_order,
    "reject": _reject,
}
