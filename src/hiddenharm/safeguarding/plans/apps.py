from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "hiddenharm.safeguarding.plans"
    label = "plans"
    verbose_name = "Child protection plans"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The audit trail's filter and words know this app's kinds of event.
        from hiddenharm.safeguarding.plans import events  # noqa: F401
