"""Paths of the hold rule pages and the order page's hold release (console/urls.py)."""

from __future__ import annotations

from django.urls import path

from ordino.console.holds import panel, views

urlpatterns = [
    path("holds/rules/", views.rules_list, name="hold_rules"),
    path("holds/rules/<str:code>/", views.rule_page, name="hold_rule"),
    path(
        "orders/<int:order_id>/holds/<int:hold_id>/release/",
        panel.hold_release_view,
        name="hold_release",
    ),
]
