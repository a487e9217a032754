from django.apps import AppConfig


class ShippingConfig(AppConfig):
    name = "ordino.shipping"
    label = "shipping"
    verbose_name = "Shipping"
