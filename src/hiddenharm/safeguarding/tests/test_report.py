"""The area report's safeguarding section, built from the case records."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hiddenharm.safeguarding.tests.conftest import in_state


@pytest.mark.django_db
@pytest.mark.slow
def test_it_adds_referrals_to_the_area_report_from_the_case_records(sg, client):
    in_state(sg, "decided")
    client.force_login(sg.users["manager"])
    import html as html_lib

    html = client.get(
        reverse("cases:area_report"),
        # The GOV.UK date inputs of the figures' period.
        {
            "from_0": "1",
            "from_1": "4",
            "from_2": "2026",
            "to_0": "30",
            "to_1": "11",
            "to_2": "2026",
        },
    ).content.decode()
    html = html_lib.unescape(html)
    assert '<section id="safeguarding"' in html
    assert "Referrals to children's social care" in html
    assert "Assessment (section 17)" in html
    assert "Referrals by treatment service" in html


def test_it_leaves_the_section_out_of_a_report_without_referrals():
    from hiddenharm.reports.safeguarding_view import safeguarding_section

    assert safeguarding_section({}) is None


def test_the_reports_outcome_labels_cover_every_outcome_and_nothing_else():
    from hiddenharm.safeguarding import codes

    assert set(codes.OUTCOMES_SHORT) == set(codes.OUTCOMES) | {"pending", "withdrawn"}
