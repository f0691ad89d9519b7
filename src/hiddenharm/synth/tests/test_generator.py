"""Shape, determinism and integrity of generated submissions."""

from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow as pa
import pytest

from hiddenharm.extract.codes import FILES
from hiddenharm.synth import AGENCIES, generate, generate_tables
from hiddenharm.synth.generator import make_plan

AS_OF = dt.date(2026, 11, 21)


def _sql(tables: dict[str, pa.Table], query: str) -> list[tuple]:
    con = duckdb.connect()
    for name, table in tables.items():
        con.register(name, table)
    return con.sql(query).fetchall()


def test_it_gives_the_same_bytes_for_the_same_seed(tmp_path):
    a = generate(tmp_path / "a", episodes=600, seed=7, as_of=AS_OF, errors=True)
    b = generate(tmp_path / "b", episodes=600, seed=7, as_of=AS_OF, errors=True)
    assert a["files"] == b["files"]
    for name in ("episodes.csv", "reviews.csv", "children.csv", "planted.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_it_gives_different_data_for_another_seed():
    a = generate_tables(episodes=300, seed=1, as_of=AS_OF)["episodes"]
    b = generate_tables(episodes=300, seed=2, as_of=AS_OF)["episodes"]
    assert a.num_rows == b.num_rows == 300
    assert not a.equals(b)


def test_it_writes_the_spec_columns_as_text(small_clean):
    for name, table in small_clean.items():
        assert tuple(table.column_names) == FILES[name].column_names
        assert all(pa.types.is_string(t) for t in table.schema.types)
    assert small_clean["episodes"].num_rows == 1500


def test_it_keeps_dates_in_order_and_inside_the_window(small_clean):
    bad = _sql(
        small_clean,
        """
        select
          count(*) filter (where DOB::date > REFLD::date - interval 18 year),
          count(*) filter (where DOB::date < REFLD::date - interval 71 year),
          count(*) filter (where TRIAGED::date < REFLD::date or CPLANDT::date < REFLD::date),
          count(*) filter (where DISD::date < coalesce(CPLANDT, REFLD)::date),
          count(*) filter (where (DISD is null) <> (DISRSN is null)),
          count(*) filter (where greatest(REFLD, TRIAGED, CPLANDT, DISD, HHDATE) > '2026-03-31'),
          count(*) filter (where REFLD < '2019-04-01')
        from episodes
        """,
    )[0]
    assert bad == (0, 0, 0, 0, 0, 0, 0)


def test_it_keeps_reviews_within_treatment_and_children_with_their_clients(small_clean):
    orphans, outside, late = _sql(
        small_clean,
        """
        select count(*) filter (where e.EPISODID is null),
               count(*) filter (where r.REVDATE::date < e.CPLANDT::date
                                   or r.REVDATE::date > e.DISD::date),
               count(*) filter (where r.REVDATE > '2026-03-31')
        from reviews r left join episodes e using (AGNCY, EPISODID)
        """,
    )[0]
    assert (orphans, outside, late) == (0, 0, 0)
    lost = _sql(
        small_clean,
        """select count(*) from children c
           where not exists (select 1 from episodes e
                             where e.AGNCY = c.AGNCY and e.CLIENTID = c.CLIENTID)""",
    )[0][0]
    assert lost == 0
    keys = _sql(
        small_clean,
        """select count(*) - count(distinct (AGNCY, EPISODID)) from episodes
           union all select count(*) - count(distinct (AGNCY, EPISODID, REVDATE)) from reviews
           union all select count(*) - count(distinct (AGNCY, CLIENTID, CHILDREF, RECDATE))
           from children""",
    )
    assert keys == [(0,), (0,), (0,)]


def test_it_keeps_whereabouts_consistent_with_parental_status(small_clean):
    rows = _sql(
        small_clean,
        """
        with status as (select distinct AGNCY, CLIENTID, PRNTSTAT from episodes
                        where PRNTSTAT is not null),
        first as (select AGNCY, CLIENTID, CHILDREF, WHEREABT from children
                  qualify row_number() over (partition by AGNCY, CLIENTID, CHILDREF
                                             order by RECDATE) = 1)
        select s.PRNTSTAT, count(*) filter (where f.WHEREABT = 'CLIENT'),
               count(*) filter (where f.WHEREABT <> 'CLIENT')
        from first f join status s using (AGNCY, CLIENTID) group by 1 order by 1
        """,
    )
    by = {r[0]: r[1:] for r in rows}
    assert by["11"][1] == 0 and by["11"][0] > 0  # all live with the client
    assert by["12"][0] > 0 and by["12"][1] > 0  # some do
    assert by["13"][0] == 0 and by["13"][1] > 0  # none do
    assert "14" not in by  # not a parent: no children rows


def test_it_sends_some_clients_to_two_agencies_under_two_client_ids(mid_sample):
    n = _sql(
        mid_sample,
        """select count(*) from (select FINITIAL, SINITIAL, DOB, SEX from episodes
           group by all having count(distinct AGNCY) > 1 and count(distinct CLIENTID) > 1)""",
    )[0][0]
    assert 50 < n < 2000


def test_it_makes_agencies_differ_in_completeness_and_currency(mid_sample):
    rows = _sql(
        mid_sample,
        """select AGNCY, avg((PRNTSTAT is not null)::int) from episodes
           where CPLANDT is not null group by 1""",
    )
    start = dict(rows)
    assert start[AGENCIES[0].code] > 0.9
    assert start[AGENCIES[2].code] < 0.7
    reviewed = dict(
        _sql(mid_sample, "select AGNCY, avg((PRNTSTAT is not null)::int) from reviews group by 1")
    )
    assert reviewed[AGENCIES[0].code] - reviewed[AGENCIES[2].code] > 0.3


def test_it_splits_clients_across_several_areas():
    tables = generate_tables(
        area="E10000020, e10000029,E06000031", episodes=3000, agencies=4, as_of=AS_OF
    )
    shares = dict(_sql(tables, "select LA, count(*) / 3000 from episodes group by 1"))
    assert set(shares) == {"E10000020", "E10000029", "E06000031"}
    assert all(0.2 < s < 0.47 for s in shares.values())


def test_it_cuts_every_date_at_the_extract_date():
    tables = generate_tables(episodes=800, years=(2023, 2025), as_of=dt.date(2025, 1, 15))
    latest = _sql(
        tables,
        """select greatest(max(REFLD), max(TRIAGED), max(CPLANDT), max(DISD), max(HHDATE),
                  (select max(REVDATE) from reviews), (select max(RECDATE) from children))
           from episodes""",
    )[0][0]
    assert latest <= "2025-01-15"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"years": (2025, 2019)}, "backwards"),
        ({"episodes": 0}, "at least 1"),
        ({"agencies": 0}, "at least 1"),
        ({"area": "not an area"}, "local authority"),
        ({"years": (2026, 2026), "as_of": dt.date(2026, 5, 1)}, "too short"),
    ],
)
def test_it_refuses_bad_arguments_plainly(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_plan(**kwargs)


def test_it_names_more_agencies_than_it_has_profiles_for():
    tables = generate_tables(episodes=500, agencies=14, as_of=AS_OF)
    codes = {c for c in tables["episodes"]["AGNCY"].to_pylist()}
    assert len(codes) >= 12
    assert all(len(c) <= 12 and c.isalnum() for c in codes)


def test_it_names_its_agencies_for_the_web_demo():
    from hiddenharm.synth import agency_name, agency_profiles

    assert agency_name(AGENCIES[0].code) == AGENCIES[0].name
    numbered = agency_profiles(14)[13]
    assert agency_name(numbered.code) == numbered.name == "Treatment Service 14"
    assert agency_name("ZZZ") == "ZZZ"
