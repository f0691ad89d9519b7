"""Roll-ups of the areas' progress on the 48 recommendations: by sector, by area, by country.

Plain functions over plain data (no database): `areas` is a list of `Area`, `statuses` maps
(area id, recommendation number) to a status code; a recommendation an area has not
recorded counts as not started. Each row counts recommendations-in-areas at each status,
with the share "in place" or "embedded".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from hiddenharm.partnership.catalogue import SECTORS, recommendations
from hiddenharm.partnership.models import Status

COUNTRIES = {"E": "England", "S": "Scotland", "W": "Wales", "N": "Northern Ireland"}
DONE = (Status.IN_PLACE, Status.EMBEDDED)


@dataclass(frozen=True)
class Area:
    id: int
    name: str
    la_code: str


def country_of(la_code: str) -> str | None:
    """The country of an ONS local authority code, from its first letter (E, S, W, N)."""
    return COUNTRIES.get(la_code[:1].upper()) if la_code else None


def _row(label: str, pairs: Iterable[str]) -> dict:
    counts = {s.value: 0 for s in Status}
    for status in pairs:
        counts[status] += 1
    total = sum(counts.values())
    done = counts[Status.IN_PLACE] + counts[Status.EMBEDDED]
    return {
        "label": label,
        "counts": counts,
        "cells": [counts[s.value] for s in Status],
        "total": total,
        "done": done,
        "done_share": done / total if total else None,
    }


def _status(statuses: Mapping[tuple[int, int], str], area: Area, number: int) -> str:
    return statuses.get((area.id, number), Status.NOT_STARTED.value)


def by_sector(areas: list[Area], statuses: Mapping[tuple[int, int], str]) -> list[dict]:
    rows = []
    for key, label in SECTORS.items():
        numbers = [r["number"] for r in recommendations() if key in r["sectors"]]
        pairs = (_status(statuses, a, n) for a in areas for n in numbers)
        rows.append({**_row(label, pairs), "sector": key, "recommendations": len(numbers)})
    return rows


def by_area(areas: list[Area], statuses: Mapping[tuple[int, int], str]) -> list[dict]:
    numbers = [r["number"] for r in recommendations()]
    return [
        {
            **_row(a.name, (_status(statuses, a, n) for n in numbers)),
            "area": a,
            "country": country_of(a.la_code),
        }
        for a in sorted(areas, key=lambda a: a.name)
    ]


def by_country(areas: list[Area], statuses: Mapping[tuple[int, int], str]) -> list[dict]:
    numbers = [r["number"] for r in recommendations()]
    rows = []
    for name in COUNTRIES.values():
        mine = [a for a in areas if country_of(a.la_code) == name]
        pairs = (_status(statuses, a, n) for a in mine for n in numbers)
        rows.append({**_row(name, pairs), "areas": len(mine)})
    return rows


def by_recommendation(areas: list[Area], statuses: Mapping[tuple[int, int], str]) -> list[dict]:
    return [
        {
            **_row(
                f"Recommendation {r['number']}", (_status(statuses, a, r["number"]) for a in areas)
            )
        }
        for r in recommendations()
    ]
