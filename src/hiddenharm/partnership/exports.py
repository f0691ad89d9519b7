"""The partnership board's exports of an area's progress: CSV (one row per recommendation)
and PDF (WeasyPrint, as the area report), both from `progress`."""

from __future__ import annotations

import csv
import io

from django.template.loader import render_to_string
from django.utils import timezone

from hiddenharm.partnership import catalogue, progress

CSV_COLUMNS = (
    "number",
    "chapter",
    "sectors",
    "recommendation",
    "status",
    "evidence",
    "owner",
    "review_date",
    "changed_at",
    "changed_by",
)


def _safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (people type the evidence)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def rows(area) -> list[dict]:
    out = []
    for rec in progress.area_recommendations(area):
        row = rec["row"]
        text = rec["text"] + "".join(f"\n- {i}" for i in rec["items"])
        out.append(
            {
                "number": rec["number"],
                "chapter": f"{rec['chapter']} {catalogue.CHAPTERS[rec['chapter']]}",
                "sectors": "; ".join(rec["sector_labels"]),
                "recommendation": text,
                "status": row.get_status_display(),
                "evidence": row.evidence,
                "owner": row.owner,
                "review_date": row.review_date.isoformat() if row.review_date else "",
                "changed_at": timezone.localtime(row.updated_at).strftime("%Y-%m-%d %H:%M")
                if row.updated_at
                else "",
                "changed_by": row.updated_by.get_username() if row.updated_by_id else "",
            }
        )
    return out


def csv_text(area) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for r in rows(area):
        writer.writerow({k: _safe(v) if isinstance(v, str) else v for k, v in r.items()})
    return buffer.getvalue()


def pdf_html(area) -> str:
    recs = progress.area_recommendations(area)
    items = progress.area_markers(area)
    return render_to_string(
        "partnership/board.html",
        {
            "area": area,
            "today": timezone.localdate(),
            "counts": progress.status_counts(area),
            "chapters": [c for c in catalogue.by_chapter(recs) if c[2]],
            "marker_chapters": [c for c in catalogue.by_chapter(items) if c[2]],
            "achieved": sum(1 for m in items if m["row"].achieved),
            "markers_total": len(items),
        },
    )


def pdf_bytes(area) -> bytes:
    import weasyprint

    pdf = weasyprint.HTML(string=pdf_html(area)).write_pdf()
    assert pdf is not None
    return bytes(pdf)
