"""``estimates.*.sensitivity``: the estimate if the unrecorded lived with d times as many
children as the recorded, computed by hand here, published and not, n = 0, 1 and N."""

from __future__ import annotations

import datetime as dt
import string
from typing import Any

from hiddenharm.measures import compute
from hiddenharm.measures.estimates import sensitivity
from hiddenharm.measures.tests._build import episode, tables
from hiddenharm.measures.tests.reference import sensitivity as reference_sensitivity

FROM, TO = dt.date(2019, 4, 1), dt.date(2020, 3, 31)
NULLS = {"0.5": None, "1": None, "1.5": None, "2": None}


def clients(values: list[int | None], drug: str = "HEROIN") -> list[dict[str, Any]]:
    """One client in treatment per value (None: no number recorded), all of one type."""
    return [
        episode(
            EPISODID=f"E{i}",
            CLIENTID=f"C{i}",
            FINITIAL=string.ascii_uppercase[i],
            CPLANDT="2019-05-01",
            DRUG1=drug,
            CHILDWTH=x,
        )
        for i, x in enumerate(values)
    ]


def estimates(values: list[int | None], *, publish: bool = False) -> dict[str, Any]:
    return compute(tables(clients(values)), FROM, TO, publish=publish)["estimates"]


def test_it_gives_observed_alone_when_nothing_is_recorded() -> None:  # n = 0
    e = estimates([None, None, None])
    assert (e["drug"]["observed"], e["drug"]["n"], e["drug"]["N"]) == (0, 0, 3)
    assert e["drug"]["sensitivity"] == {"0": 0, **NULLS}
    # nothing small to hide: 0 is not suppressed
    assert estimates([None, None, None], publish=True)["drug"]["sensitivity"] == {"0": 0, **NULLS}
    # a split with nobody in it: N = n = 0
    assert e["alcohol"]["sensitivity"] == {"0": 0, **NULLS}


def test_it_scales_one_recorded_number_to_the_unrecorded() -> None:  # n = 1
    e = estimates([3, None, None, None])["drug"]
    # ratio 3; the 3 unrecorded would live with 0, 4.5, 9, 13.5 or 18 children
    assert e["ci95"] is None
    assert e["sensitivity"] == {"0": 3, "0.5": 7.5, "1": 12.0, "1.5": 16.5, "2": 21.0}
    # published: observed 3 and n 1 are small, so every value goes, "0" with observed
    published = estimates([3, None, None, None], publish=True)
    assert published["drug"]["sensitivity"] == {"0": None, **NULLS}
    # `all` is a total: shown
    assert published["all"]["sensitivity"] == e["sensitivity"]


def test_it_has_nothing_to_add_when_everyone_is_recorded() -> None:  # n = N
    e = estimates([1, 0, 2, 2, 1])["drug"]
    assert (e["observed"], e["n"], e["N"]) == (6, 5, 5)
    assert e["sensitivity"] == {"0": 6, "0.5": 6.0, "1": 6.0, "1.5": 6.0, "2": 6.0}
    assert estimates([1, 0, 2, 2, 1], publish=True)["drug"]["sensitivity"] == e["sensitivity"]
    small = estimates([1, 0, 2])["drug"]  # observed 3: suppressed when published
    assert small["sensitivity"] == {"0": 3, "0.5": 3.0, "1": 3.0, "1.5": 3.0, "2": 3.0}
    assert estimates([1, 0, 2], publish=True)["drug"]["sensitivity"] == {"0": None, **NULLS}


def test_it_follows_the_formula_when_some_are_missing() -> None:
    # n = 5 recorded (1, 2, 3, 2, 2: 10 children, ratio 2), N = 11: 6 unrecorded
    values = [1, 2, 3, 2, 2, None, None, None, None, None, None]
    e = estimates(values)["drug"]
    want = {"0": 10, "0.5": 16.0, "1": 22.0, "1.5": 28.0, "2": 34.0}
    assert e["sensitivity"] == want
    assert e["sensitivity"]["1"] == e["estimate"]  # d = 1 is the estimate
    assert estimates(values, publish=True)["drug"]["sensitivity"] == want  # nothing small


def test_it_keeps_observed_when_only_n_is_suppressed() -> None:
    # n = 2 (5 and 5) is small; observed 10 is not: "0" is observed, shown; the rest are
    # built on the ratio of the two, so hidden
    values = [5, 5, None, None, None, None, None, None, None, None, None, None]
    e = estimates(values)["drug"]
    assert e["sensitivity"] == {"0": 10, "0.5": 35.0, "1": 60.0, "1.5": 85.0, "2": 110.0}
    p = estimates(values, publish=True)["drug"]
    assert (p["observed"], p["n"], p["N"]) == (10, None, 12)
    assert p["sensitivity"] == {"0": 10, **NULLS}


def test_it_hides_everything_when_observed_is_suppressed() -> None:
    # n = 6 is shown, observed 2 is small: "0" goes with it, and the rest are built on it
    values = [1, 1, 0, 0, 0, 0, None, None]
    assert estimates(values)["drug"]["sensitivity"]["2"] == 2 + 2 * (2 / 6) * 2
    p = estimates(values, publish=True)["drug"]
    assert (p["observed"], p["n"]) == (None, 6)
    assert p["sensitivity"] == {"0": None, **NULLS}


def test_it_computes_in_the_order_the_spec_writes() -> None:
    # ratio 2/3 is not exact in binary: the figure is observed + (N - n) * ratio * d, as written
    got = sensitivity(10, 3, 2 / 3, 2)
    assert got == {
        "0": 2,
        "0.5": 2 + 7 * (2 / 3) * 0.5,
        "1": 2 + 7 * (2 / 3) * 1.0,
        "1.5": 2 + 7 * (2 / 3) * 1.5,
        "2": 2 + 7 * (2 / 3) * 2.0,
    }
    assert abs(got["1.5"] - 9) < 1e-12 and abs(got["2"] - (2 + 28 / 3)) < 1e-12
    assert got == reference_sensitivity(10, [0, 1, 1])
    assert sensitivity(4, 0, None, 0) == {"0": 0, **NULLS}
