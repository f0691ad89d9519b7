from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "hiddenharm.web"
    label = "web"
    verbose_name = "Hidden Harm web"

    def ready(self):
        from hiddenharm.web import checks  # noqa: F401  (registers the checks)
