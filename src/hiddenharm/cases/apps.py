from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "hiddenharm.cases"
    label = "cases"
    verbose_name = "Case records"

    def ready(self):
        from hiddenharm.cases import events  # noqa: F401  (registers the kinds)
