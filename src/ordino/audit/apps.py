from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ordino.audit"
    label = "audit"
    verbose_name = "Audit"
