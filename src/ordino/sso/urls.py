from django.urls import path

from ordino.sso.views import SsoLoginView, sso_callback

urlpatterns = [
    path("sso/login/", SsoLoginView.as_view(), name="sso_login"),
    path("sso/callback/", sso_callback, name="sso_callback"),
]
