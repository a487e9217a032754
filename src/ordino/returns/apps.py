from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "ordino.returns"
    label = "returns"
    verbose_name = "Returns"
