from django.apps import AppConfig


class AccountingConfig(AppConfig):
    name = "ordino.accounting"
    label = "accounting"
    verbose_name = "Accounting"
