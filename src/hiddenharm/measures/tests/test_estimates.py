"""Estimates of children affected: ratio method, new presentations, prevalence."""

from __future__ import annotations

import datetime as dt
import math
import statistics

import numpy as np
import pyarrow as pa
import pytest

from hiddenharm.measures import compute
from hiddenharm.measures.estimates import ratio_estimate, sample_sd
from hiddenharm.measures.schema import SCHEMAS
from hiddenharm.measures.tests._build import child, episode, tables

FROM, TO = dt.date(2019, 4, 1), dt.date(2020, 3, 31)


def test_it_computes_the_sample_standard_deviation_exactly() -> None:
    xs = [0, 1, 1, 2, 5, 0, 3]
    assert sample_sd(len(xs), sum(xs), sum(x * x for x in xs)) == statistics.stdev(xs)


def test_it_follows_the_interval_formula_with_its_special_cases() -> None:
    xs = [0, 1, 2, 2]
    N, n, S, Q = 10, 4, 5, 9
    got = ratio_estimate(N, n, S, Q, observed=S)
    s = statistics.stdev(xs)
    se = s / math.sqrt(n) * math.sqrt(1 - n / N)
    assert got["ratio"] == 1.25 and got["estimate"] == 12.5
    assert got["ci95"] == [N * (1.25 - 1.96 * se), N * (1.25 + 1.96 * se)]
    # the lower end is held at observed
    held = ratio_estimate(100, 4, 5, 9, observed=90)
    assert held["ci95"][0] == 90
    assert ratio_estimate(10, 0, 0, 0, 0) == {"ratio": None, "estimate": None, "ci95": None}
    assert ratio_estimate(10, 1, 2, 4, 2) == {"ratio": 2.0, "estimate": 20.0, "ci95": None}
    assert ratio_estimate(3, 3, 4, 6, 4) == {
        "ratio": 4 / 3,
        "estimate": 3 * (4 / 3),
        "ci95": [4.0, 3 * (4 / 3)],
    }


def test_it_estimates_from_current_values_and_from_new_presentations() -> None:
    t = tables(
        [
            # new presentation: CHILDWTH 2 at start, since updated to 3
            episode(EPISODID="E1", FINITIAL="A", CPLANDT="2019-05-01", CHILDWTH=2),
            # two new-presentation episodes: the latest (E3) counts, with CHILDWTH blank
            episode(EPISODID="E2", FINITIAL="B", CPLANDT="2019-05-01", CHILDWTH=4),
            episode(EPISODID="E3", FINITIAL="B", CPLANDT="2019-08-01"),
            # not a new presentation
            episode(EPISODID="E4", FINITIAL="C", CPLANDT="2018-05-01", CHILDWTH=1),
            episode(EPISODID="E5", FINITIAL="D", CPLANDT="2019-07-01", CHILDWTH=0),
        ],
        [{"AGNCY": "A1", "EPISODID": "E1", "REVDATE": "2019-10-01", "CHILDWTH": 3}],
    )
    e = compute(t, FROM, TO)["estimates"]["all"]
    # current: A 3, B 4 (from E2), C 1, D 0
    assert (e["observed"], e["n"], e["N"]) == (8, 4, 4)
    assert e["ratio"] == 2.0 and e["estimate"] == 8.0 and e["ci95"] == [8.0, 8.0]
    npres = e["new_presentations"]
    # A 2 (E1), B blank (E3), D 0
    assert npres["n"] == 2 and npres["ratio"] == 1.0 and npres["estimate"] == 4.0
    s = statistics.stdev([2, 0])
    hi = 4 * (1.0 + 1.96 * s / math.sqrt(2) * math.sqrt(1 - 2 / 4))
    assert npres["ci95"] == [8.0, hi]  # lower end held at observed


def test_it_gives_null_estimates_with_nothing_recorded() -> None:
    e = compute(tables([episode(CPLANDT="2019-05-01")]), FROM, TO)["estimates"]["all"]
    assert (e["observed"], e["n"], e["N"], e["ratio"], e["estimate"], e["ci95"]) == (
        0,
        0,
        1,
        None,
        None,
        None,
    )


def test_it_applies_the_hidden_harm_prevalence_method() -> None:
    t = tables(
        [
            episode(
                EPISODID="E1",
                CLIENTID="C1",
                FINITIAL="A",
                CPLANDT="2019-05-01",
                PRNTSTAT="11",
                CHILDWTH=1,
            ),
            episode(
                EPISODID="E2", CLIENTID="C2", FINITIAL="B", CPLANDT="2019-05-01", PRNTSTAT="13"
            ),
            episode(
                EPISODID="E3", CLIENTID="C3", FINITIAL="C", CPLANDT="2019-05-01", PRNTSTAT="14"
            ),
            episode(
                EPISODID="E4", CLIENTID="C4", FINITIAL="D", CPLANDT="2019-05-01", PRNTSTAT="15"
            ),
            episode(
                EPISODID="E5", CLIENTID="C5", FINITIAL="E", CPLANDT="2019-05-01", PRNTSTAT="14"
            ),  # has a children row but is not a parent
        ],
        [],
        [
            child(CLIENTID="C1", CHILDREF="K1", CHILDYOB=2010, RECDATE="2019-05-01"),
            child(CLIENTID="C1", CHILDREF="K2", CHILDYOB=2000, RECDATE="2019-05-01"),  # 20
            child(CLIENTID="C1", CHILDREF="K3", RECDATE="2019-05-01"),  # unknown age
            child(CLIENTID="C5", CHILDREF="K1", CHILDYOB=2012, RECDATE="2019-05-01"),
        ],
    )
    prev = compute(t, FROM, TO, prevalence={"drug": (1000, 800, 1300)})["estimates"]
    d = prev["drug"]["prevalence"]
    p, k = 2 / 4, 1 / 1
    assert d == {
        "parents": 2,
        "parents_and_non_parents": 4,
        "p": p,
        "parents_with_children_rows": 1,
        "children_under_18": 1,
        "k": k,
        "c": p * k,
        "P": 1000,
        "estimate": 1000 * p * k,
        "interval": [800 * p * k, 1300 * p * k],
    }
    assert "P" not in prev["alcohol"]["prevalence"]
    assert "P" not in prev["all"]["prevalence"]  # all needs both types' prevalence


