"""Policies per channel (docs/shipping.md, "Policies per channel"): the policy a channel's rate
shops choose by when the person rating names none — a marketplace that fines late deliveries
rates cheapest on time, a web shop cheapest. Set and removed through these use cases, audited;
read by the rate shop (`rating.py`)."""

from __future__ import annotations

from ordino.audit.services import audit_record
from ordino.channels.selectors import channel_get
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.transactions import use_case_atomic
from ordino.shipping.domain.policy import POLICIES
from ordino.shipping.models import ChannelShippingPolicy
from ordino.shipping.selectors import services_transit_days

DEFAULT = "cheapest"  # a channel without a policy of its own


def channel_policy_set(
    *,
    channel: str,
    policy: str,
    actor: str,
    promise_service: str = "",
    reason: str = "",
) -> tuple[ChannelShippingPolicy, bool]:
    """The channel's policy and promise service, created (True) or changed; each save is
    audited (the same again too, as every console save is: its reason is kept)."""
    promise_service = promise_service.strip()
    channel_policy_check(policy, promise_service)
    found = channel_get(code=channel)  # 404 channel_not_found
    after = {"policy": policy, "promise_service": promise_service}
    with use_case_atomic():
        row = ChannelShippingPolicy.objects.select_for_update().filter(channel=found).first()
        before = _settings(row) if row else None
        now = utcnow()
        if row is None:
            row = ChannelShippingPolicy.objects.create(
                channel=found, created_at=now, updated_at=now, **after
            )
        else:
            row.policy, row.promise_service, row.updated_at = policy, promise_service, now
            row.save(update_fields=["policy", "promise_service", "updated_at"])
        _audit(found, row.pk, "created" if before is None else "changed", before, after, reason,
               actor)  # fmt: skip
    return row, before is None


def channel_policy_check(policy: str, promise_service: str) -> None:
    """A known policy, and a promise service that is an active carrier service (or none)."""
    if policy not in POLICIES:
        raise DomainError(
            "unknown_policy", f"A policy is one of {', '.join(POLICIES)}.", field="policy"
        )
    if promise_service and promise_service not in services_transit_days():
        raise DomainError(
            "unknown_service",
            f"No active carrier service {promise_service!r} (carrier:code).",
            field="promise_service",
        )


def channel_policy_remove(*, channel: str, actor: str, reason: str = "") -> None:
    """Back to the default (cheapest); 404 when the channel has no policy of its own."""
    found = channel_get(code=channel)
    with use_case_atomic():
        row = ChannelShippingPolicy.objects.select_for_update().filter(channel=found).first()
        if row is None:
            raise NotFound("channel_policy", channel)
        row_id = row.pk
        row.delete()
        _audit(found, row_id, "deleted", _settings(row), None, reason, actor)


def channel_policy_list():
    return ChannelShippingPolicy.objects.select_related("channel")


def channel_policy_of(channel_id: int) -> str | None:
    """The channel's own policy, None without one (its rate shops then choose by DEFAULT)."""
    row = ChannelShippingPolicy.objects.filter(channel_id=channel_id).first()
    return row.policy if row else None


def channel_promise_service(channel_id: int) -> str:
    """The service Ordino promises the channel's orders by ("" : it promises nothing)."""
    row = ChannelShippingPolicy.objects.filter(channel_id=channel_id).first()
    return row.promise_service if row else ""


def _settings(row: ChannelShippingPolicy) -> dict:
    return {"policy": row.policy, "promise_service": row.promise_service}


def _audit(channel, row_id: int, action: str, before, after, reason: str, actor: str) -> None:
    audit_record(
        object_type="channel_shipping_policy",
        object_id=row_id,
        action=action,
        before=before,
        after=after,
        reason=reason,
        label=channel.code,
        actor=actor,
    )
