"""The production profile: gunicorn, check --deploy, headers, logs, probes."""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from unittest import mock

import pytest
from django.urls import reverse
from typer.testing import CliRunner

from hiddenharm.web import command
from hiddenharm.web.logs import JsonFormatter, StripRequestFilter

TEMPLATES = Path(__file__).resolve().parents[2]


def production_env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HH_")}
    env.pop("DATABASE_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="hiddenharm.web.settings",
        HH_SECRET_KEY=secrets.token_urlsafe(50),
        HH_ALLOWED_HOSTS="hh.example.org,127.0.0.1",
        HH_HSTS_SECONDS="31536000",
        HH_SSL_REDIRECT="1",
        HH_BEHIND_TLS_PROXY="1",
        HH_DATA_DIR=str(tmp_path),
    )
    return env


@pytest.mark.slow
def test_it_passes_check_deploy_with_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_it_serves_with_gunicorn_and_the_workers_asked_for(settings):
    from hiddenharm.web.tests.test_serve_connections import serve_app

    app = serve_app(settings)
    with (
        mock.patch.object(command, "_gunicorn") as run,
        mock.patch.object(command, "_migrate"),
        mock.patch.object(command, "_figures_worker"),
    ):
        result = CliRunner().invoke(app, ["serve", "--workers", "3", "--port", "8123"])
    assert result.exit_code == 0, result.output
    run.assert_called_once_with("127.0.0.1", 8123, 3)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str):
    request = urllib.request.Request(
        url, headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


@pytest.mark.slow
def test_it_runs_under_gunicorn_with_probes_and_cached_static_files(tmp_path):
    port = _free_port()
    env = production_env(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "hiddenharm.cli", "serve", "--workers", "2", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                status, _, _ = _get(base + "/healthz")
                if status == 200:
                    break
            except OSError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()
            time.sleep(0.3)
        assert _get(base + "/readyz")[0] == 200
        status, headers, body = _get(base + "/sign-in/")
        assert status == 200 and "no-store" in headers["Cache-Control"]
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        css = re.search(rb'href="(/static/govuk/govuk-frontend.min.css\?v=[0-9a-f]+)"', body)
        status, headers, _ = _get(base + css.group(1).decode())
        assert status == 200 and "max-age=31536000" in headers["Cache-Control"]
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert any(line.get("logger") == "gunicorn.error" for line in lines)


@pytest.mark.django_db
def test_it_sets_a_content_security_policy_without_inline_script(client, as_persona):
    for http, url in ((client, reverse("login")), (as_persona("keyworker"), reverse("home"))):
        response = http.get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_it_leaves_no_inline_script_or_handler_in_any_template():
    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
    handler = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
    found = []
    for path in TEMPLATES.rglob("templates/**/*.html"):
        if "reports" in path.parts:
            continue  # the report HTML is a downloaded file of its own (charts inline)
        text = path.read_text()
        if inline.search(text) or handler.search(text):
            found.append(str(path))
    assert not found


@pytest.mark.django_db
def test_it_marks_pages_and_downloads_with_personal_data_no_store(as_persona, world):
    http = as_persona("keyworker")
    client_url = reverse("cases:client_detail", args=[world.client_obj.pk])
    for url in (reverse("home"), client_url):
        assert "no-store" in http.get(url)["Cache-Control"]
    export = as_persona("data_lead").post(reverse("cases:export"))
    assert export.status_code == 200 and "no-store" in export["Cache-Control"]


@pytest.mark.django_db
def test_it_gives_each_request_an_id(client):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]
    given = client.get("/healthz", HTTP_X_REQUEST_ID="proxy-1234567")
    assert given["X-Request-ID"] == "proxy-1234567"
    bad = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")
    assert bad["X-Request-ID"] != "<script>"


@pytest.mark.django_db
def test_it_logs_a_refused_request_as_one_json_line(as_persona, world, caplog):
    http = as_persona("other_keyworker")
    url = reverse("cases:client_detail", args=[world.client_obj.pk])
    handler_lines = []

    class Collect(logging.Handler):
        def emit(self, record):
            if StripRequestFilter().filter(record):
                handler_lines.append(JsonFormatter().format(record))

    collector = Collect()
    logging.getLogger().addHandler(collector)
    try:
        assert http.get(url + "?q=secret").status_code == 403
    finally:
        logging.getLogger().removeHandler(collector)
    assert len(handler_lines) == 1, handler_lines
    line = json.loads(handler_lines[0])
    assert line["status"] == 403 and line["path"] == url and line["request_id"]
    assert line["cpu_ms"] >= 0 and line["ms"] > 0  # the worker's CPU time and the wall time
    assert "\n" not in handler_lines[0] and "Traceback" not in handler_lines[0]
    assert "secret" not in handler_lines[0]


@pytest.mark.django_db
def test_it_refuses_a_page_body_over_the_limit_with_413(client, settings):
    settings.HH_MAX_UPLOAD_BYTES = 100
    response = client.post(reverse("login"), {"username": "x" * 100_000, "password": "y"})
    assert response.status_code == 413
    assert b"HH_MAX_UPLOAD_BYTES" in response.content
