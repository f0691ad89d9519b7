"""The measures' SQL, one named query per step, in one dialect (DuckDB).

Every figure has exactly one definition here. The queries use only constructs that sqlglot
can transpile to Spark SQL (no QUALIFY, no list functions, no DuckDB-only date arithmetic), so
the same definitions can run on a national warehouse; ``test_queries`` proves each one
transpiles. Named parameters: ``$la``, ``$from``, ``$to``, ``$cut`` (TO - 182 days) and
``$year`` (TO's year).

Areas. Each per-period query is written once, as a template, and comes in two variants: the
region's (``NAME``) and the areas' (``AREA_NAME``), which carries the episode's local
authority as one more grouping key all the way through. Grouped by LA, an individual is
one per LA in which they have episodes, with values from that LA's rows only: exactly what
measuring each LA's share of the submission on its own (``la=``) gives, in one pass.

Ordering keys. "Latest, ties to the higher EPISODID (then AGNCY)" and "latest, the review
beating the episode row, then the higher EPISODID, then the higher AGNCY" are both encoded
once, at load, as one BIGINT per row: days since 0001-01-01, then the review bit, then the
episode's rank in (EPISODID, AGNCY) text order in the low 40 bits. ``arg_max`` over that key
is then exactly the spec's tie rule, with no string comparison per period.
"""

from __future__ import annotations

import re

from hiddenharm.measures.schema import (
    AGE_BANDS,
    CHILDWTH_BANDS,
    CSCSTAT_CODES,
    EARLYHLP_CODES,
    PREGNANT_CODES,
    PRNTSTAT_CODES,
    WHEREABT_CODES,
)

_RANK_BITS = 1099511627776  # 2**40: room for the episode rank below the date and review bit
_DOB_SPAN = 1048576  # 2**20 days: more than 0001-01-01 to 9999-12-31
_NO_YEAR = 2147483647  # a blank CHILDYOB: after any year, so its age band is unknown

# --- load: once per submission --------------------------------------------------------------

# Episodes of the submission (or of one local authority), with the per-episode derivations
# of extract.md: treatment start, treatment type (alcohol only when every DRUG given is
# ALCOHOL), and the individual (attributor) as a dense rank in attributor sort order, so
# that "the first attributor in sort order" is the smallest iid.
LOAD_EPISODES = f"""
CREATE OR REPLACE TEMP TABLE ep AS
WITH e AS (
    SELECT
        line AS eid, AGNCY, LA, CLIENTID, EPISODID,
        -- The attributor FINITIAL + SINITIAL + DOB + SEX as one BIGINT whose order is the
        -- attributor's sort order (single letters A-Z, as validated; DOB as days).
        ((CAST(ASCII(FINITIAL) AS BIGINT) * 256 + ASCII(SINITIAL)) * {_DOB_SPAN}
            + DATE_DIFF('day', DATE '0001-01-01', DOB)) * 256 + ASCII(SEX) AS iid,
        SEX = 'F' AS female,
        CASE WHEN (DRUG1 IS NOT NULL OR DRUG2 IS NOT NULL OR DRUG3 IS NOT NULL)
                  AND COALESCE(DRUG1, 'ALCOHOL') = 'ALCOHOL'
                  AND COALESCE(DRUG2, 'ALCOHOL') = 'ALCOHOL'
                  AND COALESCE(DRUG3, 'ALCOHOL') = 'ALCOHOL'
             THEN 'alcohol' ELSE 'drug' END AS ttype,
        CPLANDT AS start,
        DISD,
        COALESCE(HHDATE, CPLANDT) AS hhd,
        PRNTSTAT, CHILDWTH, PREGNANT, EARLYHLP
    FROM episodes_in
    WHERE $la IS NULL OR LA = $la
),
r AS (
    -- Tie-breaks only ever compare one individual's episodes, so rank within the individual.
    SELECT e.*, ROW_NUMBER() OVER (PARTITION BY iid ORDER BY EPISODID, AGNCY) AS erank
    FROM e
)
SELECT
    iid, eid, erank, AGNCY, LA, CLIENTID, EPISODID, female, ttype, start, DISD, hhd,
    PRNTSTAT, CHILDWTH, PREGNANT, EARLYHLP,
    DATE_DIFF('day', DATE '0001-01-01', start) * 2 * {_RANK_BITS} + erank AS skey
FROM r
"""

