"""One table of cases for each record rule, read by the forms' rules and the validator alike.

Each case is a row of episodes.csv (a valid baseline with a few cells changed), or a review
of such an episode, and the rule it is about: the form field that `cases/rules.py` puts an
error on, and the validator's code and column. `test_rule_parity.py` runs every case through
both and fails when one fires and the other does not.

`form_stricter` names the few places where the forms refuse, on purpose, what the
validator accepts (a record saved through a form must be a row the validator accepts, not
the other way round); the test holds them to it, so a change on either side shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

AS_OF = dt.date(2026, 11, 21)
TOMORROW = (AS_OF + dt.timedelta(days=1)).isoformat()

# A valid episode row: every rule passes on it.
EPISODE = {
    "AGNCY": "AG1",
    "LA": "E10000020",
    "FINITIAL": "A",
    "SINITIAL": "B",
    "DOB": "1980-05-01",
    "SEX": "F",
    "DRUG1": "HEROIN",
    "REFLD": "2024-01-10",
    "TRIAGED": "2024-01-12",
    "CPLANDT": "2024-01-20",
    "DISD": "",
    "DISRSN": "",
    "HHDATE": "2024-01-20",
    "PRNTSTAT": "11",
    "CHILDWTH": "1",
    "PREGNANT": "N",
    "EARLYHLP": "NONE",
}
# A valid review of that episode.
REVIEW = {
    "AGNCY": "AG1",
    "REVDATE": "2024-04-20",
    "PRNTSTAT": "11",
    "CHILDWTH": "1",
    "PREGNANT": "N",
    "EARLYHLP": "NONE",
}


@dataclass(frozen=True)
class Case:
    name: str
    form_field: str  # where cases/rules.py puts its error
    code: str  # the validator's code for the same rule
    column: str  # ... and the column it reports on
    episode: dict[str, str] = field(default_factory=dict)  # cells changed from EPISODE
    review: dict[str, str] | None = None  # a review row (cells changed from REVIEW)
    form_stricter: str = ""  # why the form refuses what the validator accepts


def _pairs(name, field_, code, column, fires, passes, key):
    """A failing and a passing case of one rule, on the episode or a review."""
    return [
        Case(f"{name}: fires", field_, code, column, **{key: fires}),
        Case(f"{name}: passes", field_, code, column, **{key: passes}),
    ]


CASES: list[Case] = [
    Case("the baseline row", "referred", "HH005", "DOB"),
    # HH005: dates in order within the episode (equal dates are in order).
    *_pairs(
        "DOB after REFLD",
        "referred",
        "HH005",
        "DOB",
        {"DOB": "2024-01-11"},
        {"DOB": "1980-05-01", "REFLD": "2024-01-10"},
        "episode",
    ),
    *_pairs(
        "TRIAGED before REFLD",
        "triaged",
        "HH005",
        "TRIAGED",
        {"TRIAGED": "2024-01-09"},
        {"TRIAGED": "2024-01-10"},
        "episode",
    ),
    *_pairs(
        "CPLANDT before REFLD",
        "care_plan_start",
        "HH005",
        "CPLANDT",
        {"CPLANDT": "2024-01-09", "HHDATE": ""},
        {"CPLANDT": "2024-01-10", "HHDATE": ""},
        "episode",
    ),
    *_pairs(
        "DISD before CPLANDT",
        "discharged",
        "HH005",
        "DISD",
        {"DISD": "2024-01-19", "DISRSN": "TC"},
        {"DISD": "2024-01-20", "DISRSN": "TC"},
        "episode",
    ),
    *_pairs(
        "DISD before REFLD, CPLANDT blank",
        "discharged",
        "HH005",
        "DISD",
        {"CPLANDT": "", "HHDATE": "", "DISD": "2024-01-09", "DISRSN": "TC"},
        {"CPLANDT": "", "HHDATE": "", "DISD": "2024-01-10", "DISRSN": "TC"},
        "episode",
    ),
    # HH006: no date after the extract date.
    *[
        case
        for column, field_, extra in (
            ("REFLD", "referred", {"TRIAGED": "", "CPLANDT": "", "HHDATE": ""}),
            ("TRIAGED", "triaged", {}),
            ("CPLANDT", "care_plan_start", {"HHDATE": ""}),
            ("DISD", "discharged", {"DISRSN": "TC"}),
            ("HHDATE", "hh_date", {}),
            ("DOB", "dob", {}),
        )
        for case in _pairs(
            f"{column} after the extract date",
            field_,
            "HH006",
            column,
            {**extra, column: TOMORROW},
            {**extra, column: AS_OF.isoformat()} if column != "DOB" else {},
            "episode",
        )
    ],
    # HH007: 18 or over at referral; the 18th birthday counts; 29 February turns 18 on 1 March.
    *_pairs(
        "under 18 at referral",
        "referred",
        "HH007",
        "DOB",
        {"DOB": "2006-01-11"},
        {"DOB": "2006-01-10"},
        "episode",
    ),
    *_pairs(
        "born 29 February, referred on 28 February at 18",
        "referred",
        "HH007",
        "DOB",
        {"DOB": "2004-02-29", "REFLD": "2022-02-28", "TRIAGED": "", "CPLANDT": "", "HHDATE": ""},
        {"DOB": "2004-02-29", "REFLD": "2022-03-01", "TRIAGED": "", "CPLANDT": "", "HHDATE": ""},
        "episode",
    ),
    Case(
        "under 18 on the extract date (referred that day)",
        "dob",
        "HH007",
        "DOB",
        episode={
            "DOB": "2010-01-01",
            "REFLD": AS_OF.isoformat(),
            "TRIAGED": "",
            "CPLANDT": "",
            "HHDATE": "",
        },
    ),
    # HH014: born on or after 1 January 1900.
    *_pairs(
        "DOB before 1900",
        "dob",
        "HH014",
        "DOB",
        {"DOB": "1899-12-31"},
        {"DOB": "1900-01-01"},
        "episode",
    ),
    # HH009: pregnancy is not recorded for a male client, on the episode and on a review.
    *_pairs(
        "pregnant male",
        "pregnant",
        "HH009",
        "PREGNANT",
        {"SEX": "M", "PREGNANT": "Y"},
        {"SEX": "F", "PREGNANT": "Y"},
        "episode",
    ),
    Case(
        "pregnant male, not pregnant",
        "pregnant",
        "HH009",
        "PREGNANT",
        episode={"SEX": "M", "PREGNANT": "N"},
        form_stricter="the form does not ask a male client; the validator refuses only Y",
    ),
    Case(
        "pregnant male at review",
        "pregnant",
        "HH009",
        "PREGNANT",
        episode={"SEX": "M", "PREGNANT": ""},
        review={"PREGNANT": "Y"},
    ),
    Case("pregnant female at review", "pregnant", "HH009", "PREGNANT", review={"PREGNANT": "Y"}),
    # HH010: CHILDWTH a whole number from 0 to 30.
    *[
        Case(
            f"CHILDWTH {v}",
            "childwth",
            "HH010",
            "CHILDWTH",
            episode={"PRNTSTAT": "14", "CHILDWTH": v},
        )
        for v in ("-1", "0", "30", "31", "100")
    ],
    Case(
        "CHILDWTH 31 at review",
        "childwth",
        "HH010",
        "CHILDWTH",
        review={"PRNTSTAT": "14", "CHILDWTH": "31"},
    ),
    # HH011: children living with the client, yet CHILDWTH 0.
    *[
        Case(
            f"PRNTSTAT {p}, CHILDWTH {n}",
            "childwth",
            "HH011",
            "CHILDWTH",
            episode={"PRNTSTAT": p, "CHILDWTH": n},
        )
        for p in ("11", "12", "13", "14")
        for n in ("0", "2")
    ],
    Case(
        "PRNTSTAT 12, CHILDWTH 0 at review",
        "childwth",
        "HH011",
        "CHILDWTH",
        review={"PRNTSTAT": "12", "CHILDWTH": "0"},
    ),
    Case(
        "PRNTSTAT 11, CHILDWTH blank",
        "childwth",
        "HH011",
        "CHILDWTH",
        episode={"PRNTSTAT": "11", "CHILDWTH": ""},
        form_stricter="the form asks the number when children live with the client; HHX-1 lets it be blank",
    ),
    # HH003: the items' code lists.
    *_pairs(
        "PRNTSTAT not a code",
        "prntstat",
        "HH003",
        "PRNTSTAT",
        {"PRNTSTAT": "19"},
        {"PRNTSTAT": "13", "CHILDWTH": "0"},
        "episode",
    ),
    *_pairs(
        "PREGNANT not a code",
        "pregnant",
        "HH003",
        "PREGNANT",
        {"PREGNANT": "X"},
        {"PREGNANT": "Y"},
        "episode",
    ),
    *_pairs(
        "EARLYHLP not a code",
        "earlyhlp",
        "HH003",
        "EARLYHLP",
        {"EARLYHLP": "EH;NOPE"},
        {"EARLYHLP": "EH;CIN"},
        "episode",
    ),
    # HW105: NONE or UNK with another answer (a warning to the validator, an error to a form).
    *[
        Case(f"EARLYHLP {v}", "earlyhlp", "HW105", "EARLYHLP", episode={"EARLYHLP": v})
        for v in ("NONE;EH", "UNK;CPP", "NONE;UNK", "NONE", "UNK", "EH;CIN;CPP")
    ],
    # HH005 and HH006 on a review's date.
    *_pairs(
        "REVDATE before CPLANDT",
        "revdate",
        "HH005",
        "REVDATE",
        {"REVDATE": "2024-01-19"},
        {"REVDATE": "2024-01-20"},
        "review",
    ),
    Case(
        "REVDATE after DISD",
        "revdate",
        "HH005",
        "REVDATE",
        episode={"DISD": "2024-03-01", "DISRSN": "TC"},
        review={"REVDATE": "2024-03-02"},
    ),
    Case(
        "REVDATE on DISD",
        "revdate",
        "HH005",
        "REVDATE",
        episode={"DISD": "2024-03-01", "DISRSN": "TC"},
        review={"REVDATE": "2024-03-01"},
    ),
    *_pairs(
        "REVDATE after the extract date",
        "revdate",
        "HH006",
        "REVDATE",
        {"REVDATE": TOMORROW},
        {"REVDATE": AS_OF.isoformat()},
        "review",
    ),
    Case(
        "a review before the care plan has started",
        "revdate",
        "HH005",
        "REVDATE",
        episode={"CPLANDT": "", "HHDATE": ""},
        review={},
        form_stricter="a form records a review only once the care plan has a start date",
    ),
    # The forms' own check, stricter than HH005 (which compares HHDATE with nothing).
    Case(
        "HHDATE before REFLD",
        "hh_date",
        "HH005",
        "HHDATE",
        episode={"HHDATE": "2024-01-09"},
        form_stricter="items 'asked' before the referral are a typing slip (cases/rules.py)",
    ),
]
