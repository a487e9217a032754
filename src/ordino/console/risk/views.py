"""Fraud screening's settings page (Operations → Fraud screening): each signal's weight, the
velocity window, the high values per currency, the review threshold — the same use case as
`PATCH /api/v1/risk/settings`, checked (each problem named) and audited (docs/risk.md)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from ordino.accounts.roles import may
from ordino.accounts.staff import console_principal
from ordino.console.pages import console_render, console_view
from ordino.core.domain.errors import DomainError
from ordino.core.transactions import savepoint
from ordino.risk import selectors, services
from ordino.risk.domain.settings import LABELS, SIGNALS, settings_dump

VIEW, CHANGE = "risk.view_risksetting", "manage_rules"  # CHANGE: an action (accounts/roles.py)
NUMBERS = ("velocity_hours", "velocity_limit", "review_threshold")


def _require(request: HttpRequest, allowed: bool) -> None:
    """The settings score every channel's orders: unrestricted staff only."""
    if not allowed or console_principal(request).scope.restricted:
        raise PermissionDenied


@console_view
def risk_settings_page(request: HttpRequest) -> HttpResponse:
    can_change = may(request.user, CHANGE)
    _require(request, can_change or request.user.has_perm(VIEW))
    errors: list[str] = []
    current = settings_dump(selectors.risk_settings())
    form = _form_of(current)
    if request.method == "POST":
        _require(request, can_change)
        form = {k: v[:40] for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        values, errors = _values(request)
        if not errors:
            try:
                with savepoint():
                    services.risk_settings_change(
                        values=values,
                        actor=console_principal(request).token.name,
                        reason=request.POST.get("reason", "")[:255],
                    )
            except DomainError as refused:
                errors = [f"{e['field']}: {e['message']}" for e in refused.errors] or [
                    refused.message
                ]
            else:
                messages.success(request, "Fraud screening's settings saved.")
                return redirect(reverse("console:risk_settings"))
    context = {
        "signals": [(code, LABELS[code], form.get(f"weight_{code}", "")) for code in SIGNALS],
        "form": form,
        "errors": errors,
        "can_change": can_change,
    }
    return console_render(request, "console/risk/settings.html", context,
                          title="Fraud screening")  # fmt: skip


def _form_of(current: dict) -> dict[str, str]:
    form = {f"weight_{code}": str(points) for code, points in current["weights"].items()}
    form |= {name: str(current[name]) for name in NUMBERS}
    form["high_value"] = "\n".join(f"{c} {v}" for c, v in current["high_value"].items())
    return form


def _values(request: HttpRequest) -> tuple[dict, list[str]]:
    """The form as the use case's values; what is not a whole number is named here, the rest
    (bounds, currencies, amounts) by the use case."""
    errors: list[str] = []

    def whole(name: str, label: str) -> int | None:
        text = request.POST.get(name, "").strip()
        if not text.isdigit() or len(text) > 6:
            errors.append(f"{label}: a whole number.")
            return None
        return int(text)

    weights = {code: whole(f"weight_{code}", LABELS[code]) for code in SIGNALS}
    values: dict = {"weights": weights} | {name: whole(name, name.replace("_", " "))
                                          for name in NUMBERS}  # fmt: skip
    high: dict[str, str] = {}
    for line in request.POST.get("high_value", "")[:2000].splitlines():
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 2:
            errors.append(f"High values: {line.strip()[:40]!r} is not 'CURRENCY AMOUNT'.")
            continue
        high[parts[0].upper()] = parts[1]
    values["high_value"] = high
    return values, errors
