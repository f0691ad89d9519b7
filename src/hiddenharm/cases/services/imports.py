"""Loading a provider's extract: the accepted rows and the audit event, in one transaction."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from hiddenharm.audit import events
from hiddenharm.audit.trail import record
from hiddenharm.cases import exchange


@transaction.atomic
def import_file(request, path, provider, as_of: dt.date):
    """Validate and load the file at `path` for `provider`; its Import event with it."""
    outcome = exchange.import_submission(
        path, {provider.agency_code: provider}, as_of=as_of, user=request.user
    )
    record(
        events.Import(
            organisation_id=provider.pk,
            sha256=outcome.sha256,
            created=outcome.created,
            problems=outcome.result.counts(),
        ),
        request,
    )
    return outcome


class _Rollback(Exception):
    pass


def preview_file(path, provider, as_of: dt.date):
    """What loading the file would do, without doing it: the same validation and load,
    run inside a transaction that is then rolled back (so the counts are exact: what
    matches records already here is counted as such). Nothing is kept, so no audit event."""
    try:
        with transaction.atomic():
            outcome = exchange.import_submission(
                path, {provider.agency_code: provider}, as_of=as_of
            )
            raise _Rollback(outcome)
    except _Rollback as done:
        return done.args[0]
