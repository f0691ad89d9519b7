"""Corrections in headless Chromium: a keyworker corrects a mistyped date of birth and a
wrong review, a manager reads both versions in the history; two people on one form, and
the second is shown both versions instead of overwriting the first. Screenshots of the
caseload, the record with its tags and history, and the audit trail."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import RequestFactory

from hiddenharm.cases import services
from hiddenharm.cases.models import Client, HiddenHarmRecord
from hiddenharm.cases.tests.browser import Shots, fill_date
from hiddenharm.cases.tests.builders import new_client

pytestmark = pytest.mark.browser

expect = pytest.importorskip("playwright.sync_api").expect
expect.set_options(timeout=10_000)


def _wrong_review(world) -> HiddenHarmRecord:
    """A review recorded with the wrong number of children (3 instead of 1)."""
    request = RequestFactory().post("/")
    request.user = world.users["keyworker"]
    items = {"prntstat": "11", "childwth": 3, "pregnant": "N", "earlyhlp": "NONE"}
    return services.record_review(request, world.episode, dt.date(2025, 7, 21), items)


def test_it_lets_a_keyworker_correct_and_a_manager_read_both_versions(new_page, world):
    review = _wrong_review(world)
    page = new_page("kw")
    shot = Shots(page, "corrections")
    page.goto(f"/clients/{world.client_obj.pk}/")

    # The date of birth was mistyped: 27/03/1985 should be 27/03/1986.
    page.locator("#correct-client").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Correct the client's details")
    fill_date(page, "Date of birth", "27/03/1986")
    shot("correct-date-of-birth")
    page.get_by_role("button", name="Save correction").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("details corrected")
    expect(page.locator("#client-summary")).to_contain_text("27 March 1986")

    # The review said three children in the household; there is one.
    page.locator(f"#correct-review-{review.pk}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Correct the care-plan review")
    page.get_by_label("Number of children under 18 living in the client's household").fill("1")
    page.get_by_role("button", name="Save correction").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Review corrected")
    assert HiddenHarmRecord.objects.get(pk=review.pk).childwth == 1

    # The manager reads the record: both versions of each, who and what changed.
    manager = new_page("mgr")
    shot = Shots(manager, "corrections-manager")
    manager.goto(f"/clients/{world.client_obj.pk}/")
    history = manager.locator("#client-history")
    history.locator("summary").click()
    expect(history).to_contain_text("2 versions")
    expect(history).to_contain_text("Version 2: corrected by kw")
    row = history.locator("tr", has_text="Date of birth")
    expect(row).to_contain_text("27 March 1985")
    expect(row).to_contain_text("27 March 1986")
    items = manager.locator(f"#items-history-{review.pk}")
    items.locator("summary").click()
    expect(items).to_contain_text("Version 1: recorded by kw")
    children = items.locator("tr", has_text="Children under 18")
    expect(children.locator("del")).to_have_text("3")
    expect(children.locator("ins")).to_have_text("1")
    shot("record-history")
    for p in (page, manager):
        p.watch.assert_clean()


def test_it_shows_both_versions_when_someone_saved_first(new_page, world):
    url = f"/clients/episodes/{world.episode.pk}/start/"
    first, second = new_page("kw"), new_page("mgr")
    first.goto(url)
    second.goto(url)
    label = "Number of children under 18 living in the client's household"
    first.get_by_label(label).fill("3")
    first.get_by_role("button", name="Save").click()
    expect(first.locator(".govuk-notification-banner")).to_contain_text("saved")

    second.get_by_label(label).fill("0")
    second.get_by_label("None of the children live with the client").check()
    second.get_by_role("button", name="Save").click()
    conflict = second.locator("#conflict")
    expect(conflict).to_contain_text("Someone else changed this record")
    row = conflict.locator("tr", has_text="Number of children")
    expect(row.locator("td").nth(1)).to_have_text("0")  # theirs, typed
    expect(row.locator("td").nth(2)).to_have_text("3")  # now on the record
    Shots(second, "conflict")("both-versions")
    start = HiddenHarmRecord.objects.get(episode=world.episode, kind="start")
    assert start.childwth == 3  # nothing overwritten
    # Saving again is a decision made with both in view.
    second.get_by_role("button", name="Save").click()
    expect(second.locator(".govuk-notification-banner")).to_contain_text("saved")
    start.refresh_from_db()
    assert (start.childwth, start.version) == (0, 3)
    for p in (first, second):
        p.watch.assert_clean()


def test_it_shows_the_caseload_and_the_audit_trail_at_a_glance(new_page, world):
    from hiddenharm.cases.models import ChildStatus, Pregnancy

    ChildStatus.objects.filter(child=world.child).update(csc_status="CPP")
    Pregnancy.objects.create(
        client=world.client_obj, recorded_on=dt.date(2025, 3, 1), edd=dt.date(2025, 9, 1)
    )
    # as an import leaves them: no team, no keyworker
    new_client(world.provider, "C0900", dob=dt.date(1980, 1, 1))
    manager = new_page("mgr")
    shot = Shots(manager, "glance")
    manager.goto("/clients/caseload/")
    expect(manager.locator("#nav-caseload")).to_have_attribute("aria-current", "page")
    row = manager.locator("#caseload tbody tr", has_text="C0001")
    expect(row).to_contain_text("Child protection plan")
    expect(row).to_contain_text("Pre-birth referral not considered")
    shot("team-caseload")
    manager.locator("#scope-unassigned").click()
    expect(manager.locator("#caseload tbody tr")).to_have_count(1)
    manager.locator("#select-" + str(Client.objects.get(client_ref="C0900").pk)).check()
    manager.get_by_label("Keyworker").select_option(label="kw")
    manager.get_by_label("Team").select_option(label="A1")
    shot("unassigned")
    manager.get_by_role("button", name="Assign").click()
    expect(manager.locator(".govuk-notification-banner")).to_contain_text("1 client assigned")
    expect(manager.locator("#caseload tbody")).to_contain_text("No clients")
    manager.goto(f"/clients/{world.client_obj.pk}/")
    expect(manager.locator("#client-tags")).to_contain_text("Child protection plan")
    shot("record-with-tags")
    manager.goto("/clients/figures/?from=2024-04-01&to=2025-03-31", timeout=90_000)  # measures
    expect(manager.locator("#trend-chart-1 svg")).to_be_visible()
    expect(manager.locator("#trend-1")).to_contain_text("Provider A (AGA1)")
    shot("figures-with-charts")

    lead = new_page("dl")
    lead.goto("/audit/")
    table = lead.locator("#audit-events")
    expect(table).to_contain_text("Viewed a list of clients")
    expect(table).to_contain_text("Client C0001")
    lead_shot = Shots(lead, "glance-audit")
    lead_shot("audit-trail")
    lead.get_by_label("Client reference").fill("C0900")
    lead.get_by_role("button", name="Filter").click()
    expect(table.locator("tbody tr").first).to_contain_text(re.compile("client C0900", re.I))
    lead_shot("audit-trail-one-client")
    for p in (manager, lead):
        p.watch.assert_clean()
