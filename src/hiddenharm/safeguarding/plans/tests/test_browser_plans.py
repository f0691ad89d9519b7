"""A keyworker screens a client and keeps a child protection plan, in headless Chromium:
the screening form (answers, the suggestion, a decision), a plan with its meetings and
contribution, the home page's reminders and the report to conference as PDF pages.
Screenshots go to test-artifacts/screenshots/ (or $HH_SCREENSHOTS)."""

from __future__ import annotations

import subprocess

import pytest
from django.utils import timezone

from hiddenharm.cases.tests.browser import Shots, Watch, screenshot_dir, sign_in
from hiddenharm.safeguarding.plans.models import ChildProtectionPlan, Contribution
from hiddenharm.safeguarding.screening.demo import CALM
from hiddenharm.safeguarding.screening.models import Screening
from hiddenharm.safeguarding.workdays import add_working_days, subtract_working_days

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect
expect.set_options(timeout=10_000)


@pytest.fixture
def page(browser, live_server, transactional_db, world):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    watch = Watch()
    watch.attach(page)
    yield page
    context.close()
    watch.assert_clean()


def fill_date(page, name, day):
    page.fill(f"input[name={name}_0]", str(day.day))
    page.fill(f"input[name={name}_1]", str(day.month))
    page.fill(f"input[name={name}_2]", str(day.year))


def test_a_keyworker_screens_and_keeps_a_plan(page, world):
    shot = Shots(page, "safeguarding")
    today = timezone.localdate()
    client = world.client_obj
    page.goto("/sign-in/")
    sign_in(page, "kw")
    page.goto(f"/clients/{client.pk}/")
    expect(page.locator("#screening-due")).to_be_visible()
    page.click("#screen")
    fill_date(page, "screened_on", today)
    answers = {**CALM, "under_five": "YES", "storage": "ACCESSIBLE", "children_ages": "4"}
    for q, value in answers.items():
        if isinstance(value, list):
            for v in value:
                page.check(f"input[name=q_{q}][value={v}]")
        elif q in ("children_ages", "notes"):
            page.fill(f"textarea[name=q_{q}]", value)
        else:
            page.check(f"input[name=q_{q}][value={value}]")
    page.click("#suggest")
    expect(page.locator("#suggestion")).to_contain_text("Refer to children's social care")
    page.check("input[name=decision-decided_action][value=CONSULT_CSC]")
    page.click("#save")
    expect(page.locator("#error-summary")).to_contain_text("Say why you decided otherwise")
    page.fill("textarea[name=decision-decision_reason]", "Spoke to the duty social worker first")
    shot("screening form with suggestion")
    page.click("#save")
    expect(page.locator("#decided")).to_contain_text("Consult children's social care")
    shot("screening saved")
    assert Screening.objects.get().decided_action == "CONSULT_CSC"

    page.goto(f"/clients/{client.pk}/")
    page.click("#add-plan")
    page.check(f"input[name=child][value='{world.child.pk}']")
    icpc = subtract_working_days(today, 12)
    fill_date(page, "strategy_on", subtract_working_days(icpc, 14))
    fill_date(page, "start_date", icpc)
    page.get_by_role("button", name="Save plan").click()
    expect(page.locator("#plan-summary")).to_be_visible()
    plan = ChildProtectionPlan.objects.get()
    for kind, day in (
        ("ICPC", icpc),
        ("CORE", add_working_days(icpc, 9)),
        ("RCPC", add_working_days(today, 5)),
    ):
        page.click("#add-meeting")
        page.check(f"input[name=kind][value={kind}]")
        fill_date(page, "date", day)
        if day <= today:
            page.check("input[name=attendance][value=ATTENDED]")
        page.get_by_role("button", name="Save meeting").click()
        expect(page.locator("#meetings")).to_contain_text(day.strftime("%-d %b %Y"))
    page.locator("#meetings a", has_text="Write").first.click()
    page.get_by_label("Information about the risk of harm").fill(
        "Daily heroin use; methadone kept in the fridge; one occasion of caring while intoxicated."
    )
    page.get_by_label("Specialist advice").fill("Use peaks at weekends when the child is home.")
    page.get_by_label("Securing improvements").fill("Stable on 60 ml methadone; tests negative.")
    fill_date(page, "submitted_on", subtract_working_days(icpc, 3))
    page.get_by_role("button", name="Save contribution").click()
    expect(page.locator("#deadlines")).to_contain_text("In time")
    # The coming review's contribution, drafted: the report to that conference shows it.
    page.locator("#meetings a", has_text="Write").first.click()
    page.get_by_label("Information about the risk of harm").fill(
        "No use seen at home visits since the plan started; one positive test for cocaine."
    )
    page.get_by_label("Specialist advice").fill(
        "Relapse risk is highest around contact with the ex-partner, who still uses."
    )
    page.get_by_label("Securing improvements").fill(
        "Reducing methadone by 5 ml a fortnight; parenting group attended 6 of 8 weeks."
    )
    page.get_by_role("button", name="Save contribution").click()
    expect(page.locator("#meetings")).to_contain_text("Draft")
    shot("plan with meetings")
    sent = Contribution.objects.filter(submitted_on__isnull=False)
    assert sent.count() == 1 and Contribution.objects.count() == 2

    page.goto(f"/clients/{client.pk}/")
    page.locator("#cp-plans").scroll_into_view_if_needed()
    expect(page.locator("#screenings")).to_contain_text("Consult children's social care")
    shot("client record panels")
    page.goto("/")
    expect(page.locator("#plan-reminders")).to_contain_text("Review child protection conference")
    expect(page.locator("#screening-due-count")).to_contain_text("0 clients due a screening")
    shot("home reminders")

    response = page.request.get(f"/safeguarding/plans/{plan.pk}/report.pdf", timeout=60_000)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    out = screenshot_dir() / "safeguarding-report.pdf"
    out.write_bytes(response.body())
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", str(out), str(screenshot_dir() / "safeguarding-report")],
        check=True,
    )
    assert (screenshot_dir() / "safeguarding-report-1.png").exists()
