"""Many periods from one load: the report's eight quarters."""

from __future__ import annotations

import datetime as dt

from hiddenharm.measures import Submission, compute, trend
from hiddenharm.measures.tests._build import episode, review, tables


def test_it_computes_each_period_as_compute_does() -> None:
    t = tables(
        [
            episode(EPISODID="E1", CPLANDT="2018-05-01", PRNTSTAT="11", CHILDWTH=1),
            episode(
                EPISODID="E2",
                FINITIAL="Z",
                CPLANDT="2019-02-01",
                DISD="2019-08-01",
                DISRSN="TC",
                DRUG1="ALCOHOL",
            ),
            episode(EPISODID="E3", FINITIAL="Y", CPLANDT="2019-07-01", SEX="F"),
        ],
        [review(EPISODID="E1", REVDATE="2019-01-15", PRNTSTAT="11", CHILDWTH=2)],
    )
    quarters = [
        (dt.date(2018, 4, 1), dt.date(2018, 6, 30)),
        (dt.date(2018, 10, 1), dt.date(2018, 12, 31)),
        (dt.date(2019, 1, 1), dt.date(2019, 3, 31)),
        (dt.date(2019, 7, 1), dt.date(2019, 9, 30)),
    ]
    got = trend(t, quarters)
    assert [g["period"]["from"] for g in got] == [q[0].isoformat() for q in quarters]
    for (start, end), g in zip(quarters, got, strict=True):
        full = compute(t, start, end)
        assert set(g) == {"period", "population", "completeness", "currency"}
        for key in g:
            assert g[key] == full[key]
    assert [g["population"]["in_treatment"]["all"] for g in got] == [1, 1, 2, 3]
    # one loaded submission answers full reports for several periods in any order
    with Submission(t) as s:
        later = s.compute(*quarters[3])
        earlier = s.compute(*quarters[0])
    assert later == compute(t, *quarters[3]) and earlier == compute(t, *quarters[0])
