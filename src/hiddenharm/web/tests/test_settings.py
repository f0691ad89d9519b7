import pytest
from django.core.exceptions import ImproperlyConfigured

from hiddenharm.web import checks
from hiddenharm.web.env import env_bool, env_choice, env_int, env_list


def test_it_parses_booleans_strictly():
    assert env_bool("X", environ={"X": "yes"}) is True
    assert env_bool("X", environ={"X": "0"}) is False
    assert env_bool("X", True, environ={}) is True
    with pytest.raises(ImproperlyConfigured):
        env_bool("X", environ={"X": "flase"})


def test_it_parses_lists_numbers_and_choices():
    assert env_list("H", environ={"H": " a.example, ,b.example "}) == ["a.example", "b.example"]
    assert env_int("N", 5, environ={}) == 5
    with pytest.raises(ImproperlyConfigured):
        env_int("N", 5, environ={"N": "five"})
    with pytest.raises(ImproperlyConfigured):
        env_choice("L", ("INFO",), "INFO", environ={"L": "LOUD"})


def test_it_refuses_a_production_start_with_the_dev_key_or_no_hosts(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = settings.DEV_SECRET_KEY
    settings.ALLOWED_HOSTS = []
    ids = {e.id for e in checks.production_problems()}
    assert ids == {"hiddenharm.E001", "hiddenharm.E002"}


def test_it_accepts_a_proper_production_configuration(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = "x" * 50
    settings.ALLOWED_HOSTS = ["hh.example.org"]
    assert checks.production_problems() == []


def test_it_allows_the_dev_key_when_debugging(settings):
    settings.DEBUG = True
    settings.SECRET_KEY = settings.DEV_SECRET_KEY
    settings.ALLOWED_HOSTS = []
    assert checks.production_problems() == []


def test_it_sets_secure_cookies_when_not_debugging():
    from django.conf import settings

    if not settings.DEBUG:
        assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.CRISPY_TEMPLATE_PACK == "gds"