# Every dated Hidden Harm observation of an individual: episode rows (dated HHDATE, else
# CPLANDT; undated rows give no value) and review rows (dated REVDATE). PREGNANT is kept
# for female individuals only. Rows with no item at all can never be a current value.
LOAD_OBSERVATIONS = f"""
CREATE OR REPLACE TEMP TABLE obs AS
WITH o AS (
    SELECT iid, eid, erank, LA, female, hhd AS d, 0 AS review,
           PRNTSTAT, CHILDWTH, PREGNANT, EARLYHLP
    FROM ep
    WHERE hhd IS NOT NULL
    UNION ALL
    SELECT ep.iid, ep.eid, ep.erank, ep.LA, ep.female, rv.REVDATE AS d, 1 AS review,
           rv.PRNTSTAT, rv.CHILDWTH, rv.PREGNANT, rv.EARLYHLP
    FROM reviews_in rv
    JOIN ep ON ep.AGNCY = rv.AGNCY AND ep.EPISODID = rv.EPISODID
    WHERE rv.REVDATE IS NOT NULL
)
SELECT
    iid, eid, LA, female, d, review,
    PRNTSTAT, CHILDWTH, CASE WHEN female THEN PREGNANT END AS PREGNANT, EARLYHLP,
    (DATE_DIFF('day', DATE '0001-01-01', d) * 2 + review) * {_RANK_BITS} + erank AS okey
FROM o
WHERE PRNTSTAT IS NOT NULL OR CHILDWTH IS NOT NULL OR PREGNANT IS NOT NULL
   OR EARLYHLP IS NOT NULL
"""

# Each agency's client reference with the individuals it names (usually one), by the LA of
# the episodes that name them (the region takes the smallest individual over all of them).
LOAD_CLIENTS = """
CREATE OR REPLACE TEMP TABLE clients AS
SELECT DISTINCT LA, AGNCY, CLIENTID, iid FROM ep
"""

# Children rows of the clients kept (all of them, or those of one local authority).
LOAD_CHILDREN = """
CREATE OR REPLACE TEMP TABLE ch AS
SELECT c.line, c.AGNCY, c.CLIENTID, c.CHILDREF, c.CHILDYOB, c.WHEREABT, c.CSCSTAT, c.RECDATE
FROM children_in c
WHERE EXISTS (
    SELECT 1 FROM clients k WHERE k.AGNCY = c.AGNCY AND k.CLIENTID = c.CLIENTID
)
"""

_UNDER_18 = "age_band IN ('0-4', '5-10', '11-15', '16-17')"

# --- per period -------------------------------------------------------------------------------
#
# Templates: ``@by_la()`` / ``@by_la(x)`` stand for the LA key (``LA, `` / ``x.LA, ``) in a
# select list or GROUP BY, ``@on_la(x, y)`` for `` AND x.LA = y.LA`` in a join; all three are
# empty in the region's variant (see ``variant``).

# Episodes in treatment in [FROM, TO]: started on or before TO, not discharged before FROM.
_IN_TREATMENT = "start <= $to AND (DISD IS NULL OR DISD >= $from)"

# Individuals in treatment: treatment type from the in-treatment episode with the latest start
# (ties: higher EPISODID, then AGNCY); whether any episode is a new presentation; CHILDWTH on
# the latest new-presentation episode (-1: blank there; NULL: no new presentation).
PERIOD_INDIVIDUALS = f"""
CREATE OR REPLACE TEMP TABLE ind AS
SELECT
    @by_la()iid,
    BOOL_OR(female) AS female,
    ARG_MAX(ttype, skey) AS ttype,
    BOOL_OR(start >= $from) AS np,
    ARG_MAX(COALESCE(CHILDWTH, -1), skey) FILTER (WHERE start >= $from) AS np_childwth
FROM ep
WHERE {_IN_TREATMENT}
GROUP BY @by_la()iid
"""

