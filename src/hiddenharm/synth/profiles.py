"""The synthetic agencies and areas: who they are and how well each one records.

The agencies are fictional, but they differ the way real providers do: some ask
the Hidden Harm questions of nearly every client at the start of treatment and
keep them up to date at care-plan reviews; others ask six in ten and rarely
update. The monitoring reports exist to find that difference, so the generator
must plant it. The web demo reads `AGENCIES` and `AREAS` to name what it shows.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# ONS codes of the East of England's upper-tier authorities (the MUSE region of the
# seed reports), so a regional demo has real-looking areas to compare.
AREAS: dict[str, str] = {
    "E10000020": "Norfolk",
    "E10000029": "Suffolk",
    "E06000031": "Peterborough",
    "E10000003": "Cambridgeshire",
    "E10000012": "Essex",
    "E10000015": "Hertfordshire",
    "E06000032": "Luton",
    "E06000033": "Southend-on-Sea",
    "E06000034": "Thurrock",
    "E06000055": "Bedford",
    "E06000056": "Central Bedfordshire",
}

_LA_RE = re.compile(r"^[A-Z0-9]{1,9}$")


@dataclass(frozen=True)
class AgencyProfile:
    """One provider and its recording habits (each a probability unless said otherwise).

    start_complete: share of episodes with each Hidden Harm item recorded at the start.
    currency: target share of long episodes updated at a review in the last six months.
    review_rate: share of the three-monthly care-plan reviews that take place.
    late_share: share of episodes whose items were recorded more than 28 days late.
    children_recorded: share of parent clients with rows in children.csv.
    setting_blank: share of episodes with SETTING left blank (read as COMM).
    weight: relative caseload.
    """

    code: str
    name: str
    start_complete: float
    currency: float
    review_rate: float = 0.85
    late_share: float = 0.02
    children_recorded: float = 0.85
    setting_blank: float = 0.0
    weight: float = 1.0

    @property
    def review_recorded(self) -> float:
        """Share of reviews at which the items are asked, to reach `currency`.

        An episode in treatment has about two scheduled reviews in a six-month
        window, so currency ~ 1 - (1 - review_rate * recorded) ** 2.
        """
        per_review = 1.0 - (1.0 - self.currency) ** 0.5
        return min(1.0, per_review / self.review_rate)


# The order matters: the first agencies span the range, so that even a three-agency
# submission has a good, a middling and a poor recorder.
AGENCIES: tuple[AgencyProfile, ...] = (
    AgencyProfile(
        "N4R7K2", "Northgate Recovery Partnership", 0.97, 0.88, 0.92, 0.01, 0.95, 0.0, 1.6
    ),
    AgencyProfile(
        "N2B5M8", "Riverside Drug and Alcohol Service", 0.83, 0.60, 0.85, 0.03, 0.80, 0.2, 1.2
    ),
    AgencyProfile("N7H3C1", "Harbour Lane Alcohol Team", 0.62, 0.32, 0.70, 0.06, 0.55, 0.6, 0.8),
    AgencyProfile(
        "N5W9D4", "Westfield Community Treatment", 0.90, 0.75, 0.88, 0.02, 0.90, 0.1, 1.0
    ),
    AgencyProfile(
        "N8F1P6", "Fenway Family Recovery Service", 0.94, 0.82, 0.90, 0.02, 0.92, 0.0, 0.7
    ),
    AgencyProfile(
        "N3S6T9", "Southmere Substance Misuse Service", 0.72, 0.45, 0.78, 0.05, 0.65, 0.4, 0.9
    ),
    AgencyProfile(
        "N6G2L5", "Greyfriars Criminal Justice Team", 0.68, 0.38, 0.75, 0.04, 0.60, 0.0, 0.6
    ),
    AgencyProfile(
        "N1E8V3", "Eastbrook Young Adults Service", 0.88, 0.70, 0.86, 0.02, 0.85, 0.3, 0.5
    ),
    AgencyProfile(
        "N9C4A7", "Castle Hill Residential Rehabilitation", 0.96, 0.86, 0.93, 0.01, 0.93, 0.0, 0.3
    ),
    AgencyProfile(
        "N2K7Q1", "Kingsway Alcohol and Drug Service", 0.79, 0.55, 0.82, 0.03, 0.75, 0.2, 1.0
    ),
)


def agency_profiles(n: int) -> tuple[AgencyProfile, ...]:
    """The first `n` agencies; past the named ones, numbered agencies with varied habits."""
    if n < 1:
        raise ValueError("agencies must be at least 1")
    if n <= len(AGENCIES):
        return AGENCIES[:n]
    extra = []
    for i in range(len(AGENCIES), n):
        # a deterministic spread over the same range as the named agencies
        f = ((i * 37) % 100) / 100.0
        code = f"N{i % 10}X{(i // 10) % 10}Z{(i // 100) % 10}"
        if i >= 1000:
            code = f"NX{i:06d}"
        extra.append(
            AgencyProfile(
                code,
                f"Treatment Service {i + 1}",
                start_complete=0.60 + 0.38 * f,
                currency=0.30 + 0.60 * f,
                review_rate=0.70 + 0.23 * f,
                late_share=0.06 - 0.05 * f,
                children_recorded=0.55 + 0.40 * f,
                setting_blank=0.5 * (1 - f),
                weight=0.5 + f,
            )
        )
    return AGENCIES + tuple(extra)


def parse_areas(area: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """ONS codes from "E10000020" or "E10000020,E10000029" (upper-cased, no duplicates)."""
    parts = area.split(",") if isinstance(area, str) else list(area)
    codes: list[str] = []
    for part in parts:
        code = part.strip().upper()
        if not code:
            continue
        if not _LA_RE.match(code):
            raise ValueError(f"area {part!r} is not a local authority code (1-9 of A-Z 0-9)")
        if code not in codes:
            codes.append(code)
    if not codes:
        raise ValueError("give at least one area code, such as E10000020")
    return tuple(codes)


def area_name(code: str) -> str:
    return AREAS.get(code, code)


@functools.cache
def _names() -> dict[str, str]:
    return {p.code: p.name for p in agency_profiles(1000)}


def agency_name(code: str) -> str:
    """The name of a synthetic agency (the first 1,000, numbered ones included), or the code."""
    return _names().get(code, code)
