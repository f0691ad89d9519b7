"""Completeness at the start of treatment and currency at care-plan review."""

from __future__ import annotations

import datetime as dt

from hiddenharm.measures import compute
from hiddenharm.measures.tests._build import episode, review, tables

FROM, TO = dt.date(2019, 4, 1), dt.date(2020, 3, 31)
CUT = TO - dt.timedelta(days=182)  # 2019-10-01


def test_it_measures_completeness_on_new_presentation_episodes() -> None:
    t = tables(
        [
            episode(
                EPISODID="E1",
                SEX="F",
                CPLANDT="2019-05-01",
                PRNTSTAT="11",
                CHILDWTH=2,
                PREGNANT="N",
                HHDATE="2020-06-01",
            ),  # recorded at start even so
            episode(
                EPISODID="E2",
                SEX="M",
                FINITIAL="Z",
                CPLANDT="2019-06-01",
                PRNTSTAT="14",
                CHILDWTH=1,
                EARLYHLP="UNK",
            ),
            episode(EPISODID="E3", SEX="M", FINITIAL="Y", CPLANDT="2019-06-01"),
            episode(
                EPISODID="E4", SEX="F", FINITIAL="X", CPLANDT="2019-01-01", PRNTSTAT="14"
            ),  # not a new presentation
        ]
    )
    c = compute(t, FROM, TO)["completeness"]["all"]
    assert c["PRNTSTAT"] == {"recorded": 2, "eligible": 3, "rate": 2 / 3}
    assert c["CHILDWTH"] == {"recorded": 2, "eligible": 3, "rate": 2 / 3}
    assert c["PREGNANT"] == {"recorded": 1, "eligible": 1, "rate": 1.0}
    # eligible on the row's own PRNTSTAT 11-13 or CHILDWTH > 0: E1 and E2
    assert c["EARLYHLP"] == {"recorded": 1, "eligible": 2, "rate": 0.5}


def test_it_gives_a_null_rate_with_no_eligible_episode() -> None:
    t = tables([episode(CPLANDT="2019-05-01", SEX="M")])
    c = compute(t, FROM, TO)["completeness"]
    assert c["all"]["PREGNANT"] == {"recorded": 0, "eligible": 0, "rate": None}
    assert c["alcohol"]["PRNTSTAT"]["rate"] is None


def test_it_splits_completeness_by_the_episodes_own_type_and_agency() -> None:
    t = tables(
        [
            episode(
                AGNCY="A1", EPISODID="E1", CPLANDT="2019-05-01", DRUG1="ALCOHOL", PRNTSTAT="14"
            ),
            episode(AGNCY="B2", EPISODID="E2", CPLANDT="2019-06-01"),
        ]
    )
    c = compute(t, FROM, TO)["completeness"]
    assert c["alcohol"]["PRNTSTAT"] == {"recorded": 1, "eligible": 1, "rate": 1.0}
    assert c["drug"]["PRNTSTAT"] == {"recorded": 0, "eligible": 1, "rate": 0.0}
    assert c["by_agency"]["A1"]["all"]["PRNTSTAT"]["eligible"] == 1
    assert c["by_agency"]["B2"]["all"]["PRNTSTAT"]["recorded"] == 0


def test_it_measures_currency_over_the_182_day_window() -> None:
    full = {"PRNTSTAT": "14", "CHILDWTH": 0}
    t = tables(
        [
            episode(EPISODID="E1", FINITIAL="A", CPLANDT="2019-10-01"),  # on TO-182: eligible
            episode(EPISODID="E2", FINITIAL="B", CPLANDT="2019-10-02"),  # too recent
            episode(
                EPISODID="E3", FINITIAL="C", CPLANDT="2019-01-01", DISD="2020-03-31", DISRSN="TC"
            ),  # discharged on TO: not still in treatment
            episode(
                EPISODID="E4", FINITIAL="D", CPLANDT="2019-01-01", DISD="2020-04-01", DISRSN="TC"
            ),  # discharged after TO: eligible
            episode(EPISODID="E5", FINITIAL="E", CPLANDT="2019-01-01"),  # eligible
            episode(EPISODID="E6", FINITIAL="F", CPLANDT="2019-01-01", SEX="F"),  # eligible
        ],
        [
            review(EPISODID="E1", REVDATE="2019-10-02", **full),  # first day in window
            review(EPISODID="E2", REVDATE="2019-12-01", **full),
            review(EPISODID="E4", REVDATE="2019-10-01", **full),  # on TO-182: outside
            review(EPISODID="E4", REVDATE="2020-04-01", **full),  # after TO: outside
            review(EPISODID="E5", REVDATE="2020-03-31", PRNTSTAT="14"),  # CHILDWTH blank
            review(EPISODID="E5", REVDATE="2020-01-01", CHILDWTH=0),  # PRNTSTAT blank
            review(EPISODID="E6", REVDATE="2020-01-01", **full),  # female: PREGNANT needed
        ],
    )
    c = compute(t, FROM, TO)["currency"]
    assert c["all"] == {"up_to_date": 1, "eligible": 4, "rate": 0.25}
    assert c["by_agency"]["A1"]["drug"] == {"up_to_date": 1, "eligible": 4, "rate": 0.25}


def test_it_counts_a_female_client_up_to_date_with_pregnant_recorded() -> None:
    t = tables(
        [episode(CPLANDT="2019-01-01", SEX="F")],
        [review(REVDATE="2020-01-01", PRNTSTAT="13", CHILDWTH=0, PREGNANT="N")],
    )
    assert compute(t, FROM, TO)["currency"]["all"]["up_to_date"] == 1
