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

DEFAULT = "cheapest"  # a channel without a policy of its own


def channel_policy_set(
    *, channel: str, policy: str, actor: str, reason: str = ""
) -> tuple[ChannelShippingPolicy, bool]:
    """The channel's policy, created (True) or changed; the same policy again changes nothing
    and records nothing."""
    if policy not in POLICIES:
        raise DomainError(
            "unknown_policy", f"A policy is one of {', '.join(POLICIES)}.", field="policy"
        )
    found = channel_get(code=channel)  # 404 channel_not_found
    with use_case_atomic():
        row = ChannelShippingPolicy.objects.select_for_update().filter(channel=found).first()
        before = row.policy if row else None
        if before == policy:
            return row, False
        now = utcnow()
        if row is None:
            row = ChannelShippingPolicy.objects.create(
                channel=found, policy=policy, created_at=now, updated_at=now
            )
        else:
            row.policy, row.updated_at = policy, now
            row.save(update_fields=["policy", "updated_at"])
        _audit(found, "created" if before is None else "changed", before, policy, reason, actor)
    return row, before is None


def channel_policy_remove(*, channel: str, actor: str, reason: str = "") -> None:
    """Back to the default (cheapest); 404 when the channel has no policy of its own."""
    found = channel_get(code=channel)
    with use_case_atomic():
        row = ChannelShippingPolicy.objects.select_for_update().filter(channel=found).first()
        if row is None:
            raise NotFound("channel_policy", channel)
        row.delete()
        _audit(found, "deleted", row.policy, None, reason, actor)


def channel_policy_list():
    return ChannelShippingPolicy.objects.select_related("channel")


def channel_policy_of(channel_id: int) -> str:
    """The policy a channel's rate shop chooses by when none is named."""
    row = ChannelShippingPolicy.objects.filter(channel_id=channel_id).first()
    return row.policy if row else DEFAULT


def _audit(channel, action: str, before, after, reason: str, actor: str) -> None:
    audit_record(
        object_type="channel_shipping_policy",
        object_id=channel.pk,
        action=action,
        before=None if before is None else {"policy": before},
        after=None if after is None else {"policy": after},
        reason=reason,
        label=channel.code,
        actor=actor,
    )
