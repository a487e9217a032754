"""The console's Finance page: the accounting journal of a period (docs/accounting.md), its
totals per account, the trial balance per currency, and the CSV download (the API's CSV)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from ordino.accounting import export
from ordino.accounting.domain.period import period
from ordino.accounting.selectors import journal_get
from ordino.accounts.roles import may
from ordino.accounts.staff import console_principal
from ordino.console.pages import console_render, console_view
from ordino.core.domain.errors import DomainError


def may_read_journal(user) -> bool:
    """Finance reads every channel's money: the action permission `see_finance`."""
    return may(user, "see_finance")


@console_view
def journal_page(request: HttpRequest) -> HttpResponse:
    if not may_read_journal(request.user) or console_principal(request).scope.restricted:
        raise PermissionDenied  # finance of the whole network: as the API, unrestricted only
    text_from, text_to = request.GET.get("from") or None, request.GET.get("to") or None
    try:
        date_from, date_to = period(text_from, text_to)
    except DomainError as exc:
        context = {"error": exc.message, "date_from": text_from or "", "date_to": text_to or ""}
        return console_render(request, "console/accounting/journal.html", context, title="Finance")
    result = journal_get(date_from=date_from, date_to=date_to)
    if request.GET.get("format") == "csv":
        response = HttpResponse(export.csv_text(result), content_type="text/csv; charset=utf-8")
        name = f"journal-{date_from.isoformat()}-{date_to.isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    body = export.as_json(result)
    context = {
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        "totals": body["totals"],
        "trial_balance": body["trial_balance"],
        "count": len(body["entries"]),
    }
    return console_render(request, "console/accounting/journal.html", context, title="Finance")
