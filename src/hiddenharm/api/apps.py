from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "hiddenharm.api"
    label = "api"
    verbose_name = "HTTP API"

    def ready(self):
        from hiddenharm.api import events  # noqa: F401  (registers the API's audit event kinds)
