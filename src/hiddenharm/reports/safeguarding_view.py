"""The report's safeguarding section: referrals to children's social care.

Shown only when the report carries `safeguarding` (the activity figures of
spec/safeguarding.md), which the web application adds from its case records: an extract
has no referrals, so the command-line report has no such section.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hiddenharm.reports import charts
from hiddenharm.reports.charts import Section, Table
from hiddenharm.reports.charts import figure as _make
from hiddenharm.reports.text import count, pct
from hiddenharm.safeguarding import codes

# The code lists are the safeguarding spec's, declared once (a plain module: no Django).
CONCERNS = codes.CONCERNS
OUTCOMES = codes.OUTCOMES_SHORT


def _in_time(part: Mapping[str, Any]) -> str:
    return f"{pct(part['rate'], part['due'])} ({count(part['met'])} of {count(part['due'])})"


def safeguarding_section(report: Mapping[str, Any]) -> Section | None:
    f = report.get("safeguarding")
    if not f:
        return None
    ack, dec = f["acknowledged_in_time"], f["decided_in_time"]
    med = f["median_working_days"]
    sec = Section(
        "safeguarding",
        "Referrals to children's social care",
        [
            f"The treatment services sent {count(f['sent'])} referrals to children's social care "
            f"in the period, naming {count(f['children'])} children (an unborn child counts as "
            "one).",
            f"Under the joint protocols, {_in_time(ack)} were acknowledged in time and "
            f"{_in_time(dec)} decided in time; the median time to a decision was "
            f"{med['to_decision'] if med['to_decision'] is not None else 'not known'} working "
            f"days. At the end of the period {count(f['overdue_at_to'])} were overdue.",
            "Counted from the services' case records, not from the extract: a referral's date "
            "is the day it was sent (Europe/London), its time limits those of the receiving "
            "team's protocol in working days.",
        ],
    )
    for key, title, labels in (
        ("by_concern", "Referrals by concern", CONCERNS),
        ("by_outcome", "Referrals by decision on next steps", OUTCOMES),
    ):
        cells = f[key]
        rows = [
            {"category": labels.get(k, k), "value": v, "label": count(v)} for k, v in cells.items()
        ]
        table = Table(title, ["", "Referrals"], [[r["category"], r["label"]] for r in rows])
        chart = charts.count_bars(rows, x_title="Referrals")
        sec.figures.append(_make(f"safeguarding-{key}", title, chart, table))
    sec.tables.append(
        Table(
            "Referrals by treatment service",
            ["Agency", "Sent", "Children", "Acknowledged in time", "Decided in time", "Overdue"],
            [
                [
                    agency,
                    count(b["sent"]),
                    count(b["children"]),
                    _in_time(b["acknowledged_in_time"]),
                    _in_time(b["decided_in_time"]),
                    count(b["overdue_at_to"]),
                ]
                for agency, b in sorted(f["by_agency"].items())
            ],
        )
    )
    return sec
