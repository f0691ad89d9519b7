"""Reading the areas' progress from the database, for the pages, the roll-ups and exports."""

from __future__ import annotations

from hiddenharm.accounts.models import Organisation
from hiddenharm.partnership import catalogue, rollup
from hiddenharm.partnership.models import Change, MarkerEvidence, RecommendationStatus, Status


def partnership_areas() -> list[Organisation]:
    return list(Organisation.objects.filter(kind=Organisation.Kind.PARTNERSHIP).order_by("name"))


def as_areas(orgs) -> list[rollup.Area]:
    return [rollup.Area(o.pk, o.name, o.la_code) for o in orgs]


def status_map(orgs) -> dict[tuple[int, int], str]:
    rows = RecommendationStatus.objects.filter(area__in=orgs).values_list(
        "area_id", "number", "status"
    )
    return {(a, n): s for a, n, s in rows}


def rollups(orgs) -> dict:
    areas, statuses = as_areas(orgs), status_map(orgs)
    return {
        "by_sector": rollup.by_sector(areas, statuses),
        "by_area": rollup.by_area(areas, statuses),
        "by_country": rollup.by_country(areas, statuses),
    }


def area_recommendations(area: Organisation, sector: str | None = None) -> list[dict]:
    """Each recommendation with the area's row (an unsaved 'not started' one if none)."""
    rows = {
        r.number: r
        for r in RecommendationStatus.objects.filter(area=area).select_related("updated_by")
    }
    out = []
    for rec in catalogue.recommendations():
        if sector and sector not in rec["sectors"]:
            continue
        row = rows.get(rec["number"]) or RecommendationStatus(
            area=area, number=rec["number"], status=Status.NOT_STARTED
        )
        sectors = [catalogue.SECTORS[s] for s in rec["sectors"]]
        out.append({**rec, "row": row, "sector_labels": sectors})
    return out


def area_markers(area: Organisation) -> list[dict]:
    rows = {m.marker: m for m in MarkerEvidence.objects.filter(area=area)}
    return [
        {**m, "row": rows.get(m["id"]) or MarkerEvidence(area=area, marker=m["id"])}
        for m in catalogue.markers()
    ]


def history(area: Organisation | None, subject: str):
    return Change.objects.filter(area=area, subject=subject).select_related("by")


def status_counts(area: Organisation) -> dict:
    return rollup.by_area(as_areas([area]), status_map([area]))[0]
