"""The estimates section: children observed and estimated, with what each assumes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hiddenharm.reports import charts
from hiddenharm.reports.charts import Section, Table
from hiddenharm.reports.charts import figure as _make
from hiddenharm.reports.text import SPLITS, count, number, split

TYPE_TITLE = {"drug": "Drug treatment", "alcohol": "Alcohol treatment", "all": "All"}


def _interval(ci: Any) -> str:
    if not ci or None in ci:
        return "–"
    return f"{number(ci[0])} to {number(ci[1])}"


def estimates_section(report: Mapping[str, Any]) -> Section:
    sec = Section(
        "estimates",
        "How many children?",
        [
            "Observed: the sum of the numbers of children recorded as living with clients. "
            "It is a lower bound: at least this many children live with adults in treatment.",
            "Estimate from all clients: the average number recorded, times everyone in "
            "treatment. It assumes that clients with no number recorded are like those with "
            "one. The 95% interval allows for sampling from the clients in treatment.",
            "From new presentations: the national method of 2008/09, the average number "
            "recorded at the start of treatment by clients who started in the period, times "
            "everyone in treatment. It assumes those starting are like those continuing.",
            "Children of problem users in the area: the method of the 2003 Hidden Harm "
            "inquiry, a prevalence estimate of problem users times the children per user "
            "(the share of clients who are parents times their children under 18). It "
            "assumes that problem users outside treatment have children as often as those in "
            "it; its interval is that of the prevalence estimate alone.",
        ],
    )
    rows, table_rows = [], []
    for kind in (*SPLITS, "all"):
        est = split(report, "estimates", kind)
        if not est:
            continue
        new = est.get("new_presentations") or {}
        t = TYPE_TITLE[kind]
        obs = est.get("observed")
        rows.append(
            {
                "type": t,
                "method": "Observed (at least)",
                "value": obs,
                "lo": obs,
                "hi": obs,
                "label": count(obs),
            }
        )
        for method, source in (("From all clients", est), ("From new presentations", new)):
            ci = source.get("ci95") or [None, None]
            rows.append(
                {
                    "type": t,
                    "method": method,
                    "value": source.get("estimate"),
                    "lo": ci[0] if ci[0] is not None else source.get("estimate"),
                    "hi": ci[1] if ci[1] is not None else source.get("estimate"),
                    "label": number(source.get("estimate")),
                }
            )
        table_rows.append(
            [
                t,
                count(obs),
                f"{count(est.get('n'))} of {count(est.get('N'))}",
                number(est.get("estimate")),
                _interval(est.get("ci95")),
                number(new.get("estimate")),
                _interval(new.get("ci95")),
            ]
        )
    title = "Children living with adults in treatment: observed and estimated"
    table = Table(
        title,
        [
            "Treatment",
            "Observed (at least)",
            "Clients with a number recorded",
            "Estimate",
            "95% interval",
            "From new presentations",
            "95% interval",
        ],
        table_rows,
    )
    sec.figures.append(_make("estimates", title, charts.estimate_intervals(rows), table))
    sec.tables.append(_prevalence_table(report))
    return sec


def _prevalence_table(report: Mapping[str, Any]) -> Table:
    rows, given = [], False
    for kind in (*SPLITS, "all"):
        p = split(report, "estimates", kind).get("prevalence") or {}
        given = given or p.get("P") is not None
        if not p:
            continue
        interval = p.get("interval") or [None, None]
        rows.append(
            [
                TYPE_TITLE[kind],
                f"{count(p.get('parents'))} of {count(p.get('parents_and_non_parents'))}",
                _fraction(p.get("p")),
                _fraction(p.get("k")),
                _fraction(p.get("c")),
                number(p["P"]) if p.get("P") is not None else "not given",
                number(p.get("estimate")) if p.get("P") is not None else "–",
                _interval(interval) if p.get("P") is not None else "–",
            ]
        )
    return Table(
        "Children of problem drug and alcohol users in the area (the 2003 Hidden Harm method)",
        [
            "Treatment",
            "Parents (of those answering)",
            "p, share who are parents",
            "k, children under 18 per parent",
            "c = p × k",
            "P, problem users (prevalence)",
            "Estimate P × c",
            "Interval",
        ],
        rows,
        [
            "The rule of thumb of 2003 is c = 1, 'about one for every problem drug user'."
            + (
                ""
                if given
                else " The estimate needs a prevalence estimate of problem users in the area "
                "(--prevalence-drug, --prevalence-alcohol)."
            )
        ],
    )


def _fraction(value: Any) -> str:
    return "*" if value is None else f"{float(value):.2f}"
