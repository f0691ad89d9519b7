"""The dashboards' tables, from the measures' results: the rows by treatment type, agency
and team, the teams' tables (each team as an agency of its own), and the over-time
tables. Plain functions of reports and Arrow tables: no database."""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

from hiddenharm.extract.codes import HH_ITEMS


def team_tables(tables: dict[str, pa.Table], agency: str, client_refs: set[str]):
    """The accepted tables cut to one team's clients (teams are not in the extract)."""
    refs = pa.array(sorted(client_refs), type=pa.string())

    def mine(t: pa.Table) -> pa.Table:
        keep = pc.and_(pc.equal(t["AGNCY"], agency), pc.is_in(t["CLIENTID"], value_set=refs))
        return t.filter(keep)

    episodes = mine(tables["episodes"])
    reviews = tables["reviews"]
    reviews = reviews.filter(
        pc.and_(
            pc.equal(reviews["AGNCY"], agency),
            pc.is_in(reviews["EPISODID"], value_set=episodes["EPISODID"].combine_chunks()),
        )
    )
    return {"episodes": episodes, "reviews": reviews, "children": mine(tables["children"])}


def _team_code(team_id: int) -> str:
    return f"TEAM{team_id}"


def team_label(name: str) -> str:
    """A team as the figures name it: "Team North"; a name that already says so as it is
    ("Team 2", not "Team Team 2")."""
    return name if name.split(" ", 1)[0].lower() == "team" else f"Team {name}"


def team_order(team) -> tuple:
    """Teams in the order a reader counts them: "Team 2" before "Team 10" (the numbers in a
    name compared as numbers), then by id."""
    parts = re.split(r"(\d+)", team.name.casefold())
    return tuple((1, int(x), "") if x.isdigit() else (0, 0, x) for x in parts), team.pk


def teams_tables(tables: dict[str, pa.Table], agency: str, refs: dict[int, set[str]]):
    """The accepted tables of one agency's clients with each team as an agency of its own
    (AGNCY = TEAM<id>), so that one computation gives every team's figures as the
    measures' `by_agency` split. The completeness and currency measures are per episode,
    so a team's `by_agency` figures are those of its records measured alone."""
    pairs = sorted((ref, _team_code(t)) for t, team_refs in refs.items() for ref in team_refs)
    clients = pa.array([p[0] for p in pairs], type=pa.string())
    codes = pa.array([p[1] for p in pairs], type=pa.string())

    def relabel(t: pa.Table, key: str, keys: pa.Array, values: pa.Array) -> pa.Table:
        t = t.filter(pc.equal(t["AGNCY"], agency))
        at = pc.index_in(t[key], value_set=keys)
        t = t.filter(pc.is_valid(at))
        at = pc.index_in(t[key], value_set=keys)
        return t.set_column(t.schema.get_field_index("AGNCY"), "AGNCY", pc.take(values, at))

    episodes = relabel(tables["episodes"], "CLIENTID", clients, codes)
    reviews = relabel(
        tables["reviews"],
        "EPISODID",
        episodes["EPISODID"].combine_chunks(),
        episodes["AGNCY"].combine_chunks(),
    )
    return {
        "episodes": episodes,
        "reviews": reviews,
        "children": relabel(tables["children"], "CLIENTID", clients, codes),
    }


def build_team(validated, agency, client_refs, period_from, period_to, *, as_of=None):
    from hiddenharm.reports import build_report

    tables = team_tables(validated.tables, agency, client_refs)
    return build_report(tables, period_from, period_to, detail=False, as_of=as_of, problems={})


def _row(label, c, u) -> dict:
    return {
        "label": label,
        "items": [
            {
                "item": item,
                **((c or {}).get(item) or {"recorded": None, "eligible": None, "rate": None}),
            }
            for item in HH_ITEMS
        ],
        "currency": u or {"up_to_date": None, "eligible": None, "rate": None},
    }


SPLIT_LABELS = {"all": "All", "drug": "Drug treatment", "alcohol": "Alcohol treatment"}


