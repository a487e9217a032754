"""The Feeds pages (Settings → Channel feeds): every channel's feed at a glance, and one
channel's page — its settings, the SKUs waiting, the last runs, "Push all now" — through the
same use cases as `/api/v1/feeds` (docs/feeds.md). A channel outside the user's console scope
is not found, like in the API."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from ordino.accounts.staff import console_principal
from ordino.channels.selectors import channel_list
from ordino.console.pages import console_render, console_view
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.transactions import savepoint
from ordino.feeds import selectors, services

VIEW, CHANGE = "feeds.view_feedsettings", "feeds.change_feedsettings"
PENDING_SHOWN = 50


def _require(request: HttpRequest, permission: str) -> None:
    if not (request.user.has_perm(permission) or request.user.has_perm(CHANGE)):
        raise PermissionDenied


@console_view
def feeds_page(request: HttpRequest) -> HttpResponse:
    _require(request, VIEW)
    scope = console_principal(request).scope
    rows = []
    if scope.location_ids is None:
        for channel in channel_list(scope=scope):
            rows.append(selectors.feed_status(channel=channel))
    return console_render(request, "console/feeds/index.html", {"feeds": rows},
                          title="Channel feeds")  # fmt: skip


@console_view
def feed_page(request: HttpRequest, code: str) -> HttpResponse:
    _require(request, VIEW)
    scope = console_principal(request).scope
    try:
        channel = selectors.feed_channel_get(code=code, scope=scope)
    except NotFound:
        raise Http404(f"No channel {code!r}.") from None
    except DomainError:  # a location-limited user: a feed counts every location
        raise PermissionDenied from None
    can_change = request.user.has_perm(CHANGE) and not scope.restricted  # shared configuration
    errors: list[str] = []
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        errors = _post(request, channel)
        if not errors:
            return redirect(reverse("console:feed", args=[channel.code]))
    status = selectors.feed_status(channel=channel)
    pending = selectors.feed_items(channel=channel, pending=True).order_by("pending_since", "pk")
    context = {
        "feed": status,
        "pending": [selectors.feed_item_serialize(i) for i in pending[:PENDING_SHOWN]],
        "errors": errors,
        "can_change": can_change,
        "form": request.POST if errors else status["settings"],
    }
    return console_render(request, "console/feeds/feed.html", context,
                          title=f"Feed of {channel.name}")  # fmt: skip


def _post(request: HttpRequest, channel) -> list[str]:
    """Save the settings, or ask for a full push; the errors to show, or none."""
    actor = console_principal(request).token.name
    try:
        with savepoint():
            if request.POST.get("action") == "push":
                services.feed_full_request(channel=channel, actor=actor)
                messages.success(request, "Full push asked: the worker sends every SKU shortly.")
                return []
            services.feed_settings_set(
                channel=channel,
                enabled=request.POST.get("enabled") == "on",
                min_interval_seconds=_whole(request, "min_interval_seconds"),
                batch_size=_whole(request, "batch_size"),
                reason=request.POST.get("reason", "")[:255],
            )
    except DomainError as refused:
        return [f"{e['field']}: {e['message']}" for e in refused.errors] or [refused.message]
    messages.success(request, "Feed settings saved.")
    return []


def _whole(request: HttpRequest, name: str) -> int:
    text = request.POST.get(name, "").strip()
    if not text.isdigit() or len(text) > 6:
        raise DomainError("invalid_number", "a whole number.", field=name)
    return int(text)
