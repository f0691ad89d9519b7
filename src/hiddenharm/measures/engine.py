"""The measure engine: a submission loaded once into DuckDB, measured for any period.

``Submission`` registers the accepted Arrow tables, derives the period-independent tables
once (episodes with treatment type, individual and ordering keys; every dated observation of
a Hidden Harm item; the children rows kept), and then answers any number of periods with a
handful of set-based queries each. Every count the SQL returns is additive over treatment
types, so the SQL groups by agency and type and Python only adds and arranges.

``Submission.areas`` measures every local authority at once: the same queries with the LA as
one more grouping key (see ``queries``), so each LA's figures are those of ``la=`` without a
load or a pass per LA.

The backend is four methods (``_load_inputs``, ``_execute``, ``_query``, ``close``): DuckDB
here; ``measures.spark.SparkSubmission`` runs the same named queries on Spark, transpiled by
sqlglot, and shares everything else (the grouping, arranging, estimates and suppression).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import duckdb
import pyarrow as pa

from hiddenharm.measures import queries as Q
from hiddenharm.measures.estimates import (
    Prevalence,
    prevalence_block,
    prevalence_for_all,
    ratio_estimate,
    sensitivity,
)
from hiddenharm.measures.schema import (
    CATEGORIES,
    ITEMS,
    PRNTSTAT_GROUPS,
    SPLITS,
    TYPES,
    conform,
)
from hiddenharm.measures.suppression import suppress

Period = tuple[dt.date, dt.date]
Counts = dict[str, int]
# (agency or "*", treatment type) -> column -> count
Grouped = dict[tuple[str, str], Counts]
# what one period's queries return, by query ("population", "episodes", ...)
Measured = dict[str, Grouped]

CURRENCY_DAYS = 182
SECTIONS = (
    "population",
    "completeness",
    "currency",
    "parental_status",
    "children_living_with",
    "pregnant",
    "early_help",
    "children",
    "estimates",
)
TREND_SECTIONS = ("population", "completeness", "currency")
_INDIVIDUAL_SECTIONS = {"parental_status", "children_living_with", "pregnant", "early_help"}


def as_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def financial_year_ending_by(latest: dt.date) -> Period:
    """The latest whole financial year (1 April - 31 March) ending on or before ``latest``."""
    end_year = latest.year if latest >= dt.date(latest.year, 3, 31) else latest.year - 1
    return dt.date(end_year - 1, 4, 1), dt.date(end_year, 3, 31)


def whole_quarters(end: dt.date, count: int = 8) -> list[Period]:
    """The ``count`` whole calendar quarters (Jan-Mar, Apr-Jun, ...) ending on or before
    ``end``, oldest first: the report's trend periods."""
    year, quarter = end.year, (end.month - 1) // 3  # quarter index 0-3 containing `end`
    if end != _quarter_end(year, quarter):
        year, quarter = (year, quarter - 1) if quarter else (year - 1, 3)
    out: list[Period] = []
    for _ in range(count):
        out.append((dt.date(year, 3 * quarter + 1, 1), _quarter_end(year, quarter)))
        year, quarter = (year, quarter - 1) if quarter else (year - 1, 3)
    return out[::-1]


def _quarter_end(year: int, quarter: int) -> dt.date:
    if quarter == 3:
        return dt.date(year, 12, 31)
    return dt.date(year, 3 * quarter + 4, 1) - dt.timedelta(days=1)