# Each individual in treatment once in every agency with an in-treatment episode.
PERIOD_INDIVIDUAL_AGENCIES = f"""
CREATE OR REPLACE TEMP TABLE ind_agency AS
SELECT DISTINCT @by_la()iid, AGNCY FROM ep WHERE {_IN_TREATMENT}
"""

POPULATION = """
SELECT @by_la(i){agency} AS AGNCY, i.ttype,
       COUNT(*) AS in_treatment,
       COUNT(*) FILTER (WHERE i.np) AS new_presentations
FROM ind i {join}
GROUP BY @by_la(i){group_by}
"""

# Current values at TO: per item, the non-blank value with the greatest ordering key among
# the individual's observations dated on or before TO.
PERIOD_CURRENT = f"""
CREATE OR REPLACE TEMP TABLE cur AS
WITH k AS (
    SELECT @by_la()iid, COUNT(*) AS child_rows, COUNT(*) FILTER (WHERE {_UNDER_18}) AS under_18
    FROM kids
    GROUP BY @by_la()iid
)
SELECT
    i.*, c.PRNTSTAT, c.CHILDWTH, c.PREGNANT, c.EARLYHLP,
    COALESCE(k.child_rows, 0) AS child_rows, COALESCE(k.under_18, 0) AS under_18
FROM ind i
LEFT JOIN k ON k.iid = i.iid@on_la(k, i)
LEFT JOIN (
    SELECT
        @by_la(o)o.iid,
        ARG_MAX(o.PRNTSTAT, o.okey) FILTER (WHERE o.PRNTSTAT IS NOT NULL) AS PRNTSTAT,
        ARG_MAX(o.CHILDWTH, o.okey) FILTER (WHERE o.CHILDWTH IS NOT NULL) AS CHILDWTH,
        ARG_MAX(o.PREGNANT, o.okey) FILTER (WHERE o.PREGNANT IS NOT NULL) AS PREGNANT,
        ARG_MAX(o.EARLYHLP, o.okey) FILTER (WHERE o.EARLYHLP IS NOT NULL) AS EARLYHLP
    FROM obs o
    WHERE o.d <= $to AND o.iid IN (SELECT iid FROM ind)
    GROUP BY @by_la(o)o.iid
) c ON c.iid = i.iid@on_la(c, i)
"""

# The children counted at TO: each AGNCY + CLIENTID + CHILDREF once, as its latest row on or
# before TO (ties: the later line), under the first (smallest iid) individual in treatment its
# CLIENTID maps to. "Latest, then the later line" is one BIGINT key (days since 0001-01-01,
# then the line in the low 40 bits), so ARG_MAX picks the row without a window; every value
# taken is made non-null first (a CHILDYOB left blank becomes one after any year: 'unknown').
#
# The latest rows depend on TO alone, not on the area: they are made once per TO
# (``PERIOD_CHILD_ROWS``), and the region's and the areas' children both read them.
PERIOD_CHILD_ROWS = f"""
CREATE OR REPLACE TEMP TABLE kid_rows AS
SELECT
    AGNCY, CLIENTID,
    ARG_MAX(COALESCE(CHILDYOB, {_NO_YEAR}), ckey) AS CHILDYOB,
    ARG_MAX(COALESCE(WHEREABT, 'missing'), ckey) AS WHEREABT,
    ARG_MAX(COALESCE(CSCSTAT, 'missing'), ckey) AS CSCSTAT
FROM (
    SELECT AGNCY, CLIENTID, CHILDREF, CHILDYOB, WHEREABT, CSCSTAT,
           DATE_DIFF('day', DATE '0001-01-01', RECDATE) * {_RANK_BITS} + line AS ckey
    FROM ch
    WHERE RECDATE <= $to
) c
GROUP BY AGNCY, CLIENTID, CHILDREF
"""

