"""HTTP adapter for payments (mounted under /orders): parse, call one service or selector,
serialise. Reads need `orders:read`, writes `orders:write`; an order outside the token's scope
is 404. No provider is called in a request: the worker sends after commit."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from ordino.core.principal import principal_of
from ordino.payments import selectors, services
from ordino.payments.schemas import (
    OrderBalanceOut,
    OrderRefundIn,
    OrderRefundOut,
    PaymentIn,
    PaymentOut,
    RefundResendIn,
)

router = Router(tags=["payments"])


def _actor(request: HttpRequest) -> str:
    return f"token:{principal_of(request).token.name}"


@router.post(
    "/{int:order_id}/payments", response={201: PaymentOut}, summary="Add a payment to an order"
)
def payment_add(request: HttpRequest, order_id: int, payload: PaymentIn):
    """Record a payment after capture (a bank transfer received, a second card): pending; the
    worker authorizes it. Its amount (default: what the order's total leaves) may not take the
    payments past the order's current total (422 `payment_exceeds_total`)."""
    principal = principal_of(request)
    principal.require("orders:write")
    payment = services.payment_add(
        order_id=order_id, payment=payload.command(), actor=_actor(request), scope=principal.scope
    )
    return Status(201, selectors.payment_serialize(payment))


@router.post(
    "/{int:order_id}/payments/{int:payment_id}/retry",
    response={202: PaymentOut},
    summary="Retry a payment's failed calls",
)
def payment_retry(request: HttpRequest, order_id: int, payment_id: int):
    """Send a payment's failed or unanswered provider calls again, with their own idempotency
    keys (never a second charge); a declined authorization is tried anew. Nothing waiting:
    409 `nothing_to_retry`."""
    principal = principal_of(request)
    principal.require("orders:write")
    payment = services.payment_retry(
        order_id=order_id, payment_id=payment_id, actor=_actor(request), scope=principal.scope
    )
    return Status(202, selectors.payment_serialize(payment))


@router.post("/{int:order_id}/refunds", response={201: OrderRefundOut}, summary="Refund an order")
def refund_create(request: HttpRequest, order_id: int, payload: OrderRefundIn):
    """Refund shipped units of lines (their money, tax included), shipping and goodwill; never
    more than captured and not refunded (409 `refund_exceeds_captured`). Recorded pending; the
    worker sends it to the providers."""
    principal = principal_of(request)
    principal.require("orders:write")
    refund = services.refund_create(
        command=payload.command(order_id, _actor(request)), scope=principal.scope
    )
    return Status(201, selectors.refund_serialize(refund))


@router.post(
    "/{int:order_id}/refunds/{int:refund_id}/resend",
    response={202: OrderRefundOut},
    summary="Send a refund that failed later again",
)
def refund_resend(request: HttpRequest, order_id: int, refund_id: int, payload: RefundResendIn):
    """A refund the provider accepted and that failed later (status `reversed`: the money is
    owed to the customer again) is sent again, to the payments or to the customer's store
    credit; its credit note stands. Another status: 409 `refund_not_reversed`."""
    principal = principal_of(request)
    principal.require("orders:write")
    refund = services.refund_resend(
        order_id=order_id, refund_id=refund_id, to=payload.to, actor=_actor(request),
        scope=principal.scope,
    )  # fmt: skip
    return Status(202, selectors.refund_serialize(refund))


@router.get("/{int:order_id}/balance", response=OrderBalanceOut, summary="An order's money")
def order_balance(request: HttpRequest, order_id: int):
    """Ordered (the current total), authorized, captured, refunded, voided and outstanding, per
    payment and per line (line 0: shipping), with the transactions and refunds behind them."""
    principal = principal_of(request)
    principal.require("orders:read")
    return selectors.order_balance_get(order_id=order_id, scope=principal.scope)
