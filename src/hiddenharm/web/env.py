"""Strict parsing of settings from environment variables.

A typo in a production variable should stop the start, not be read as a default:
`HH_DEBUG=flase` raises rather than quietly meaning False.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "", environ: dict[str, str] | None = None) -> str:
    environ = os.environ if environ is None else environ
    return environ.get(name, default).strip()


def env_bool(name: str, default: bool = False, environ: dict[str, str] | None = None) -> bool:
    environ = os.environ if environ is None else environ
    if name not in environ:
        return default
    value = environ[name].strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off")


def env_list(name: str, environ: dict[str, str] | None = None) -> list[str]:
    """A comma-separated list; blanks dropped."""
    return [part.strip() for part in env_str(name, "", environ).split(",") if part.strip()]


def env_int(name: str, default: int, environ: dict[str, str] | None = None) -> int:
    raw = env_str(name, "", environ)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number") from None


def env_choice(
    name: str, choices: tuple[str, ...], default: str, environ: dict[str, str] | None = None
) -> str:
    value = env_str(name, default, environ).upper()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}")
    return value
