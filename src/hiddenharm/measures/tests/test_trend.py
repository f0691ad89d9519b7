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


def test_the_trend_window_keeps_every_row_a_period_can_count() -> None:
    # Episodes and reviews just inside and just outside the window of the periods (in treatment
    # somewhere from the first FROM to the last TO; reviews within 182 days before a TO), in
    # periods given out of order and overlapping: each period is still what compute gives.
    t = tables(
        [
            episode(EPISODID="E1", CPLANDT="2017-01-01", PRNTSTAT="11", CHILDWTH=1),
            # discharged the day before the first period: outside every period
            episode(EPISODID="E2", FINITIAL="Z", CPLANDT="2018-01-01", DISD="2019-03-31"),
            # discharged on the first period's first day: in it
            episode(EPISODID="E3", FINITIAL="Y", CPLANDT="2018-02-01", DISD="2019-04-01"),
            # starts on the last period's last day (a new presentation there), and after it
            episode(EPISODID="E4", FINITIAL="X", CPLANDT="2019-12-31", SEX="F", PREGNANT="N"),
            episode(EPISODID="E5", FINITIAL="W", CPLANDT="2020-01-01", DRUG1="ALCOHOL"),
            episode(EPISODID="E6", FINITIAL="V", AGNCY="B2", CPLANDT="2018-06-01", DRUG1="ALCOHOL"),
        ],
        [
            # reviews up to date for some periods and not for others
            review(EPISODID="E1", REVDATE="2019-01-01", PRNTSTAT="11", CHILDWTH=1),
            review(EPISODID="E1", REVDATE="2019-06-30", PRNTSTAT="12", CHILDWTH=2),
            review(AGNCY="B2", EPISODID="E6", REVDATE="2019-10-01", PRNTSTAT="14", CHILDWTH=0),
            review(EPISODID="E3", REVDATE="2019-03-01", PRNTSTAT="13", CHILDWTH=0),
        ],
    )
    periods = [
        (dt.date(2019, 10, 1), dt.date(2019, 12, 31)),
        (dt.date(2019, 4, 1), dt.date(2019, 6, 30)),
        (dt.date(2019, 4, 1), dt.date(2019, 12, 31)),
        (dt.date(2019, 7, 1), dt.date(2019, 9, 30)),
    ]
    for publish in (False, True):
        with Submission(t) as s:
            got = s.trend(periods, publish=publish)
            # the window does not stay in the way of the next computation of another period
            later = s.compute(dt.date(2020, 1, 1), dt.date(2020, 3, 31), publish=publish)
        for (start, end), g in zip(periods, got, strict=True):
            full = compute(t, start, end, publish=publish)
            assert g == {k: full[k] for k in g}
        assert later == compute(t, dt.date(2020, 1, 1), dt.date(2020, 3, 31), publish=publish)
    # E1 and E6 are ongoing in each; up to date: E6 (reviewed 1 Oct), E1 (30 Jun), E6, E1
    currency = [g["currency"]["all"] for g in trend(t, periods)]
    assert [(c["up_to_date"], c["eligible"]) for c in currency] == [(1, 2)] * 4


def test_a_trend_of_other_sections_is_each_periods_compute() -> None:
    t = tables(
        [episode(EPISODID="E1", CPLANDT="2019-05-01", PRNTSTAT="11", CHILDWTH=2)],
        [review(EPISODID="E1", REVDATE="2019-08-01", PRNTSTAT="12", CHILDWTH=3)],
    )
    periods = [(dt.date(2019, 4, 1), dt.date(2019, 6, 30)), (dt.date(2019, 7, 1), None)]
    sections = ("population", "children_living_with", "estimates")
    got = trend(t, periods, sections=sections)
    for (start, end), g in zip(periods, got, strict=True):
        full = compute(t, start, end)
        assert g == {k: full[k] for k in g} and set(g) == {"period", *sections}
    assert trend(t, []) == []
