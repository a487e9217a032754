"""The console's own pages, mounted under /admin/ before the admin's URLs (ordino/urls.py).
Each screen adds its paths here, its views wrapped by `pages.console_view`."""

from __future__ import annotations

from django.urls import path

from ordino.console import saved_views

app_name = "console"

urlpatterns: list = [
    path("saved-views/", saved_views.saved_view_create, name="saved_view_create"),
    path(
        "saved-views/<int:view_id>/delete/",
        saved_views.saved_view_delete,
        name="saved_view_delete",
    ),
]
