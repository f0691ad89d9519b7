"""Import and export pages (data leads): HHX-1 in and out of the case records."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from hiddenharm.accounts import access
from hiddenharm.audit import events
from hiddenharm.audit.trail import record
from hiddenharm.cases import exchange as ex
from hiddenharm.cases import services
from hiddenharm.extract.codes import PROBLEM_TITLES, SEVERITY

FIRST_PROBLEMS = 50


class UploadForm(forms.Form):
    submission = forms.FileField(
        label="Upload a submission",
        help_text="An HHX-1 submission as a .zip (episodes.csv, reviews.csv, children.csv) "
        "or a single episodes .csv",
        error_messages={"required": "Choose a .zip or .csv file to upload"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template writes it (never into a GET query)
        self.helper.add_input(Submit("upload", "Upload and check"))

    def clean_submission(self):
        f = self.cleaned_data["submission"]
        suffix = Path(f.name).suffix.lower()
        if suffix not in (".zip", ".csv"):
            raise forms.ValidationError("The file must be a .zip or a .csv")
        if f.size > settings.HH_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is too large: the limit is {settings.HH_MAX_UPLOAD_BYTES:,} bytes"
            )
        if suffix == ".zip" and not zipfile.is_zipfile(f):
            raise forms.ValidationError("The file is not a readable .zip")
        if suffix == ".zip":  # entries, names, unpacked size: before anything reads it
            from hiddenharm.web.uploads import Limits, UploadRefused, check_zip

            try:
                check_zip(f, Limits.from_settings())
            except UploadRefused as e:
                raise forms.ValidationError(str(e)) from None
        f.seek(0)
        return f


def problem_summary(result) -> dict:
    """What the CLI shows: counts by code, then the first problems."""
    counts = result.counts()
    return {
        "counts": [
            {
                "code": c,
                "severity": SEVERITY.get(c, ""),
                "title": PROBLEM_TITLES.get(c, ""),
                "count": n,
            }
            for c, n in counts.items()
        ],
        "first": result.problems.slice(0, FIRST_PROBLEMS).to_pylist(),
        "files": result.files,
        "total": result.problems.num_rows,
    }


PENDING = "hh_import"  # the session's note of a file checked and waiting to be confirmed
WORDS = {
    "clients": "clients",
    "episodes": "episodes",
    "start_records": "records of the items at the start of treatment",
    "reviews": "care-plan reviews",
    "children": "children",
    "child_statuses": "records of where a child lives",
}


def in_words(counts: dict) -> list[str]:
    return [f"{n:,} {WORDS.get(k, k.replace('_', ' '))}" for k, n in counts.items()]


def _pending_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _pending_path(request) -> Path | None:
    note = request.session.get(PENDING) or {}
    token, suffix = str(note.get("token", "")), str(note.get("suffix", ""))
    if not token.isalnum() or suffix not in (".zip", ".csv"):
        return None
    path = _pending_dir() / f"{token}{suffix}"
    return path if path.is_file() else None


def _forget(request) -> None:
    path = _pending_path(request)
    if path is not None:
        path.unlink(missing_ok=True)
    request.session.pop(PENDING, None)


@access.role_required(*access.EXCHANGE_ROLES)
def exchange(request):
    """Upload: the file is checked and what it would load is shown (a dry run, rolled
    back); "Load these records" then loads it in one transaction with its audit event."""
    import secrets

    provider = access.exchange_provider(request.user)
    outcome = None
    summary = None
    preview = False
    form = UploadForm()
    if request.method == "POST" and "confirm" in request.POST:
        path = _pending_path(request)
        if path is None:
            messages.warning(request, "That file is no longer waiting: upload it again")
        else:
            outcome = services.import_file(request, path, provider, as_of=timezone.localdate())
            summary = problem_summary(outcome.result)
            _forget(request)
    elif request.method == "POST" and "cancel" in request.POST:
        _forget(request)
        messages.info(request, "Nothing was loaded")
    elif request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            _forget(request)
            upload = form.cleaned_data["submission"]
            suffix = Path(upload.name).suffix.lower()
            token = secrets.token_hex(16)
            path = _pending_dir() / f"{token}{suffix}"
            with open(path, "wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            outcome = services.preview_file(path, provider, as_of=timezone.localdate())
            summary = problem_summary(outcome.result)
            if outcome.loaded:
                request.session[PENDING] = {"token": token, "suffix": suffix}
                preview = True
            else:
                path.unlink(missing_ok=True)
            form = UploadForm()
    if outcome is not None:
        outcome.created_words = in_words({k: v for k, v in outcome.created.items() if v})
        outcome.updated_words = in_words({k: v for k, v in outcome.updated.items() if v})
    return render(
        request,
        "cases/exchange.html",
        {
            "form": form,
            "title": "Import and export",
            "provider": provider,
            "outcome": outcome,
            "summary": summary,
            "preview": preview,
        },
    )


@access.role_required(*access.EXCHANGE_ROLES)
@require_POST
def export(request):
    """The service's records as an HHX-1 .zip (POST: it is a disclosure, so not a link)."""
    provider = access.exchange_provider(request.user)
    tables = ex.export_tables(provider)
    buf = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="hh-export-") as tmp:
        from hiddenharm.extract import write_submission

        paths = write_submission(tables, tmp)
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for name, p in paths.items():
                z.write(p, f"{name}.csv")
    record(
        events.Export(organisation_id=provider.pk, rows={k: t.num_rows for k, t in tables.items()}),
        request,
    )
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(buf.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="hhx1-{provider.agency_code}-{stamp}.zip"'
    )
    return response
