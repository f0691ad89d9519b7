"""The 48 recommendations and the markers of progress, read from the committed data files
(made from the seed report by `seed.py`)."""

from __future__ import annotations

import functools
import json

from hiddenharm.partnership.seed import CHAPTERS, MARKERS_JSON, RECOMMENDATIONS_JSON, SECTORS

__all__ = ["CHAPTERS", "SECTORS", "recommendations", "recommendation", "markers", "marker"]


@functools.cache
def recommendations() -> tuple[dict, ...]:
    return tuple(json.loads(RECOMMENDATIONS_JSON.read_text(encoding="utf-8")))


def recommendation(number: int) -> dict | None:
    return recommendations()[number - 1] if 1 <= number <= len(recommendations()) else None


@functools.cache
def markers() -> tuple[dict, ...]:
    return tuple(json.loads(MARKERS_JSON.read_text(encoding="utf-8")))


def marker(marker_id: str) -> dict | None:
    return next((m for m in markers() if m["id"] == marker_id), None)


def by_chapter(items) -> list[tuple[str, str, list]]:
    """[(chapter, title, items of it)] in the report's order."""
    return [(c, t, [i for i in items if i["chapter"] == c]) for c, t in CHAPTERS.items()]
