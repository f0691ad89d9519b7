"""The report object's shape: the spec's keys, by_agency only where the spec puts it."""

from __future__ import annotations

import datetime as dt
import json

from hiddenharm.measures import compute, whole_quarters
from hiddenharm.measures.tests._build import child, episode, review, tables


def test_it_returns_the_spec_keys_as_plain_json() -> None:
    t = tables(
        [episode(CPLANDT="2019-05-01", PRNTSTAT="11", CHILDWTH=2, SEX="F", PREGNANT="N")],
        [review(REVDATE="2019-12-01", PRNTSTAT="11", CHILDWTH=2, PREGNANT="N")],
        [child(CHILDREF="K1", CHILDYOB=2012, RECDATE="2019-05-01")],
    )
    r = compute(t, "2019-04-01", "2020-03-31", prevalence={"drug": (10, 8, 12)})
    assert list(r) == [
        "period",
        "population",
        "completeness",
        "currency",
        "parental_status",
        "children_living_with",
        "pregnant",
        "early_help",
        "children",
        "estimates",
    ]
    assert json.loads(json.dumps(r)) == r
    for key in (
        "completeness",
        "currency",
        "parental_status",
        "children_living_with",
        "pregnant",
        "early_help",
    ):
        assert list(r[key]) == ["drug", "alcohol", "all", "by_agency"]
    for key in ("in_treatment", "new_presentations"):
        assert list(r["population"][key]) == ["drug", "alcohol", "all", "by_agency"]
    for key in ("children", "estimates"):
        assert list(r[key]) == ["drug", "alcohol", "all"]
    assert list(r["estimates"]["drug"]) == [
        "observed",
        "n",
        "N",
        "ratio",
        "estimate",
        "ci95",
        "sensitivity",
        "new_presentations",
        "prevalence",
    ]
    assert list(r["estimates"]["drug"]["sensitivity"]) == ["0", "0.5", "1", "1.5", "2"]
    assert list(r["estimates"]["drug"]["new_presentations"]) == ["n", "ratio", "estimate", "ci95"]
    assert r["estimates"]["drug"]["prevalence"]["estimate"] == 10 * 1.0 * 1.0


def test_it_lists_the_whole_quarters_ending_by_a_date() -> None:
    q = whole_quarters(dt.date(2020, 3, 31))
    assert len(q) == 8
    assert q[0] == (dt.date(2018, 4, 1), dt.date(2018, 6, 30))
    assert q[-1] == (dt.date(2020, 1, 1), dt.date(2020, 3, 31))
    assert whole_quarters(dt.date(2020, 3, 30), 1) == [
        (dt.date(2019, 10, 1), dt.date(2019, 12, 31))
    ]
    assert whole_quarters(dt.date(2020, 1, 5), 2)[-1] == (
        dt.date(2019, 10, 1),
        dt.date(2019, 12, 31),
    )
