from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "hiddenharm.cases"
    label = "cases"
    verbose_name = "Case records"
