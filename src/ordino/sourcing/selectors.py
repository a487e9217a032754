"""Reads of sourcing: profiles and versions, stored decisions, an order as the engine sees it."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from ordino.core.domain.errors import NotFound
from ordino.locations.models import Location
from ordino.orders.models import Order
from ordino.sourcing.facts import OrderContext, destination_of
from ordino.sourcing.models import (
    ProfileAudit,
    SourcingDecision,
    SourcingProfile,
    SourcingProfileVersion,
)


def profile_list() -> QuerySet[SourcingProfile]:
    return SourcingProfile.objects.order_by("code").prefetch_related(
        Prefetch("versions", queryset=SourcingProfileVersion.objects.order_by("-number"))
    )


def profile_get(*, code: str) -> SourcingProfile:
    profile = profile_list().filter(code=code).first()
    if profile is None:
        raise NotFound("sourcing_profile", code)
    return profile


def version_get(*, profile: SourcingProfile, number: int) -> SourcingProfileVersion:
    version = profile.versions.filter(number=number).first()
    if version is None:
        raise NotFound("sourcing_profile_version", f"{profile.code} v{number}")
    return version


def draft_of(profile: SourcingProfile) -> SourcingProfileVersion | None:
    return next((v for v in profile.versions.all() if v.status == "draft"), None)


def audit_list(*, profile: SourcingProfile) -> QuerySet[ProfileAudit]:
    return profile.audit.select_related("version").order_by("-id")


def decisions_of_order(*, order_id: int) -> list[SourcingDecision]:
    return list(SourcingDecision.objects.filter(order_id=order_id).order_by("id"))


def order_context(order: Order, *, line_skus: dict[int, int] | None = None) -> OrderContext:
    """An existing order as the engine's conditions see it (channel, destination, value, tags)."""
    pickup = None
    if order.pickup_location_id is not None:
        pickup = Location.objects.filter(pk=order.pickup_location_id).first()
    customer_tags: Iterable[str] = order.customer.tags if order.customer_id else ()
    return OrderContext(
        order_id=str(order.pk),
        channel=order.channel.code,
        destination=destination_of(order.shipping_address, pickup),
        delivery_method=order.delivery_method,
        value=Decimal(order.current_total),
        currency=order.currency,
        customer_tags=frozenset(str(t).lower() for t in customer_tags or ()),
        pickup_location_id=order.pickup_location_id,
        line_skus=line_skus or {},
    )
