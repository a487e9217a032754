"""The console's own pages, mounted under /admin/ before the admin's URLs (ordino/urls.py).
Each screen adds its paths here, its views wrapped by `pages.console_view`."""

from __future__ import annotations

from django.urls import path

from ordino.console.store import printing
from ordino.console.store import views as store

app_name = "console"

urlpatterns: list = [
    path("store/", store.store_queue, name="store"),
    path("store/pick-list/", printing.pick_list, name="store_pick_list"),
    path("store/fo/<int:fo_id>/", store.store_fo, name="store_fo"),
    path("store/fo/<int:fo_id>/packing-slip/", printing.packing_slip, name="store_packing_slip"),
    path("store/fo/<int:fo_id>/<slug:step>/", store.store_fo_step, name="store_fo_step"),
]
