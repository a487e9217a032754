from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "ordino.events"
    label = "events"
    verbose_name = "Events"
