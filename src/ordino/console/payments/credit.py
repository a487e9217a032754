"""Store credit on the customer page: the balance per currency and the latest entries (for
whoever may view store credit), and the form staff with the permission use to give credit or
take some back, with a reason. The same use case as the API, with the console user's scope and
name (docs/payments.md, "Store credit")."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from ordino.accounts.roles import may
from ordino.accounts.staff import console_principal
from ordino.console.pages import console_view
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.transactions import savepoint
from ordino.customers.models import Customer
from ordino.payments.credit_selectors import (
    account_serialize,
    credit_entries,
    credit_of_customer,
    entry_serialize,
)
from ordino.payments.services import IssueCredit, credit_issue

ENTRIES_SHOWN = 50
VIEW = "payments.view_storecreditaccount"
GIVE = "refund"  # the action permission (accounts/roles.py)


def credit_panel_read(
    request: HttpRequest, customer: Customer, currency: str
) -> dict[str, Any] | None:
    """The customer page's store credit card, or None for a user who may not see it.
    `currency`: the form's first choice (the customer's latest order's)."""
    if not request.user.has_perm(VIEW):
        return None
    view = credit_of_customer(customer_id=customer.pk, scope=console_principal(request).scope)
    accounts = [account_serialize(a) for a in view.accounts]
    entries = credit_entries(customer_id=customer.pk).order_by("-id")[:ENTRIES_SHOWN]
    return {
        "accounts": accounts,
        "entries": [entry_serialize(e) for e in entries],
        "shown": ENTRIES_SHOWN,
        "may_give": may(request.user, GIVE),
        "currency": currency,
    }


@console_view
@require_POST
def customer_credit_give(request: HttpRequest, customer_id: int) -> HttpResponse:
    if not may(request.user, GIVE):
        raise PermissionDenied
    principal = console_principal(request)
    back = redirect(reverse("console:customer", args=[customer_id]))
    try:
        command = IssueCredit(
            customer_id=customer_id,
            currency=request.POST.get("currency", "").strip().upper()[:3],
            amount=_amount(request.POST.get("amount")),
            reason=request.POST.get("reason", "")[:300],
            actor=principal.token.name,
            kind="adjustment" if request.POST.get("kind") == "adjustment" else "goodwill",
            expires_at=day_end(request.POST.get("expires_on")),
        )
        with savepoint():
            entry = credit_issue(command=command, scope=principal.scope)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as refused:
        messages.error(request, refused.message)
        return back
    messages.success(request, f"Store credit {entry.kind}: {entry.amount} {command.currency}.")
    return back


def day_end(raw: str | None) -> datetime | None:
    """The form's expiry day: credit expires at the end of that day, UTC (docs/payments.md)."""
    text = (raw or "").strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text[:10])
    except ValueError:
        raise DomainError("invalid_expiry", f"{text!r} is not a day.") from None
    return datetime.combine(day, time(23, 59, 59), tzinfo=UTC)


def _amount(raw: str | None) -> Decimal:
    text = (raw or "").strip().replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise DomainError("invalid_money", f"{text!r} is not an amount.") from None
    if not value.is_finite():
        raise DomainError("invalid_money", f"{text!r} is not an amount.")
    return value
