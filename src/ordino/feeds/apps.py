from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "ordino.feeds"
    label = "feeds"
    verbose_name = "Channel feeds"
