"""The console's Failure themes page (docs/integrations.md, "Console"): the integration log's
failures of the last days grouped by error signature, as headings a person reads ("412 Shopify
inbound calls failed with 'unknown SKU' this week"), each with its counts per day (a sparkline),
a link to its calls (the Integration log page filtered by the signature) and, where the log
knows one, a link to the configuration that fixes it. Who may see it: the Integration log's
readers (`integrations/admin.py: integration_log_readable`)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse

from ordino.console.pages import console_render, console_view
from ordino.integrations.admin import integration_log_readable
from ordino.integrations.domain.themes import Fix
from ordino.integrations.selectors import Theme, integration_themes

DAYS = (7, 1, 30, 90)  # the first is the default
# A fix's place (integrations/domain/themes.py) → the console pages that may hold it, the first
# one this installation has wins; none: the fix is shown with its docs, without a link.
FIX_PAGES: dict[str, tuple[str, ...]] = {
    "catalog_skus": ("admin:catalog_sku_changelist",),
    "connection_credentials": (
        "admin:connectors_connection_changelist",
        "admin:channels_channel_changelist",
    ),
    "connection_webhook_secret": (
        "admin:connectors_connection_changelist",
        "admin:channels_channel_changelist",
    ),
    "connection_rate_limit": ("admin:connectors_connection_changelist",),
    "webhook_endpoint": (
        "admin:webhooks_webhookendpoint_changelist",
        "admin:webhooks_endpoint_changelist",
    ),
}


def fix_link(fix: Fix | None) -> str | None:
    for name in FIX_PAGES.get(fix.code, ()) if fix else ():
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def sparkline(counts: list[int], *, width: int = 120, height: int = 24) -> list[dict]:
    """Bars of an inline SVG, one per day: x, y, width and height in the SVG's units."""
    peak = max(counts, default=0) or 1
    step = width / max(len(counts), 1)
    bars = []
    for n, count in enumerate(counts):
        tall = round(height * count / peak, 1) if count else 0
        bars.append({"x": round(n * step, 1), "y": round(height - tall, 1),
                     "w": round(max(step - 1, 1), 1), "h": tall, "count": count})  # fmt: skip
    return bars


def _row(theme: Theme) -> dict:
    examples = reverse("admin:integrations_integrationcall_changelist")
    return {
        "theme": theme,
        "bars": sparkline(theme.per_day),
        "examples": f"{examples}?{urlencode({'error_signature': theme.signature})}",
        "example": reverse("admin:integrations_integrationcall_change", args=[theme.example_id]),
        "fix_link": fix_link(theme.fix),
    }


@console_view
def failure_themes(request: HttpRequest) -> HttpResponse:
    if not integration_log_readable(request):
        raise PermissionDenied
    asked = request.GET.get("days", "")
    days = int(asked) if asked in {str(d) for d in DAYS} else DAYS[0]
    report = integration_themes(days=days)
    context = {"report": report, "rows": [_row(t) for t in report.themes], "days": days,
               "day_choices": sorted(DAYS)}  # fmt: skip
    return console_render(request, "console/integrations/themes.html", context,
                          title="Failure themes")  # fmt: skip
