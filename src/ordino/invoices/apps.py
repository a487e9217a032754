from django.apps import AppConfig


class InvoicesConfig(AppConfig):
    name = "ordino.invoices"
    label = "invoices"
    verbose_name = "Invoices"
