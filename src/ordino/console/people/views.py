"""The console's user report (docs/people.md, "The user report"): the same figures as
`ordino users report` and `GET /users/report`, for whoever may `manage_users`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from ordino.accounts.people import users_report
from ordino.accounts.roles import may
from ordino.accounts.staff import console_principal
from ordino.console.pages import console_render, console_view


@console_view
def users_report_page(request: HttpRequest) -> HttpResponse:
    if not may(request.user, "manage_users") or console_principal(request).scope.restricted:
        raise PermissionDenied  # every location's staff: unrestricted users only, as the API
    context = {"report": users_report()}
    return console_render(request, "console/people/report.html", context, title="User report")
