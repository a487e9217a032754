from django.apps import AppConfig


class TaxConfig(AppConfig):
    name = "ordino.tax"
    label = "tax"
    verbose_name = "Tax"
