"""The estimates section: children observed and estimated, with what each assumes, and the
range that holds when recording is not random (``sensitivity``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from hiddenharm.reports import charts
from hiddenharm.reports.charts import Section, Table
from hiddenharm.reports.charts import figure as _make
from hiddenharm.reports.text import SPLITS, count, join_words, number, pct, split

# Written by the simulation test, which fails when this file differs from what it measures.
SIMULATION = Path(__file__).with_name("simulation.json")
TYPE_TITLE = {"drug": "Drug treatment", "alcohol": "Alcohol treatment", "all": "All"}


def _interval(ci: Any) -> str:
    if not ci or None in ci:
        return "–"
    return f"{number(ci[0])} to {number(ci[1])}"


# The multipliers of ``sensitivity`` in words, for the table's columns.
FACTOR_WORDS = {
    "0": "None (0)",
    "0.5": "Half as many (0.5)",
    "1": "As many (1: the estimate)",
    "1.5": "1.5 times as many",
    "2": "Twice as many (2)",
}
RANGE = "Range: at least to twice as many"
OBSERVED = "Observed (at least)"
FROM_ALL = "From all clients (95% interval)"
FROM_NEW = "From new presentations (95% interval)"
# The chart's rows, in this order in every panel: the range beside the interval.
METHODS = [OBSERVED, RANGE, FROM_ALL, FROM_NEW]


def _range(est: Mapping[str, Any]) -> tuple[Any, Any]:
    """The range's two ends: observed ("0") and the figure at twice as many ("2")."""
    sens = est.get("sensitivity") or {}
    return sens.get("0"), sens.get("2")


def _range_words(est: Mapping[str, Any]) -> str:
    low, high = _range(est)
    if low is None or high is None:
        # with nothing recorded there is no range ("–"); otherwise it is suppressed ("*")
        return "–" if low is not None and est.get("n") == 0 else "*"
    return f"{count(low)} to {number(high)}"


def unrecorded(est: Mapping[str, Any]) -> int | None:
    """N - n, the clients with no number recorded; None when n is suppressed (the
    difference would give it back)."""
    n, big_n = est.get("n"), est.get("N")
    return None if n is None or big_n is None else int(big_n) - int(n)


def range_sentence(est: Mapping[str, Any], who: str) -> str:
    """What the range means, in words, for one split ("" when there is nothing to say)."""
    low, high = _range(est)
    sens = est.get("sensitivity") or {}
    missing = unrecorded(est)
    if low is None or high is None or missing is None or missing == 0:
        return ""
    return (
        f"For {who}: if the {count(missing)} clients whose number is not recorded lived with "
        f"twice as many children as those recorded, the figure would be {number(high)}; "
        f"with as many, {number(sens.get('1'))}; with none, {count(low)}."
    )


