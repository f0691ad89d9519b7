from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "hiddenharm.partnership"
    label = "partnership"
    verbose_name = "Partnership"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from hiddenharm.partnership import events  # noqa: F401  (registers the audit kinds)
