from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "ordino.reports"
    label = "reports"
    verbose_name = "Reports"
