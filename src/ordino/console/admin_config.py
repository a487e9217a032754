"""unfold's app with the console's site as `admin.site` (console/site.py), where unfold's own
default config would install its plain `UnfoldAdminSite`. Kept apart from the site: settings
name this class before any model is loaded, and the site imports models."""

from django.contrib import admin
from django.contrib.admin import sites
from unfold.apps import BasicAppConfig


class ConsoleUnfoldConfig(BasicAppConfig):
    def ready(self) -> None:
        from ordino.console.site import ConsoleAdminSite  # models are loaded by now

        site = ConsoleAdminSite()
        admin.site = site
        sites.site = site
