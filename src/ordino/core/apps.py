from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ordino.core"
    label = "core"
