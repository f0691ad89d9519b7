"""Numbers as words: formatting that respects suppression, and the headline findings.

A suppressed figure is ``None`` in a published report. Every sentence here is built
only from figures as the measures give them (never a difference or sum that could
bring a suppressed cell back), and a sentence whose figure is suppressed says so
instead of giving it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

SPLITS = ("drug", "alcohol")
TYPE_NAME = {"drug": "drug treatment", "alcohol": "alcohol treatment", "all": "all treatment"}
ITEM_NAME = {
    "PRNTSTAT": "parental status",
    "CHILDWTH": "children living with the client",
    "PREGNANT": "pregnancy (women)",
    "EARLYHLP": "help the children receive",
}
SUPPRESSED = "*"
NOT_APPLICABLE = "–"  # a rate with nobody to count: there is nothing to show


def count(value: Any) -> str:
    """A count for a table or sentence: ``*`` when suppressed."""
    if value is None:
        return SUPPRESSED
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def number(value: Any) -> str:
    """An estimate (not a count): rounded to a whole number."""
    return SUPPRESSED if value is None else f"{round(float(value)):,}"


def pct(rate: Any, eligible: Any = 1) -> str:
    """A rate as a percentage, one decimal so that 89.6% never reads as the 90% target."""
    if rate is None:
        return NOT_APPLICABLE if eligible == 0 else SUPPRESSED
    return f"{100 * float(rate):.1f}%"


def long_date(value: str | dt.date) -> str:
    d = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    return f"{d.day} {d:%B %Y}"


def period_words(report: Mapping[str, Any]) -> str:
    p = report.get("period", {})
    return f"{long_date(p['from'])} to {long_date(p['to'])}"


def split(report: Mapping[str, Any], section: str, key: str) -> dict[str, Any]:
    value = (report.get(section) or {}).get(key)
    return value if isinstance(value, dict) else {}


def by_agency(report: Mapping[str, Any], section: str) -> dict[str, dict[str, Any]]:
    """``section.by_agency`` as agency -> {drug, alcohol, all}.

    The spec's "agency code -> the same shape" is read either way: splits under the
    agency, or the agency's overall figures directly (taken as its ``all``).
    """
    raw = (report.get(section) or {}).get("by_agency") or {}
    out: dict[str, dict[str, Any]] = {}
    for agency, value in sorted(raw.items()):
        if isinstance(value, dict) and any(k in value for k in ("all", "drug", "alcohol")):
            out[str(agency)] = value
        else:
            out[str(agency)] = {"all": value}
    return out


def is_published(report: Mapping[str, Any]) -> bool:
    """Whether small numbers were suppressed: ``meta.publish`` as build_report sets it, else
    (a dict straight from the measures) whether any count is null."""
    meta = report.get("meta")
    if isinstance(meta, dict) and "publish" in meta:
        return bool(meta["publish"])

    def has_null(value: Any) -> bool:
        if isinstance(value, dict):
            return any(has_null(v) for v in value.values())
        return value is None

    sections = ("parental_status", "children_living_with", "pregnant", "early_help", "children")
    return any(has_null(report.get(s)) for s in sections)


def join_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def plural(n: int, one: str, many: str | None = None) -> str:
    return one if n == 1 else (many or one + "s")


# --- headline findings ----------------------------------------------------------------


def findings(report: Mapping[str, Any], target: float) -> list[str]:
    """The first page, in plain English, each sentence from figures as given."""
    out = [_population(report)]
    if split(report, "population", "in_treatment").get("all") == 0:
        return out + ["With no one in treatment in the period, there is nothing more to report."]
    out += _completeness(report, target)
    out.append(_currency(report, target))
    out.append(_areas(report, target))
    out += _children(report)
    out += _parents(report)
    out.append(_pregnant(report))
    out += _prevalence(report)
    return [s for s in out if s]


def _population(report: Mapping[str, Any]) -> str:
    inside = split(report, "population", "in_treatment")
    new = split(report, "population", "new_presentations")
    return (
        f"From {period_words(report)}, {count(inside.get('all'))} people were in treatment: "
        f"{count(inside.get('drug'))} for drugs and {count(inside.get('alcohol'))} for alcohol. "
        f"{count(new.get('all'))} of them started treatment in the period."
    )


def agencies_below(
    report: Mapping[str, Any], item: str, target: float, kind: str = "all"
) -> tuple[list[tuple[str, float]], int]:
    """Agencies whose completeness of ``item`` at start is below target, and how many
    agencies had no rate to show (suppressed, or nobody eligible)."""
    below, unknown = [], 0
    for agency, splits in by_agency(report, "completeness").items():
        cell = (splits.get(kind) or {}).get(item) or {}
        rate = cell.get("rate")
        if rate is None:
            unknown += 1
        elif rate < target:
            below.append((agency, float(rate)))
    return sorted(below, key=lambda x: x[1]), unknown


def _completeness(report: Mapping[str, Any], target: float) -> list[str]:
    area = split(report, "completeness", "all")
    goal = pct(target).replace(".0%", "%")
    out = []
    rates = []
    for item in ("PRNTSTAT", "CHILDWTH"):
        cell = area.get(item) or {}
        if cell.get("eligible"):
            rates.append(f"{ITEM_NAME[item]} for {pct(cell.get('rate'), cell.get('eligible'))}")
    if rates:
        out.append(
            f"At the start of treatment, the area recorded {join_words(rates)} of the "
            f"{count((area.get('PRNTSTAT') or {}).get('eligible'))} episodes that began "
            f"in the period; the target is {goal}."
        )
    agencies = by_agency(report, "completeness")
    if agencies:
        unknown = 0
        for item in ("PRNTSTAT", "CHILDWTH"):
            below, missing = agencies_below(report, item, target)
            unknown = max(unknown, missing)
            what = f"recording {ITEM_NAME[item]} at the start of treatment"
            if below:
                names = join_words([f"{a} ({pct(r)})" for a, r in below])
                n = len(agencies)
                out.append(
                    f"{len(below)} of {n} {plural(n, 'agency', 'agencies')} fell below the "
                    f"{goal} target for {what}: {names}."
                )
            else:
                out.append(f"Every agency with a rate to show met the {goal} target for {what}.")
        if unknown:
            out.append(
                f"For {unknown} {plural(unknown, 'agency', 'agencies')} a rate is not shown "
                "(no new episodes, or numbers too small to publish)."
            )
    return out


def _areas(report: Mapping[str, Any], target: float) -> str:
    """The MUSE view in a sentence: which local authorities fall short at the start."""
    areas = report.get("areas") or {}
    if len(areas) < 2:
        return ""
    rates = {
        la: ((split(r, "completeness", "all").get("PRNTSTAT") or {}).get("rate"))
        for la, r in sorted(areas.items())
    }
    below = sorted(
        ((la, r) for la, r in rates.items() if r is not None and r < target), key=lambda x: x[1]
    )
    goal = pct(target).replace(".0%", "%")
    if all(r is None for r in rates.values()):
        return ""
    if not below:
        return f"Every local authority met the {goal} target for recording parental status."
    names = join_words([f"{la} ({pct(r)})" for la, r in below])
    return (
        f"{len(below)} of the {len(areas)} local authorities fell below the {goal} target for "
        f"recording parental status at the start of treatment: {names}."
    )


def _currency(report: Mapping[str, Any], target: float) -> str:
    cur = split(report, "currency", "all")
    if not cur.get("eligible"):
        return "No client had been in treatment for six months or more, so currency is not shown."
    rate = cur.get("rate")
    lead = (
        f"Of the {count(cur.get('eligible'))} episodes in treatment for six months or more "
        "at the end of the period, "
    )
    if rate is None:
        return lead + "the share updated at a recent care-plan review is too small to publish."
    short = " (below the target)" if rate < target else ""
    return (
        lead + f"{pct(rate)} had their Hidden Harm items updated at a care-plan review in the "
        f"last six months{short}."
    )


def _children(report: Mapping[str, Any]) -> list[str]:
    est = split(report, "estimates", "all")
    if not est:
        return []
    out = _range_findings(est)
    cal = split(report, "children", "all")
    csc = cal.get("CSCSTAT") or {}
    if cal.get("total"):
        plans = [
            f"{count(csc.get(code))} {label}"
            for code, label in (("CPP", "on a child protection plan"), ("LAC", "looked after"))
            if code in csc
        ]
        line = f"Clients recorded {count(cal['total'])} children of their own"
        if plans:
            line += f"; of these, {join_words(plans)}"
        out.append(line + ".")
    return out


def _range_findings(est: Mapping[str, Any]) -> list[str]:
    """The children living with adults in treatment: the range first (observed to the figure
    at twice as many), then the estimate with what its interval assumes."""
    observed, big_n, n = est.get("observed"), est.get("N"), est.get("n")
    sens = est.get("sensitivity") or {}
    high = sens.get("2")
    if n is not None and big_n is not None and n == big_n and big_n:
        return [
            f"Every one of the {count(big_n)} adults in treatment has a number recorded: "
            f"{count(observed)} children live with them."
        ]
    if observed is None or high is None or n is None or big_n is None:
        out = [
            f"At least {count(observed)} children live with adults in treatment: the sum of "
            "the numbers recorded, so a lower bound."
        ]
        if est.get("estimate") is not None:  # a report made before the range existed
            out.append(
                f"Allowing for clients whose number is not recorded, an estimated "
                f"{number(est['estimate'])} children{_ci_words(est.get('ci95'))} live with "
                f"the {count(big_n)} adults in treatment."
            )
        return out
    out = [
        f"Between {count(observed)} and {number(high)} children live with the "
        f"{count(big_n)} adults in treatment: at least {count(observed)} are recorded, and "
        f"if the {count(big_n - n)} clients whose number is not recorded lived with twice as "
        f"many children as those recorded, the figure would be {number(high)}."
    ]
    if est.get("estimate") is not None:
        out.append(
            f"If those clients are like the ones recorded, the estimate is "
            f"{number(est['estimate'])}{_ci_words(est.get('ci95'))}: an interval that holds "
            "only if whether a number is recorded has nothing to do with how many children "
            "a client lives with."
        )
    return out


def _ci_words(ci: Any) -> str:
    return f" (95% interval {number(ci[0])} to {number(ci[1])})" if ci and None not in ci else ""


def _parents(report: Mapping[str, Any]) -> list[str]:
    out = []
    for kind in SPLITS:
        ps = split(report, "parental_status", kind)
        n = split(report, "population", "in_treatment").get(kind)
        living = ps.get("parent_living_with_children")
        if not ps or not n:
            continue
        if living is None:
            out.append(
                f"The number of parents living with children in {TYPE_NAME[kind]} is too small "
                "to publish."
            )
            continue
        incomplete = ps.get("incomplete")
        tail = (
            f"; for {count(incomplete)} ({pct(incomplete / n)}) parental status was incomplete"
            if incomplete is not None
            else ""
        )
        out.append(
            f"In {TYPE_NAME[kind]}, {count(living)} of {count(n)} clients ({pct(living / n)}) "
            f"were parents living with their children{tail}."
        )
    return out


def _pregnant(report: Mapping[str, Any]) -> str:
    parts = []
    for kind in SPLITS:
        y = split(report, "pregnant", kind).get("Y")
        parts.append(f"{count(y)} in {TYPE_NAME[kind]}")
    if not any(split(report, "pregnant", k) for k in SPLITS):
        return ""
    line = f"Women recorded as pregnant: {join_words(parts)}"
    if any(split(report, "pregnant", k).get("Y", 0) is None for k in SPLITS):
        line += " (* means not shown, to protect small numbers)"
    return line + "."


def _prevalence(report: Mapping[str, Any]) -> list[str]:
    out = []
    for kind in SPLITS:
        prev = split(report, "estimates", kind).get("prevalence") or {}
        if prev.get("P") is None or prev.get("estimate") is None:
            continue
        lo, hi = (prev.get("interval") or [None, None])[:2]
        users, problem = ("drug", "a drug") if kind == "drug" else ("alcohol", "an alcohol")
        out.append(
            f"Given {number(prev['P'])} problem {users} users in the area, about "
            f"{number(prev['estimate'])} children (between {number(lo)} and {number(hi)}) "
            f"have a parent with {problem} problem, at {prev.get('c', 0):.2f} children per user."
        )
    return out
