"""Case records beyond the persona world, for the tests that walk every URL."""

from __future__ import annotations

import datetime as dt


def records_for(world) -> dict[str, int]:
    """Ids for the case URLs' converters: a review, a child's row, a pregnancy (made once)."""
    from hiddenharm.cases.models import HiddenHarmRecord, Pregnancy

    if not hasattr(world, "_case_records"):
        review = HiddenHarmRecord.objects.create(
            episode=world.episode,
            kind="review",
            recorded_on=dt.date(2025, 7, 20),
            prntstat="11",
            childwth=1,
            pregnant="N",
            earlyhlp="NONE",
        )
        pregnancy = Pregnancy.objects.create(
            client=world.client_obj, recorded_on=dt.date(2025, 3, 1), edd=dt.date(2025, 9, 1)
        )
        world._case_records = {
            "record_id": review.pk,
            "status_id": world.child.statuses.get().pk,
            "pregnancy_id": pregnancy.pk,
        }
    return world._case_records
