from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "hiddenharm.safeguarding.screening"
    label = "screening"
    verbose_name = "Safeguarding screening"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The audit trail's filter and words know this app's kinds of event.
        from hiddenharm.safeguarding.screening import events  # noqa: F401
