"""The console's own pages, mounted under /admin/ before the admin's URLs (ordino/urls.py).
Each screen adds its paths here, its views wrapped by `pages.console_view`."""

from __future__ import annotations

from ordino.console.sourcing.urls import urlpatterns as sourcing_rules

app_name = "console"

urlpatterns: list = [*sourcing_rules]
