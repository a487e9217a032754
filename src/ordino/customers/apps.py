from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "ordino.customers"
    label = "customers"