PERIOD_CHILDREN = """
CREATE OR REPLACE TEMP TABLE kids AS
WITH parent AS (
    SELECT @by_la(c)c.AGNCY, c.CLIENTID, MIN(c.iid) AS iid
    FROM clients c
    JOIN ind i ON i.iid = c.iid@on_la(i, c)
    GROUP BY @by_la(c)c.AGNCY, c.CLIENTID
)
SELECT
    @by_la(p)p.iid,
    CASE
        WHEN l.CHILDYOB > $year THEN 'unknown'
        WHEN $year - l.CHILDYOB <= 4 THEN '0-4'
        WHEN $year - l.CHILDYOB <= 10 THEN '5-10'
        WHEN $year - l.CHILDYOB <= 15 THEN '11-15'
        WHEN $year - l.CHILDYOB <= 17 THEN '16-17'
        ELSE '18+'
    END AS age_band,
    l.WHEREABT,
    l.CSCSTAT
FROM kid_rows l
JOIN parent p ON p.AGNCY = l.AGNCY AND p.CLIENTID = l.CLIENTID
"""


def _count(alias: str, condition: str) -> str:
    return f'COUNT(*) FILTER (WHERE {condition}) AS "{alias}"'


def _q(code: str) -> str:
    return "'" + code + "'"


_PARENT = "PRNTSTAT IN ('11', '12', '13')"
_EH_ELIGIBLE = f"(CHILDWTH > 0 OR {_PARENT})"

# Distributions and estimate inputs over individuals in treatment, one row per group.
_INDIVIDUAL_AGGREGATES = ",\n    ".join(
    [_count(f"parental_status:{c}", f"PRNTSTAT = {_q(c)}") for c in PRNTSTAT_CODES]
    + [_count("parental_status:missing", "PRNTSTAT IS NULL")]
    + [_count(f"children_living_with:{b}", f"CHILDWTH = {b}") for b in CHILDWTH_BANDS[:-1]]
    + [_count("children_living_with:4+", "CHILDWTH >= 4")]
    + [_count("children_living_with:missing", "CHILDWTH IS NULL")]
    + ['COALESCE(SUM(CHILDWTH), 0) AS "children_living_with:total_children"']
    + [_count(f"pregnant:{c}", f"female AND PREGNANT = {_q(c)}") for c in PREGNANT_CODES]
    + [_count("pregnant:missing", "female AND PREGNANT IS NULL")]
    + [
        _count(
            f"early_help:{c}",
            f"{_EH_ELIGIBLE} AND (';' || EARLYHLP || ';') LIKE '%;{c};%'",
        )
        for c in EARLYHLP_CODES
    ]
    + [_count("early_help:missing", f"{_EH_ELIGIBLE} AND EARLYHLP IS NULL")]
    + [
        'COUNT(*) AS "N"',
        'COUNT(CHILDWTH) AS "n"',
        'COALESCE(SUM(CAST(CHILDWTH AS BIGINT) * CHILDWTH), 0) AS "sum_sq"',
        _count("np_n", "np_childwth >= 0"),
        'COALESCE(SUM(np_childwth) FILTER (WHERE np_childwth >= 0), 0) AS "np_sum"',
        "COALESCE(SUM(CAST(np_childwth AS BIGINT) * np_childwth)"
        ' FILTER (WHERE np_childwth >= 0), 0) AS "np_sum_sq"',
        _count("parents", _PARENT),
        _count("parents_and_non_parents", "PRNTSTAT IN ('11', '12', '13', '14')"),
        _count("parents_with_children_rows", f"{_PARENT} AND child_rows > 0"),
        "COALESCE(SUM(under_18) FILTER (WHERE " + _PARENT + " AND child_rows > 0), 0)"
        ' AS "children_under_18"',
    ]
)

INDIVIDUALS = f"""
SELECT @by_la(x){{agency}} AS AGNCY, x.ttype,
    {_INDIVIDUAL_AGGREGATES}
FROM cur x {{join}}
GROUP BY @by_la(x){{group_by}}
"""