class Submission:
    """One submission (or one local authority's part of it), ready to measure."""

    def __init__(self, tables: dict[str, pa.Table], *, la: str | None = None) -> None:
        self.la = la.strip().upper() if la else None
        self._kid_rows_to: dt.date | None = None  # the TO that ``kid_rows`` was made for
        self._load_inputs(conform(tables))
        # The default period is the submission's, even for one LA, so areas compare like
        # with like against the region.
        _, latest = self._query(Q.LATEST_DATE, {})
        self.latest_date: dt.date | None = latest[0][0] if latest else None
        self._run("LOAD_EPISODES", la=self.la)
        self._run("LOAD_OBSERVATIONS")
        self._run("LOAD_CLIENTS")
        self._run("LOAD_CHILDREN")
        _, rows = self._query("SELECT COUNT(*) FROM ch", {})
        self.children_rows = int(rows[0][0]) if rows else 0

    # --- the backend: DuckDB here, Spark in ``measures.spark`` ---------------------------

    def _load_inputs(self, typed: dict[str, pa.Table]) -> None:
        """Makes the typed tables queryable as ``<name>_in``."""
        self.con = _connect()
        # Keep references: DuckDB scans the Arrow tables in place.
        self._arrow = typed
        for name, table in typed.items():
            self.con.register(f"{name}_in", table)

    def _execute(self, sql: str, params: dict[str, Any]) -> None:
        """Runs a statement (``CREATE OR REPLACE TEMP TABLE ...``)."""
        self.con.execute(sql, params)

    def _query(self, sql: str, params: dict[str, Any]) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Runs a SELECT: its column names and rows."""
        cur = self.con.execute(sql, params)
        return [d[0] for d in cur.description], cur.fetchall()

    def close(self) -> None:
        self.con.close()

    # --- plumbing ----------------------------------------------------------------------

    @staticmethod
    def _bound(name: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        sql = Q.NAMED[name]
        wanted = set(re.findall(r"\$(\w+)", sql))
        return sql, {k: v for k, v in params.items() if k in wanted}

    def _run(self, name: str, **params: Any) -> None:
        self._execute(*self._bound(name, params))

    def _rows(self, name: str, **params: Any) -> tuple[list[str], list[tuple[Any, ...]]]:
        return self._query(*self._bound(name, params))

    @staticmethod
    def _variant(name: str, area: bool, window: bool = False) -> str:
        """The named query of a per-period step: the region's, the areas', or the region's
        over the trend's window (``TREND_WINDOW_*``) where the step reads it."""
        if area:
            return f"AREA_{name}"
        if window and f"TREND_{name}" in Q.NAMED:
            return f"TREND_{name}"
        return name

    def _grouped(
        self, names: Sequence[str], params: dict[str, Any], area: bool, window: bool = False
    ) -> dict[Any, Grouped]:
        """Rows of the named queries, keyed (agency or "*", type), for the region (key None)
        or for each LA (the areas' variants; rows of episodes with no LA are left out)."""
        out: dict[Any, Grouped] = {}
        for name in names:
            columns, rows = self._rows(self._variant(name, area, window), **params)
            for row in rows:
                values = dict(zip(columns, row, strict=True))
                part = values.pop("LA") if area else None
                if area and part is None:
                    continue
                key = (str(values.pop("AGNCY", "*")), str(values.pop("ttype")))
                out.setdefault(part, {})[key] = {k: int(v) for k, v in values.items()}
        return out

    def __enter__(self) -> Submission:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- periods -------------------------------------------------------------------------

    def default_period(self) -> Period:
        if self.latest_date is None:
            raise ValueError("the submission has no dates: give the period")
        return financial_year_ending_by(self.latest_date)

    def period(self, period_from: Any = None, period_to: Any = None) -> Period:
        """The period asked for; a missing end is filled to make one year, both to the default."""
        start, end = as_date(period_from), as_date(period_to)
        if start is None and end is None:
            return self.default_period()
        if start is None:
            assert end is not None
            start = _add_years(end, -1) + dt.timedelta(days=1)
        if end is None:
            end = _add_years(start, 1) - dt.timedelta(days=1)
        if start > end:
            raise ValueError(f"the period starts after it ends: {start} > {end}")
        return start, end

    def _load_period(
        self, period: Period, *, individuals: bool, area: bool, window: bool = False
    ) -> dict[str, Any]:
        start, end = period
        params = {
            "from": start,
            "to": end,
            "cut": end - dt.timedelta(days=CURRENCY_DAYS),
            "year": end.year,
        }
        steps = ["PERIOD_INDIVIDUALS", "PERIOD_INDIVIDUAL_AGENCIES"]
        if individuals:
            steps += ["PERIOD_CHILDREN", "PERIOD_CURRENT"]
            # the children's latest rows at TO serve the region and the areas alike
            if self._kid_rows_to != end:
                self._run("PERIOD_CHILD_ROWS", **params)
                self._kid_rows_to = end
        for name in steps:
            self._run(self._variant(name, area, window), **params)
        return params

    def _measure(
        self, period: Period, sections: Sequence[str], area: bool, window: bool = False
    ) -> dict[Any, Measured]:
        """One period's grouped counts for the sections: the region's (key None) or each
        LA's. Only the queries the sections need are run. ``window``: read the trend's
        window of rows (made by ``trend``, covering this period) instead of all of them."""
        unknown = set(sections) - set(SECTIONS)
        if unknown:
            raise ValueError(f"unknown sections: {sorted(unknown)}")
        wanted = set(sections)
        individuals = bool(wanted & (_INDIVIDUAL_SECTIONS | {"children", "estimates"}))
        params = self._load_period(period, individuals=individuals, area=area, window=window)
        queries: dict[str, list[str]] = {
            "population": ["POPULATION_OVERALL", "POPULATION_BY_AGENCY"]
        }
        if wanted & {"completeness", "currency"}:
            queries["episodes"] = ["EPISODES"]
        if individuals:
            # the estimates are overall only; the distributions have by_agency too
            queries["individuals"] = ["INDIVIDUALS_OVERALL"]
            if wanted & _INDIVIDUAL_SECTIONS:
                queries["individuals"].append("INDIVIDUALS_BY_AGENCY")
        if "children" in wanted:
            queries["children"] = ["CHILDREN"]
        out: dict[Any, Measured] = {}
        for what, names in queries.items():
            for part, grouped in self._grouped(names, params, area, window).items():
                out.setdefault(part, {})[what] = grouped
        return out

    # --- measures ------------------------------------------------------------------------

    def compute(
        self,
        period_from: Any = None,
        period_to: Any = None,
        *,
        publish: bool = False,
        prevalence: Mapping[str, Prevalence] | None = None,
        children_per_parent: float | None = None,
        sections: Sequence[str] = SECTIONS,
    ) -> dict[str, Any]:
        """The spec's report object (without ``problems``) for one period."""
        period = self.period(period_from, period_to)
        measured = self._measure(period, sections, area=False).get(None, {})
        return self._assemble(
            period,
            measured,
            sections,
            publish=publish,
            prevalence=prevalence,
            children_per_parent=children_per_parent,
            children_rows=self.children_rows,
        )

    def areas(
        self,
        period_from: Any = None,
        period_to: Any = None,
        *,
        las: Iterable[str] | None = None,
        publish: bool = False,
        prevalence: Mapping[str, Prevalence] | None = None,
        children_per_parent: float | None = None,
        sections: Sequence[str] = SECTIONS,
    ) -> dict[str, dict[str, Any]]:
        """Each local authority's report object for one period, as ``compute`` with ``la=``
        gives it, from one grouped pass over the loaded submission (the MUSE view).

        ``las`` are the LAs to report (default: every LA of the episodes, sorted); an LA with
        nobody in treatment gets its zeros."""
        period = self.period(period_from, period_to)
        measured = self._measure(period, sections, area=True)
        wanted = sorted(self.local_authorities() if las is None else set(las))
        children_rows: dict[str, int] = {}
        if children_per_parent is not None:
            _, rows = self._rows("AREA_CHILDREN_ROWS")
            children_rows = {str(la): int(n) for la, n in rows if la is not None}
        return {
            la: self._assemble(
                period,
                measured.get(la, {}),
                sections,
                publish=publish,
                prevalence=prevalence,
                children_per_parent=children_per_parent,
                children_rows=children_rows.get(la, 0),
            )
            for la in wanted
        }

    def local_authorities(self) -> list[str]:
        """The distinct LA codes of the episodes measured, sorted."""
        _, rows = self._query("SELECT DISTINCT LA FROM ep WHERE LA IS NOT NULL", {})
        return sorted(str(r[0]) for r in rows)

    def _assemble(
        self,
        period: Period,
        measured: Measured,
        sections: Sequence[str],
        *,
        publish: bool,
        prevalence: Mapping[str, Prevalence] | None,
        children_per_parent: float | None,
        children_rows: int,
    ) -> dict[str, Any]:
        """The report object from one period's grouped counts (Python only adds and arranges)."""
        population = measured.get("population", {})
        agencies = sorted({a for a, _ in population if a != "*"})
        result: dict[str, Any] = {
            "period": {"from": period[0].isoformat(), "to": period[1].isoformat()}
        }
        if "population" in sections:
            result["population"] = _population(population, agencies)
        if "completeness" in sections or "currency" in sections:
            episodes = measured.get("episodes", {})
            overall = _overall(episodes)
            if "completeness" in sections:
                result["completeness"] = _by_split(overall, episodes, agencies, _completeness)
            if "currency" in sections:
                result["currency"] = _by_split(overall, episodes, agencies, _currency)
        individuals = measured.get("individuals", {})
        for name in ("parental_status", "children_living_with", "pregnant", "early_help"):
            if name in sections:
                build = _distribution(name)
                result[name] = _by_split(individuals, individuals, agencies, build)
        if "children" in sections:
            result["children"] = _children(measured.get("children", {}))
        if "estimates" in sections:
            # A k given by the user stands in only when there is no children.csv to measure it.
            given_k = children_per_parent if children_rows == 0 else None
            result["estimates"] = _estimates(individuals, prevalence, given_k)
        ordered = {k: result[k] for k in ("period", *SECTIONS) if k in result}
        return suppress(ordered) if publish else ordered

    def trend(
        self,
        periods: Iterable[tuple[Any, Any]],
        *,
        publish: bool = False,
        sections: Sequence[str] = TREND_SECTIONS,
    ) -> list[dict[str, Any]]:
        """The same measures for many periods (the report's eight quarters), loaded once.

        The trend's own sections (population, completeness, currency: the default) read
        only the rows that can fall in one of the periods (see ``queries``), made once for
        all of them; the figures are each period's ``compute``."""
        spans = [self.period(start, end) for start, end in periods]
        window = bool(spans) and set(sections) <= set(TREND_SECTIONS)
        if window:
            first, last = min(s for s, _ in spans), max(e for _, e in spans)
            self._run("TREND_WINDOW_EPISODES", **{"from": first, "to": last})
            earliest_cut = min(e for _, e in spans) - dt.timedelta(days=CURRENCY_DAYS)
            self._run("TREND_WINDOW_OBSERVATIONS", cut=earliest_cut, to=last)
        return [
            self._assemble(
                span,
                self._measure(span, sections, area=False, window=window).get(None, {}),
                sections,
                publish=publish,
                prevalence=None,
                children_per_parent=None,
                children_rows=self.children_rows,
            )
            for span in spans
        ]


