"""What opens and closes cases when other modules report something (wired in wiring.py). Each
is idempotent: a repeated delivery finds the active case of its dedupe key (docs/cases.md,
"Where cases come from")."""

from __future__ import annotations

from decimal import Decimal

from ordino.cases.domain import types as t
from ordino.cases.events import CaseAssigned, CaseEscalated
from ordino.cases.services.notify import case_mail
from ordino.cases.services.open import OpenCase, case_cause_gone, case_open
from ordino.core.domain.display import money_display
from ordino.holds import events as holds
from ordino.holds.selectors import hold_open
from ordino.orders import events as orders
from ordino.orders.models import Order
from ordino.payments import events as payments
from ordino.returns import events as returns
from ordino.risk import events as risk
from ordino.shipping import events as shipping
from ordino.sourcing.simulation import order_address_unserved

ACTOR = "system:cases"


def _number(order_id: int) -> str:
    return Order.objects.filter(pk=order_id).values_list("external_id", flat=True).first() or ""


def _customer(order_id: int) -> int | None:
    return Order.objects.filter(pk=order_id).values_list("customer_id", flat=True).first()


def _open(type_code: str, key: str, order_id: int, title: str, **links) -> None:
    case_open(
        OpenCase(
            type=type_code, title=title, actor=ACTOR, dedupe_key=f"{type_code}:{key}",
            order_id=order_id, customer_id=_customer(order_id), **links,
        )
    )  # fmt: skip


def case_on_payment_declined(event: payments.PaymentDeclined) -> None:
    _open(t.PAYMENT_DECLINED, str(event.payment_id), event.order_id,
          f"Order {_number(event.order_id)}: payment of "
          f"{money_display(event.amount, event.currency)} declined",
          payment_id=event.payment_id)  # fmt: skip


def case_on_payment_authorized(event: payments.PaymentAuthorized) -> None:
    for code in (t.PAYMENT_DECLINED, t.AUTHORIZATION_EXPIRING):
        case_cause_gone(dedupe_key=f"{code}:{event.payment_id}",
                        why="the payment was authorized")  # fmt: skip


def case_on_pickup_expired(event: orders.OrderPickupExpired) -> None:
    fo_id = event.details.get("fulfillment_order_id")
    _open(t.PICKUP_UNCOLLECTED, str(fo_id or event.order_id), event.order_id,
          f"Order {_number(event.order_id)}: pickup not collected in time",
          fulfillment_order_id=fo_id)  # fmt: skip


def case_on_captured(event: orders.OrderCaptured) -> None:
    """No location reaches the shipping address (whatever sourcing's outcome): the address is
    the exception, `address_unshippable`. Else sourcing's `review` outcome: a person decides
    where the order goes."""
    sourcing = event.details.get("sourcing") or {}
    unserved = sourcing.get("address_unserved")
    if unserved:
        _open(t.ADDRESS_UNSHIPPABLE, str(event.order_id), event.order_id,
              f"Order {_number(event.order_id)}: no location ships to its address "
              f"({unserved})"[:200], data={"why": str(unserved)[:400]})  # fmt: skip
        return
    if sourcing.get("outcome") != "review":
        return
    _open(t.SOURCING_REVIEW, str(event.order_id), event.order_id,
          f"Order {_number(event.order_id)}: sourcing sent it to review")  # fmt: skip


def case_on_edited(event: orders.OrderEdited) -> None:
    """The shipping address was changed: once a location can serve it, the case about the old
    one resolves by itself (sourcing asked again, over today's stock)."""
    if "shipping_address" not in event.details:
        return
    if order_address_unserved(order_id=event.order_id) is None:
        why = "the shipping address was changed to one a location serves"
        case_cause_gone(dedupe_key=f"{t.ADDRESS_UNSHIPPABLE}:{event.order_id}", why=why)


def case_on_risk_flagged(event: risk.OrderRiskFlagged) -> None:
    """Fraud screening scored the order at or over the review threshold (docs/risk.md)."""
    _open(t.FRAUD_REVIEW, str(event.order_id), event.order_id,
          f"Order {_number(event.order_id)}: fraud risk {event.score} "
          f"(review from {event.review_threshold})")  # fmt: skip


def case_on_risk_cleared(event: risk.OrderRiskCleared) -> None:
    case_cause_gone(dedupe_key=f"{t.FRAUD_REVIEW}:{event.order_id}",
                    why=f"a re-score put the risk at {event.score}")  # fmt: skip


def case_on_rerouted(event: orders.OrderRerouted) -> None:
    """Rejected, and no other location took the items: rejected at every location."""
    if event.details.get("rerouted_to") or not event.details.get("backordered"):
        return
    _open(t.REJECTED_EVERYWHERE, str(event.order_id), event.order_id,
          f"Order {_number(event.order_id)}: rejected at every location",
          fulfillment_order_id=event.details.get("fulfillment_order_id"))  # fmt: skip


