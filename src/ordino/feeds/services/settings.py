"""A channel's feed settings (docs/feeds.md, "Settings"): checked, audited."""

from __future__ import annotations

from ordino.audit.services import audit_record, snapshot
from ordino.channels.models import Channel
from ordino.core.domain.errors import DomainError
from ordino.core.transactions import use_case_atomic
from ordino.feeds.domain.plan import settings_check
from ordino.feeds.models import FeedSettings

AUDITED = ("enabled", "min_interval_seconds", "batch_size")


def feed_settings_set(
    *,
    channel: Channel,
    enabled: bool,
    min_interval_seconds: int,
    batch_size: int,
    reason: str = "",
) -> FeedSettings:
    """Create or change the channel's feed settings. A feed enabled for the first time (or
    again) marks every SKU pending at the next round (`feed_rules_check`): the channel gets
    every level once. 422 `invalid_feed_settings` names each setting out of bounds."""
    problems = settings_check(min_interval_seconds=min_interval_seconds, batch_size=batch_size)
    if problems:
        raise DomainError(
            "invalid_feed_settings",
            "; ".join(f"{field}: {message}" for field, message in problems),
            errors=[
                {"field": field, "code": "out_of_range", "message": message}
                for field, message in problems
            ],
        )
    with use_case_atomic():
        settings = FeedSettings.objects.filter(channel=channel).first()
        before = snapshot(settings, exclude=_unaudited()) if settings else None
        settings = settings or FeedSettings(channel=channel)
        if enabled and not settings.enabled:
            settings.rule_fingerprint = ""  # every SKU again at the next round
        settings.enabled = bool(enabled)
        settings.min_interval_seconds = min_interval_seconds
        settings.batch_size = batch_size
        settings.save()
        audit_record(
            object_type="feed_settings",
            object_id=channel.code,
            label=f"Feed of {channel.name}",
            action="changed" if before else "created",
            before=before,
            after=snapshot(settings, exclude=_unaudited()),
            reason=reason,
        )
    return settings


def _unaudited() -> tuple[str, ...]:
    return tuple(
        f.name for f in FeedSettings._meta.concrete_fields if f.name not in (*AUDITED, "channel")
    )
