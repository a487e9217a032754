from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    """The `ordino` command line (management commands) and operator helpers."""

    name = "ordino.console"
    label = "console"
    verbose_name = "Console"
