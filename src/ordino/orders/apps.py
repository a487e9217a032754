from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "ordino.orders"
    label = "orders"
