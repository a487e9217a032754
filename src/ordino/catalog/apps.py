from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "ordino.catalog"
    label = "catalog"
