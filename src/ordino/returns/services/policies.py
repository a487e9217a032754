"""Return policies: per channel, per SKU or both (the most specific wins; without one the
window is ORDINO_RETURN_WINDOW_DAYS). Shared configuration: unrestricted principals only."""

from __future__ import annotations

from ordino.catalog.selectors import sku_get
from ordino.channels.selectors import channel_get
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.core.transactions import use_case_atomic
from ordino.returns.models import ReturnPolicy

WINDOW_MAX = 3650


def return_policy_set(
    *,
    channel_code: str | None,
    sku_code: str | None,
    window_days: int,
    returnable: bool,
    actor: str,
    scope: Scope = UNRESTRICTED,
) -> tuple[ReturnPolicy, bool]:
    """Create or replace the policy of (channel, SKU); answers it and whether it is new."""
    scope.require_unrestricted("return policies")
    if not channel_code and not sku_code:
        raise DomainError(
            "policy_target_required", "Name a channel, a SKU or both.", field="channel"
        )
    if not 0 <= window_days <= WINDOW_MAX:
        raise DomainError("window_invalid", f"0 to {WINDOW_MAX} days.", field="window_days")
    with use_case_atomic():
        channel = _named(channel_get, channel_code, "channel")
        sku = _named(sku_get, sku_code, "sku")
        policy, created = ReturnPolicy.objects.update_or_create(
            channel=channel,
            sku=sku,
            defaults={
                "window_days": window_days,
                "returnable": returnable,
                "updated_at": utcnow(),
                "actor": actor[:128],
            },
        )
        return policy, created


def _named(get, code: str | None, field: str):
    if not code:
        return None
    try:
        return get(code=code)
    except NotFound:
        raise NotFound(field, code, field=field) from None
