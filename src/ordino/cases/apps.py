from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "ordino.cases"
    label = "cases"
    verbose_name = "Cases"
