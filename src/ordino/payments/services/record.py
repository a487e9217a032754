"""Recording payments: at capture (through orders' port, in the capture's transaction) and
later (`payment_add`, e.g. a bank transfer received). Rows are written pending; the worker
authorizes them after commit (`OrderCaptured`, `PaymentAdded`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import IntegrityError

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import Conflict, DomainError
from ordino.core.domain.money import money_exact
from ordino.core.domain.scope import CHANGE, UNRESTRICTED, Scope
from ordino.core.transactions import savepoint, use_case_atomic
from ordino.events.services import event_emit
from ordino.orders.models import Order
from ordino.orders.selectors import order_get
from ordino.payments import events as ev
from ordino.payments.commands import METHODS, PROVIDERS, NewPayment
from ordino.payments.domain.cards import card_data_check
from ordino.payments.domain.credit import CreditInsufficient
from ordino.payments.models import Payment
from ordino.payments.providers.base import ProviderResult
from ordino.payments.providers.credit import TOKEN_PREFIX, credit_token
from ordino.payments.selectors import payments_planned
from ordino.payments.services.common import amount_text, payments_lock, timeline, txn_open
from ordino.payments.services.credit import CreditMove, credit_move
from ordino.payments.services.send import transaction_finish

UNPAID = ("pending", "declined")  # their amounts hold nothing yet but count as planned


def payments_record(
    *, order: Order, payments: Sequence[NewPayment], actor: str, now: datetime | None = None
) -> list[Payment]:
    """Write `payments` on `order` (pending), refused as a whole (nothing written) when one is
    malformed or they add up to more than the order's current total. Served to orders'
    `payments_record` port: capture calls it in its transaction."""
    now = now or utcnow()
    existing = list(Payment.objects.filter(order_id=order.pk).order_by("sequence"))
    planned = payments_planned(existing)
    rows = []
    for i, new in enumerate(payments):
        field = f"payments.{i}"
        _check(new, field)
        if new.method == "store_credit" and order.customer_id is None:
            raise DomainError(
                "customer_required",
                "Store credit is a customer's: this order has no customer.",
                field=f"{field}.method",
            )
        left = order.current_total - planned
        amount = (
            left
            if new.amount is None
            else money_exact(new.amount, order.currency, field=f"{field}.amount")
        )
        if amount <= 0 and new.amount is not None:
            raise DomainError("invalid_amount", "A payment's amount is positive.",
                              field=f"{field}.amount")  # fmt: skip
        if amount <= 0:
            raise DomainError(
                "payment_exceeds_total",
                "Nothing of the order is left to pay.",
                field=f"{field}.amount",
            )
        if amount > left:
            raise DomainError(
                "payment_exceeds_total",
                f"The payments add up to more than the order's total {order.current_total}.",
                field=f"{field}.amount",
            )
        planned += amount
        rows.append(
            Payment(
                order_id=order.pk,
                sequence=len(existing) + i + 1,
                method=new.method,
                provider=new.provider,
                token=credit_token(order.customer_id)
                if new.method == "store_credit"
                else new.token,
                brand=new.brand,
                last4=new.last4,
                amount=amount,
                currency=order.currency,
                status="pending",
                created_at=now,
                updated_at=now,
            )
        )
    try:
        with savepoint():  # a concurrent request took the same sequence: 409, try again
            Payment.objects.bulk_create(rows)
    except IntegrityError:
        raise Conflict("order_changed", "A payment was added meanwhile; retry.") from None
    rows = list(Payment.objects.filter(order_id=order.pk, sequence__gt=len(existing)))
    for p in rows:
        timeline(
            order.pk,
            "payment_added",
            f"Payment {p.sequence} recorded: {p.method} of "
            f"{amount_text(p.amount, p.currency)}"
            + (f" ({p.brand} {p.last4})" if p.last4 else "")
            + ".",
            actor,
            {"payment_id": p.pk, "amount": str(p.amount)},
            now,
        )
    for i, p in enumerate(rows):
        if p.method == "store_credit":
            _credit_hold(p, f"payments.{i}", actor, now)
            p.refresh_from_db()  # authorized now
    return rows


def _token(new: NewPayment, order: Order) -> str:
    """A store-credit payment's token names the order's customer (providers/credit.py)."""
    return credit_token(order.customer_id) if new.method == "store_credit" else new.token


def _credit_hold(payment: Payment, field: str, actor: str, now: datetime) -> None:
    """A store-credit payment is authorized at once, in the caller's transaction: the credit
    is held under the account's lock (never overspent), or the request is refused with 422
    `store_credit_insufficient` (docs/payments.md, "Store credit")."""
    txn = txn_open(payment, "authorize", payment.amount, now)
    move = CreditMove(kind="held", amount=payment.amount, key=txn.idempotency_key,
                      order_id=payment.order_id, payment_id=payment.pk, actor=actor)  # fmt: skip
    customer_id = int(payment.token.removeprefix(TOKEN_PREFIX))
    try:
        entry = credit_move(customer_id=customer_id, currency=payment.currency, move=move, now=now)
    except CreditInsufficient as refused:
        raise CreditInsufficient(refused.message, field=f"{field}.amount") from None
    transaction_finish(
        txn_id=txn.pk, result=ProviderResult("succeeded", reference=f"credit:{entry.pk}"),
        actor=actor,
    )  # fmt: skip


def _check(new: NewPayment, field: str) -> None:
    if new.method not in METHODS:
        raise DomainError(
            "invalid_method", f"Unknown method {new.method!r}.", field=f"{field}.method"
        )
    if new.provider not in PROVIDERS:
        raise DomainError(
            "unknown_provider", f"No payment provider {new.provider!r}.", field=f"{field}.provider"
        )
    if (new.method == "store_credit") != (new.provider == "store_credit"):
        raise DomainError(
            "provider_mismatch",
            "Store credit is paid with the provider store_credit, and only it.",
            field=f"{field}.provider",
        )
    if new.provider == "store_credit":
        return  # the token is the order's customer's (`_credit_hold`)
    if new.provider in ("test", "stripe") and not new.token:
        raise DomainError(
            "token_required", "A card payment needs the provider's token.", field=f"{field}.token"
        )
    card_data_check(token=new.token, brand=new.brand, last4=new.last4, field=field)


def payment_add(
    *, order_id: int, payment: NewPayment, actor: str, scope: Scope = UNRESTRICTED
) -> Payment:
    """A payment recorded after capture (a bank transfer received, a second card): pending;
    the worker authorizes it (`PaymentAdded`)."""
    with use_case_atomic():
        order = order_get(order_id=order_id, scope=scope, reach=CHANGE)
        if order.status == "cancelled":
            raise DomainError("order_cancelled", "The order is cancelled.", status=409)
        payments_lock(order.pk)
        now = utcnow()
        (row,) = payments_record(order=order, payments=[payment], actor=actor, now=now)
        event_emit(
            event=ev.PaymentAdded(
                order_id=order.pk, payment_id=row.pk, amount=str(row.amount), currency=row.currency
            ),
            aggregate_id=order.pk,
            now=now,
        )
        return row
