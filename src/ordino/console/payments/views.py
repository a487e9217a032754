"""The money panel's actions: retry a payment, capture one now, refund (after a preview of the
amount). Each calls the same use case as the API, with the console user's scope and name, and
only with the action permission `refund` (accounts/roles.py)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from ordino.accounts.staff import console_principal
from ordino.console.orders.views import _acting_on, _run
from ordino.console.pages import console_render, console_view
from ordino.console.payments.credit import day_end
from ordino.core.domain.errors import DomainError
from ordino.orders.models import OrderLine
from ordino.payments.commands import REFUND_TO, RefundLine, RefundOrder
from ordino.payments.services import (
    payment_capture_now,
    payment_retry,
    refund_create,
    refund_resend,
)

CONFIRM = "console/payments/refund_confirm.html"


def _payment_action(
    request: HttpRequest, order_id: int, payment_id: int, use_case, done: str
) -> HttpResponse:
    """One payment's action from the money panel: the order under the user's `refund`
    permission and scope, `use_case(order_id=, payment_id=, actor=, scope=)` as the API calls
    it, and `done` as the message (a refusal's words instead, nothing changed)."""
    order = _acting_on(request, order_id, action="refund")
    principal = console_principal(request)
    return _run(
        request, order.pk, done,
        lambda: use_case(order_id=order.pk, payment_id=payment_id,
                         actor=principal.token.name, scope=principal.scope),
    )  # fmt: skip


@console_view
@require_POST
def payment_retry_view(request: HttpRequest, order_id: int, payment_id: int) -> HttpResponse:
    return _payment_action(
        request, order_id, payment_id, payment_retry,
        "Retry asked: the worker sends the payment again.",
    )  # fmt: skip


@console_view
@require_POST
def payment_capture_view(request: HttpRequest, order_id: int, payment_id: int) -> HttpResponse:
    return _payment_action(request, order_id, payment_id, payment_capture_now, "Capture sent.")


@console_view
@require_POST
def order_refund(request: HttpRequest, order_id: int) -> HttpResponse:
    """Refund lines' units, shipping and goodwill: first a preview (the refund computed and
    rolled back), then, confirmed, recorded."""
    order = _acting_on(request, order_id, action="refund")
    principal = console_principal(request)
    try:
        command = _command(request, order.pk, principal.token.name)
    except DomainError as refused:
        return console_render(request, CONFIRM, {"order": order, "refused": refused.message},
                              title="Refund")  # fmt: skip
    if request.POST.get("confirmed"):
        return _run(request, order.pk, "Refund recorded: the worker sends it.",
                    lambda: refund_create(command=command, scope=principal.scope))  # fmt: skip
    try:
        with transaction.atomic():  # the refund as it would be, then undone: the preview
            refund = refund_create(command=command, scope=principal.scope)
            preview = {"lines": refund.lines, "shipping": refund.shipping,
                       "goodwill": refund.goodwill, "amount": refund.amount,
                       "reason": refund.reason, "to": refund.to,
                       "expires_at": command.expires_at}  # fmt: skip
            transaction.set_rollback(True)
    except DomainError as refused:
        return console_render(request, CONFIRM, {"order": order, "refused": refused.message},
                              title="Refund")  # fmt: skip
    fields = [(k, v) for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken",)]
    return console_render(request, CONFIRM, {"order": order, "preview": preview,
                                             "fields": fields}, title="Refund")  # fmt: skip


@console_view
@require_POST
def refund_resend_view(request: HttpRequest, order_id: int, refund_id: int) -> HttpResponse:
    """Send again a refund that failed after the provider accepted it (docs/payments.md, "A
    refund that fails later"): to the payments or to the customer's store credit."""
    order = _acting_on(request, order_id, action="refund")
    principal = console_principal(request)
    to = request.POST.get("to", "original")
    return _run(
        request, order.pk, "Refund sent again.",
        lambda: refund_resend(order_id=order.pk, refund_id=refund_id, to=to,
                              actor=principal.token.name, scope=principal.scope),
    )  # fmt: skip


def _command(request: HttpRequest, order_id: int, actor: str) -> RefundOrder:
    post = request.POST
    reason = post.get("reason", "").strip()
    if not 1 <= len(reason) <= 255:
        raise DomainError("reason_required", "Say why you refund (up to 255 characters).")
    to = post.get("to", "original")
    if to not in REFUND_TO:
        raise DomainError("invalid_refund_to", "Refund to the original payments or store credit.")
    lines = []
    for no in OrderLine.objects.filter(order_id=order_id).values_list("line_no", flat=True):
        raw = post.get(f"refund_{no}", "0").strip() or "0"
        if not raw.isdigit() or int(raw) > 1_000_000:
            raise DomainError("invalid_quantity", f"Line {no}: units are a whole number.")
        if int(raw):
            lines.append(RefundLine(no, int(raw)))
    return RefundOrder(
        order_id=order_id, lines=tuple(lines), shipping=_amount(post.get("shipping")),
        goodwill=_amount(post.get("goodwill")), reason=reason, actor=actor, to=to,
        # the *Expires after* day, store credit only: the end of that day, UTC
        expires_at=day_end(post.get("expires_on")) if to == "store_credit" else None,
    )  # fmt: skip


def _amount(raw: str | None) -> Decimal:
    text = (raw or "0").strip().replace(",", ".") or "0"
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise DomainError("invalid_money", f"{text!r} is not an amount.") from None
    if not value.is_finite() or value < 0 or value > Decimal("1e12"):
        raise DomainError("invalid_money", f"{text!r} is not an amount.")
    return value
