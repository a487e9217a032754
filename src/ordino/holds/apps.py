from django.apps import AppConfig


class HoldsConfig(AppConfig):
    name = "ordino.holds"
    label = "holds"
    verbose_name = "Holds"