_TOTAL = "children_living_with:total_children"


def _children(grouped: Grouped) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for split in SPLITS:
        v = _split_values(grouped, "*", split)
        out[split] = {"total": v.get("total", 0)}
        for table in ("age_band", "WHEREABT", "CSCSTAT"):
            out[split][table] = {c: v.get(f"{table}:{c}", 0) for c in CATEGORIES[table]}
    return out


def _estimates(
    individuals: Grouped,
    prevalence: Mapping[str, Prevalence] | None,
    given_k: float | None,
) -> dict[str, Any]:
    given = prevalence_for_all(prevalence)
    out: dict[str, Any] = {}
    for split in SPLITS:
        v = _split_values(individuals, "*", split)
        N, n, observed = v.get("N", 0), v.get("n", 0), v.get(_TOTAL, 0)
        block: dict[str, Any] = {"observed": observed, "n": n, "N": N}
        block.update(ratio_estimate(N, n, observed, v.get("sum_sq", 0), observed))
        block["sensitivity"] = sensitivity(N, n, block["ratio"], observed)
        np_n = v.get("np_n", 0)
        block["new_presentations"] = {
            "n": np_n,
            **ratio_estimate(N, np_n, v.get("np_sum", 0), v.get("np_sum_sq", 0), observed),
        }
        block["prevalence"] = prevalence_block(
            v.get("parents", 0),
            v.get("parents_and_non_parents", 0),
            v.get("parents_with_children_rows", 0),
            v.get("children_under_18", 0),
            given_k=given_k,
            prevalence=given[split],
        )
        out[split] = block
    return out


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _overall(grouped: Grouped) -> Grouped:
    """Agency rows summed into overall rows, keyed ("*", type)."""
    out: Grouped = {}
    for (_, ttype), counts in grouped.items():
        into = out.setdefault(("*", ttype), {})
        for k, v in counts.items():
            into[k] = into.get(k, 0) + v
    return out


