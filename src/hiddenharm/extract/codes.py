"""The HHX-1 extract declared as data: files, columns, code lists and their meanings.

Read by the validator, the writer, the synthetic generator, the web forms and the
generated docs alike, so that one table says what a valid value is.
See ``shared/spec/extract.md`` (the contract).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# --- code lists: code -> meaning (order is the spec's order) -------------------------

SEX = {"M": "Male", "F": "Female", "X": "Indeterminate or other", "Z": "Not stated"}

OPIATES = ("HEROIN", "METHADONE", "BUPRENORPHINE", "OTHOPIATE")
SUBSTANCE = {
    "HEROIN": "Heroin",
    "METHADONE": "Methadone",
    "BUPRENORPHINE": "Buprenorphine",
    "OTHOPIATE": "Other opiate",
    "CRACK": "Crack cocaine",
    "COCAINE": "Cocaine",
    "AMPHET": "Amphetamines",
    "CANNABIS": "Cannabis",
    "BENZO": "Benzodiazepines",
    "KETAMINE": "Ketamine",
    "NPS": "New psychoactive substances",
    "SOLVENT": "Solvents",
    "OTHER": "Other drug",
    "ALCOHOL": "Alcohol",
}

SETTING = {
    "COMM": "Community",
    "PRISON": "Prison or secure estate",
    "INPAT": "Inpatient",
    "RESID": "Residential rehabilitation",
}
SETTING_DEFAULT = "COMM"

DISRSN = {
    "TC": "Treatment completed",
    "TR": "Transferred",
    "DO": "Dropped out or left",
    "PR": "Taken into custody",
    "DI": "Died",
    "DE": "Declined treatment",
    "OT": "Other",
}

PRNTSTAT = {
    "11": "All the children live with the client",
    "12": "Some of the children live with the client",
    "13": "None of the children live with the client",
    "14": "Not a parent",
    "15": "Client declined to answer",
}
PRNTSTAT_LIVING_WITH = ("11", "12")
PRNTSTAT_PARENT = ("11", "12", "13")
# HW102: own children not in the household, or not a parent, yet CHILDWTH above 0.
PRNTSTAT_APART = ("13", "14")

PREGNANT = {"Y": "Yes", "N": "No"}

EARLYHLP = {
    "EH": "Early help",
    "CIN": "Child in need plan",
    "CPP": "Child protection plan",
    "LAC": "Looked after",
    "NONE": "None",
    "UNK": "Not known",
}
EARLYHLP_EXCLUSIVE = ("NONE", "UNK")

WHEREABT = {
    "CLIENT": "With the client",
    "OPARENT": "With the other parent",
    "FAMILY": "With relatives or kinship carers",
    "FOSTER": "Foster care",
    "RESID": "Residential care",
    "ADOPTED": "Adopted",
    "INDEP": "Independently",
    "OTHER": "Other",
    "UNK": "Not known",
}

CSCSTAT = {
    "NONE": "None",
    "EH": "Early help",
    "CIN": "Child in need",
    "CPP": "Child protection plan",
    "LAC": "Looked after",
    "UNK": "Not known",
}

CHILDWTH_MAX = 30

HH_ITEMS = ("PRNTSTAT", "CHILDWTH", "PREGNANT", "EARLYHLP")

SUBSTANCE_GROUPS = ("OPIATE", "NON_OPIATE", "ALCOHOL_NON_OPIATE", "ALCOHOL_ONLY")


def substance_group(drugs: list[str | None]) -> str:
    """The national statistics' substance group over DRUG1-3 (reference implementation)."""
    given = [d for d in drugs if d]
    if any(d in OPIATES for d in given):
        return "OPIATE"
    if given and all(d == "ALCOHOL" for d in given):
        return "ALCOHOL_ONLY"
    if "ALCOHOL" in given:
        return "ALCOHOL_NON_OPIATE"
    return "NON_OPIATE"


def treatment_type(group: str) -> str:
    return "alcohol" if group == "ALCOHOL_ONLY" else "drug"


# --- column rules ---------------------------------------------------------------------

# kinds: "agency" (1-12 A-Z0-9, upper-cased), "la" (1-9 A-Z0-9, upper-cased),
# "ref" (1-20 printable, case-sensitive), "initial" (A-Z, upper-cased), "date",
# "code" (in `codes`, upper-cased), "count" (whole number 0-30), "multicode"
# (`;`-joined codes), "year" (4 digits)


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool = False
    meaning: str = ""
    codes: dict[str, str] | None = None


@dataclass(frozen=True)
class FileSpec:
    name: str  # e.g. "episodes"
    required: bool
    columns: tuple[Column, ...] = field(default_factory=tuple)
    key: tuple[str, ...] = ()

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


