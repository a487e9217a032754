from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "ordino.transfer"
    label = "transfer"
    verbose_name = "Import and export"
