from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from ordino.api import api
from ordino.returns.views import return_label_customer, return_start

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("", include("ordino.sso.urls")),  # /sso/login/, /sso/callback/ (docs/sso.md)
    path("admin/", include("ordino.console.urls")),  # the console's own pages first
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # the customer's return page: no login, a signed link (docs/returns.md)
    path("returns/start/<str:token>/", return_start, name="return_start"),
    path(
        "returns/start/<str:token>/label/<int:return_id>/",
        return_label_customer,
        name="return_label_customer",
    ),
]
