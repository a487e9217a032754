"""Finding orders by what a person has in hand: the order number (id), the channel's external id,
the e-mail, the phone, the shipping postal code or a tracking number. Used by the order list's
search box and the console's global search (Ctrl+K).

Every lookup is an exact match that an index serves (migration 0008 on PostgreSQL: external id,
upper(e-mail), phone, the postal code's expression; fulfillment's 0003: the tracking numbers'
GIN), so a search over a million orders stays fast; substring matches would scan the table."""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Q

from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.fulfillment.models import Shipment
from ordino.orders.models import Order
from ordino.orders.selectors import order_scope_q

MAX_TERM = 128
MAX_TRACKED = 100
_ORDER_NUMBER = re.compile(r"#?(\d{1,18})")


def _tracked_order_ids(variants: list[str]) -> list[int]:
    shipments = Shipment.objects.all()
    if connection.vendor == "postgresql":  # jsonb containment: the GIN index serves it
        q = Q(pk__in=[])
        for variant in variants:
            q |= Q(tracking_numbers__contains=[variant])
    else:  # SQLite has no JSON containment; its lists are small
        q = Q(pk__in=[])
        for variant in variants:
            q |= Q(tracking_numbers__icontains=f'"{variant}"')
    # Evaluated here, a short list: `pk IN (subquery)` inside the OR below would keep
    # PostgreSQL from combining the other arms' indexes (it would scan every order).
    found = shipments.filter(q).values_list("fulfillment_order__order_id", flat=True)
    return list(found[:MAX_TRACKED])


def order_match_q(term: str) -> Q:
    """The orders `term` names, each condition an indexed equality. Codes (external ids,
    postal codes, tracking numbers) are tried as typed and in capitals: the global search
    hands its term over in lower case."""
    term = term.strip()[:MAX_TERM]
    if not term:
        return Q(pk__in=[])
    variants = sorted({term, term.upper()})
    q = (
        Q(external_id__in=variants)
        | Q(email__iexact=term)
        | Q(phone=term.replace(" ", ""))
        | Q(shipping_address__postal_code__in=variants)
        | Q(pk__in=_tracked_order_ids(variants))
    )
    number = _ORDER_NUMBER.fullmatch(term)
    if number:
        q |= Q(pk=int(number.group(1)))
    return q


def orders_search(*, term: str, scope: Scope = UNRESTRICTED, limit: int = 20) -> list[Order]:
    """The newest orders matching `term` within `scope`."""
    queryset = Order.objects.filter(order_match_q(term))
    if scope.restricted:
        queryset = queryset.filter(order_scope_q(scope))
    return list(queryset.select_related("channel").order_by("-pk")[:limit])
