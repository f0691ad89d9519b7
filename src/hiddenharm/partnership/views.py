"""The partnership's pages: its area's progress on the 48 recommendations, the markers of
progress, the roll-ups over every area, and the exports for the partnership board."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from hiddenharm.accounts import access
from hiddenharm.partnership import catalogue, exports, progress, services
from hiddenharm.partnership.forms import MarkerForm, RecommendationForm
from hiddenharm.partnership.models import Status

READ = access.PARTNERSHIP_ROLES


def _sector(request) -> str | None:
    sector = request.GET.get("sector") or None
    if sector is not None and sector not in catalogue.SECTORS:
        raise Http404("No such sector")
    return sector


@access.role_required(*READ)
def recommendations(request):
    area = access.partnership_area(request.user)
    sector = _sector(request)
    recs = progress.area_recommendations(area, sector)
    return render(
        request,
        "partnership/recommendations.html",
        {
            "title": "The 48 recommendations",
            "area": area,
            "chapters": [c for c in catalogue.by_chapter(recs) if c[2]],
            "sector": sector,
            "sectors": catalogue.SECTORS,
            "counts": progress.status_counts(area),
            "statuses": Status,
            "can_change": access.can_change_partnership(request.user),
        },
    )


def _rec_form_initial(row) -> dict:
    return {
        "status": row.status,
        "evidence": row.evidence,
        "owner": row.owner,
        "review_date": row.review_date,
        "version": row.version,
    }


@access.role_required(*READ)
def recommendation(request, number: int):
    area = access.partnership_area(request.user)
    rec = catalogue.recommendation(number)
    if rec is None:
        raise Http404("There are 48 recommendations")
    can_change = access.can_change_partnership(request.user)
    if request.method == "POST" and not can_change:
        raise PermissionDenied
    row = next(r for r in progress.area_recommendations(area) if r["number"] == number)["row"]
    form = RecommendationForm(initial=_rec_form_initial(row)) if can_change else None
    if request.method == "POST":
        form = RecommendationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.set_recommendation(
                    request.user,
                    area,
                    number,
                    version=data["version"],
                    status=data["status"],
                    evidence=data["evidence"],
                    owner=data["owner"],
                    review_date=data["review_date"],
                )
            except services.StaleEdit as stale:
                row = progress.area_recommendations(area)[number - 1]["row"]
                form = RecommendationForm(initial=_rec_form_initial(row))
                form.stale = str(stale)
            else:
                messages.success(request, f"Recommendation {number} saved")
                return redirect("partnership:recommendations")
    return render(
        request,
        "partnership/recommendation.html",
        {
            "title": f"Recommendation {number}",
            "area": area,
            "rec": rec,
            "chapter": catalogue.CHAPTERS[rec["chapter"]],
            "sector_labels": [catalogue.SECTORS[s] for s in rec["sectors"]],
            "row": row,
            "form": form,
            "history": progress.history(area, f"recommendation:{number}"),
            "back_url": reverse("partnership:recommendations"),
        },
    )


@access.role_required(*READ)
def markers(request):
    area = access.partnership_area(request.user)
    can_change = access.can_change_partnership(request.user)
    stale = stale_marker = None
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        form = MarkerForm(request.POST)
        if form.is_valid() and catalogue.marker(form.cleaned_data["marker"]):
            data = form.cleaned_data
            try:
                services.set_marker(
                    request.user,
                    area,
                    data["marker"],
                    version=data["version"],
                    achieved=data["achieved"],
                    description=data["description"],
                )
            except services.StaleEdit as e:
                stale, stale_marker = str(e), data["marker"]
            else:
                messages.success(request, f"Marker {data['marker']} saved")
                return redirect(reverse("partnership:markers") + f"#marker-{data['marker']}")
        elif stale is None:
            stale = "That marker could not be saved: try again."
    items = progress.area_markers(area)
    for m in items:
        m["history"] = progress.history(area, f"marker:{m['id']}")[:3]
        m["open"] = m["id"] == stale_marker  # the one refused: open, with its current values
        if can_change:
            row = m["row"]
            m["form"] = MarkerForm(
                initial={
                    "marker": m["id"],
                    "version": row.version,
                    "achieved": row.achieved,
                    "description": row.description,
                },
                auto_id=f"m{m['id'].replace('.', '-')}-%s",
            )
    return render(
        request,
        "partnership/markers.html",
        {
            "title": "Markers of progress",
            "area": area,
            "chapters": [c for c in catalogue.by_chapter(items) if c[2]],
            "achieved": sum(1 for m in items if m["row"].achieved),
            "total": len(items),
            "stale": stale,
            "can_change": can_change,
        },
    )


@access.role_required(*READ)
def rollups(request):
    area = access.partnership_area(request.user)
    return render(
        request,
        "partnership/rollups.html",
        {
            "title": "Progress across areas",
            "area": area,
            "rollups": progress.rollups(progress.partnership_areas()),
            "statuses": Status,
        },
    )


@access.role_required(*READ)
def export(request, fmt: str):
    area = access.partnership_area(request.user)
    if fmt not in ("csv", "pdf"):
        raise Http404
    services.record_export(request.user, area, fmt)
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        body, kind = exports.csv_text(area).encode("utf-8-sig"), "text/csv; charset=utf-8"
    else:
        body, kind = exports.pdf_bytes(area), "application/pdf"
    response = HttpResponse(body, content_type=kind)
    disposition = "attachment" if fmt == "csv" else "inline"
    response["Content-Disposition"] = (
        f'{disposition}; filename="hidden-harm-recommendations-{area.la_code or area.pk}-{stamp}.{fmt}"'
    )
    return response
