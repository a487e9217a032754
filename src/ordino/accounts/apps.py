from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ordino.accounts"
    label = "accounts"
    verbose_name = "Access"
