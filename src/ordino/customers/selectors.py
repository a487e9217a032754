"""Reads of customers."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from ordino.core.domain.errors import NotFound
from ordino.core.domain.scope import READ, UNRESTRICTED, Scope
from ordino.customers.domain.contact import email_normalise, phone_normalise
from ordino.customers.models import Customer, CustomerAddress, CustomerChannelIdentity
from ordino.customers.ports import customers_of_orders_reached


def customer_scope_q(scope: Scope, reach: str = READ) -> Q:
    """The customers `scope` reaches: the query form of `Scope.sees_customer`. Under a channel
    limit, those known in its channels (an identity there, or an order through one); under a
    location limit, the customers of the orders it reaches (`CHANGE`: may change). Orders
    answer which orders those are (the port `customers_of_orders_reached`: orders build on
    customers, docs/architecture.md, "The direction of dependency")."""
    q = Q()
    if scope.channel_ids is not None:
        known = CustomerChannelIdentity.objects.filter(channel_id__in=scope.channel_ids)
        bought = customers_of_orders_reached(scope=Scope(channel_ids=scope.channel_ids), reach=READ)
        q &= Q(pk__in=known.values("customer_id")) | Q(pk__in=bought)
    if scope.location_ids is not None:
        q &= Q(pk__in=customers_of_orders_reached(scope=scope, reach=reach))
    return q


def customer_list(
    *,
    scope: Scope = UNRESTRICTED,
    reach: str = READ,
    email: str | None = None,
    phone: str | None = None,
    country: str | None = None,
    q: str | None = None,
) -> QuerySet[Customer]:
    """Customers within the caller's scope (see `customer_scope_q`).

    `email` and `phone` are normalised before matching (a national phone is read in `country`).
    """
    qs = Customer.objects.prefetch_related(
        Prefetch("addresses", queryset=CustomerAddress.objects.order_by("-is_default", "id")),
        Prefetch(
            "identities",
            queryset=CustomerChannelIdentity.objects.select_related("channel").order_by("id"),
        ),
    )
    qs = qs.filter(customer_scope_q(scope, reach))
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


def customer_get(*, customer_id: int, scope: Scope = UNRESTRICTED, reach: str = READ) -> Customer:
    """The customer, or NotFound also when it lies outside the caller's scope."""
    customer = customer_list(scope=scope, reach=reach).filter(id=customer_id).first()
    if customer is None:
        raise NotFound("customer", customer_id)
    return customer
