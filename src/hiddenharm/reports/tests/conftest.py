"""Report dicts in the spec's JSON shape, made by hand, for testing the rendering alone."""

from __future__ import annotations

import copy
from typing import Any

import pytest


def _completeness(p: int, c: int, preg: tuple[int, int], eh: tuple[int, int], n: int) -> dict:
    def cell(rec: int, elig: int) -> dict:
        return {"recorded": rec, "eligible": elig, "rate": rec / elig if elig else None}

    return {
        "PRNTSTAT": cell(p, n),
        "CHILDWTH": cell(c, n),
        "PREGNANT": cell(*preg),
        "EARLYHLP": cell(*eh),
    }


def _currency(u: int, e: int) -> dict:
    return {"up_to_date": u, "eligible": e, "rate": u / e if e else None}


def sample_report() -> dict[str, Any]:
    """An unpublished report: two agencies, one below the 90% target for parental status."""
    comp = {
        "drug": _completeness(180, 170, (50, 55), (60, 70), 200),
        "alcohol": _completeness(95, 96, (30, 30), (20, 22), 100),
        "all": _completeness(275, 266, (80, 85), (80, 92), 300),
        "by_agency": {
            "AGY1": {
                "drug": _completeness(120, 118, (30, 32), (40, 45), 125),
                "alcohol": _completeness(70, 70, (20, 20), (15, 15), 70),
                "all": _completeness(190, 188, (50, 52), (55, 60), 195),
            },
            "AGY2": {
                "drug": _completeness(60, 52, (20, 23), (20, 25), 75),
                "alcohol": _completeness(25, 26, (10, 10), (5, 7), 30),
                "all": _completeness(85, 78, (30, 33), (25, 32), 105),
            },
        },
    }
    cur = {
        "drug": _currency(90, 150),
        "alcohol": _currency(40, 60),
        "all": _currency(130, 210),
        "by_agency": {
            "AGY1": {
                "drug": _currency(70, 100),
                "alcohol": _currency(30, 40),
                "all": _currency(100, 140),
            },
            "AGY2": {
                "drug": _currency(20, 50),
                "alcohol": _currency(10, 20),
                "all": _currency(30, 70),
            },
        },
    }

    def ps(a: int, b: int, c: int, d: int, e: int, m: int) -> dict:
        return {
            "11": a,
            "12": b,
            "13": c,
            "14": d,
            "15": e,
            "missing": m,
            "parent_living_with_children": a + b,
            "parent_not_living_with_children": c,
            "not_a_parent": d,
            "incomplete": e + m,
        }

    def cw(z: int, o: int, t: int, th: int, f: int, m: int, total: int) -> dict:
        return {"0": z, "1": o, "2": t, "3": th, "4+": f, "missing": m, "total_children": total}

    def children(total: int, ages: list[int], wh: list[int], csc: list[int]) -> dict:
        return {
            "total": total,
            "age_band": dict(
                zip(["0-4", "5-10", "11-15", "16-17", "18+", "unknown"], ages, strict=True)
            ),
            "WHEREABT": dict(
                zip(
                    [
                        "CLIENT",
                        "OPARENT",
                        "FAMILY",
                        "FOSTER",
                        "RESID",
                        "ADOPTED",
                        "INDEP",
                        "OTHER",
                        "UNK",
                        "missing",
                    ],
                    wh,
                    strict=True,
                )
            ),
            "CSCSTAT": dict(
                zip(["NONE", "EH", "CIN", "CPP", "LAC", "UNK", "missing"], csc, strict=True)
            ),
        }

    def est(obs: int, n: int, big_n: int, ratio: float) -> dict:
        e = big_n * ratio
        return {
            "observed": obs,
            "n": n,
            "N": big_n,
            "ratio": ratio,
            "estimate": e,
            "ci95": [max(obs, e * 0.9), e * 1.1],
            "sensitivity": {
                d: obs if d == "0" else obs + (big_n - n) * ratio * float(d)
                for d in ("0", "0.5", "1", "1.5", "2")
            },
            "new_presentations": {
                "n": n // 2,
                "ratio": ratio * 1.05,
                "estimate": e * 1.05,
                "ci95": [max(obs, e * 0.85), e * 1.2],
            },
            "prevalence": {
                "parents": 120,
                "parents_and_non_parents": 300,
                "p": 0.4,
                "parents_with_children_rows": 80,
                "children_under_18": 150,
                "k": 1.875,
                "c": 0.75,
            },
        }

    return {
        "period": {"from": "2019-04-01", "to": "2020-03-31"},
        "population": {
            "in_treatment": {"drug": 420, "alcohol": 180, "all": 600},
            "new_presentations": {"drug": 190, "alcohol": 95, "all": 285},
        },
        "completeness": comp,
        "currency": cur,
        "parental_status": {
            "drug": ps(60, 15, 120, 180, 9, 36),
            "alcohol": ps(25, 6, 40, 90, 3, 16),
            "all": ps(85, 21, 160, 270, 12, 52),
        },
        "children_living_with": {
            "drug": cw(300, 40, 25, 8, 3, 44, 127),
            "alcohol": cw(130, 15, 10, 3, 2, 20, 55),
            "all": cw(430, 55, 35, 11, 5, 64, 182),
        },
        "pregnant": {
            "drug": {"Y": 7, "N": 100, "missing": 13},
            "alcohol": {"Y": 2, "N": 50, "missing": 6},
            "all": {"Y": 9, "N": 150, "missing": 19},
        },
        "early_help": {
            "drug": {"EH": 12, "CIN": 8, "CPP": 6, "LAC": 4, "NONE": 120, "UNK": 9, "missing": 30},
            "alcohol": {"EH": 5, "CIN": 3, "CPP": 2, "LAC": 1, "NONE": 50, "UNK": 4, "missing": 12},
            "all": {"EH": 17, "CIN": 11, "CPP": 8, "LAC": 5, "NONE": 170, "UNK": 13, "missing": 42},
        },
        "children": {
            "drug": children(
                210,
                [30, 60, 50, 20, 45, 5],
                [70, 50, 30, 12, 3, 4, 10, 6, 15, 10],
                [140, 20, 15, 12, 8, 10, 5],
            ),
            "alcohol": children(
                90,
                [10, 25, 25, 10, 18, 2],
                [35, 25, 10, 4, 1, 2, 5, 3, 3, 2],
                [65, 8, 6, 4, 2, 3, 2],
            ),
            "all": children(
                300,
                [40, 85, 75, 30, 63, 7],
                [105, 75, 40, 16, 4, 6, 15, 9, 18, 12],
                [205, 28, 21, 16, 10, 13, 7],
            ),
        },
        "estimates": {
            "drug": est(127, 376, 420, 0.338),
            "alcohol": est(55, 160, 180, 0.344),
            "all": est(182, 536, 600, 0.34),
        },
        "problems": {"HH004": 3, "HW101": 1},
    }