def estimates_section(report: Mapping[str, Any]) -> Section:
    sec = Section(
        "estimates",
        "How many children?",
        [
            "Observed: the sum of the numbers of children recorded as living with clients. "
            "It is a lower bound: at least this many children live with adults in treatment.",
            "Estimate from all clients: the average number recorded, times everyone in "
            "treatment. It assumes that whether a client's number is recorded has nothing to "
            "do with how many children live with them. Its 95% interval allows only for "
            "chance in which clients happen to be recorded: if clients with children go "
            "unrecorded more (or less) often than others, the interval is narrow and wrong.",
            "The range makes no such assumption. It runs from the observed number (as if the "
            "clients whose number is not recorded lived with no children) to the figure if "
            "they lived with twice as many children as those recorded. "
            + range_sentence(split(report, "estimates", "all"), "all treatment types"),
            *simulation_summary(),
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
    rows: list[dict[str, Any]] = []
    table_rows = []
    for kind in (*SPLITS, "all"):
        est = split(report, "estimates", kind)
        if not est:
            continue
        new = est.get("new_presentations") or {}
        t = TYPE_TITLE[kind]
        obs = est.get("observed")
        rows.append(_point(t, OBSERVED, obs, obs, obs, count(obs)))
        low, high = _range(est)
        if low is None or high is None:
            rows.append(_shown(t, RANGE, _range_words(est)))
        else:
            sens = est.get("sensitivity") or {}
            rows.append(
                {
                    "type": t,
                    "method": RANGE,
                    "kind": "range",
                    "lo": low,
                    "hi": high,
                    "label": _range_words(est),
                    "at": low,
                }
            )
            rows += [
                {"type": t, "method": RANGE, "kind": "tick", "value": v, "at": v}
                for v in sens.values()
                if v is not None
            ]
        for method, source in ((FROM_ALL, est), (FROM_NEW, new)):
            value = source.get("estimate")
            ci = source.get("ci95") or [None, None]
            lo = ci[0] if ci[0] is not None else value
            hi = ci[1] if ci[1] is not None else value
            rows.append(_point(t, method, value, lo, hi, number(value)))
        table_rows.append(
            [
                t,
                count(obs),
                f"{count(est.get('n'))} of {count(est.get('N'))}",
                _range_words(est),
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
            RANGE,
            "Estimate",
            "95% interval",
            "From new presentations",
            "95% interval",
        ],
        table_rows,
        [
            "The range runs from the observed number to the figure if the clients whose "
            "number is not recorded lived with twice as many children as those recorded; "
            "the 95% interval assumes they are like those recorded."
        ],
    )
    sec.figures.append(_make("estimates", title, charts.estimate_intervals(rows, METHODS), table))
    sec.tables.append(_sensitivity_table(report))
    sec.tables.append(_prevalence_table(report))
    return sec


def _shown(t: str, method: str, label: str) -> dict[str, Any]:
    """A row the chart cannot draw: its label alone (``*`` suppressed, ``–`` none)."""
    return {"type": t, "method": method, "kind": "shown", "label": label}


def _point(t: str, method: str, value: Any, lo: Any, hi: Any, label: str) -> dict[str, Any]:
    if value is None:
        return _shown(t, method, label)
    return {
        "type": t,
        "method": method,
        "kind": "point",
        "value": value,
        "lo": lo,
        "hi": hi,
        "label": label,
        "at": value,
    }


def _sensitivity_table(report: Mapping[str, Any]) -> Table:
    rows = []
    for kind in (*SPLITS, "all"):
        est = split(report, "estimates", kind)
        if not est:
            continue
        sens = est.get("sensitivity") or {}
        missing = unrecorded(est)
        cells = [count(sens.get("0")) if d == "0" else number(sens.get(d)) for d in FACTOR_WORDS]
        if est.get("n") == 0:  # nothing recorded: no ratio to scale
            cells = [cells[0]] + ["–"] * (len(cells) - 1)
        rows.append([TYPE_TITLE[kind], count(missing), *cells])
    return Table(
        "If the clients whose number is not recorded lived with this many children, on "
        "average, as those recorded",
        ["Treatment", "Clients with no number recorded", *FACTOR_WORDS.values()],
        rows,
        [
            "Each figure is the observed number plus the clients with no number recorded "
            "times the average recorded times the multiplier; with the multiplier 1 it is the "
            "estimate."
        ],
    )


@cache
def simulation() -> dict[str, Any]:
    """The coverage measured by the simulation test (``measures/tests/test_simulation.py``)."""
    return dict(json.loads(SIMULATION.read_text(encoding="utf-8")))


def _share(covered: int, draws: int) -> str:
    return pct(covered / draws)


def simulation_figures() -> dict[str, str]:
    """The simulation's figures as the report quotes them (percentages of draws)."""
    s = simulation()
    rnd, nr, ten = s["random"], s["not_random"], s["ten_points"]
    by = nr["by"]
    each = nr["draws_each"]
    worst = min(by, key=lambda m: (by[m]["range_covers"], -float(m)))
    return {
        "clients": f"{s['clients']:,}",
        "unrecorded": pct(s["unrecorded"]).replace(".0%", "%"),
        "random_draws": f"{rnd['draws']:,}",
        "random_interval": _share(rnd["interval_covers"], rnd["draws"]),
        "random_range": _share(rnd["range_covers"], rnd["draws"]),
        "multipliers": join_words([f"{float(m):g}" for m in nr["multipliers"]]),
        "not_random_draws": f"{each * len(by):,}",
        "draws_each": f"{each:,}",
        "not_random_range": _share(sum(v["range_covers"] for v in by.values()), each * len(by)),
        "not_random_interval": _share(
            sum(v["interval_covers"] for v in by.values()), each * len(by)
        ),
        "worst_range": _share(by[worst]["range_covers"], each),
        "worst_multiplier": f"{float(worst):g}",
        "half_interval": _share(by["0.5"]["interval_covers"], each),
        "ten_with": pct(ten["with_children_unrecorded"]).replace(".0%", "%"),
        "ten_others": pct(ten["others_unrecorded"]).replace(".0%", "%"),
        "ten_draws": f"{ten['draws']:,}",
        "ten_interval": _share(ten["interval_covers"], ten["draws"]),
        "ten_range": _share(ten["range_covers"], ten["draws"]),
    }


def simulation_summary() -> list[str]:
    """One sentence for the estimates section (the appendix gives the whole of it)."""
    f = simulation_figures()
    return [
        f"In a simulation (see Methods), the 95% interval held the true number in "
        f"{f['random_interval']} of areas when recording was random, but in "
        f"{f['ten_interval']} when clients living with children were ten points likelier to "
        f"go unrecorded; the range held it in {f['ten_range']} even then."
    ]


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