_HH_COLUMNS = (
    Column("PRNTSTAT", "code", False, "Parental status", PRNTSTAT),
    Column(
        "CHILDWTH", "count", False, "Number of children under 18 living in the client's household"
    ),
    Column("PREGNANT", "code", False, "Is the client pregnant (asked of female clients)", PREGNANT),
    Column("EARLYHLP", "multicode", False, "Help the children receive", EARLYHLP),
)

EPISODES = FileSpec(
    "episodes",
    True,
    (
        Column("AGNCY", "agency", True, "Treatment provider (agency) code"),
        Column("LA", "la", True, "Local authority of the client's residence"),
        Column("CLIENTID", "ref", True, "The agency's client reference"),
        Column("EPISODID", "ref", True, "Episode reference, unique within the agency"),
        Column("FINITIAL", "initial", True, "First letter of first name"),
        Column("SINITIAL", "initial", True, "First letter of surname"),
        Column("DOB", "date", True, "Date of birth"),
        Column("SEX", "code", True, "Sex", SEX),
        Column("DRUG1", "code", True, "Main problem substance", SUBSTANCE),
        Column("DRUG2", "code", False, "Second problem substance", SUBSTANCE),
        Column("DRUG3", "code", False, "Third problem substance", SUBSTANCE),
        Column(
            "SETTING", "code", False, "Where treatment is delivered (blank means COMM)", SETTING
        ),
        Column("REFLD", "date", True, "Date referred"),
        Column("TRIAGED", "date", False, "Date of triage assessment"),
        Column("CPLANDT", "date", False, "Date the care plan (treatment) started"),
        Column("DISD", "date", False, "Date discharged"),
        Column("DISRSN", "code", False, "Discharge reason (with DISD)", DISRSN),
        Column(
            "HHDATE", "date", False, "Date the Hidden Harm items were recorded (blank: CPLANDT)"
        ),
        *_HH_COLUMNS,
    ),
    key=("AGNCY", "EPISODID"),
)

REVIEWS = FileSpec(
    "reviews",
    False,
    (
        Column("AGNCY", "agency", True, "Treatment provider (agency) code"),
        Column("EPISODID", "ref", True, "The episode reviewed"),
        Column("REVDATE", "date", True, "Date of the care-plan review"),
        *_HH_COLUMNS,
    ),
    key=("AGNCY", "EPISODID", "REVDATE"),
)

CHILDREN = FileSpec(
    "children",
    False,
    (
        Column("AGNCY", "agency", True, "Treatment provider (agency) code"),
        Column("CLIENTID", "ref", True, "The parent"),
        Column("CHILDREF", "ref", True, "The child, unique within the client"),
        Column("CHILDYOB", "year", False, "Year of birth"),
        Column("CHSEX", "code", False, "Sex", SEX),
        Column("WHEREABT", "code", False, "Where the child lives", WHEREABT),
        Column("CSCSTAT", "code", False, "Children's social care status", CSCSTAT),
        Column("RECDATE", "date", True, "Date this row was recorded"),
    ),
    key=("AGNCY", "CLIENTID", "CHILDREF", "RECDATE"),
)

FILES: dict[str, FileSpec] = {f.name: f for f in (EPISODES, REVIEWS, CHILDREN)}

# --- validation codes ------------------------------------------------------------------

SEVERITY = {
    "HH001": "fatal",
    "HH002": "error",
    "HH003": "error",
    "HH004": "error",
    "HH005": "error",
    "HH006": "error",
    "HH007": "error",
    "HH008": "error",
    "HH009": "error",
    "HH010": "error",
    "HH011": "error",
    "HH012": "error",
    "HH013": "error",
    "HH014": "error",
    "HW101": "warning",
    "HW102": "warning",
    "HW103": "warning",
    "HW104": "warning",
    "HW105": "warning",
}

PROBLEM_TITLES = {
    "HH001": "Required column missing, or file unreadable",
    "HH002": "Required value blank",
    "HH003": "Value not in its code list or breaks its format",
    "HH004": "Not a date",
    "HH005": "Dates out of order",
    "HH006": "Date after the extract date",
    "HH007": "Client under 18 when referred",
    "HH008": "Duplicate row",
    "HH009": "Pregnant recorded for a male client",
    "HH010": "CHILDWTH not a whole number from 0 to 30",
    "HH011": "Children live with the client but CHILDWTH is 0",
    "HH012": "Episode or client not in episodes.csv",
    "HH013": "DISD and DISRSN must be given together",
    "HH014": "Date of birth before 1900",
    "HW101": "Unknown column ignored",
    "HW102": "Not living with own children, yet children in the household",
    "HW103": "Hidden Harm items recorded more than 28 days after treatment start",
    "HW104": "Overlapping episodes for one client at one agency",
    "HW105": "NONE or UNK given with another early-help code",
}