def _split_values(grouped: Grouped, agency: str, split: str) -> Counts:
    types = TYPES if split == "all" else (split,)
    out: Counts = {}
    for ttype in types:
        for k, v in grouped.get((agency, ttype), {}).items():
            out[k] = out.get(k, 0) + v
    return out


def _by_split(
    overall: Grouped, by_agency: Grouped, agencies: list[str], build: Any
) -> dict[str, Any]:
    out: dict[str, Any] = {s: build(_split_values(overall, "*", s)) for s in SPLITS}
    out["by_agency"] = {
        a: {s: build(_split_values(by_agency, a, s)) for s in SPLITS} for a in agencies
    }
    return out


def _population(grouped: Grouped, agencies: list[str]) -> dict[str, Any]:
    return {
        measure: _by_split(grouped, grouped, agencies, lambda v, m=measure: v.get(m, 0))
        for measure in ("in_treatment", "new_presentations")
    }


def _rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _completeness(v: Counts) -> dict[str, Any]:
    out = {}
    for item in ITEMS:
        recorded, eligible = v.get(f"{item}:recorded", 0), v.get(f"{item}:eligible", 0)
        out[item] = {
            "recorded": recorded,
            "eligible": eligible,
            "rate": _rate(recorded, eligible),
        }
    return out


