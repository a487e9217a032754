"""Reads of customers."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Prefetch, Q, QuerySet

from ordino.core.domain.errors import NotFound
from ordino.customers.domain.contact import email_normalise, phone_normalise
from ordino.customers.models import Customer, CustomerAddress, CustomerChannelIdentity


def customer_list(
    *,
    channel_ids: Collection[int] | None = None,
    email: str | None = None,
    phone: str | None = None,
    country: str | None = None,
    q: str | None = None,
) -> QuerySet[Customer]:
    """Customers; a caller limited to some channels sees those who bought through them.

    `email` and `phone` are normalised before matching (a national phone is read in `country`).
    """
    qs = Customer.objects.prefetch_related(
        Prefetch("addresses", queryset=CustomerAddress.objects.order_by("-is_default", "id")),
        Prefetch(
            "identities",
            queryset=CustomerChannelIdentity.objects.select_related("channel").order_by("id"),
        ),
    )
    if channel_ids is not None:
        qs = qs.filter(
            id__in=CustomerChannelIdentity.objects.filter(channel_id__in=channel_ids).values(
                "customer_id"
            )
        )
    if email:
        qs = qs.filter(email=email_normalise(email))
    if phone:
        qs = qs.filter(phone=phone_normalise(phone, country=country))
    if q:
        words = q.split()
        for word in words:
            qs = qs.filter(
                Q(email__icontains=word)
                | Q(phone__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
            )
    return qs


def customer_get(*, customer_id: int, channel_ids: Collection[int] | None = None) -> Customer:
    customer = customer_list(channel_ids=channel_ids).filter(id=customer_id).first()
    if customer is None:
        raise NotFound("customer", customer_id)
    return customer
