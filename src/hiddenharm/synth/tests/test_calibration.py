"""The generated data lands where the published figures (shared/facts.md) land."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest

OPIATES = "('HEROIN', 'METHADONE', 'BUPRENORPHINE', 'OTHOPIATE')"


@pytest.fixture(scope="module")
def con(mid_sample: dict[str, pa.Table]) -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    for name, table in mid_sample.items():
        c.register(name, table)
    c.execute(
        f"""create view ep as select *,
              case when DRUG1 in {OPIATES} or DRUG2 in {OPIATES} or DRUG3 in {OPIATES}
                     then 'OPIATE'
                   when DRUG1 = 'ALCOHOL' and DRUG2 is null then 'ALCOHOL_ONLY'
                   else 'OTHER_DRUG' end as grp,
              CPLANDT is not null as started,
              try_cast(CHILDWTH as int) as cw
            from episodes"""
    )
    return c


def one(con: duckdb.DuckDBPyConnection, query: str) -> float:
    row = con.execute(query).fetchone()
    assert row is not None
    return row[0]


def test_it_makes_seven_in_ten_clients_men(con):
    male = one(
        con,
        "select avg((SEX = 'M')::int) from (select distinct FINITIAL, SINITIAL, DOB, SEX from ep)",
    )
    assert male == pytest.approx(0.70, abs=0.03)


def test_it_splits_drug_and_alcohol_as_the_national_statistics_do(con):
    alcohol = one(con, "select avg((grp = 'ALCOHOL_ONLY')::int) from ep")
    opiate_of_drug = one(
        con, "select avg((grp = 'OPIATE')::int) from ep where grp <> 'ALCOHOL_ONLY'"
    )
    assert alcohol == pytest.approx(1 / 3, abs=0.04)
    assert opiate_of_drug == pytest.approx(0.5, abs=0.06)


def test_it_keeps_clients_between_18_and_70_at_referral(con):
    low, high = con.execute(
        "select min(date_diff('day', DOB::date, REFLD::date)) / 365.25,"
        " max(date_diff('day', DOB::date, REFLD::date)) / 365.25 from ep"
    ).fetchone()
    assert low >= 18 and high <= 70.5


# PHE 2019/20: about half of new presentations are parents or adults living with
# children; 41% of those live with a child (50% of women, 36% of men).
PARENTS_OR_WITH = "(PRNTSTAT in ('11', '12', '13') or cw > 0)"
NEW = "started and PRNTSTAT in ('11', '12', '13', '14') and cw is not null"


def test_it_makes_about_half_of_new_presentations_parents_or_living_with_children(con):
    share = one(con, f"select avg({PARENTS_OR_WITH}::int) from ep where {NEW}")
    assert share == pytest.approx(0.50, abs=0.05)


@pytest.mark.parametrize("sex, target", [(None, 0.41), ("F", 0.50), ("M", 0.36)])
def test_it_has_about_four_in_ten_of_them_living_with_a_child(con, sex, target):
    where = f"{NEW} and {PARENTS_OR_WITH}" + (f" and SEX = '{sex}'" if sex else "")
    share = one(con, f"select avg((cw > 0)::int) from ep where {where}")
    assert share == pytest.approx(target, abs=0.04)


def test_it_makes_about_six_in_a_hundred_women_starting_drug_treatment_pregnant(con):
    share = one(
        con,
        "select avg((PREGNANT = 'Y')::int) from ep"
        " where started and SEX = 'F' and PREGNANT is not null and grp <> 'ALCOHOL_ONLY'",
    )
    assert share == pytest.approx(0.06, abs=0.02)
    men = one(con, "select count(*) from ep where SEX = 'M' and PREGNANT is not null")
    assert men == 0


@pytest.mark.parametrize(
    "code, target", [("NONE", 0.81), ("CIN", 0.04), ("CPP", 0.07), ("LAC", 0.05)]
)
def test_it_gives_early_help_in_the_national_shares(con, code, target):
    share = one(con, f"select avg((EARLYHLP = '{code}')::int) from ep where EARLYHLP is not null")
    assert share == pytest.approx(target, abs=0.025)


def test_it_keeps_childwth_consistent_with_parental_status(con):
    rows = dict(
        con.execute(
            "select PRNTSTAT, avg((cw > 0)::int) from ep where cw is not null group by 1"
        ).fetchall()
    )
    assert rows["11"] == 1.0 and rows["12"] == 1.0
    assert 0 < rows["13"] < 0.1 and 0 < rows["14"] < 0.05
    declined = one(con, "select avg((PRNTSTAT = '15')::int) from ep where PRNTSTAT is not null")
    assert 0.01 < declined < 0.06


def test_it_gives_parents_about_two_children_each(con):
    per_parent = one(
        con,
        "select avg(n) from (select count(distinct CHILDREF) n from children"
        " group by AGNCY, CLIENTID)",
    )
    assert per_parent == pytest.approx(2.0, abs=0.25)
    changed = one(
        con,
        "select count(*) from (select 1 from children group by AGNCY, CLIENTID, CHILDREF"
        " having count(*) > 1)",
    )
    assert changed > 0


def test_it_reviews_about_twice_per_episode(con):
    per_episode = one(con, "select (select count(*) from reviews) / count(*) from ep")
    assert per_episode == pytest.approx(2.0, abs=0.4)
    blank = one(con, "select avg((PRNTSTAT is null)::int) from reviews")
    assert 0.1 < blank < 0.9


def test_it_records_most_items_on_the_day_and_a_few_late(con):
    blank, late = con.execute(
        "select avg((HHDATE is null)::int),"
        " avg(coalesce(HHDATE::date > CPLANDT::date + 28, false)::int) from ep where started"
    ).fetchone()
    assert blank > 0.75
    assert 0.005 < late < 0.06


def test_it_treats_most_clients_in_the_community_and_starts_most_episodes(con):
    comm = one(con, "select avg((coalesce(SETTING, 'COMM') = 'COMM')::int) from ep")
    started = one(con, "select avg(started::int) from ep")
    discharged_old = one(
        con, "select avg((DISD is not null)::int) from ep where REFLD < '2024-04-01'"
    )
    assert 0.85 < comm < 0.95
    assert 0.92 < started < 0.995
    assert discharged_old > 0.9


def test_it_makes_most_parents_living_with_their_children_over_30(con):
    # NTA 2011/12: 69% of parents living with their children were over 30
    share = one(
        con,
        "select avg((date_diff('day', DOB::date, REFLD::date) / 365.25 > 30)::int) from ep"
        " where PRNTSTAT in ('11', '12')",
    )
    assert share == pytest.approx(0.69, abs=0.06)
