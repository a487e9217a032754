from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "ordino.payments"
    label = "payments"
    verbose_name = "Payments"
