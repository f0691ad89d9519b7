"""Every local authority in one grouped pass: the same figures as measuring each with ``la=``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hiddenharm.extract import validate
from hiddenharm.measures import Submission, compute
from hiddenharm.measures.tests._build import episode, review, tables
from hiddenharm.measures.tests.test_reference import FROM, TO, assert_same, submissions
from hiddenharm.synth import generate

AREAS = "E10000020,E10000029,E06000031"
PREVALENCE = {"drug": (100.0, 80.0, 120.0), "alcohol": (50.0, 40.0, 70.0)}


def _each_la(t: dict[str, Any], las: list[str], *args: Any, **kwargs: Any) -> dict[str, Any]:
    return {la: compute(t, *args, la=la, **kwargs) for la in las}


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(submissions(), st.sampled_from([None, 2.0]), st.booleans())
def test_it_measures_each_area_as_la_does(
    rows: dict[str, list[dict[str, Any]]], k: float | None, publish: bool
) -> None:
    # few attributors in two LAs: individuals with episodes in both are common
    built = tables(rows["episodes"], rows["reviews"], rows["children"])
    with Submission(built) as region:
        las = region.local_authorities()
        got = region.areas(FROM, TO, children_per_parent=k, publish=publish)
    assert list(got) == las == sorted({e["LA"] for e in rows["episodes"]})
    assert_same(got, _each_la(built, las, FROM, TO, children_per_parent=k, publish=publish))


def test_an_individual_in_two_areas_counts_in_each_with_that_areas_values() -> None:
    t = tables(
        [
            episode(EPISODID="E1", LA="LA1", CPLANDT="2019-05-01", PRNTSTAT="11", CHILDWTH=2),
            episode(
                EPISODID="E2",
                LA="LA2",
                AGNCY="B2",
                CPLANDT="2019-06-01",
                DRUG1="ALCOHOL",
                PRNTSTAT="14",
                CHILDWTH=0,
            ),
            episode(EPISODID="E3", LA="LA3", FINITIAL="Q", CPLANDT="2015-01-01", DISD="2016-01-01"),
        ],
        [review(EPISODID="E1", REVDATE="2020-01-10", PRNTSTAT="12", CHILDWTH=3)],
    )
    with Submission(t) as region:
        got = region.areas(FROM, TO)
        whole = region.compute(FROM, TO)

    def in_treatment(r: dict[str, Any]) -> tuple[int, int]:
        split = r["population"]["in_treatment"]
        return split["drug"], split["alcohol"]

    # one individual: alcohol overall (the latest start), drug in LA1, alcohol in LA2
    assert in_treatment(whole) == (0, 1) and whole["estimates"]["all"]["observed"] == 3
    assert in_treatment(got["LA1"]) == (1, 0)
    assert got["LA1"]["estimates"]["all"]["observed"] == 3  # the review, in LA1
    assert in_treatment(got["LA2"]) == (0, 1)
    assert got["LA2"]["estimates"]["all"]["observed"] == 0  # LA2's own row
    assert got["LA3"]["population"]["in_treatment"]["all"] == 0  # nobody: zeros
    assert got["LA3"]["population"]["in_treatment"]["by_agency"] == {}
    assert_same(got, _each_la(t, ["LA1", "LA2", "LA3"], FROM, TO))


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("areas")
    generate(folder, area=AREAS, agencies=4, episodes=3000, errors=True, seed=7)
    result = validate(folder, as_of=dt.date(2026, 1, 1))
    assert not result.fatal
    return dict(result.tables)


@pytest.mark.parametrize(
    "period, options",
    [
        ((None, None), {}),
        ((dt.date(2022, 4, 1), dt.date(2023, 3, 31)), {"prevalence": PREVALENCE}),
        ((dt.date(2023, 7, 1), dt.date(2023, 9, 30)), {"publish": True}),
    ],
)
def test_it_measures_a_synthetic_region_area_by_area(
    synthetic: dict[str, Any], period: tuple[Any, Any], options: dict[str, Any]
) -> None:
    with Submission(synthetic) as region:
        las = region.local_authorities()
        got = region.areas(*period, **options)
        # only some sections: as the report asks for them
        few = region.areas(*period, las=las[:2], sections=("population", "estimates"), **options)
    assert las == sorted(AREAS.split(","))
    want = _each_la(synthetic, las, *period, **options)
    assert_same(got, want)
    assert got[las[0]]["population"]["in_treatment"]["all"] > 0
    assert list(few) == las[:2]
    for la in few:
        assert_same(few[la], {k: want[la][k] for k in ("period", "population", "estimates")})
