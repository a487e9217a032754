"""Finding customers by what a person has in hand: an e-mail, a phone number, a name. E-mail and
phone are matched exactly after normalising (indexed columns); a name by its start (first or
last name, or "first last"), which PostgreSQL's trigram indexes serve (migration 0004)."""

from __future__ import annotations

import contextlib

from django.db.models import Q

from ordino.core.domain.errors import DomainError
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.customers.domain.contact import email_normalise, phone_normalise
from ordino.customers.models import Customer
from ordino.customers.selectors import customer_scope_q

MAX_TERM = 128


def _contact_q(term: str) -> Q:
    q = Q(pk__in=[])
    if "@" in term:
        with contextlib.suppress(DomainError):
            q |= Q(email=email_normalise(term))
    if term.lstrip("+").replace(" ", "").isdigit():
        with contextlib.suppress(DomainError):
            q |= Q(phone=phone_normalise(term))
    return q


def _name_q(term: str) -> Q:
    words = term.split()
    if len(words) >= 2:
        first, last = words[0], " ".join(words[1:])
        return Q(first_name__istartswith=first, last_name__istartswith=last)
    return Q(last_name__istartswith=term) | Q(first_name__istartswith=term)


def customers_search(*, term: str, scope: Scope = UNRESTRICTED, limit: int = 10) -> list[Customer]:
    """The customers `term` names, within `scope`."""
    term = term.strip()[:MAX_TERM]
    if len(term) < 2:
        return []
    queryset = Customer.objects.filter(_contact_q(term) | _name_q(term))
    if scope.restricted:
        queryset = queryset.filter(customer_scope_q(scope))
    return list(queryset.order_by("-pk")[:limit])
