from django.apps import AppConfig


class ConnectorsConfig(AppConfig):
    name = "ordino.connectors"
    label = "connectors"
    verbose_name = "Connectors"
