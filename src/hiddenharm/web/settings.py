"""Django settings, read from environment variables (see the README for the list).

HH_DEBUG            1 for local development (default off)
HH_SECRET_KEY       required when HH_DEBUG is off
HH_ALLOWED_HOSTS    comma-separated; required when HH_DEBUG is off
HH_CSRF_TRUSTED_ORIGINS  comma-separated origins behind a proxy (https://hh.example.org)
DATABASE_URL        any dj-database-url URL; default SQLite at $HH_DATA_DIR/hiddenharm.sqlite3
HH_DATA_DIR         default <project>/build
HH_LOG_LEVEL        DEBUG, INFO, WARNING (default), ERROR
HH_SECURE_COOKIES   default: on when HH_DEBUG is off
HH_BREAK_GLASS_HOURS  how long a break-the-glass access to a client outside one's caseload
                    lasts, in hours (default 8)
HH_FIGURES_REFRESH  INLINE (default): a dashboard view after a change waits for new figures;
                    BACKGROUND (`hiddenharm serve` and the demo): it shows the last figures,
                    dated, while a thread works out the new ones
HH_FIGURES_REFRESH_IN  THREAD (default) or PROCESS (`serve`, the demo): where BACKGROUND
                    works the new figures out (a child process at nice 10)
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from hiddenharm.web.env import env_bool, env_choice, env_int, env_list, env_str

PROJECT_DIR = Path(__file__).resolve().parents[3]
PACKAGE_DIR = Path(__file__).resolve().parent

DEBUG = env_bool("HH_DEBUG", False)

# The development key is public (it is in this file): the `hiddenharm.E001` check refuses a
# start with it when DEBUG is off, and so does wsgi.py.
DEV_SECRET_KEY = "hiddenharm-development-only-not-secret"
SECRET_KEY = env_str("HH_SECRET_KEY") or DEV_SECRET_KEY

ALLOWED_HOSTS = env_list("HH_ALLOWED_HOSTS") or (["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("HH_CSRF_TRUSTED_ORIGINS")

DATA_DIR = Path(env_str("HH_DATA_DIR") or PROJECT_DIR / "build")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_forms_gds",
    "ninja",  # the API docs page's static files
    "axes",  # sign-in throttling and lock-out
    "simple_history",
    "hiddenharm.web",
    "hiddenharm.accounts",
    "hiddenharm.audit",
    "hiddenharm.cases",
    "hiddenharm.api",
    "hiddenharm.safeguarding",
    "hiddenharm.safeguarding.screening",
    "hiddenharm.safeguarding.plans",
    "hiddenharm.partnership",
]

MIDDLEWARE = [
    "hiddenharm.web.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "hiddenharm.web.middleware.BodyLimitMiddleware",
    "hiddenharm.web.middleware.HeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hiddenharm.web.middleware.IdleSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hiddenharm.web.urls"
WSGI_APPLICATION = "hiddenharm.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hiddenharm.web.context.service",
            ],
        },
    },
]

_default_db = f"sqlite:///{DATA_DIR / 'hiddenharm.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or _default_db,
        conn_max_age=env_int("HH_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Served, several processes write the one SQLite file: gunicorn's workers and the
    # figures worker. SQLite's default (a deferred transaction that reads, then asks to
    # write) fails at once with "database is locked" when another process is writing: SQLite
    # does not wait there, to avoid a deadlock (found by the API's fuzz test, with the figures
    # worker storing figures while requests wrote). So every transaction asks to write when
    # it begins (IMMEDIATE), waiting up to 30 s for another's to end; and the write-ahead log
    # lets reading go on while one process writes (readers and the writer do not block).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE",
        timeout=30,
        init_command="PRAGMA journal_mode=WAL",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling (django-axes): after HH_SIGNIN_FAILURE_LIMIT wrong passwords for one
# username from one address, that pair is locked out for HH_SIGNIN_COOLOFF_MINUTES.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("HH_SIGNIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("HH_SIGNIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "hiddenharm.accounts.views.locked_out"
AXES_VERBOSE = False  # its log lines carry the username and address
AXES_ENABLE_ACCESS_FAILURE_LOG = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Only for `collectstatic` in a production image (HH_STATIC_ROOT); otherwise WhiteNoise serves
# straight from the apps' static folders.
STATIC_ROOT = env_str("HH_STATIC_ROOT") or None
STATICFILES_DIRS: list[Path] = []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Plain storage: the GOV.UK build is not hashed, and collectstatic is not needed to run.
    "staticfiles": {"BACKEND": "hiddenharm.web.staticfiles.VersionedStaticFilesStorage"},
}
# Serve straight from the app folders too, so `serve` works without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Static URLs carry a hash of the file's content (?v=..., web/staticfiles.py), so a URL changes
# when its file does: browsers may keep a file for a year.
WHITENOISE_MAX_AGE = 0 if DEBUG else 365 * 24 * 60 * 60

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Cookies and headers: secure unless developing on plain http.
_secure = env_bool("HH_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = _secure
CSRF_COOKIE_SECURE = _secure
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Idle sessions end: a request renews the session (at most once a minute, see
# web.middleware.IdleSessionMiddleware), which lapses after this many minutes without one.
SESSION_COOKIE_AGE = env_int("HH_SESSION_IDLE_MINUTES", 60) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_HSTS_SECONDS = env_int("HH_HSTS_SECONDS", 0)  # set once TLS is known to work
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HH_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("HH_HSTS_PRELOAD", True)
SECURE_SSL_REDIRECT = env_bool("HH_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # probes come over plain http
if env_bool("HH_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
HH_MAX_UPLOAD_BYTES = env_int("HH_MAX_UPLOAD_BYTES", 200 * 1024 * 1024)
# How long a break-the-glass access to a client outside one's caseload lasts (hours).
HH_BREAK_GLASS_HOURS = env_int("HH_BREAK_GLASS_HOURS", 8)
HH_FIGURES_REFRESH = env_choice("HH_FIGURES_REFRESH", ("INLINE", "BACKGROUND"), "INLINE")
# With BACKGROUND: stale figures younger than this (seconds) are shown, dated, without being
# worked out again (`hiddenharm serve`: 300; 0: worked out after every change).
HH_FIGURES_MIN_AGE = env_int("HH_FIGURES_MIN_AGE", 0)
# With BACKGROUND: where new figures are worked out. THREAD: a thread of the web process;
# PROCESS (`serve`, the demo): a child process at low priority, so that the pages served
# meanwhile share neither the web process's interpreter lock nor its CPU priority.
HH_FIGURES_REFRESH_IN = env_choice("HH_FIGURES_REFRESH_IN", ("THREAD", "PROCESS"), "THREAD")
# A zip's limits, read from its directory before anything is inflated, then enforced on
# the inflated stream: entries, total uncompressed bytes, and the ratio of one entry.
HH_MAX_ZIP_ENTRIES = env_int("HH_MAX_ZIP_ENTRIES", 100)
HH_MAX_UNZIPPED_BYTES = env_int("HH_MAX_UNZIPPED_BYTES", 2 * 1024 * 1024 * 1024)
HH_MAX_ZIP_RATIO = env_int("HH_MAX_ZIP_RATIO", 200)
# The API: requests a minute per token (429 with Retry-After past it).
HH_API_RATE = env_str("HH_API_RATE") or "120/min"

# Error reports never include request bodies (they hold clients' details).
DEFAULT_EXCEPTION_REPORTER_FILTER = "hiddenharm.web.logs.NoPersonalDataFilter"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_personal_data": {"()": "hiddenharm.web.logs.StripRequestFilter"}},
    "formatters": {"json": {"()": "hiddenharm.web.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["no_personal_data"],
        }
    },
    "root": {
        "handlers": ["console"],
        "level": env_choice("HH_LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR"), "WARNING"),
    },
    "loggers": {
        # SQL logging would print clients' details at DEBUG: never.
        "django.db.backends": {"level": "WARNING", "handlers": ["console"], "propagate": False},
    },
}
