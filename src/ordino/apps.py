from django.apps import AppConfig


class WiringConfig(AppConfig):
    """Loads the composition root once every app is ready: wiring.py plugs the ports and lists
    the outbox subscribers (docs/architecture.md, "The direction of dependency")."""

    name = "ordino"
    label = "wiring"
    verbose_name = "Wiring"

    def ready(self) -> None:
        from ordino import wiring  # every module's services import their models: after populate

        wiring.ports_plug()
