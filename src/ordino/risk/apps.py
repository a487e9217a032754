from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "ordino.risk"
    label = "risk"
    verbose_name = "Fraud screening"
