"""`hiddenharm serve` and `hiddenharm demo`: the web application from the command line."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import sys
import tempfile
from pathlib import Path

import typer

DEMO_PASSWORD = "hidden-harm-demo"
DEMO_AREA = "E10000020"  # Norfolk, the area of the seed report
DEMO_EPISODES = 2600  # about 2,000 clients


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hiddenharm.web.settings")
    # A served application shows the last figures while new ones are worked out.
    os.environ.setdefault("HH_FIGURES_REFRESH", "BACKGROUND")
    os.environ.setdefault("HH_FIGURES_MIN_AGE", "300")  # at most every 5 minutes per scope
    # ... in a child process at low priority, not a thread of the web process
    os.environ.setdefault("HH_FIGURES_REFRESH_IN", "PROCESS")
    import django

    django.setup()
    from django.conf import settings

    # The default SQLite database lives in the data folder: make sure it exists.
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)


def _demo_environment() -> None:
    """A local, non-debug configuration for the demo, unless the environment says otherwise:
    local hosts only, cookies over plain http, and a secret key kept in the data folder."""
    from hiddenharm.web.env import env_str

    data_dir = Path(env_str("HH_DATA_DIR") or Path(__file__).resolve().parents[3] / "build")
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("HH_ALLOWED_HOSTS", "127.0.0.1,localhost")
    os.environ.setdefault("HH_SECURE_COOKIES", "0")
    if not os.environ.get("HH_SECRET_KEY"):
        key_file = data_dir / "demo-secret-key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        os.environ["HH_SECRET_KEY"] = key_file.read_text().strip()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _run(host: str, port: int) -> None:
    from django.core.management import call_command

    # Django's own server, without the reloader: enough for one local area's demo; in
    # production run hiddenharm.web.wsgi:application under a WSGI server.
    call_command("runserver", f"{host}:{port}", use_reloader=False)


def _post_fork(server, worker) -> None:
    from hiddenharm.web.warm import after_fork

    after_fork(server, worker)


def _gunicorn(host: str, port: int, workers: int) -> None:
    """gunicorn in this process, serving hiddenharm.web.wsgi:application, its own log lines
    as JSON like the application's (no access log: the application writes one line per
    request, without query strings)."""
    from gunicorn.app.base import BaseApplication

    from hiddenharm.web.env import env_int, env_str

    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "sync",
        "timeout": env_int("HH_WORKER_TIMEOUT", 300),  # a large submission validates in-request
        "graceful_timeout": 30,
        "max_requests": 2000,  # recycle workers now and then
        "max_requests_jitter": 200,
        "forwarded_allow_ips": env_str("HH_FORWARDED_ALLOW_IPS") or "127.0.0.1",
        "accesslog": None,
        "errorlog": "-",
        # each worker starts vl-convert after the fork (it cannot cross one): hiddenharm.web.warm
        "post_fork": _post_fork,
        "logconfig_dict": {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {"json": {"()": "hiddenharm.web.logs.JsonFormatter"}},
            "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
            "loggers": {"gunicorn.error": {"handlers": ["console"], "level": "INFO"}},
        },
    }

    class Server(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            from hiddenharm.web.wsgi import application

            return application

    Server().run()


def _figures_worker(every: int):
    """`hiddenharm figures --every SECONDS` as a child process at a low priority (nice 10):
    it keeps every dashboard's figures worked out ahead of the people who open them, and
    gives way to the web workers when they are busy."""
    import subprocess

    from hiddenharm.cases.figures import low_priority

    return subprocess.Popen(
        low_priority([sys.executable, "-m", "hiddenharm.cli", "figures", "--every", str(every)]),
        stdin=subprocess.DEVNULL,
    )


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(
        2, "--workers", min=1, help="gunicorn worker processes (about 2 per core)."
    ),
    figures_every: int = typer.Option(
        300,
        "--figures-every",
        min=0,
        help="Work out every dashboard's figures in a worker process every SECONDS "
        "(0: no worker; dashboards are then worked out when first opened).",
    ),
) -> None:
    """Migrate the database and serve the web application with gunicorn (settings from HH_*
    variables; put a TLS proxy in front, see the README), with a figures worker beside it
    (`hiddenharm figures --every`)."""
    _setup_django()
    from hiddenharm.web.checks import production_problems

    # `call_command` skips system checks: run ours before touching the database.
    problems = production_problems()
    if problems:
        for p in problems:
            typer.echo(f"{p.id}: {p.msg} {p.hint}", err=True)
        typer.echo("(`hiddenharm demo --serve` sets up a local configuration by itself.)", err=True)
        raise typer.Exit(2)
    _migrate()
    from hiddenharm.web.warm import warm_up

    warm_up()  # views, templates and bank holidays loaded once, shared by every worker
    # The workers fork from this process: none may inherit its database connection (two
    # processes on one socket read each other's results: found by the load test).
    from django import db

    db.connections.close_all()
    typer.echo(f"Serving on http://{host}:{port}/ with {workers} workers (Ctrl+C to stop)")
    worker = _figures_worker(figures_every) if figures_every else None
    try:
        _gunicorn(host, port, workers)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)


def figures(
    every: int = typer.Option(
        0,
        "--every",
        min=0,
        help="Then again every SECONDS, until stopped (0: once). `serve` starts one so.",
    ),
    scope: str = typer.Option(
        "",
        "--scope",
        hidden=True,
        help="One scope's figures, as a served application hands them to a child process.",
    ),
) -> None:
    """Work out the figures of every dashboard people can open (the default period, as of
    today) that are not current, so that nobody waits for them. Run it after an import or
    after midnight, or leave it running with --every (`serve` does)."""
    import json
    import logging
    import time

    _setup_django()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from hiddenharm.cases.figures import Refresh, warm

    if scope:  # handed over by a running (so migrated) application: no need to check
        Refresh(**json.loads(scope))()
        return
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        typer.echo(
            "The database is not migrated to this version: `hiddenharm serve` (or "
            "`hiddenharm demo`) migrates it first.",
            err=True,
        )
        raise typer.Exit(2)
    parent = os.getppid()
    while True:
        try:
            done = warm()
        except Exception:  # the database away for a moment: try again next round
            if not every:
                raise
            logging.getLogger("hiddenharm.figures").exception("working out the figures failed")
            done = {"computed": 0, "scopes": 0, "busy": 0, "failed": 1, "seconds": 0.0}
        typer.echo(
            json.dumps(
                {
                    "figures": done["computed"],
                    "of": done["scopes"],
                    "busy": done["busy"],
                    "failed": done["failed"],
                    "seconds": round(done["seconds"], 1),
                }
            )
        )
        if not every:
            return
        for _ in range(every):
            time.sleep(1)
            if os.getppid() != parent:  # started by `serve`, which has gone: go too
                return


def demo(
    serve: bool = typer.Option(False, "--serve", help="Then serve it on 127.0.0.1:8000."),
    episodes: int = typer.Option(DEMO_EPISODES, help="Episodes of the synthetic area."),
) -> None:
    """Load a demo area (three providers, about 2,000 clients, a user for every role)."""
    _demo_environment()
    _setup_django()
    from rich.console import Console

    console = Console(stderr=True)
    with console.status("Migrating the database"):
        _migrate()
    with console.status("Loading the demo area"):
        summary = load_demo(episodes=episodes)
    with console.status("Working out the dashboards' figures"):
        from hiddenharm.cases.figures import warm

        warm()
    typer.echo(
        f"Demo area loaded: {summary['providers']} providers, "
        f"{summary['clients']} clients, {summary['episodes']} episodes."
    )
    typer.echo(
        f"Sign in at http://127.0.0.1:8000/sign-in/ with any of these usernames "
        f"and the password {DEMO_PASSWORD}:"
    )
    for username, role, org in summary["users"]:
        typer.echo(f"  {username:<14} {role:<37} {org}")
    if serve:
        typer.echo("Serving on http://127.0.0.1:8000/ (Ctrl+C to stop)")
        _run("127.0.0.1", 8000)


def _financial_year(day: dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def load_demo(episodes: int = DEMO_EPISODES, seed: int = 0, today: dt.date | None = None):
    """The demo area: organisations, teams, people and records. Idempotent: organisations and
    people are found by name, records by their natural keys (the import path)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from hiddenharm.accounts.models import Organisation, Profile, Role, Team
    from hiddenharm.cases import exchange
    from hiddenharm.cases.models import Client, Episode
    from hiddenharm.extract import write_submission
    from hiddenharm.synth import AGENCIES, generate_tables

    today = today or dt.date.today()
    users = []
    User = get_user_model()

    def person(username, role, org, team=None, first="", last=""):
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.set_password(DEMO_PASSWORD)
        user.save()
        Profile.objects.update_or_create(
            user=user, defaults={"role": role, "organisation": org, "team": team}
        )
        users.append((username, Role(role).label, org.name))
        return user

    def org(name, kind, **codes):
        o, _ = Organisation.objects.get_or_create(name=name, defaults={"kind": kind, **codes})
        return o

    with transaction.atomic():
        partnership = org("Norfolk Hidden Harm Partnership", "partnership", la_code=DEMO_AREA)
        csc = org("Norfolk Children's Services: Front Door", "csc", la_code=DEMO_AREA)
        org("Norfolk and Norwich Maternity Service", "maternity", la_code=DEMO_AREA)
        providers = {}
        teams = {}
        for i, profile in enumerate(AGENCIES[:3], start=1):
            p = org(profile.name, "provider", agency_code=profile.code, la_code=DEMO_AREA)
            providers[profile.code] = p
            teams[p.pk] = [
                Team.objects.get_or_create(organisation=p, name=n)[0] for n in ("North", "South")
            ]
            person(f"manager{i}", Role.MANAGER, p, teams[p.pk][0])
            person(f"datalead{i}", Role.DATA_LEAD, p)
            for t, team in enumerate(teams[p.pk], start=1):
                person(f"keyworker{i}{t}", Role.KEYWORKER, p, team)
        person("commissioner", Role.COMMISSIONER, partnership)
        person("csc", Role.CSC, csc)
        person("partnership", Role.PARTNERSHIP_ADMIN, partnership)

    fy = _financial_year(today)
    tables = generate_tables(DEMO_AREA, 3, episodes, (fy - 4, fy), False, seed, today)
    with tempfile.TemporaryDirectory(prefix="hh-demo-") as tmp:
        write_submission(tables, tmp)
        exchange.import_submission(tmp, providers, as_of=today)

    # Share the new clients between each provider's teams and keyworkers.
    for p in providers.values():
        unassigned = list(
            Client.objects.filter(provider=p, team__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for t, team in enumerate(teams[p.pk]):
            keyworker = User.objects.filter(
                profile__team=team, profile__role=Role.KEYWORKER
            ).first()
            Client.objects.filter(pk__in=unassigned[t::2]).update(team=team, keyworker=keyworker)
    from hiddenharm.safeguarding.demo import load_safeguarding_demo

    users.extend(load_safeguarding_demo(providers, csc, today)["users"])
    from hiddenharm.partnership.demo import load_partnership_demo

    load_partnership_demo(partnership, User.objects.get(username="partnership"), today)
    return {
        "providers": len(providers),
        "clients": Client.objects.filter(provider__in=providers.values()).count(),
        "episodes": Episode.objects.filter(provider__in=providers.values()).count(),
        "users": users,
    }


if __name__ == "__main__":  # pragma: no cover
    sys.exit(typer.run(demo))
