"""In headless Chromium: a screening decided "refer" opens the referral form filled in from it;
the keyworker changes a concern and saves the draft. Screenshots of the filled-in form."""

from __future__ import annotations

import datetime as dt

import pytest

from hiddenharm.cases.tests.browser import Shots
from hiddenharm.safeguarding.models import Referral
from hiddenharm.safeguarding.screening import services
from hiddenharm.safeguarding.screening.demo import CALM

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect
expect.set_options(timeout=10_000)


@pytest.fixture
def page(new_page):
    return new_page("kw")


def test_a_keyworker_refers_from_a_screening_with_the_form_filled_in(page, world):
    screening = services.record_screening(
        world.client_obj,
        screened_on=dt.date(2025, 1, 22),
        answers={**CALM, "under_five": "YES", "use_while_caring": "OFTEN", "domestic_abuse": "YES"},
        decided_action="REFER",
        decision_reason="",
        user=world.users["keyworker"],
        today=dt.date(2025, 3, 3),
    )
    shot = Shots(page, "referral-from-screening")
    page.goto(f"/safeguarding/screening/{screening.pk}/")
    page.click("#make-referral")
    expect(page.locator("#from-screening")).to_contain_text("screening of 22 January 2025")
    expect(page.locator("input[name=children][value=K1]")).to_be_checked()
    expect(page.locator("input[name=concerns][value=DOMESTIC_ABUSE]")).to_be_checked()
    expect(page.locator("input[name=concerns][value=PARENTAL_SUBSTANCE_USE]")).to_be_checked()
    expect(page.locator("input[name=concerns][value=NEGLECT]")).not_to_be_checked()
    expect(page.locator("textarea[name=description]")).to_contain_text(
        "A child under five with a carer who often uses while caring"
    )
    shot("form-filled-in")
    # editable: the keyworker adds neglect and saves the draft
    page.check("input[name=concerns][value=NEGLECT]")
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("draft")
    saved = Referral.objects.get()
    assert saved.concerns == ["NEGLECT", "DOMESTIC_ABUSE", "PARENTAL_SUBSTANCE_USE"]
    assert "Decided: Refer" in saved.description
    # the saved referral names the screening it came from, and the screening lists it
    expect(page.locator("#made-from")).to_contain_text("the screening of 22 January 2025")
    shot("referral-made-from")
    page.locator("#made-from a").click()
    expect(page.locator("#referrals-made")).to_contain_text(f"referral {saved.pk} (draft)")
    shot("screening-lists-its-referral")
    assert saved.screening_id == screening.pk
    page.watch.assert_clean()


def test_the_upcoming_meetings_page_says_whose_bank_holidays_count(page, world, monkeypatch):
    from hiddenharm.safeguarding.plans.tests.test_upcoming_window import (
        SCOTLAND,
        _client_in,
        _meeting_on,
        _protocol,
    )

    today = dt.date(2025, 8, 1)
    _protocol(world.provider.la_code, "EW")
    _protocol(SCOTLAND, "SC")
    _meeting_on(world, _client_in(world, SCOTLAND, "C0200"), dt.date(2025, 8, 18), today)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: today)
    shot = Shots(page, "upcoming-meetings")
    page.goto("/safeguarding/plans/upcoming/")
    expect(page.locator("#upcoming-window")).to_contain_text("England and Wales bank holidays")
    expect(page.locator("#upcoming")).to_contain_text("C0200, child K1")
    expect(page.locator("#upcoming")).to_contain_text("Scotland bank holidays: window to 18 Aug")
    shot("scottish-client-after-its-bank-holiday")
