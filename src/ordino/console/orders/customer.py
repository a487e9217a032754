"""The customer page (`console:customer`): contacts, addresses, channel identities and every
order of the customer across channels, newest first, paginated. A limited user sees the orders
they reach only, and a customer none of whose orders they reach (nor known in their channels)
is not found."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse

from ordino.accounts.staff import console_principal
from ordino.console.pages import console_render, console_view
from ordino.console.payments.credit import credit_panel_read
from ordino.core.domain.errors import NotFound
from ordino.customers.selectors import customer_get
from ordino.orders.selectors import order_list

ORDERS_PER_PAGE = 25


@console_view
def customer_page(request: HttpRequest, customer_id: int) -> HttpResponse:
    if not request.user.has_perm("customers.view_customer"):
        raise PermissionDenied
    scope = console_principal(request).scope
    try:
        customer = customer_get(customer_id=customer_id, scope=scope)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    orders = order_list(scope=scope, customer_id=customer.pk).order_by("-placed_at", "-id")
    page = Paginator(orders, ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    latest = orders.values_list("currency", flat=True).first()
    context = {
        "credit": credit_panel_read(request, customer, latest or "EUR"),
        "customer": customer,
        "orders": page,
        "may_edit": request.user.has_perm("customers.change_customer"),
        "may_see_orders": request.user.has_perm("orders.view_order"),
    }
    return console_render(request, "console/orders/customer.html", context, title=str(customer))