def test_it_uses_a_given_children_per_parent_only_without_children_rows() -> None:
    t = tables(
        [
            episode(EPISODID="E1", FINITIAL="A", CPLANDT="2019-05-01", PRNTSTAT="12", CHILDWTH=1),
            episode(
                EPISODID="E2", FINITIAL="B", CPLANDT="2019-05-01", PRNTSTAT="14", DRUG1="ALCOHOL"
            ),
        ]
    )
    prev = {"drug": (100, 90, 110), "alcohol": (50, 40, 60)}
    e = compute(t, FROM, TO, children_per_parent=2, prevalence=prev)["estimates"]
    a = e["all"]["prevalence"]
    assert (a["p"], a["k"], a["c"]) == (0.5, 2, 1.0)
    assert a["P"] == 150 and a["estimate"] == 150.0 and a["interval"] == [130.0, 170.0]
    with_rows = tables(
        [episode(EPISODID="E1", CPLANDT="2019-05-01", PRNTSTAT="12", CHILDWTH=1)],
        [],
        [child(CHILDREF="K1", CHILDYOB=2015, RECDATE="2019-05-01")],
    )
    e = compute(with_rows, FROM, TO, children_per_parent=2)["estimates"]["all"]["prevalence"]
    assert e["k"] == 1.0
    with pytest.raises(ValueError):
        compute(t, FROM, TO, prevalence={"drug": (100, 120, 130)})


def national_2008_09() -> dict[str, pa.Table]:
    """207,000 adults in drug treatment, 83,000 of them new presentations whose CHILDWTH at
    start averages the national 120,000 / 207,000 (48,116 children among them)."""
    total, new, children = 207_000, 83_000, 48_116
    rng = np.random.default_rng(2009)
    ids = np.arange(total)
    start = np.where(
        ids < new,
        np.datetime64("2008-04-01") + rng.integers(0, 365, total).astype("timedelta64[D]"),
        np.datetime64("2005-01-01") + rng.integers(0, 1000, total).astype("timedelta64[D]"),
    )
    # 40% of new presentations live with children, one or two each: 48,116 in all
    childwth = np.zeros(new, dtype=np.int32)
    with_children = rng.choice(new, 33_200, replace=False)
    childwth[with_children] = 1
    childwth[with_children[: children - 33_200]] += 1
    cw = np.concatenate([childwth, np.zeros(total - new, dtype=np.int32)])
    mask = np.concatenate([np.zeros(new, bool), np.ones(total - new, bool)])  # old: blank
    dob = np.datetime64("1950-01-01") + (ids % 20000).astype("timedelta64[D]")
    letters = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    n = total
    cols = {
        "line": pa.array(ids + 2),
        "AGNCY": pa.array(np.full(n, "NTA")),
        "LA": pa.array(np.full(n, "ENGLAND")),
        "CLIENTID": pa.array(ids.astype(str)),
        "EPISODID": pa.array(ids.astype(str)),
        "FINITIAL": pa.array(letters[ids % 26]),
        "SINITIAL": pa.array(letters[(ids // 26) % 26]),
        "DOB": pa.array(dob),
        "SEX": pa.array(np.full(n, "M")),
        "DRUG1": pa.array(np.full(n, "HEROIN")),
        "REFLD": pa.array(start),
        "CPLANDT": pa.array(start),
        "CHILDWTH": pa.array(cw, mask=mask),
    }
    schema = SCHEMAS["episodes"]
    episodes = pa.table(
        [cols[f.name].cast(f.type) if f.name in cols else pa.nulls(n, f.type) for f in schema],
        schema=schema,
    )
    assert int(pa.compute.sum(episodes["CHILDWTH"]).as_py()) == children
    return {"episodes": episodes}


def test_it_reproduces_the_national_estimate_of_2008_09() -> None:
    r = compute(national_2008_09(), "2008-04-01", "2009-03-31")
    assert r["population"]["in_treatment"]["drug"] == 207_000
    assert r["population"]["new_presentations"]["drug"] == 83_000
    npres = r["estimates"]["drug"]["new_presentations"]
    assert npres["n"] == 83_000
    assert round(npres["estimate"], -3) == 120_000
    assert abs(npres["estimate"] - 120_000) < 1
