"""Paths of fraud screening's console pages (console/urls.py)."""

from __future__ import annotations

from django.urls import path

from ordino.console.risk import panel, views

urlpatterns = [
    path("risk/settings/", views.risk_settings_page, name="risk_settings"),
    path("orders/<int:order_id>/risk/rescore/", panel.risk_rescore_view, name="risk_rescore"),
]
