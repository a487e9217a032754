from django.apps import AppConfig


class FulfillmentConfig(AppConfig):
    name = "ordino.fulfillment"
    label = "fulfillment"