CHILDREN = (
    "SELECT @by_la(i)i.ttype,\n    "
    + ",\n    ".join(
        ['COUNT(*) AS "total"']
        + [_count(f"age_band:{b}", f"k.age_band = {_q(b)}") for b in AGE_BANDS]
        + [_count(f"WHEREABT:{c}", f"k.WHEREABT = {_q(c)}") for c in WHEREABT_CODES + ("missing",)]
        + [_count(f"CSCSTAT:{c}", f"k.CSCSTAT = {_q(c)}") for c in CSCSTAT_CODES + ("missing",)]
    )
    + "\nFROM kids k\nJOIN ind i ON i.iid = k.iid@on_la(i, k)\nGROUP BY @by_la(i)i.ttype\n"
)

# Completeness (new-presentation episodes, items on the episode row itself) and currency
# (episodes started on or before TO - 182 days and not discharged by TO, up to date with a
# review in (TO - 182, TO] that has PRNTSTAT, CHILDWTH and, for females, PREGNANT).
EPISODES = f"""
WITH e AS (
    SELECT
        @by_la()eid, AGNCY, ttype, female, PRNTSTAT, CHILDWTH, PREGNANT, EARLYHLP,
        start >= $from AS np,
        start <= $cut AND (DISD IS NULL OR DISD > $to) AS ongoing
    FROM ep
    WHERE {_IN_TREATMENT}
),
fresh AS (
    SELECT DISTINCT eid
    FROM obs
    WHERE review = 1 AND d > $cut AND d <= $to
      AND PRNTSTAT IS NOT NULL AND CHILDWTH IS NOT NULL
      AND (NOT female OR PREGNANT IS NOT NULL)
)
SELECT @by_la(e)e.AGNCY, e.ttype,
    {_count("PRNTSTAT:eligible", "np")},
    {_count("PRNTSTAT:recorded", "np AND PRNTSTAT IS NOT NULL")},
    {_count("CHILDWTH:eligible", "np")},
    {_count("CHILDWTH:recorded", "np AND CHILDWTH IS NOT NULL")},
    {_count("PREGNANT:eligible", "np AND female")},
    {_count("PREGNANT:recorded", "np AND female AND PREGNANT IS NOT NULL")},
    {_count("EARLYHLP:eligible", "np AND (PRNTSTAT IN ('11', '12', '13') OR CHILDWTH > 0)")},
    {
    _count(
        "EARLYHLP:recorded",
        "np AND (PRNTSTAT IN ('11', '12', '13') OR CHILDWTH > 0) AND EARLYHLP IS NOT NULL",
    )
},
    {_count("currency:eligible", "ongoing")},
    {_count("currency:up_to_date", "ongoing AND f.eid IS NOT NULL")}
FROM e
LEFT JOIN fresh f ON f.eid = e.eid
GROUP BY @by_la(e)e.AGNCY, e.ttype
"""

# Every date of the submission (all three files, DOB included): the default period ends by it.
LATEST_DATE = """
SELECT MAX(d) FROM (
    SELECT GREATEST(DOB, REFLD, TRIAGED, CPLANDT, DISD, HHDATE) AS d FROM episodes_in
    UNION ALL SELECT REVDATE FROM reviews_in
    UNION ALL SELECT RECDATE FROM children_in
) t
"""

# Each LA's children.csv rows (those of its clients): where there are none, a k given by the
# user stands in for the LA as it does for a submission without children.csv.
AREA_CHILDREN_ROWS = """
SELECT k.LA, COUNT(*) AS children_rows
FROM ch c
JOIN (SELECT DISTINCT LA, AGNCY, CLIENTID FROM clients) k
  ON k.AGNCY = c.AGNCY AND k.CLIENTID = c.CLIENTID
GROUP BY k.LA
"""

