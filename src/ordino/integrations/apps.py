from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "ordino.integrations"
    label = "integrations"
    verbose_name = "Integrations"
