from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "ordino.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"
