"""vl-convert, which draws the dashboards' over-time charts, cannot be started before
gunicorn forks (its JavaScript engine runs on threads, which a fork does not copy): each
worker starts it after the fork, on a thread, so that its first dashboard does not wait."""

from __future__ import annotations

import datetime as dt
import threading
from unittest import mock

import pytest

from hiddenharm.web import command, warm
from hiddenharm.web.tests.test_warm import run_probe


def test_it_gives_gunicorn_a_post_fork_hook_that_starts_the_chart_engine():
    from gunicorn.app.base import BaseApplication

    servers = []
    with mock.patch.object(BaseApplication, "run", lambda self: servers.append(self)):
        command._gunicorn("127.0.0.1", 8125, 2)
    (server,) = servers
    hook = server.cfg.post_fork
    assert hook is command._post_fork
    names = []
    with (
        mock.patch.object(
            warm, "warm_charts", lambda: names.append(("charts", threading.current_thread().name))
        ),
        mock.patch.object(
            warm, "warm_figures", lambda: names.append(("figures", threading.current_thread().name))
        ),
    ):
        hook(server, None)
        for t in threading.enumerate():
            if t.name == "hh-warm-charts":
                t.join(timeout=30)
    assert names == [("charts", "hh-warm-charts"), ("figures", "hh-warm-charts")]


def test_it_logs_a_failed_warm_up_and_lets_the_worker_serve(monkeypatch, caplog):
    def broken():
        raise RuntimeError("no engine")

    monkeypatch.setattr(warm, "warm_charts", broken)
    monkeypatch.setattr(warm, "warm_figures", lambda: pytest.fail("not after a failure"))
    thread = warm.after_fork()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert "warming the worker failed" in caplog.text and "no engine" in caplog.text


def test_it_draws_a_chart_with_the_dashboards_code_on_a_thread_of_its_own(monkeypatch):
    from hiddenharm.cases import figures, trend_charts

    monkeypatch.setattr(warm, "warm_figures", lambda: 0.0)  # its own test, below
    trend_charts._trend_svg.cache_clear()
    thread = warm.after_fork()
    assert thread.daemon and thread.name == "hh-warm-charts"
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert trend_charts._trend_svg.cache_info().currsize == 1  # drawn by trend_chart, kept
    svg = figures.trend_chart(warm._SAMPLE_TREND)
    assert svg.startswith("<svg") and trend_charts._trend_svg.cache_info().hits == 1


def test_it_works_out_a_small_submissions_figures_without_the_database(monkeypatch):
    """No database mark: pytest-django refuses any query, so this proves none is made."""
    import hiddenharm.extract
    import hiddenharm.measures

    calls = []
    real_validate, real_trend = hiddenharm.extract.validate, hiddenharm.measures.Submission.trend

    def validate(path, as_of=None):
        got = real_validate(path, as_of=as_of)
        calls.append(("validate", got.files["episodes.csv"]["rows"], as_of))
        return got

    def trend(self, periods, **kwargs):
        got = real_trend(self, periods, **kwargs)
        calls.append(("trend", len(got), kwargs["sections"]))
        return got

    monkeypatch.setattr(hiddenharm.extract, "validate", validate)
    monkeypatch.setattr(hiddenharm.measures.Submission, "trend", trend)
    day = dt.date(2026, 6, 1)
    assert warm.warm_figures(day) > 0
    assert calls == [("validate", 200, day), ("trend", 8, ("completeness", "currency"))]


_PROBE = """
import json, sys, threading
import django
django.setup()
from hiddenharm.web.warm import warm_up
before = "hiddenharm.measures" in sys.modules
warm_up()
print(json.dumps({
    "before": before,
    "after": "hiddenharm.measures" in sys.modules,
    "threads": threading.active_count(),
}))
"""


def test_it_imports_the_measures_before_the_fork_and_starts_no_thread_there(tmp_path):
    got = run_probe(_PROBE, tmp_path)
    assert got == {"before": False, "after": True, "threads": 1}
