from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "ordino.inventory"
    label = "inventory"
