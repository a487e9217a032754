from django.apps import AppConfig


class LocationsConfig(AppConfig):
    name = "ordino.locations"
    label = "locations"
