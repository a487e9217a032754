"""HTTP adapter of channel feeds (mounted at /api/v1/feeds): parse, call one service or
selector, serialise. Scope area `channels` (a feed is a channel's): reads `channels:read`,
writes `channels:write`; a channel outside the token's channels is 404; a location-limited
token is refused (403 `token_restricted`: a feed counts every location), and the settings are
shared configuration, changed by unrestricted tokens only. docs/feeds.md."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from ordino.core.pagination import Page, PageParams, paginate
from ordino.core.principal import Principal, principal_of
from ordino.feeds import selectors, services
from ordino.feeds.schemas import FeedItemOut, FeedOut, FeedSettingsIn, ItemFilters

router = Router(tags=["feeds"])


def _caller(request: HttpRequest, scope: str) -> Principal:
    principal = principal_of(request)
    principal.require(scope)
    return principal


def _actor(principal: Principal) -> str:
    return f"token:{principal.token.name}"


@router.get("/{code}", response=FeedOut, summary="A channel's feed")
def feed_get(request: HttpRequest, code: str):
    """Its settings, how many SKUs wait to be pushed (and since when), the last runs."""
    principal = _caller(request, "channels:read")
    return selectors.feed_status(
        channel=selectors.feed_channel_get(code=code, scope=principal.scope)
    )


@router.put("/{code}/settings", response=FeedOut, summary="Set a channel's feed")
def feed_settings_put(request: HttpRequest, code: str, payload: FeedSettingsIn):
    """Enable or disable the feed, its pace and batch size. A feed enabled pushes every SKU
    once at its next round, then the changes. Audited."""
    principal = _caller(request, "channels:write")
    channel = selectors.feed_channel_get(code=code, scope=principal.scope, settings_change=True)
    services.feed_settings_set(
        channel=channel,
        enabled=payload.enabled,
        min_interval_seconds=payload.min_interval_seconds,
        batch_size=payload.batch_size,
        reason=payload.reason,
    )
    return selectors.feed_status(channel=channel)


@router.post("/{code}/push", response={202: FeedOut}, summary="Push every SKU to a channel")
def feed_push(request: HttpRequest, code: str):
    """A full push of every active SKU's level, run by the worker at its next round (seconds);
    its run appears in `runs`. 409 `feed_disabled` for a channel without an enabled feed."""
    principal = _caller(request, "channels:write")
    channel = selectors.feed_channel_get(code=code, scope=principal.scope)
    services.feed_full_request(channel=channel, actor=_actor(principal))
    return Status(202, selectors.feed_status(channel=channel))


@router.get("/{code}/items", response=Page[FeedItemOut], summary="A channel feed's SKUs")
def feed_items_list(
    request: HttpRequest, code: str, filters: Query[ItemFilters], page: Query[PageParams]
):
    """What was last pushed per SKU, and what waits (`?pending=true`), with the last error."""
    principal = _caller(request, "channels:read")
    channel = selectors.feed_channel_get(code=code, scope=principal.scope)
    result = paginate(selectors.feed_items(channel=channel, pending=filters.pending), page)
    return {
        "items": [selectors.feed_item_serialize(item) for item in result.items],
        "next_cursor": result.next_cursor,
    }
