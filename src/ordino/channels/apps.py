from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "ordino.channels"
    label = "channels"
