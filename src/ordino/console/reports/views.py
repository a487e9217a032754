"""The console's Reports page (docs/reports.md, "Touches per order"; docs/people.md, "Team
membership"): touches per order over the last days picked, of the orders the user reaches
(their channels and stores, as the API's scope), with a chart of touches by kind; and, for
whoever may `manage_users` over the whole network, the teams and their members."""

from __future__ import annotations

import json
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse

from ordino.accounts.roles import may
from ordino.accounts.staff import console_principal
from ordino.channels.selectors import channel_list
from ordino.console.dashboard.charts import PALETTE
from ordino.console.pages import console_render, console_view
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.reports.teams import teams_report
from ordino.reports.touches import touches_report_get

PERMISSION = "orders.view_order"  # touches are order data, as the dashboard's KPIs
DAYS = (30, 7, 90, 365)  # the first is the default


def _chart(by_kind: list[tuple[str, int]]) -> dict:
    data = {
        "labels": [kind.replace("_", " ") for kind, _ in by_kind],
        "datasets": [{"label": "touches", "data": [n for _, n in by_kind],
                      "backgroundColor": PALETTE[0], "borderColor": PALETTE[0]}],
    }  # fmt: skip
    options = {
        "responsive": True,
        "maintainAspectRatio": False,
        "indexAxis": "y",
        "plugins": {"legend": {"display": False}},
        "scales": {"x": {"beginAtZero": True, "ticks": {"precision": 0}}},
    }
    dump = lambda v: json.dumps(v, cls=DjangoJSONEncoder, separators=(",", ":"))  # noqa: E731
    return {"data": dump(data), "options": dump(options)}


@console_view
def reports_page(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    principal = console_principal(request)
    asked = request.GET.get("days", "")
    days = int(asked) if asked in {str(d) for d in DAYS} else DAYS[0]
    channels = list(channel_list(scope=principal.scope).order_by("code"))
    channel = request.GET.get("channel") or None
    if channel not in {c.code for c in channels}:
        channel = None  # one the user does not see is as if none were asked
    now = utcnow()
    report = error = None
    try:
        report = touches_report_get(
            since=now - timedelta(days=days), until=now, channel_code=channel,
            scope=principal.scope,
        )  # fmt: skip
    except DomainError as refused:  # pragma: no cover - the choices above are all valid
        error = refused.message
    show_teams = may(request.user, "manage_users") and not principal.scope.restricted
    context = {
        "report": report,
        "error": error,
        "days": days,
        "day_choices": DAYS,
        "channels": channels,
        "channel": channel,
        "chart": _chart(report.by_kind) if report and report.by_kind else None,
        "teams": teams_report() if show_teams else None,
    }
    return console_render(request, "console/reports/page.html", context, title="Reports")
