"""What customers need from the modules above them, plugged in `wiring.py` (core/ports.py).

Orders build on customers (an order names its customer), so customers never import orders; a
location-limited token still reaches the customers of the orders it reaches
(`customer_scope_q`), and asks orders through this port."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet

from ordino.core.ports import Port

customers_of_orders_reached: Port[Callable[..., QuerySet]] = Port(
    "customers.customers_of_orders_reached",
    "(*, scope, reach) -> the customer ids of the orders `scope` reaches, as a subquery",
)