# The trend: many periods (the report's eight quarters) of population, completeness and
# currency. Their queries read only the rows that can fall in one of the periods: the
# episodes in treatment at some time from the first period's FROM to the last one's TO,
# and the reviews that can make one up to date in a period (dated after the earliest TO -
# 182 days, on or before the latest TO). Each period's queries are then the region's, over
# those rows instead of the whole submission's (``TREND_NAME``): the same rows pass their
# filters, so the same figures, from a fraction of a long submission's rows.
TREND_WINDOW_EPISODES = """
CREATE OR REPLACE TEMP TABLE ep_w AS
SELECT * FROM ep WHERE start <= $to AND (DISD IS NULL OR DISD >= $from)
"""

TREND_WINDOW_OBSERVATIONS = """
CREATE OR REPLACE TEMP TABLE obs_w AS
SELECT * FROM obs WHERE review = 1 AND d > $cut AND d <= $to
"""

# the per-period queries of the trend's sections that read the episodes or observations
TREND_QUERIES = ("PERIOD_INDIVIDUALS", "PERIOD_INDIVIDUAL_AGENCIES", "EPISODES")
_FROM_LOADED = re.compile(r"\bFROM (ep|obs)\b")

_BY_LA = re.compile(r"@by_la\((\w*)\)")
_ON_LA = re.compile(r"@on_la\((\w+), (\w+)\)")


def variant(template: str, *, area: bool) -> str:
    """A per-period template as the region's query, or as the areas' (grouped by LA)."""
    if not area:
        return _ON_LA.sub("", _BY_LA.sub("", template))
    by_la = _BY_LA.sub(lambda m: f"{m[1]}.LA, " if m[1] else "LA, ", template)
    return _ON_LA.sub(lambda m: f" AND {m[1]}.LA = {m[2]}.LA", by_la)


_PER_PERIOD: dict[str, str] = {
    "PERIOD_INDIVIDUALS": PERIOD_INDIVIDUALS,
    "PERIOD_INDIVIDUAL_AGENCIES": PERIOD_INDIVIDUAL_AGENCIES,
    "PERIOD_CURRENT": PERIOD_CURRENT,
    "PERIOD_CHILDREN": PERIOD_CHILDREN,
    "POPULATION_OVERALL": POPULATION.format(agency="'*'", join="", group_by="i.ttype"),
    "POPULATION_BY_AGENCY": POPULATION.format(
        agency="a.AGNCY",
        join="JOIN ind_agency a ON a.iid = i.iid@on_la(a, i)",
        group_by="a.AGNCY, i.ttype",
    ),
    "INDIVIDUALS_OVERALL": INDIVIDUALS.format(agency="'*'", join="", group_by="x.ttype"),
    "INDIVIDUALS_BY_AGENCY": INDIVIDUALS.format(
        agency="a.AGNCY",
        join="JOIN ind_agency a ON a.iid = x.iid@on_la(a, x)",
        group_by="a.AGNCY, x.ttype",
    ),
    "CHILDREN": CHILDREN,
    "EPISODES": EPISODES,
}

NAMED: dict[str, str] = {
    "LOAD_EPISODES": LOAD_EPISODES,
    "LOAD_OBSERVATIONS": LOAD_OBSERVATIONS,
    "LOAD_CLIENTS": LOAD_CLIENTS,
    "LOAD_CHILDREN": LOAD_CHILDREN,
    "PERIOD_CHILD_ROWS": PERIOD_CHILD_ROWS,
    **{name: variant(sql, area=False) for name, sql in _PER_PERIOD.items()},
    **{f"AREA_{name}": variant(sql, area=True) for name, sql in _PER_PERIOD.items()},
    "TREND_WINDOW_EPISODES": TREND_WINDOW_EPISODES,
    "TREND_WINDOW_OBSERVATIONS": TREND_WINDOW_OBSERVATIONS,
    **{
        f"TREND_{name}": _FROM_LOADED.sub(r"FROM \1_w", variant(_PER_PERIOD[name], area=False))
        for name in TREND_QUERIES
    },
    "AREA_CHILDREN_ROWS": AREA_CHILDREN_ROWS,
    "LATEST_DATE": LATEST_DATE,
}
