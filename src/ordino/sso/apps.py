from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "ordino.sso"
    label = "sso"
    verbose_name = "Single sign-on"