def published_report() -> dict[str, Any]:
    """The sample as --publish gives it: small counts and what is built on them null."""
    r = copy.deepcopy(sample_report())
    r["pregnant"]["drug"]["Y"] = None
    r["pregnant"]["alcohol"]["Y"] = None
    r["pregnant"]["all"]["Y"] = 9
    ps = r["parental_status"]["alcohol"]
    ps["15"] = None
    ps["12"] = None  # secondary
    ps["parent_living_with_children"] = None
    ps["incomplete"] = None
    r["children_living_with"]["drug"]["4+"] = None
    r["children_living_with"]["alcohol"]["4+"] = None
    r["children_living_with"]["alcohol"]["3"] = None
    r["children_living_with"]["drug"]["3"] = None
    for k in ("drug", "alcohol"):
        r["early_help"][k]["LAC"] = None
        r["early_help"][k]["CPP"] = None
    r["children"]["alcohol"]["WHEREABT"]["RESID"] = None
    r["children"]["drug"]["WHEREABT"]["RESID"] = None
    r["children"]["alcohol"]["CSCSTAT"]["LAC"] = None
    r["children"]["alcohol"]["CSCSTAT"]["missing"] = None
    r["completeness"]["by_agency"]["AGY2"]["alcohol"]["EARLYHLP"].update(recorded=None, rate=None)
    r["meta"] = {"publish": True, "target": 0.9}
    return r


