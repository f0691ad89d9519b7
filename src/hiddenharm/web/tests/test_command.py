import importlib
import os
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from typer.testing import CliRunner

from hiddenharm.accounts.models import Organisation, Profile, Role
from hiddenharm.cases.models import Client, Episode, HiddenHarmRecord
from hiddenharm.web import command


@pytest.mark.django_db
@pytest.mark.slow
def test_it_loads_the_demo_area_once_however_often_it_runs():
    first = command.load_demo(episodes=80)
    counts = (
        Client.objects.count(),
        Episode.objects.count(),
        HiddenHarmRecord.objects.count(),
        Profile.objects.count(),
        Organisation.objects.count(),
    )
    second = command.load_demo(episodes=80)
    assert counts == (
        Client.objects.count(),
        Episode.objects.count(),
        HiddenHarmRecord.objects.count(),
        Profile.objects.count(),
        Organisation.objects.count(),
    )
    assert first["episodes"] == second["episodes"] == 80
    roles = set(Profile.objects.values_list("role", flat=True))
    assert roles == {r.value for r in Role}
    assert Organisation.objects.filter(kind="provider").count() == 3
    assert not Client.objects.filter(team__isnull=True).exists()


def test_it_gives_the_demo_a_local_configuration(tmp_path):
    with mock.patch.dict(os.environ, {"HH_DATA_DIR": str(tmp_path)}, clear=False):
        for k in ("HH_SECRET_KEY", "HH_ALLOWED_HOSTS", "HH_SECURE_COOKIES"):
            os.environ.pop(k, None)
        command._demo_environment()
        key = os.environ["HH_SECRET_KEY"]
        assert len(key) > 40 and os.environ["HH_ALLOWED_HOSTS"] == "127.0.0.1,localhost"
        os.environ.pop("HH_SECRET_KEY")
        command._demo_environment()
        assert os.environ["HH_SECRET_KEY"] == key  # kept in the data folder


def test_it_refuses_to_serve_a_production_configuration_without_its_settings(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = settings.DEV_SECRET_KEY
    settings.ALLOWED_HOSTS = []
    import typer

    app = typer.Typer()
    app.command()(command.serve)
    app.command()(command.demo)
    with mock.patch.object(command, "_gunicorn") as run, mock.patch.object(command, "_migrate"):
        result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 2 and not run.called
    assert "hiddenharm.E001" in result.output


def test_it_refuses_a_wsgi_start_with_the_dev_key(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = settings.DEV_SECRET_KEY
    settings.ALLOWED_HOSTS = ["hh.example.org"]
    with pytest.raises(ImproperlyConfigured):
        import hiddenharm.web.wsgi as wsgi

        importlib.reload(wsgi)