def rows(report: dict, names: dict[str, str] | None = None, *, published: bool = False):
    """One row per split: completeness of each item at start, and currency at review.

    The service's own view: the area's all, drug and alcohol, then each agency's all.
    Published (figures leaving the service, `suppression.suppress` already applied by the
    measures): the rows the published report shows, as it shows them: the area's total
    (all), its drug and alcohol rows, and each agency by drug and by alcohol treatment,
    never an agency's unsuppressed total (a count of 1 to 4 in it would be shown)."""
    out = []
    comp = report.get("completeness") or {}
    curr = report.get("currency") or {}
    for key, label in SPLIT_LABELS.items():
        out.append(_row(label, comp.get(key), curr.get(key)))
    names = names or {}
    for agency in sorted(comp.get("by_agency") or {}):
        label = agency_label(agency, names)
        if not published:
            out.append(agency_row(report, agency, label))
            continue
        for kind in PUBLISHED_SPLITS:
            out.append(agency_row(report, agency, f"{label}: {SPLIT_LABELS[kind].lower()}", kind))
    return out


# What a published view shows of an agency (as the published report's tables do): its
# treatment types, whose small counts the measures' suppression hides; not its `all`, which
# the suppression rule keeps as a total.
PUBLISHED_SPLITS = ("drug", "alcohol")


def agency_label(code: str, names: dict[str, str]) -> str:
    """A provider by its name, with the agency code people see in extracts."""
    return f"{names[code]} ({code})" if code in names else f"Agency {code}"


def agency_row(report: dict, agency: str, label: str, kind: str = "all") -> dict:
    """One agency's row: its figures over both treatment types (`by_agency` holds each
    agency's splits, of which `all`), or over one (`kind`); 0 of 0 for an agency with
    nobody in the period."""
    comp = ((report.get("completeness") or {}).get("by_agency") or {}).get(agency)
    curr = ((report.get("currency") or {}).get("by_agency") or {}).get(agency)
    if comp is None:  # nobody of it in the period: 0 of 0 (a blank would read as suppressed)
        empty = {item: {"recorded": 0, "eligible": 0, "rate": None} for item in HH_ITEMS}
        comp = {k: empty for k in SPLIT_LABELS}
    if curr is None:
        curr = {k: {"up_to_date": 0, "eligible": 0, "rate": None} for k in SPLIT_LABELS}
    return _row(label, comp.get(kind), curr.get(kind))


def _cell(split: dict | None, item: str | None) -> dict:
    """A rate with its numerator and denominator, from a completeness or currency split."""
    if split is None:
        return {"rate": None, "num": 0, "den": 0}
    if item is None:  # currency
        return {"rate": split["rate"], "num": split["up_to_date"], "den": split["eligible"]}
    return {
        "rate": split[item]["rate"],
        "num": split[item]["recorded"],
        "den": split[item]["eligible"],
    }


def trend_tables(reports: list[dict], quarters, columns: list[tuple[str, str]]) -> list[dict]:
    """Completeness of parental status at start and currency at review, quarter by quarter,
    for the whole scope ("all") and each agency or team column."""

    def split(report: dict, section: str, key: str) -> dict | None:
        """`key`: a split of the area (all, drug, alcohol) or an agency's all."""
        part = report.get(section) or {}
        if key in SPLIT_LABELS:
            return part.get(key)
        return ((part.get("by_agency") or {}).get(key) or {}).get("all")

    out = []
    for title, section, item in (
        (
            "Parental status recorded at the start of treatment, by quarter",
            "completeness",
            "PRNTSTAT",
        ),
        ("Up to date at care-plan review at the end of each quarter", "currency", None),
    ):
        out.append(
            {
                "title": title,
                "columns": [label for _, label in columns],
                "rows": [
                    {
                        "label": f"{start:%b} to {end:%b %Y}",
                        "cells": [_cell(split(r, section, key), item) for key, _ in columns],
                    }
                    for (start, end), r in zip(quarters, reports, strict=True)
                ],
            }
        )
    return out
