"""The dashboards' figures: the records exported as a submission, validated and measured by
the same code as any provider's file (one definition of every figure)."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc

from hiddenharm.cases import exchange
from hiddenharm.extract.codes import HH_ITEMS


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The twelve months to today (a dashboard is about now, not the last financial year)."""
    return today - dt.timedelta(days=364), today


def build(
    providers,
    period_from,
    period_to,
    *,
    publish=False,
    detail=False,
    as_of=None,
    title=None,
    validated=None,
):
    """The report on the providers' records (`validated`: an export already checked)."""
    from hiddenharm.reports import build_report

    result = validated or exchange.validated_export(providers, as_of=as_of)
    return build_report(
        result, period_from, period_to, publish=publish, detail=detail, as_of=as_of, title=title
    )


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


def build_team(validated, agency, client_refs, period_from, period_to, *, as_of=None):
    from hiddenharm.reports import build_report

    tables = team_tables(validated.tables, agency, client_refs)
    return build_report(tables, period_from, period_to, detail=False, as_of=as_of, problems={})


def rows(report: dict) -> list[dict]:
    """One row per split: completeness of each item at start, and currency at review."""
    out = []
    comp = report.get("completeness") or {}
    curr = report.get("currency") or {}

    def row(label, c, u):
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

    for key, label in (
        ("all", "All"),
        ("drug", "Drug treatment"),
        ("alcohol", "Alcohol treatment"),
    ):
        out.append(row(label, comp.get(key), curr.get(key)))
    for agency in sorted(comp.get("by_agency") or {}):
        out.append(
            row(
                f"Agency {agency}",
                comp["by_agency"].get(agency),
                (curr.get("by_agency") or {}).get(agency),
            )
        )
    return out
