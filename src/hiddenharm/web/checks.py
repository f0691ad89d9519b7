"""System checks that stop a mis-configured production start."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register


def production_problems() -> list[Error]:
    if settings.DEBUG:
        return []
    errors = []
    if settings.SECRET_KEY == getattr(settings, "DEV_SECRET_KEY", None) or not settings.SECRET_KEY:
        errors.append(
            Error(
                "HH_SECRET_KEY is not set: the development key is public.",
                hint="Set HH_SECRET_KEY to a long random value, or HH_DEBUG=1 for development.",
                id="hiddenharm.E001",
            )
        )
    if not settings.ALLOWED_HOSTS:
        errors.append(
            Error(
                "HH_ALLOWED_HOSTS is empty.",
                hint="Set HH_ALLOWED_HOSTS to the host names this service answers on.",
                id="hiddenharm.E002",
            )
        )
    return errors


@register(Tags.security)
def check_production_settings(app_configs, **kwargs):
    return production_problems()
