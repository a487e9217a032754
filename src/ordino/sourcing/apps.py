from django.apps import AppConfig


class SourcingConfig(AppConfig):
    name = "ordino.sourcing"
    label = "sourcing"
    verbose_name = "Sourcing"