def case_on_refund_refused(event: returns.ReturnRefundRefused) -> None:
    _open(t.REFUND_REFUSED, f"{event.return_id}:{event.details.get('receipt', '')}",
          event.order_id, f"Return {event.number}: refund refused "
          f"({event.details.get('message', '')})"[:200])  # fmt: skip


def _hold_case_type(kind: str) -> str:
    return t.APPROVAL_REQUIRED if kind == "approval" else t.ORDER_HOLD


def case_on_order_held(event: holds.OrderHeld) -> None:
    """A rule held the order: a person releases it (or cancels the order). A system cause (a
    declined payment) has its own case already, so it opens none here; a hold released before
    this delivery opens none either."""
    if not event.rule or not hold_open(hold_id=event.hold_id):
        return
    what = "approval required" if event.kind == "approval" else "held"
    _open(_hold_case_type(event.kind), str(event.hold_id), event.order_id,
          f"Order {_number(event.order_id)} {what}: {event.reason}",
          data={"hold_id": event.hold_id, "rule": event.rule})  # fmt: skip


def case_on_hold_released(event: holds.OrderHoldReleased) -> None:
    """Released in any way (a person, its cause cleared, its rule retired): its case resolves."""
    case_cause_gone(dedupe_key=f"{_hold_case_type(event.kind)}:{event.hold_id}",
                    why=f"the hold was released ({event.how.replace('_', ' ')})")  # fmt: skip


def case_on_refund_reversed(event: payments.RefundReversed) -> None:
    _open(t.REFUND_FAILED, str(event.refund_id), event.order_id,
          f"Order {_number(event.order_id)}: refund of "
          f"{money_display(event.amount, event.currency)} failed, owed again "
          f"({event.message})"[:200])  # fmt: skip


def case_on_refunded_outside(event: payments.PaymentRefundedOutside) -> None:
    """Only what could not be booked needs a person; a booked dashboard refund is on the
    order's money panel and timeline."""
    if not Decimal(event.unbooked or "0") > 0:
        return
    _open(t.REFUND_UNMATCHED, str(event.payment_id), event.order_id,
          f"Order {_number(event.order_id)}: "
          f"{money_display(event.unbooked, event.currency)} refunded at the provider beyond "
          "what was captured", payment_id=event.payment_id)  # fmt: skip


def case_on_authorization_expiring(event: payments.PaymentAuthorizationExpiring) -> None:
    _open(t.AUTHORIZATION_EXPIRING, str(event.payment_id), event.order_id,
          f"Order {_number(event.order_id)}: authorization of "
          f"{money_display(event.amount, event.currency)} lapses before the goods ship "
          f"({event.message})"[:200], payment_id=event.payment_id)  # fmt: skip


def case_on_tracking_failed(event: shipping.TrackingFailed) -> None:
    """A parcel will not arrive (docs/shipping.md, "Tracking"): one case per parcel."""
    words = event.status.replace("_", " ")
    _open(t.DELIVERY_FAILED, str(event.tracker_id), event.order_id,
          f"Order {_number(event.order_id)}: {event.carrier} {event.tracking_number} {words}"
          f" ({event.description})"[:200],
          fulfillment_order_id=event.fulfillment_order_id)  # fmt: skip


def case_on_tracking_delivered(event: shipping.TrackingDelivered) -> None:
    case_cause_gone(dedupe_key=f"{t.DELIVERY_FAILED}:{event.tracker_id}", actor=ACTOR,
                    why="the carrier delivered the parcel after all")  # fmt: skip


def cases_on_order_progress(event: orders.OrderEvent) -> None:
    """Backordered units were placed, or the order was cancelled: the order's exceptions that
    were about where it goes are gone."""
    if event.status not in ("cancelled",) and event.name != "order.backorder_filled":
        return
    why = "the order was cancelled" if event.status == "cancelled" else "the backorder was filled"
    for code in (t.REJECTED_EVERYWHERE, t.SOURCING_REVIEW, t.BACKORDER_OVERDUE, t.FRAUD_REVIEW,
                 t.ADDRESS_UNSHIPPABLE):  # fmt: skip
        if code in (t.BACKORDER_OVERDUE, t.FRAUD_REVIEW, t.ADDRESS_UNSHIPPABLE) and (
            event.status != "cancelled"
        ):
            continue  # the sweep resolves it once nothing at all is backordered
        case_cause_gone(dedupe_key=f"{code}:{event.order_id}", why=why)


def case_mail_on_assigned(event: CaseAssigned) -> None:
    case_mail(event, template="assigned")


def case_mail_on_escalated(event: CaseEscalated) -> None:
    case_mail(event, template="escalated")
