"""Publishing: primary and secondary suppression, totals kept, dependants nulled."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from hiddenharm.measures import compute, suppress
from hiddenharm.measures.suppression import suppression_mask
from hiddenharm.measures.tests._build import episode, tables

FROM, TO = dt.date(2019, 4, 1), dt.date(2020, 3, 31)
T, F = True, False


def test_it_suppresses_counts_from_one_to_four_and_never_zero() -> None:
    assert suppression_mask([[0, 5], [4, 0], [1, 0]]) == [[F, F], [T, F], [T, F]]
    assert suppression_mask([[0, 0], [0, 0]]) == [[F, F], [F, F]]


def test_it_suppresses_the_smallest_other_cell_going_to_the_first_on_ties() -> None:
    # column 0 has one suppressed cell; 7 and 7 tie: the first in order goes
    assert suppression_mask([[2, 0], [7, 0], [7, 0]]) == [[T, F], [T, F], [F, F]]


def test_it_repeats_rows_then_columns_until_nothing_changes() -> None:
    # row 0 takes 9; then column 0 takes 5 and column 1 takes 6 (smallest non-zero)
    assert suppression_mask([[1, 9], [9, 0], [5, 6]]) == [[T, T], [F, F], [T, T]]
    # a chain: row, column, row
    assert suppression_mask([[3, 20], [8, 6], [0, 0]]) == [[T, T], [T, T], [F, F]]


def published_case() -> dict:
    rows = []
    for i in range(3):  # drug parents living with one child each; two with early help
        rows.append(
            episode(
                EPISODID=f"D{i}",
                FINITIAL="ABC"[i],
                CPLANDT="2019-05-01",
                PRNTSTAT="11",
                CHILDWTH=1,
                EARLYHLP="EH" if i < 2 else None,
            )
        )
    for i in range(6):  # drug, not parents
        rows.append(
            episode(
                EPISODID=f"N{i}",
                FINITIAL="DEFGHI"[i],
                CPLANDT="2019-05-01",
                PRNTSTAT="14",
                CHILDWTH=0,
            )
        )
    for i in range(7):  # alcohol, not parents
        rows.append(
            episode(
                EPISODID=f"L{i}",
                FINITIAL="JKLMNOP"[i],
                CPLANDT="2019-05-01",
                PRNTSTAT="14",
                CHILDWTH=0,
                DRUG1="ALCOHOL",
            )
        )
    return compute(tables(rows), FROM, TO, publish=True)


def test_it_suppresses_a_distribution_as_a_two_way_table() -> None:
    r = published_case()
    ps = r["parental_status"]
    # 3 (drug, 11) is primary; drug column then takes 6 (drug, 14); row 14 then takes 7
    assert ps["drug"]["11"] is None and ps["drug"]["14"] is None
    assert ps["alcohol"]["14"] is None
    assert ps["drug"]["13"] == 0 and ps["drug"]["missing"] == 0
    assert ps["drug"]["parent_living_with_children"] is None
    assert ps["drug"]["not_a_parent"] is None
    assert ps["drug"]["parent_not_living_with_children"] == 0
    # totals stay
    assert ps["all"]["11"] == 3 and ps["all"]["14"] == 13
    assert r["population"]["in_treatment"] == {
        "drug": 9,
        "alcohol": 7,
        "all": 16,
        "by_agency": {"A1": {"drug": 9, "alcohol": 7, "all": 16}},
    }
    assert ps["by_agency"]["A1"]["drug"]["11"] is None
    assert ps["by_agency"]["A1"]["all"]["11"] == 3
    cw = r["children_living_with"]
    assert cw["drug"]["1"] is None and cw["drug"]["0"] is None and cw["alcohol"]["0"] is None
    assert cw["drug"]["total_children"] == 3


def test_it_nulls_rates_and_estimates_built_on_a_suppressed_count() -> None:
    r = published_case()
    eh = r["completeness"]["drug"]["EARLYHLP"]
    assert eh == {"recorded": None, "eligible": 3, "rate": None}
    assert r["completeness"]["all"]["EARLYHLP"] == {"recorded": 2, "eligible": 3, "rate": 2 / 3}
    assert r["completeness"]["drug"]["PRNTSTAT"] == {"recorded": 9, "eligible": 9, "rate": 1.0}
    e = r["estimates"]["drug"]
    assert (e["observed"], e["n"], e["N"]) == (None, 9, 9)
    assert (e["ratio"], e["estimate"], e["ci95"]) == (None, None, None)
    assert e["new_presentations"]["n"] == 9 and e["new_presentations"]["ci95"] is None
    assert e["prevalence"]["parents"] is None and e["prevalence"]["p"] is None
    assert e["prevalence"]["c"] is None
    assert r["estimates"]["all"]["observed"] == 3


def test_it_suppresses_one_way_numerators_across_drug_and_alcohol() -> None:
    section = {
        "drug": {"up_to_date": 3, "eligible": 10, "rate": 0.3},
        "alcohol": {"up_to_date": 8, "eligible": 9, "rate": 8 / 9},
        "all": {"up_to_date": 11, "eligible": 19, "rate": 11 / 19},
        "by_agency": {},
    }
    out = suppress({"currency": section})["currency"]
    assert out["drug"] == {"up_to_date": None, "eligible": 10, "rate": None}
    assert out["alcohol"] == {"up_to_date": None, "eligible": 9, "rate": None}
    assert out["all"] == section["all"]


def test_it_suppresses_nothing_without_publish() -> None:
    rows = [episode(EPISODID="E1", CPLANDT="2019-05-01", PRNTSTAT="11", CHILDWTH=1)]
    r = compute(tables(rows), FROM, TO)
    assert r["parental_status"]["drug"]["11"] == 1
    assert r["estimates"]["drug"]["observed"] == 1


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 7).flatmap(
        lambda rows: st.lists(
            st.lists(st.integers(0, 12), min_size=2, max_size=2), min_size=rows, max_size=rows
        )
    )
)
def test_it_leaves_no_row_or_column_open_to_subtraction(cells: list[list[int]]) -> None:
    mask = suppression_mask(cells)
    lines = [[(r, c) for c in range(2)] for r in range(len(cells))]
    lines += [[(r, c) for r in range(len(cells))] for c in range(2)]
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            if 1 <= value <= 4:
                assert mask[r][c]
            if value == 0:
                assert not mask[r][c]
    for line in lines:
        hidden = [(r, c) for r, c in line if mask[r][c]]
        shown_non_zero = [(r, c) for r, c in line if not mask[r][c] and cells[r][c]]
        assert len(hidden) != 1 or not shown_non_zero
