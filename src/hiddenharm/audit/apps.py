from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "hiddenharm.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self):
        from hiddenharm.audit import signals  # noqa: F401  (connects sign-in/out receivers)
