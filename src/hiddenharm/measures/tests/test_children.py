"""Children (Recommendation 9): latest row on or before TO, under the parent's type."""

from __future__ import annotations

import datetime as dt

from hiddenharm.measures import compute
from hiddenharm.measures.tests._build import child, episode, tables

FROM, TO = dt.date(2019, 4, 1), dt.date(2020, 3, 31)


def kids(t) -> dict:
    return compute(t, FROM, TO)["children"]


def test_it_counts_each_child_once_as_its_latest_row_on_or_before_to() -> None:
    t = tables(
        [episode(CPLANDT="2019-05-01", DRUG1="ALCOHOL")],
        [],
        [
            child(CHILDREF="K1", CHILDYOB=2010, WHEREABT="CLIENT", RECDATE="2019-05-01"),
            child(
                CHILDREF="K1", CHILDYOB=2010, WHEREABT="FOSTER", CSCSTAT="LAC", RECDATE="2020-01-01"
            ),
            child(CHILDREF="K1", CHILDYOB=2010, WHEREABT="CLIENT", RECDATE="2020-04-01"),
            child(CHILDREF="K2", CHILDYOB=2021, RECDATE="2019-06-01"),  # born after TO
            child(CHILDREF="K3", CHILDYOB=2002, RECDATE="2019-06-01"),  # 18 in TO's year
            child(CHILDREF="K4", RECDATE="2020-05-01"),  # only a row after TO: not yet known
        ],
    )
    c = kids(t)
    assert c["drug"]["total"] == 0
    assert c["alcohol"] == c["all"]
    assert c["all"]["total"] == 3
    assert c["all"]["age_band"] == {
        "0-4": 0,
        "5-10": 1,
        "11-15": 0,
        "16-17": 0,
        "18+": 1,
        "unknown": 1,
    }
    assert c["all"]["WHEREABT"]["FOSTER"] == 1
    assert c["all"]["WHEREABT"]["CLIENT"] == 0
    assert c["all"]["WHEREABT"]["missing"] == 2
    assert c["all"]["CSCSTAT"]["LAC"] == 1
    assert c["all"]["CSCSTAT"]["missing"] == 2


def test_it_bands_ages_by_to_year_minus_year_of_birth() -> None:
    years = [2020, 2016, 2015, 2010, 2009, 2005, 2004, 2003, 2002, None]
    t = tables(
        [episode(CPLANDT="2019-05-01")],
        [],
        [child(CHILDREF=f"K{i}", CHILDYOB=y, RECDATE="2019-06-01") for i, y in enumerate(years)],
    )
    assert kids(t)["all"]["age_band"] == {
        "0-4": 2,
        "5-10": 2,
        "11-15": 2,
        "16-17": 2,
        "18+": 1,
        "unknown": 1,
    }


def test_it_counts_only_children_of_individuals_in_treatment() -> None:
    t = tables(
        [
            episode(CLIENTID="C1", EPISODID="E1", CPLANDT="2019-05-01"),
            episode(
                CLIENTID="C2",
                EPISODID="E2",
                FINITIAL="Z",
                CPLANDT="2017-05-01",
                DISD="2018-01-01",
                DISRSN="TC",
            ),
        ],
        [],
        [
            child(CLIENTID="C1", CHILDREF="K1", RECDATE="2019-06-01"),
            child(CLIENTID="C2", CHILDREF="K1", RECDATE="2017-06-01"),
        ],
    )
    assert kids(t)["all"]["total"] == 1


def test_it_files_a_clientid_of_several_individuals_under_the_first_attributor() -> None:
    t = tables(
        [
            # one CLIENTID at A1 used for two people: "B..." sorts after "A..."
            episode(
                CLIENTID="C1", EPISODID="E1", FINITIAL="B", CPLANDT="2019-05-01", DRUG1="ALCOHOL"
            ),
            episode(CLIENTID="C1", EPISODID="E2", FINITIAL="A", CPLANDT="2019-06-01"),
        ],
        [],
        [child(CLIENTID="C1", CHILDREF="K1", RECDATE="2019-06-01")],
    )
    c = kids(t)
    assert (c["drug"]["total"], c["alcohol"]["total"]) == (1, 0)


def test_the_children_at_each_to_are_counted_whatever_was_measured_before() -> None:
    # The latest rows at TO are made once per TO and shared by the region and the areas:
    # measuring periods with other TOs in between must give each period's own children.
    from hiddenharm.measures import Submission

    t = tables(
        [
            episode(CPLANDT="2018-05-01", LA="LA1"),
            episode(EPISODID="E2", CLIENTID="C2", FINITIAL="Z", CPLANDT="2018-06-01", LA="LA2"),
        ],
        [],
        [
            child(CHILDREF="K1", CHILDYOB=2010, WHEREABT="CLIENT", RECDATE="2018-06-01"),
            child(CHILDREF="K1", CHILDYOB=2010, WHEREABT="FOSTER", RECDATE="2019-06-01"),
            child(CLIENTID="C2", CHILDREF="K1", CHILDYOB=2001, RECDATE="2019-06-01"),
        ],
    )
    early = (dt.date(2018, 4, 1), dt.date(2019, 3, 31))
    with Submission(t) as s:
        got = [
            s.compute(FROM, TO)["children"],
            s.areas(*early),
            s.compute(*early)["children"],
            s.areas(FROM, TO),
            s.compute(FROM, TO)["children"],
        ]
    with Submission(t) as s:
        early_areas = s.areas(*early)
    with Submission(t) as s:
        later_areas = s.areas(FROM, TO)
    assert got == [kids(t), early_areas, compute(t, *early)["children"], later_areas, kids(t)]
    assert got[0]["all"]["WHEREABT"]["FOSTER"] == 1 and got[0]["all"]["total"] == 2
    assert got[2]["all"]["WHEREABT"]["CLIENT"] == 1 and got[2]["all"]["total"] == 1
