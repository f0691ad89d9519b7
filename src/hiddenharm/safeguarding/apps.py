from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "hiddenharm.safeguarding"
    label = "safeguarding"
    verbose_name = "Safeguarding"

    def ready(self):
        # The app's audit event kinds, registered for the audit trail's words and filter.
        from hiddenharm.safeguarding import events  # noqa: F401
