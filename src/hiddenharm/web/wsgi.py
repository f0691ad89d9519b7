"""WSGI entry point. Refuses to start a production configuration that fails its checks
(a WSGI server does not run Django's system checks itself)."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hiddenharm.web.settings")

application = get_wsgi_application()

from hiddenharm.web.checks import production_problems  # noqa: E402

_problems = production_problems()
if _problems:
    raise ImproperlyConfigured("; ".join(f"{p.id}: {p.msg}" for p in _problems))
