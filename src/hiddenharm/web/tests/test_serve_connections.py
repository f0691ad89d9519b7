"""`hiddenharm serve` forks its gunicorn workers from the process that migrated: a database
connection left open there would be shared by every worker (one socket, each reading the
others' results: psycopg's "the last operation didn't produce records" under load)."""

from unittest import mock

from typer.testing import CliRunner

from hiddenharm.web import command


def test_it_warms_up_then_closes_the_database_connections_before_the_workers_fork(settings):
    import typer

    app = typer.Typer()
    app.command()(command.serve)
    app.command()(command.demo)
    settings.DEBUG = True
    calls = []
    with (
        mock.patch.object(command, "_migrate", side_effect=lambda: calls.append("migrate")),
        mock.patch("hiddenharm.web.warm.warm_up", side_effect=lambda: calls.append("warm")),
        mock.patch("django.db.connections.close_all", side_effect=lambda: calls.append("close")),
        mock.patch.object(command, "_gunicorn", side_effect=lambda *a: calls.append("fork")),
    ):
        result = CliRunner().invoke(app, ["serve", "--workers", "2", "--port", "8124"])
    assert result.exit_code == 0, result.output
    assert calls == ["migrate", "warm", "close", "fork"]