def detailed_report() -> dict[str, Any]:
    """The sample with what build_report adds for HTML and PDF: trend, areas and meta."""
    r = sample_report()
    labels = [f"{y}/{(y + 1) % 100:02d} Q{q}" for y in (2018, 2019) for q in (1, 2, 3, 4)]
    r["trend"] = []
    for i, label in enumerate(labels):
        p = 0.70 + 0.03 * i
        r["trend"].append(
            {
                "from": "2018-04-01",
                "to": "2018-06-30",
                "label": label,
                "population": {"in_treatment": {"drug": 300 + i, "alcohol": 120, "all": 420 + i}},
                "completeness": {
                    k: _completeness(round(50 * p), round(48 * p), (10, 12), (8, 9), 50)
                    for k in ("drug", "alcohol", "all")
                },
                "currency": {k: _currency(20 + i, 40) for k in ("drug", "alcohol", "all")},
                "observed": {"drug": 90 + i, "alcohol": 40, "all": 130 + i},
            }
        )
    r["trend"][0]["currency"]["alcohol"] = _currency(0, 0)  # a quarter with nobody eligible
    east, west = copy.deepcopy(r), copy.deepcopy(r)
    east["completeness"]["all"] = _completeness(95, 90, (20, 21), (20, 25), 100)
    west["completeness"]["all"] = _completeness(140, 130, (30, 33), (30, 40), 200)
    west["currency"]["all"] = _currency(50, 100)
    r["areas"] = {"E06000001": east, "E06000002": west}
    r["meta"] = {
        "publish": False,
        "target": 0.9,
        "as_of": "2020-05-01",
        "generated": "2020-05-02 10:00 UTC",
        "files": {"episodes.csv": {"rows": 1010, "accepted": 1000, "rejected": 10}},
    }
    return r


# numbers that occur only in suppressed cells of published_report(): none may leak
SUPPRESSED_VALUES = (2, 3, 4)


@pytest.fixture
def report() -> dict[str, Any]:
    return sample_report()


@pytest.fixture
def detailed() -> dict[str, Any]:
    return detailed_report()


@pytest.fixture
def published() -> dict[str, Any]:
    return published_report()


# Rendering costs a second or two (the charts): each fixture renders once per session.
@pytest.fixture(scope="session")
def detailed_html() -> str:
    from hiddenharm.reports import render_html

    return render_html(detailed_report())


@pytest.fixture(scope="session")
def published_html() -> str:
    from hiddenharm.reports import render_html

    return render_html(published_report())


@pytest.fixture(scope="session")
def detailed_pdf() -> bytes:
    from hiddenharm.reports import render_pdf

    return render_pdf(detailed_report())


@pytest.fixture
def drawings_started(monkeypatch: pytest.MonkeyPatch) -> list:
    """The charts' second drawing processes started (`charts.DrawingAhead`), watched: the
    list fills as they start. A spare core is made to seem free, so that one is started."""
    from hiddenharm.reports import build, charts

    started: list[charts.DrawingAhead] = []

    class Watched(charts.DrawingAhead):
        def __init__(self) -> None:
            super().__init__()
            started.append(self)

    monkeypatch.setattr(charts, "DrawingAhead", Watched)
    monkeypatch.setattr(charts, "_drawing_here", False)
    monkeypatch.setattr(build, "_spare_core", lambda: True)
    return started
