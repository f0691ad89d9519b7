"""Disclosure control on the figures that leave a service (issue 9): the commissioner's
dashboard and the partnership dashboard show exactly the published report's figures, with
the measures' suppression (one definition: measures.suppression), and say what was done."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from hiddenharm.cases import figures
from hiddenharm.cases.models import Episode, HiddenHarmRecord
from hiddenharm.cases.tests.builders import new_client

pytestmark = pytest.mark.django_db
PERIOD = {"from": "2024-04-01", "to": "2025-03-31"}
START, END = dt.date(2024, 4, 1), dt.date(2025, 3, 31)


def _episode(provider, ref, drug, recorded, start=dt.date(2024, 9, 10)):
    client = new_client(provider, ref)
    episode = Episode.objects.create(
        client=client,
        provider=provider,
        episode_ref="E" + ref,
        referred=start - dt.timedelta(days=9),
        care_plan_start=start,
        drug1=drug,
    )
    if recorded:
        HiddenHarmRecord.objects.create(
            episode=episode, kind="start", recorded_on=start, prntstat="14"
        )


@pytest.fixture
def small_area(world):
    """Provider A: drug 1 of 2 (the issue's "1 of 2"), alcohol 6 of 6; Provider B: alcohol
    1 of 1 (the issue's "1 of 1")."""
    _episode(world.provider, "D2", "HEROIN", recorded=False)
    for i in range(6):
        _episode(world.provider, f"A{i}", "ALCOHOL", recorded=True)
    _episode(world.other_provider, "B1", "ALCOHOL", recorded=True)
    return world


def _cells(html: str, label: str) -> list[str]:
    """The figures in the page's row headed `label`, as shown ("25% (1 of 4)")."""
    row = re.search(rf">{re.escape(label)}</th>(.*?)</tr>", html, re.S)
    assert row, f"no row {label!r}"
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells]


def _shown(cell: dict) -> str:
    rate = "–" if cell["rate"] is None else f"{round(100 * cell['rate'])}%"
    num = cell.get("recorded", cell.get("up_to_date"))
    return f"{rate} ({'*' if num is None else num} of {cell['eligible']})"


def test_it_suppresses_an_agencys_small_count_on_the_commissioners_page(as_persona, small_area):
    response = as_persona("commissioner").get(reverse("cases:dashboard"), PERIOD)
    html = response.content.decode()
    a_drug = _cells(html, "Provider A (AGA1): drug treatment")
    a_alcohol = _cells(html, "Provider A (AGA1): alcohol treatment")
    b_alcohol = _cells(html, "Provider B (AGB2): alcohol treatment")
    assert a_drug[0] == "– (* of 2)"  # the "1 of 2", suppressed
    assert a_alcohol[0] == "– (* of 6)"  # 6 hidden too: else 1 = all - 6 (secondary)
    assert b_alcohol[0] == "– (* of 1)"  # the "1 of 1"
    # No agency's total over both types (kept by the rule as a total: 7 of 8 would show)
    assert ">Provider A (AGA1)</th>" not in html and ">Provider B (AGB2)</th>" not in html
    # No count from 1 to 4 anywhere but in the area's total row
    for row in response.context["tables"][0]["rows"][1:]:
        for cell in row["items"]:
            assert cell["recorded"] not in (1, 2, 3, 4), row["label"]
        assert row["currency"]["up_to_date"] not in (1, 2, 3, 4), row["label"]
    # and the page says what was done
    assert 'id="published-note"' in html and "Counts from 1 to 4 are suppressed" not in html
    assert "not by its total over both" in html


def test_it_shows_the_published_reports_figures_exactly(as_persona, small_area):
    response = as_persona("commissioner").get(reverse("cases:dashboard"), PERIOD)
    html = response.content.decode()
    report = figures.build(
        [small_area.provider, small_area.other_provider],
        START,
        END,
        publish=True,
        detail=True,
        as_of=timezone.localdate(),
    )
    comp, curr = report["completeness"], report["currency"]
    expected = [("All", comp["all"], curr["all"])]
    expected += [
        (label, comp[k], curr[k])
        for k, label in (("drug", "Drug treatment"), ("alcohol", "Alcohol treatment"))
    ]
    for code, name in (("AGA1", "Provider A"), ("AGB2", "Provider B")):
        for kind in ("drug", "alcohol"):
            expected.append(
                (
                    f"{name} ({code}): {kind} treatment",
                    comp["by_agency"][code][kind],
                    curr["by_agency"][code][kind],
                )
            )
    rows = response.context["tables"][0]["rows"]
    assert [r["label"] for r in rows] == [e[0] for e in expected]
    for (label, c, u), row in zip(expected, rows, strict=True):
        items = [c[i["item"]] for i in row["items"]]
        assert [{k: v for k, v in i.items() if k != "item"} for i in row["items"]] == items
        assert row["currency"] == u
        # and the page shows them as they are
        assert _cells(html, label) == [_shown(i) for i in items] + [_shown(u)]
    # the over-time tables: the area by treatment type, as the report's trend
    trends = response.context["trends"]
    assert [t["columns"] for t in trends] == [["Drug treatment", "Alcohol treatment"]] * 2
    for quarter, row in zip(report["trend"], trends[0]["rows"], strict=True):
        for kind, cell in zip(("drug", "alcohol"), row["cells"], strict=True):
            want = quarter["completeness"][kind]["PRNTSTAT"]
            assert (cell["num"], cell["den"]) == (want["recorded"], want["eligible"])


def test_it_shows_the_service_its_own_figures_unsuppressed(as_persona, small_area):
    response = as_persona("manager").get(reverse("cases:dashboard"), PERIOD)
    html = response.content.decode()
    assert _cells(html, "Drug treatment")[0] == "50% (1 of 2)"
    assert _cells(html, "Provider A (AGA1)")[0] == "88% (7 of 8)"
    assert 'id="published-note"' not in html


def test_it_suppresses_the_partnership_dashboards_figures_alike(as_persona, world):
    recent = timezone.localdate() - dt.timedelta(days=30)  # in the dashboard's twelve months
    _episode(world.provider, "D1", "HEROIN", recorded=True, start=recent)
    _episode(world.provider, "D2", "HEROIN", recorded=False, start=recent)
    _episode(world.other_provider, "B1", "ALCOHOL", recorded=True, start=recent)
    html = as_persona("partnership").get(reverse("partnership:dashboard")).content.decode()
    assert _cells(html, "Provider A (AGA1): drug treatment")[0] == "– (* of 2)"
    assert _cells(html, "Provider B (AGB2): alcohol treatment")[0] == "– (* of 1)"
    assert ">Provider A (AGA1)</th>" not in html
    assert 'id="published-note"' in html


def test_it_shows_recent_stale_figures_without_working_them_out_again(
    as_persona, world, settings, monkeypatch
):
    """A served application (BACKGROUND) with HH_FIGURES_MIN_AGE: figures younger than that
    are shown, marked stale with the time they will be worked out again, and no thread is
    started; older ones start one (found by the load test: every record saved started a
    computation of a whole service's figures in every worker)."""
    from hiddenharm.cases.models import FigureCache

    settings.HH_FIGURES_REFRESH = "BACKGROUND"
    settings.HH_FIGURES_MIN_AGE = 120
    queued = []
    monkeypatch.setattr(figures, "start_refresh", queued.append)
    http = as_persona("manager")
    http.get(reverse("cases:dashboard"), PERIOD)  # computed and cached
    _episode(world.provider, "N1", "HEROIN", recorded=False)  # a record changes
    young = http.get(reverse("cases:dashboard"), PERIOD)
    assert young.context["stale"] and young.context["refresh_after"] is not None
    assert b'id="figures-stale"' in young.content and b"only from" in young.content
    assert queued == []
    FigureCache.objects.update(computed_at=timezone.now() - dt.timedelta(seconds=121))
    old = http.get(reverse("cases:dashboard"), PERIOD)
    assert old.context["stale"] and old.context["refresh_after"] is None
    assert len(queued) == 1
    queued[0]()  # the background work (it also lets the scope be refreshed again later)
    assert not http.get(reverse("cases:dashboard"), PERIOD).context["stale"]


def test_it_stores_the_charts_with_the_figures(as_persona, world, monkeypatch):
    """The charts are drawn once, when the figures are worked out, and served from the cache
    by every worker (drawing them on each view was most of its time under load)."""
    http = as_persona("manager")
    first = http.get(reverse("cases:dashboard"), PERIOD)
    assert not first.context["cached"] and b"<svg" in first.content

    def no_drawing(*args, **kwargs):
        raise AssertionError("a cached view drew a chart")

    monkeypatch.setattr(figures, "trend_chart", no_drawing)
    again = http.get(reverse("cases:dashboard"), PERIOD)
    assert again.context["cached"] and b"<svg" in again.content
    assert [t["chart"] for t in again.context["trends"]] == [
        t["chart"] for t in first.context["trends"]
    ]
