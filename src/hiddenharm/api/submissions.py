"""/api/v1/submissions: validated exactly as `hiddenharm validate --json`, reported exactly as
`hiddenharm report --format json`, by calling the same library functions on the same file."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from ninja import File, Query, Router
from ninja.files import UploadedFile

from hiddenharm.accounts import access
from hiddenharm.api import events
from hiddenharm.api.auth import need
from hiddenharm.api.models import Submission
from hiddenharm.api.problems import Problem, invalid
from hiddenharm.api.schemas import PROBLEMS, SubmissionOut
from hiddenharm.audit.trail import record
from hiddenharm.web.uploads import Limits, UploadRefused, check_suffix, check_zip

router = Router(tags=["submissions"])
SCOPE = "submissions"
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def storage_dir(submission_id: int) -> Path:
    return Path(settings.DATA_DIR) / "submissions" / str(submission_id)


def _file_of(s: Submission) -> Path:
    return storage_dir(s.pk) / f"submission{s.suffix}"


def _json(text: str, status: int = 200) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="application/json")


def _date(field: str, value: str | None) -> dt.date | None:
    if value is None or value == "":
        return None
    try:
        if not _ISO.match(value):
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise invalid(field, f"{value[:20]!r} is not a date: write YYYY-MM-DD") from None


def _get(request, submission_id: int) -> Submission:
    need(request, SCOPE, *access.SUBMISSION_ROLES)
    found = access.submissions_for(request.user).filter(pk=submission_id).first()
    if found is None:
        raise Problem(404)
    return found


@router.post("", response={201: SubmissionOut, **PROBLEMS}, summary="Send a submission")
def create(request, file: File[UploadedFile], as_of: str | None = None):
    """A `.zip`, a single `.csv` (read as episodes.csv) or a `.parquet`, validated as the CLI
    does. 201 even when fatal: the validation says so."""
    profile = need(request, SCOPE, *access.SUBMISSION_ROLES)
    when = _date("as_of", as_of) or timezone.localdate()
    try:
        suffix = check_suffix(file.name)
        if file.size > settings.HH_MAX_UPLOAD_BYTES:
            raise UploadRefused(
                f"The file is {file.size:,} bytes: the limit is "
                f"{settings.HH_MAX_UPLOAD_BYTES:,} (HH_MAX_UPLOAD_BYTES)."
            )
        if suffix == ".zip":
            check_zip(file.file, Limits.from_settings())
    except UploadRefused as e:
        if e.status == 422:
            raise invalid("file", str(e)) from None
        raise Problem(413, str(e)) from None

    from hiddenharm.extract import validate

    with tempfile.TemporaryDirectory(prefix="hh-api-") as tmp:
        path = Path(tmp) / f"submission{suffix}"
        digest = hashlib.sha256()
        with open(path, "wb") as out:
            for chunk in file.chunks():
                digest.update(chunk)
                out.write(chunk)
        result = validate(path, as_of=when)
        text = json.dumps(result.to_json(), ensure_ascii=False)  # as `validate --json` prints
        with transaction.atomic():
            s = Submission.objects.create(
                organisation_id=profile.organisation_id,
                sent_by=request.user,
                as_of=when,
                suffix=suffix,
                sha256=digest.hexdigest(),
                size=path.stat().st_size,
                fatal=bool(result.fatal),
            )
            record(
                events.SubmissionReceived(
                    submission_id=s.pk,
                    organisation_id=profile.organisation_id,
                    sha256=s.sha256,
                    problems=result.counts(),
                ),
                request,
            )
            folder = storage_dir(s.pk)
            folder.mkdir(parents=True, exist_ok=True)
            shutil.move(str(path), folder / path.name)
            (folder / "validation.json").write_text(text, encoding="utf-8")
    return _json(f'{{"id": {s.pk}, "validation": {text}}}', status=201)


@router.get(
    "/{int:submission_id}", response={200: dict, **PROBLEMS}, summary="A submission's validation"
)
def detail(request, submission_id: int):
    """The same object `hiddenharm validate PATH --as-of DATE --json` prints."""
    s = _get(request, submission_id)
    with transaction.atomic():
        record(events.SubmissionRead(submission_id=s.pk), request)
    return _json((storage_dir(s.pk) / "validation.json").read_text(encoding="utf-8"))


@router.get(
    "/{int:submission_id}/report", response={200: dict, **PROBLEMS}, summary="A submission's report"
)
def report(
    request,
    submission_id: int,
    from_: str | None = Query(None, alias="from"),
    to: str | None = None,
    publish: bool = False,
):
    """Exactly `hiddenharm report PATH --format json [--from] [--to] [--publish]` with the
    submission's as_of; 422 for a fatal submission or a period the measures refuse."""
    s = _get(request, submission_id)
    start, end = _date("from", from_), _date("to", to)
    if start and end and start > end:
        raise invalid("from", f"{start} is after to {end}")
    if s.fatal:
        raise invalid("id", "The submission is fatal (cannot be read): there is no report.")
    from hiddenharm.reports.build import FatalSubmission, build_report
    from hiddenharm.reports.command import render_json  # the CLI's: no Jinja2 or Altair

    try:
        result = build_report(
            str(_file_of(s)),
            period_from=start,
            period_to=end,
            as_of=s.as_of,
            publish=publish,
            detail=False,
            progress=None,
            prevalence=None,
            children_per_parent=None,
            target=0.9,
        )
    except FatalSubmission:
        raise invalid(
            "id", "The submission is fatal (cannot be read): there is no report."
        ) from None
    except ValueError as e:
        raise invalid("from", str(e)) from None
    with transaction.atomic():
        record(events.SubmissionRead(submission_id=s.pk, output="report"), request)
    return _json(render_json(result))
