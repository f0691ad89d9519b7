"""`hiddenharm serve` forks its gunicorn workers from the process that migrated: a database
connection left open there would be shared by every worker (one socket, each reading the
others' results: psycopg's "the last operation didn't produce records" under load)."""

import shutil
from unittest import mock

from typer.testing import CliRunner

from hiddenharm.web import command


def serve_app(settings):
    """A Typer app of `serve` and `demo`, as the command line has them, with debug on (no
    production settings needed to reach the server's start)."""
    import typer

    app = typer.Typer()
    app.command()(command.serve)
    app.command()(command.demo)
    settings.DEBUG = True
    return app


def test_it_warms_up_then_closes_the_database_connections_before_the_workers_fork(settings):
    app = serve_app(settings)
    calls = []
    with (
        mock.patch.object(command, "_migrate", side_effect=lambda: calls.append("migrate")),
        mock.patch("hiddenharm.web.warm.warm_up", side_effect=lambda: calls.append("warm")),
        mock.patch("django.db.connections.close_all", side_effect=lambda: calls.append("close")),
        mock.patch.object(command, "_gunicorn", side_effect=lambda *a: calls.append("fork")),
        mock.patch.object(
            command, "_figures_worker", side_effect=lambda every: calls.append("worker")
        ),
    ):
        result = CliRunner().invoke(app, ["serve", "--workers", "2", "--port", "8124"])
    assert result.exit_code == 0, result.output
    assert calls == ["migrate", "warm", "close", "worker", "fork"]


def test_it_starts_a_figures_worker_at_low_priority_and_stops_it_with_the_server(settings):
    app = serve_app(settings)
    with (
        mock.patch.object(command, "_migrate"),
        mock.patch("hiddenharm.web.warm.warm_up"),
        mock.patch.object(command, "_gunicorn", side_effect=KeyboardInterrupt),
        mock.patch("subprocess.Popen") as popen,
    ):
        result = CliRunner().invoke(app, ["serve", "--figures-every", "60"])
    assert result.exit_code != 0  # the server stopped by Ctrl+C
    args, _ = popen.call_args
    assert args[0][:3] == [shutil.which("nice"), "-n", "10"]  # at low priority
    assert args[0][4:] == ["-m", "hiddenharm.cli", "figures", "--every", "60"]
    popen.return_value.terminate.assert_called_once_with()  # stopped with the server
    with (
        mock.patch.object(command, "_migrate"),
        mock.patch("hiddenharm.web.warm.warm_up"),
        mock.patch.object(command, "_gunicorn"),
        mock.patch("subprocess.Popen") as popen,
    ):
        result = CliRunner().invoke(app, ["serve", "--figures-every", "0"])
    assert result.exit_code == 0, result.output
    popen.assert_not_called()
