"""The operations manager's dashboard, the console's home page (docs/console/dashboard.md).

django-unfold calls `dashboard_callback` (settings UNFOLD["DASHBOARD_CALLBACK"]) to fill the
index page's context; `console/admin.py` points the site's index at
`console/dashboard/index.html` and titles it "Dashboard"."""

from ordino.console.dashboard.view import DASHBOARD_PERMISSION, dashboard_callback

__all__ = ["DASHBOARD_PERMISSION", "dashboard_callback"]
