"""Paths of the sourcing rule pages (included by console/urls.py under /admin/sourcing/rules/)."""

from __future__ import annotations

from django.urls import path

from ordino.console.sourcing import activation, trial, views

urlpatterns = [
    path("sourcing/rules/", views.rules_overview, name="sourcing_rules"),
    path("sourcing/rules/<slug:code>/edit/", views.rules_edit, name="sourcing_rules_edit"),
    path("sourcing/rules/<slug:code>/", activation.rules_compare, name="sourcing_rules_compare"),
    path(
        "sourcing/rules/<slug:code>/retire/<int:number>/",
        activation.rules_retire,
        name="sourcing_rules_retire",
    ),
    path("sourcing/rules/<slug:code>/try/", trial.rules_simulate, name="sourcing_rules_simulate"),
    path(
        "sourcing/rules/<slug:code>/backtest/", trial.rules_backtest, name="sourcing_rules_backtest"
    ),
]
