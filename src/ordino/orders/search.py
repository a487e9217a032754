"""Finding orders by what a person has in hand: the order number (id), the channel's external id,
the e-mail, the phone, the shipping postal code or a tracking number. Used by the order list's
search box and the console's global search (Ctrl+K).

Every lookup is an exact match that an index serves (migration 0008 on PostgreSQL: external id,
upper(e-mail), phone, the postal code's expression; fulfillment's 0003: the tracking numbers'
GIN), so a search over a million orders stays fast; substring matches would scan the table."""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Q, QuerySet

from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.fulfillment.models import Shipment
from ordino.orders.models import Order
from ordino.orders.selectors import order_scope_q

MAX_TERM = 128
_ORDER_NUMBER = re.compile(r"#?(\d{1,18})")


def _tracked_order_ids(term: str) -> QuerySet:
    shipments = Shipment.objects.all()
    if connection.vendor == "postgresql":  # jsonb containment: the GIN index serves it
        shipments = shipments.filter(tracking_numbers__contains=[term])
    else:  # SQLite has no JSON containment; its lists are small
        shipments = shipments.filter(tracking_numbers__icontains=f'"{term}"')
    return shipments.values("fulfillment_order__order_id")


def order_match_q(term: str) -> Q:
    """The orders `term` names, each condition an indexed equality."""
    term = term.strip()[:MAX_TERM]
    if not term:
        return Q(pk__in=[])
    q = (
        Q(external_id=term)
        | Q(email__iexact=term)
        | Q(phone=term.replace(" ", ""))
        | Q(shipping_address__postal_code=term.upper())
        | Q(pk__in=_tracked_order_ids(term))
    )
    number = _ORDER_NUMBER.fullmatch(term)
    if number:
        q |= Q(pk=int(number.group(1)))
    if term.upper() != term:  # postal codes are stored as written; try both
        q |= Q(shipping_address__postal_code=term)
    return q


def orders_search(*, term: str, scope: Scope = UNRESTRICTED, limit: int = 20) -> list[Order]:
    """The newest orders matching `term` within `scope`."""
    queryset = Order.objects.filter(order_match_q(term))
    if scope.restricted:
        queryset = queryset.filter(order_scope_q(scope))
    return list(queryset.select_related("channel").order_by("-pk")[:limit])
