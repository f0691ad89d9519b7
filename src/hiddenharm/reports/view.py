"""From a report dict to what the template shows: sections of sentences, charts and tables.

One view model feeds the HTML and the PDF alike, so both carry the same content.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from hiddenharm.extract.codes import (
    CSCSTAT,
    EARLYHLP,
    PRNTSTAT,
    PROBLEM_TITLES,
    SEVERITY,
    WHEREABT,
)
from hiddenharm.reports import charts
from hiddenharm.reports.charts import Figure, Section, Table
from hiddenharm.reports.charts import figure as _make
from hiddenharm.reports.estimates_view import estimates_section
from hiddenharm.reports.text import (
    ITEM_NAME,
    SPLITS,
    by_agency,
    count,
    pct,
    split,
)

TYPE_TITLE = {"drug": "Drug treatment", "alcohol": "Alcohol treatment", "all": "All"}
AREA = "All agencies"
PS_GROUPS = {
    "parent_living_with_children": "Parent living with children (11, 12)",
    "parent_not_living_with_children": "Parent not living with children (13)",
    "not_a_parent": "Not a parent (14)",
    "incomplete": "Incomplete (15 or missing)",
}
CHILDWTH_BANDS = {b: b for b in ("0", "1", "2", "3", "4+")}
AGE_BANDS = {b: b for b in ("0-4", "5-10", "11-15", "16-17", "18+", "unknown")}
MISSING = "Not recorded"


# --- helpers ----------------------------------------------------------------------------


def _status(rate: Any, target: float, area: bool = False) -> str:
    if rate is None:
        return "none"
    if area:
        return "area-below" if rate < target else "area"
    return "below" if rate < target else "meets"


def target_words(target: float) -> str:
    return pct(target).replace(".0%", "%")


def _rate_cell(rate: Any, num: Any, eligible: Any, target: float) -> str:
    text = pct(rate, eligible)
    if eligible:
        text += f" ({count(num)} of {count(eligible)})"
    if rate is not None and rate < target:
        text += ", below target"
    return text


def _rate_label(rate: Any, eligible: Any, target: float) -> str:
    label = pct(rate, eligible)
    return label + " below" if rate is not None and rate < target else label


def _share(value: Any, total: Any) -> str:
    if value is None:
        return charts_suppressed()
    return pct(value / total) if total else "–"


def charts_suppressed() -> str:
    return "*"


# --- completeness and currency ------------------------------------------------------------


def completeness_section(report: Mapping[str, Any], target: float) -> Section:
    goal = target_words(target)
    sec = Section(
        "completeness",
        "Recording at the start of treatment",
        [
            "The Hidden Harm items should be collected at the start of the client's episode "
            "of treatment. Each chart shows, for episodes that started in the period, the "
            "share with the item recorded, for the area and for each agency beside it. The "
            f"dashed line is the {goal} target; agencies below it are shown in red and "
            "marked 'below'.",
        ],
    )
    agencies = by_agency(report, "completeness")
    for kind in SPLITS:
        area = split(report, "completeness", kind)
        if not area:
            continue
        rows, table_rows = [], []
        names = [(AREA, area)] + [
            (a, s.get(kind) or {}) for a, s in agencies.items() if s.get(kind) is not None
        ]
        for name, cells in names:
            trow = [name]
            for item in ITEM_NAME:
                cell = cells.get(item) or {}
                rate, eligible = cell.get("rate"), cell.get("eligible")
                rows.append(
                    {
                        "panel": ITEM_NAME[item].capitalize(),
                        "name": name,
                        "rate": rate,
                        "label": _rate_label(rate, eligible, target),
                        "status": _status(rate, target, name == AREA),
                    }
                )
                trow.append(_rate_cell(rate, cell.get("recorded"), eligible, target))
            table_rows.append(trow)
        panels = [ITEM_NAME[i].capitalize() for i in ITEM_NAME]
        title = f"Items recorded at the start of treatment: clients in {TYPE_TITLE[kind].lower()}"
        table = Table(
            title,
            ["Agency"] + panels,
            table_rows,
            [
                f"Rate (recorded of eligible episodes); target {goal}. "
                "Pregnancy: women only. Help: where there are children."
            ],
        )
        chart = charts.rate_bars(rows, target, panels=panels, x_title="Recorded", columns=2)
        sec.figures.append(_make(f"completeness-{kind}", title, chart, table))
    return sec


def currency_section(report: Mapping[str, Any], target: float) -> Section:
    sec = Section(
        "currency",
        "Updating at care-plan review",
        [
            "The items should be updated as part of the ongoing care-planning process. An "
            "episode in treatment for six months or more at the end of the period is up to "
            "date if a care-plan review in the last six months recorded parental status and "
            "the number of children living with the client (and pregnancy, for women).",
        ],
    )
    agencies = by_agency(report, "currency")
    rows, table_rows = [], []
    kinds = [k for k in SPLITS if split(report, "currency", k)]
    names = [(AREA, {k: split(report, "currency", k) for k in kinds})] + list(agencies.items())
    for name, splits in names:
        trow = [name]
        for kind in kinds:
            cell = splits.get(kind) or {}
            rate, eligible = cell.get("rate"), cell.get("eligible")
            rows.append(
                {
                    "panel": TYPE_TITLE[kind],
                    "name": name,
                    "rate": rate,
                    "label": _rate_label(rate, eligible, target) if cell else "",
                    "status": _status(rate, target, name == AREA),
                }
            )
            trow.append(_rate_cell(rate, cell.get("up_to_date"), eligible, target) if cell else "")
        table_rows.append(trow)
    panels = [TYPE_TITLE[k] for k in kinds]
    title = "Episodes with the items updated at a care-plan review in the last six months"
    table = Table(
        title,
        ["Agency"] + panels,
        table_rows,
        [f"Rate (up to date of eligible episodes); target {target_words(target)}."],
    )
    chart = charts.rate_bars(rows, target, panels=panels, x_title="Up to date")
    sec.figures.append(_make("currency", title, chart, table))
    return sec


# --- distributions by treatment type ------------------------------------------------------


def _distribution(
    fid: str,
    title: str,
    dist: Mapping[str, Any],
    categories: Mapping[str, str],
    total: Any,
    first_column: str,
    extra_rows: list[list[str]] | None = None,
    *,
    shares: bool = True,
) -> Figure:
    rows, table_rows = [], []
    for code, label in list(categories.items()) + [("missing", MISSING)]:
        if code not in dist and code != "missing":
            continue
        value = dist.get(code, 0)
        rows.append({"category": label, "value": value, "label": count(value)})
        table_rows.append([label, count(value)] + ([_share(value, total)] if shares else []))
    # no total to share out (the help received): no column of dashes
    columns = [first_column, "Clients"] + (["Share"] if shares else [])
    table = Table(title, columns, table_rows + (extra_rows or []))
    return _make(fid, title, charts.count_bars(rows), table)


def treatment_section(report: Mapping[str, Any], kind: str) -> Section:
    name = TYPE_TITLE[kind].lower()
    n = split(report, "population", "in_treatment").get(kind)
    sec = Section(
        f"clients-{kind}",
        f"Clients in {name}",
        [
            f"{count(n)} individuals were in {name} in the period. Figures use each client's "
            "latest recorded value at the end of the period."
        ],
    )
    ps = split(report, "parental_status", kind)
    groups = [
        [label, count(ps.get(key)), _share(ps.get(key), n)]
        for key, label in PS_GROUPS.items()
        if key in ps
    ]
    sec.figures.append(
        _distribution(
            f"parental-{kind}",
            f"Parental status of clients in {name}",
            ps,
            {c: f"{c} {lab}" for c, lab in PRNTSTAT.items()},
            n,
            "Parental status",
            groups,
        )
    )
    cw = split(report, "children_living_with", kind)
    total_row = [
        ["Children living with these clients (total)", count(cw.get("total_children")), ""]
    ]
    sec.figures.append(
        _distribution(
            f"childwth-{kind}",
            f"Number of children living with clients in {name}",
            cw,
            CHILDWTH_BANDS,
            n,
            "Children living with the client",
            total_row,
        )
    )
    preg = split(report, "pregnant", kind)
    women = sum(v for v in preg.values() if isinstance(v, int)) if preg else 0
    has_hidden = any(v is None for v in preg.values())
    sec.figures.append(
        _distribution(
            f"pregnant-{kind}",
            f"Is the client pregnant? Women in {name} only",
            preg,
            {"Y": "Pregnant", "N": "Not pregnant"},
            None if has_hidden else women,
            "Pregnant",
        )
    )
    eh = split(report, "early_help", kind)
    sec.figures.append(
        _distribution(
            f"earlyhelp-{kind}",
            f"Help the children of clients in {name} receive",
            eh,
            EARLYHLP,
            None,
            "Help received",
            shares=False,
        )
    )
    return sec


# --- the children of Recommendation 9 ---------------------------------------------------------


def children_section(report: Mapping[str, Any]) -> Section:
    sec = Section(
        "children",
        "The children (Recommendation 9)",
        [
            "Recommendation 9 of Hidden Harm asks services to record the number, age and "
            "whereabouts of all their clients' children. These counts are the children "
            "recorded for parents in treatment in the period, each once, as last recorded.",
        ],
    )
    totals = {k: split(report, "children", k).get("total") for k in (*SPLITS, "all")}
    sec.paragraphs.append(
        f"Children recorded: {count(totals['all'])} ({count(totals['drug'])} of clients in "
        f"drug treatment, {count(totals['alcohol'])} of clients in alcohol treatment)."
    )
    for key, title, categories in (
        ("age_band", "Age of the children at the end of the period", AGE_BANDS),
        ("WHEREABT", "Where the children live", WHEREABT),
        ("CSCSTAT", "The children's status with children's social care", CSCSTAT),
    ):
        rows, table_rows = [], []
        cats = dict(categories)
        if key != "age_band":
            cats["missing"] = MISSING
        for code, label in cats.items():
            trow = [label]
            for kind in (*SPLITS, "all"):
                value = (split(report, "children", kind).get(key) or {}).get(code, 0)
                if kind != "all":
                    rows.append(
                        {
                            "category": label,
                            "series": TYPE_TITLE[kind],
                            "value": value,
                            "label": count(value),
                        }
                    )
                trow.append(count(value))
            table_rows.append(trow)
        table_rows.append(["Total"] + [count(totals[k]) for k in (*SPLITS, "all")])
        table = Table(title, ["", "Drug treatment", "Alcohol treatment", "All"], table_rows)
        chart = charts.count_bars(rows, series=[TYPE_TITLE[k] for k in SPLITS], x_title="Children")
        sec.figures.append(_make(f"children-{key.lower()}", title, chart, table))
    return sec


# --- trend, estimates, areas ------------------------------------------------------------------


TREND_MEASURES: dict[str, Callable[[Mapping[str, Any], str], tuple[Any, Any]]] = {
    "Parental status at start": lambda q, k: _rate_of(q, "completeness", k, "PRNTSTAT"),
    "Children living with at start": lambda q, k: _rate_of(q, "completeness", k, "CHILDWTH"),
    "Updated at review": lambda q, k: _rate_of(q, "currency", k, None),
}


def _rate_of(q: Mapping[str, Any], section: str, kind: str, item: str | None) -> tuple[Any, Any]:
    cell = (q.get(section) or {}).get(kind) or {}
    if item:
        cell = cell.get(item) or {}
    return cell.get("rate"), cell.get("eligible")


def trend_section(report: Mapping[str, Any], target: float) -> Section | None:
    quarters = report.get("trend") or []
    if not quarters:
        return None
    sec = Section(
        "trend",
        "Trends by quarter",
        [
            f"The last {len(quarters)} quarters to the end of the period: each quarter is "
            "measured as a period of its own. Gaps are quarters with nothing to show."
        ],
    )
    rows, table_rows = [], []
    for q in quarters:
        trow = [
            q["label"],
            count(((q.get("population") or {}).get("in_treatment") or {}).get("all")),
        ]
        for measure, get in TREND_MEASURES.items():
            for kind in SPLITS:
                rate, eligible = get(q, kind)
                rows.append(
                    {
                        "panel": TYPE_TITLE[kind],
                        "quarter": q["label"],
                        "measure": measure,
                        "rate": rate,
                    }
                )
                trow.append(pct(rate, eligible))
        table_rows.append(trow)
    columns = ["Quarter", "In treatment"] + [f"{m} ({k})" for m in TREND_MEASURES for k in SPLITS]
    title = "Recording and updating by quarter"
    chart = charts.trend_lines(rows, target, [TYPE_TITLE[k] for k in SPLITS])
    sec.figures.append(_make("trend", title, chart, Table(title, columns, table_rows)))
    return sec


def areas_section(report: Mapping[str, Any], target: float) -> Section | None:
    areas = report.get("areas") or {}
    if len(areas) < 2:
        return None
    sec = Section(
        "areas",
        "Each area against the region",
        [
            "The submission covers several local authorities (the LA of the client's "
            "residence). Each is measured on its own residents, beside the whole submission "
            "(the region), as the MUSE report set the region's areas side by side."
        ],
    )
    rows, table_rows = [], []
    names = [("Region", report)] + sorted(areas.items())
    panels = {
        "Parental status at start": ("completeness", "PRNTSTAT"),
        "Updated at review": ("currency", None),
    }
    for name, r in names:
        trow = [name, count(split(r, "population", "in_treatment").get("all"))]
        for panel, (section, item) in panels.items():
            rate, eligible = _rate_of(r, section, "all", item)
            rows.append(
                {
                    "panel": panel,
                    "name": name,
                    "rate": rate,
                    "label": _rate_label(rate, eligible, target),
                    "status": _status(rate, target, name == "Region"),
                }
            )
            trow.append(pct(rate, eligible))
        trow.append(count(split(r, "estimates", "all").get("observed")))
        table_rows.append(trow)
    title = "Recording and updating by local authority, against the region"
    table = Table(
        title,
        ["Area", "In treatment", *panels, "Children living with clients (at least)"],
        table_rows,
    )
    chart = charts.rate_bars(rows, target, panels=list(panels), x_title="Rate")
    sec.figures.append(_make("areas", title, chart, table))
    return sec


def submission_table(report: Mapping[str, Any]) -> Table:
    problems = report.get("problems") or {}
    rows = [
        [code, PROBLEM_TITLES.get(code, ""), SEVERITY.get(code, ""), f"{n:,}"]
        for code, n in sorted(problems.items())
    ]
    return Table(
        "Validation problems in the submission, by code",
        ["Code", "Problem", "Severity", "Problems"],
        rows,
        ["Rows with errors are left out of every figure; warnings keep the row."],
    )


def sections(report: Mapping[str, Any], target: float) -> list[Section]:
    out = [completeness_section(report, target), currency_section(report, target)]
    out += [treatment_section(report, k) for k in SPLITS]
    out.append(children_section(report))
    out += [s for s in (trend_section(report, target),) if s]
    out.append(estimates_section(report))  # the estimates have a module of their own
    out += [s for s in (areas_section(report, target),) if s]
    # From the case records only (the web application's report): referrals to CSC.
    from hiddenharm.reports.safeguarding_view import safeguarding_section

    out += [s for s in (safeguarding_section(report),) if s]
    return out
