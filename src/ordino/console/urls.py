"""The console's own pages, mounted under /admin/ before the admin's URLs (ordino/urls.py).
Each screen adds its paths here, its views wrapped by `pages.console_view`."""

from __future__ import annotations

from django.urls import path

from ordino.console.orders import customer, views

app_name = "console"

urlpatterns: list = [
    path("orders/<int:order_id>/", views.order_page, name="order"),
    path("orders/<int:order_id>/comment/", views.order_comment, name="order_comment"),
    path("orders/<int:order_id>/cancel/", views.order_cancel_units, name="order_cancel"),
    path("orders/<int:order_id>/address/", views.order_edit_address, name="order_address"),
    path("orders/<int:order_id>/lines/", views.order_edit_lines, name="order_lines"),
    path("customers/<int:customer_id>/", customer.customer_page, name="customer"),
]
