"""The console's global search (Ctrl+K; settings.UNFOLD["COMMAND"]["search_callback"]): orders
by order number, external id, e-mail, phone, shipping postal code or tracking number, and
customers by e-mail, phone or name — within what the signed-in user reaches and may view.

Results link to the order and customer pages by path (`/admin/orders/<id>/`,
`/admin/customers/<id>/`: the console's own pages). Every lookup is indexed
(orders/search.py, customers/search.py), so a search over a million orders stays fast."""

from __future__ import annotations

from django.http import HttpRequest
from unfold.dataclasses import SearchResult

from ordino.accounts.staff import console_principal
from ordino.core.domain.display import money_display, status_word
from ordino.customers.search import customers_search
from ordino.orders.search import orders_search

ORDERS_SHOWN = 10
CUSTOMERS_SHOWN = 5


def order_path(order_id: int) -> str:
    return f"/admin/orders/{order_id}/"


def customer_path(customer_id: int) -> str:
    return f"/admin/customers/{customer_id}/"


def _order_results(request: HttpRequest, term: str) -> list[SearchResult]:
    if not request.user.has_perm("orders.view_order"):
        return []
    scope = console_principal(request).scope
    return [
        SearchResult(
            title=f"Order {order.pk} · {order.external_id}",
            description=" · ".join(
                part
                for part in (
                    order.channel.name or order.channel.code,
                    status_word(order.status),
                    money_display(order.current_total, order.currency),
                    order.email,
                )
                if part
            ),
            link=order_path(order.pk),
            icon="receipt_long",
        )
        for order in orders_search(term=term, scope=scope, limit=ORDERS_SHOWN)
    ]


def _customer_results(request: HttpRequest, term: str) -> list[SearchResult]:
    if not request.user.has_perm("customers.view_customer"):
        return []
    scope = console_principal(request).scope
    results = []
    for customer in customers_search(term=term, scope=scope, limit=CUSTOMERS_SHOWN):
        name = f"{customer.first_name} {customer.last_name}".strip() or customer.email
        results.append(
            SearchResult(
                title=f"Customer {name}",
                description=" · ".join(p for p in (customer.email, customer.phone) if p),
                link=customer_path(customer.pk),
                icon="person",
            )
        )
    return results


def search_callback(request: HttpRequest, search_term: str) -> list[SearchResult]:
    """What unfold's command search adds to its menu matches."""
    term = (search_term or "").strip()
    if not term:
        return []
    return _order_results(request, term) + _customer_results(request, term)
