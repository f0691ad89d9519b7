"""The dashboards' export reaches the validator as Parquet: the same accepted tables and the
same problems, in the same order and under the same file names, as the CSV a provider or
the export page writes."""

import datetime as dt
import threading
from pathlib import Path

import pytest

from hiddenharm.accounts.models import Organisation, Team
from hiddenharm.cases import exchange, figures
from hiddenharm.cases.models import Episode, HiddenHarmRecord
from hiddenharm.cases.tests.builders import new_client
from hiddenharm.extract import validate

pytestmark = pytest.mark.django_db


def _through_csv(providers, tmp_path: Path, as_of: dt.date):
    exchange.export_submission(providers, tmp_path, "csv")
    return validate(tmp_path, as_of=as_of)


def _assert_same(got, want) -> None:
    assert got.fatal == want.fatal
    assert got.files == want.files
    for name in want.tables:
        assert got.tables[name].equals(want.tables[name]), name
    assert got.problems.equals(want.problems)
    assert got.counts() == want.counts()


def _records(provider) -> None:
    """Three episodes: one clean, one discharged before its care plan started (an error),
    one with a review dated before the episode's start (a problem of the reviews file)."""
    for i, (start, discharged) in enumerate(
        [
            (dt.date(2024, 5, 1), None),
            (dt.date(2024, 6, 1), dt.date(2024, 5, 20)),
            (dt.date(2024, 7, 1), None),
        ]
    ):
        c = new_client(provider, f"V{i}")
        e = Episode.objects.create(
            client=c,
            provider=provider,
            episode_ref=f"EV{i}",
            referred=start - dt.timedelta(days=10),
            care_plan_start=start,
            discharged=discharged,
            discharge_reason="" if discharged is None else "TC",
            drug1="ALCOHOL",
        )
        HiddenHarmRecord.objects.create(episode=e, kind="start", prntstat="15", childwth=0)
        review_on = dt.date(2024, 1, 1) if i == 2 else dt.date(2025, 1, 10)
        HiddenHarmRecord.objects.create(
            episode=e, kind="review", recorded_on=review_on, prntstat="15", childwth=0
        )


def test_it_validates_the_export_as_the_csv_a_provider_sends(world, tmp_path):
    _records(world.provider)
    as_of = dt.date(2025, 3, 31)
    got = exchange.validated_export([world.provider], as_of=as_of)
    want = _through_csv([world.provider], tmp_path, as_of)
    _assert_same(got, want)
    assert got.problems.num_rows > 0  # the comparison covers problems, not only clean rows
    assert set(got.problems.column("file").to_pylist()) <= {
        "episodes.csv",
        "reviews.csv",
        "children.csv",
    }


def test_it_reports_dates_after_the_extract_date_as_the_csv_does(world, tmp_path):
    _records(world.provider)
    as_of = dt.date(2024, 6, 15)  # before most of the records' dates
    got = exchange.validated_export([world.provider], as_of=as_of)
    _assert_same(got, _through_csv([world.provider], tmp_path, as_of))
    assert sum(got.counts().values()) > 0


def test_it_validates_a_provider_without_records_as_the_csv_does(world, tmp_path):
    empty = Organisation.objects.create(
        name="Empty", kind=Organisation.Kind.PROVIDER, agency_code="EMP1", la_code="E10000020"
    )
    as_of = dt.date(2025, 3, 31)
    got = exchange.validated_export([empty], as_of=as_of)
    _assert_same(got, _through_csv([empty], tmp_path, as_of))
    assert got.tables["episodes"].num_rows == 0


def test_it_draws_the_areas_charts_while_the_teams_are_measured(world, monkeypatch):
    """The teams' figures wait (on their thread) until an area chart has been drawn on the
    main thread: the area's charts are drawn before the teams' result is awaited, not after;
    the teams' charts are drawn on the teams' thread."""
    _records(world.provider)
    other = Team.objects.create(organisation=world.provider, name="Other")
    drawn = threading.Event()
    real_team, real_chart = figures._team_figures, figures.trend_chart
    threads = []

    def team_figures(*args, **kwargs):
        got = real_team(*args, **kwargs)
        assert drawn.wait(timeout=60), "no area chart drawn while the teams were measured"
        return got

    def chart(table, *args, **kwargs):
        threads.append(threading.current_thread().name)
        if threading.current_thread() is threading.main_thread():
            drawn.set()  # an area chart (the teams' are drawn on their own thread)
        return real_chart(table, *args, **kwargs)

    monkeypatch.setattr(figures, "_team_figures", team_figures)
    monkeypatch.setattr(figures, "trend_chart", chart)
    start, end = dt.date(2024, 4, 1), dt.date(2025, 3, 31)
    shown = figures.compute_dashboard(
        [world.provider], [world.team, other], start, end, publish=False, as_of=end
    )
    # the area's two on this thread, the teams' two on theirs once measured
    assert sorted(threads)[:2] == [threading.main_thread().name] * 2
    assert len(threads) == 4 and all(n.startswith("hh-team-figures") for n in sorted(threads)[2:])
    assert len(shown["trends"]) == 4


def test_it_draws_no_chart_before_the_figures_without_teams(world, monkeypatch):
    """A commissioner's area has no teams' thread: nothing to draw meanwhile, and
    compute_dashboard leaves the drawing to the caller (`_compute`), once."""
    _records(world.provider)
    monkeypatch.setattr(figures, "trend_chart", lambda *a, **k: pytest.fail("drawn early"))
    start, end = dt.date(2024, 4, 1), dt.date(2025, 3, 31)
    shown = figures.compute_dashboard([world.provider], [], start, end, publish=True, as_of=end)
    assert len(shown["trends"]) == 2
