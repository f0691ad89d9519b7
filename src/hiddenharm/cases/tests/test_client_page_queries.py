"""The client's page reads every record's versions in one query per model: its number of
queries does not grow with the client's episodes and reviews (found by the load test)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hiddenharm.cases.models import Episode, HiddenHarmRecord

pytestmark = pytest.mark.django_db


def _queries(http, client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = http.get(reverse("cases:client_detail", args=[client.pk]))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_it_reads_the_versions_of_every_record_in_a_fixed_number_of_queries(as_persona, world):
    http = as_persona("keyworker")
    client = world.client_obj
    _queries(http, client)  # the first request renews the session (a write, once a minute)
    before = _queries(http, client)
    for i in range(3):
        episode = Episode.objects.create(
            client=client,
            provider=client.provider,
            episode_ref=f"EX{i}",
            referred=dt.date(2023, 1, 2 + i),
            care_plan_start=dt.date(2023, 1, 10 + i),
            discharged=dt.date(2023, 6, 1),
            discharge_reason="TC",
            drug1="HEROIN",
        )
        for day in (1, 2):
            HiddenHarmRecord.objects.create(
                episode=episode,
                kind="review",
                recorded_on=dt.date(2023, 3, day),
                prntstat="14",
                childwth=0,
            )
    page = http.get(reverse("cases:client_detail", args=[client.pk])).content.decode()
    assert "EX2" in page
    assert _queries(http, client) == before
