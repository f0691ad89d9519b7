"""The journey across the two services in headless Chromium, against the live server.

A keyworker screens a client, refers two of her children; the CSC practitioner signs in, sees
only that referral, acknowledges it and records an outcome; the keyworker sees the outcome on
her home page; the overdue lists of both sides are empty. Screenshots of each step go to
test-artifacts/screenshots/ (safeguarding-*.png).
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from hiddenharm.cases.models import Child, ChildStatus
from hiddenharm.cases.tests.browser import Shots, Watch, sign_in
from hiddenharm.cases.tests.builders import new_client
from hiddenharm.safeguarding import referrals
from hiddenharm.safeguarding.models import Referral

pytestmark = pytest.mark.browser

expect = pytest.importorskip("playwright.sync_api").expect
expect.set_options(timeout=15_000)

ANSWERS = {
    "under_five": "YES",
    "storage": "ACCESSIBLE",
    "use_while_caring": "OFTEN",
    "injecting": "NO",
    "other_adults_using": "YES",
    "domestic_abuse": "NO",
    "mental_health": "NO",
    "parenting": "NOT_MET",
    "school_attendance": "IRREGULAR",
    "pregnancy": "NO",
    "antenatal_care": "NOT_PREGNANT",
}


def context_for(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    watch = Watch()
    watch.attach(page)
    return context, page, watch


def decoys(world, csc2_team):
    """Referrals the CSC practitioner must not see: a draft to their team, one sent to
    another team, and one from another service to another team."""
    other_client = new_client(
        world.other_provider,
        "B0001",
        dob="1980-01-01",
        sex="F",
        keyworker=world.users["other_keyworker"],
    )
    Child.objects.create(client=other_client, child_ref="BK1", year_of_birth=2012)
    base = {"concerns": ["OTHER"], "description": "Decoy", "consent": "GIVEN"}
    csc = world.csc_team
    referrals.create_referral(world.users["keyworker"], world.client_obj, {**base, "team": csc})
    r = referrals.create_referral(
        world.users["keyworker"], world.client_obj, {**base, "children": ["K1"], "team": csc2_team}
    )
    referrals.move(world.users["keyworker"], r, "send")
    r = referrals.create_referral(
        world.users["other_keyworker"],
        other_client,
        {**base, "children": ["BK1"], "team": csc2_team},
    )
    referrals.move(world.users["other_keyworker"], r, "send")


def test_it_carries_a_referral_from_screening_to_the_csc_decision_and_back(
    browser, live_server, transactional_db, sg
):
    child2 = Child.objects.create(client=sg.client_obj, child_ref="K2", year_of_birth=2022, sex="F")
    ChildStatus.objects.create(
        child=child2, recorded_on=timezone.localdate(), whereabouts="CLIENT", csc_status="NONE"
    )
    decoys(sg, sg.csc2_team)
    client_id = sg.client_obj.pk

    kw_context, page, kw_watch = context_for(browser, live_server)
    shot = Shots(page, "safeguarding")
    page.goto("/sign-in/")
    sign_in(page, "kw")
    # 1. Screening: answers, the suggestion, the keyworker's decision.
    page.goto(f"/safeguarding/screening/clients/{client_id}/new/")
    today = timezone.localdate()
    for i, part in enumerate((today.day, today.month, today.year)):
        page.locator(f'input[name="screened_on_{i}"]').fill(str(part))
    page.locator('textarea[name="q_children_ages"]').fill("9 and 4")
    for question, value in ANSWERS.items():
        page.locator(f'input[name="q_{question}"][value="{value}"]').check()
    page.locator('input[name="q_other_services"][value="GP"]').check()
    page.locator("#suggest").click()
    expect(page.locator("#suggestion")).to_contain_text("Refer")
    shot("screening suggestion")
    page.get_by_role("radio", name="Refer to children's social care").check()
    page.locator("#save").click()
    page.wait_for_load_state()

    # 2. The referral about two children, saved as a draft, then sent.
    page.goto(f"/clients/{client_id}/")
    page.locator("#refer").click()
    page.locator('input[name="children"][value="K1"]').check()
    page.locator('input[name="children"][value="K2"]').check()
    page.locator('input[name="concerns"][value="NEGLECT"]').check()
    page.locator('input[name="concerns"][value="PARENTAL_SUBSTANCE_USE"]').check()
    page.get_by_label("What the concern is").fill(
        "Both children alone at home at 10pm; methadone within reach of the 4-year-old."
    )
    page.get_by_label("Information about the risk of harm").fill(
        "Child under five; parent using on top"
    )
    page.get_by_label("What the service is doing with the parent").fill(
        "Daily supervised consumption"
    )
    page.locator('input[name="consent"][value="NOT_SOUGHT"]').check()
    page.get_by_label("If not, why is it sent without consent?").fill(
        "Telling the parent first could put the children at risk"
    )
    page.get_by_label("Children's social care team").select_option(str(sg.csc_team.pk))
    shot("referral form")
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.locator("#state")).to_have_text("Draft")
    page.locator("#move-send").click()
    expect(page.locator("#state")).to_have_text("Sent")
    expect(page.locator("#ack-deadline")).to_contain_text("end of")
    shot("referral sent")
    referral = Referral.objects.get(state="sent", team=sg.csc_team)

    # 3. Children's social care: only that referral, acknowledged, decided.
    csc_context, csc_page, csc_watch = context_for(browser, live_server)
    csc_shot = Shots(csc_page, "safeguarding-csc")
    csc_page.goto("/sign-in/")
    sign_in(csc_page, "csc")
    csc_page.goto("/safeguarding/referrals/")
    rows = csc_page.locator("#referrals tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(f"Referral {referral.pk}")
    csc_shot("inbox")
    rows.first.get_by_role("link").click()
    expect(csc_page.locator("#referral-children")).to_contain_text("Child K2")
    expect(csc_page.locator("#referral-summary")).not_to_contain_text("1985")  # no date of birth
    csc_page.locator("#move-acknowledge").click()
    expect(csc_page.locator("#state")).to_have_text("Acknowledged")
    csc_page.locator('input[name="outcome"][value="S47"]').check()
    csc_page.get_by_label("Note to the referrer (optional)").fill("Strategy discussion held today")
    csc_page.get_by_role("button", name="Record the decision").click()
    expect(csc_page.locator("#state")).to_have_text("Decided")
    csc_shot("decided")
    csc_page.goto("/safeguarding/referrals/?list=overdue")
    expect(csc_page.locator("#no-referrals")).to_be_visible()

    # 4. The keyworker sees the outcome; nothing is overdue on her side either.
    page.goto("/")
    expect(page.locator("#safeguarding-home")).to_contain_text("section 47")
    shot("home with outcome")
    page.goto("/safeguarding/referrals/?list=overdue")
    expect(page.locator("#no-referrals")).to_be_visible()
    referral.refresh_from_db()
    assert referral.state == "decided" and referral.outcome == "S47"
    assert set(referral.children.values_list("child_ref", flat=True)) == {"K1", "K2"}
    csc_context.close()
    kw_context.close()
    kw_watch.assert_clean()
    csc_watch.assert_clean()