def _currency(v: Counts) -> dict[str, Any]:
    up, eligible = v.get("currency:up_to_date", 0), v.get("currency:eligible", 0)
    return {"up_to_date": up, "eligible": eligible, "rate": _rate(up, eligible)}


def _distribution(name: str) -> Any:
    def build(v: Counts) -> dict[str, Any]:
        out: dict[str, Any] = {c: v.get(f"{name}:{c}", 0) for c in CATEGORIES[name]}
        if name == "parental_status":
            for group, members in PRNTSTAT_GROUPS.items():
                out[group] = sum(out[m] for m in members)
        if name == "children_living_with":
            out["total_children"] = v.get(_TOTAL, 0)
        return out

    return build


def compute(
    tables: dict[str, pa.Table],
    period_from: Any = None,
    period_to: Any = None,
    *,
    la: str | None = None,
    publish: bool = False,
    prevalence: Mapping[str, Prevalence] | None = None,
    children_per_parent: float | None = None,
) -> dict[str, Any]:
    """The spec's report object (all top-level keys but ``problems``) for one period."""
    with Submission(tables, la=la) as submission:
        return submission.compute(
            period_from,
            period_to,
            publish=publish,
            prevalence=prevalence,
            children_per_parent=children_per_parent,
        )


def trend(
    tables: dict[str, pa.Table],
    periods: Iterable[tuple[Any, Any]],
    *,
    la: str | None = None,
    publish: bool = False,
    sections: Sequence[str] = TREND_SECTIONS,
) -> list[dict[str, Any]]:
    """Population, completeness and currency (by default) for each of many periods."""
    with Submission(tables, la=la) as submission:
        return submission.trend(periods, publish=publish, sections=sections)


def default_period(tables: dict[str, pa.Table]) -> Period:
    """The latest whole financial year ending by the submission's latest date (DOB included)."""
    con = _connect()
    try:
        latest = _latest_date(con, conform(tables))
    finally:
        con.close()
    if latest is None:
        raise ValueError("the submission has no dates: give the period")
    return financial_year_ending_by(latest)


def _connect() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    # No progress bar: the CLI draws its own, and a library must not write to the terminal.
    con.execute("SET enable_progress_bar = false")
    return con


def _latest_date(con: duckdb.DuckDBPyConnection, typed: dict[str, pa.Table]) -> dt.date | None:
    """Registers the typed tables as ``<name>_in`` and returns their latest date."""
    for name, table in typed.items():
        con.register(f"{name}_in", table)
    row = con.execute(Q.LATEST_DATE).fetchone()
    return row[0] if row else None
