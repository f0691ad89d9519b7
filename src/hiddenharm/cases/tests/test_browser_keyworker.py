"""A keyworker's day in headless Chromium, against the live server.

Sign in, find a client and (not finding them) add them, open their episode with the Hidden
Harm items, add two children, fix the items the worklist asks for, record a care-plan review
that changes one item; and around it: errors next to the fields, sign-in for visitors, the
403 page for another service. Screenshots of each step go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from hiddenharm.cases.models import Client, HiddenHarmRecord
from hiddenharm.cases.tests.browser import (
    Shots,
    Watch,
    date_group,
    date_value,
    fill_date,
    sign_in,
)

pytestmark = pytest.mark.browser

expect = pytest.importorskip("playwright.sync_api").expect
expect.set_options(timeout=10_000)  # two busy cores under `pytest -n 2`

CHILDWTH = "Number of children under 18 living in the client's household"


@pytest.fixture
def page(browser, live_server, transactional_db, world):
    """A fresh browser context (no cookies) on the live server, with the persona world."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    watch = Watch()
    watch.attach(page)
    yield page
    context.close()
    watch.assert_clean()


def banner(page):
    return page.locator(".govuk-notification-banner")


def worklist_tab(page, which: str):
    return page.locator(f"#list-{which}")


def test_it_takes_a_keyworker_from_search_to_review(page, world):
    shot = Shots(page, "keyworker")
    today = timezone.localdate()
    referred, started = today - dt.timedelta(days=260), today - dt.timedelta(days=250)

    # Sign in: a visitor's home page is the public page, with the way in for professionals.
    page.goto("/")
    page.get_by_role("link", name="Sign in (professionals)").click()
    expect(page).to_have_url(re.compile(r"/sign-in/"))
    page.get_by_label("Username").fill("kw")
    shot("sign-in")
    sign_in(page, "kw")
    expect(page.locator("#signed-in-as")).to_have_text("Signed in as kw")
    # The GOV.UK styles and the service's own load (served by the live server, as in
    # production by WhiteNoise): the header is black, the body font Arial.
    header = page.locator(".govuk-header")
    expect(header).to_have_css("background-color", "rgb(11, 12, 12)")
    expect(page.locator("body")).to_have_css("font-family", re.compile("arial", re.I))
    # "Sign out" is a button (a POST): it must look like the links beside it.
    link_size = page.locator("#nav-worklist").evaluate("e => getComputedStyle(e).fontSize")
    expect(page.locator("#sign-out")).to_have_css("font-size", link_size)
    # No GOV.UK logo: the service name lines up with the page, not with a missing logo.
    name_x = page.locator("#service-name").bounding_box()["x"]
    assert name_x == page.get_by_role("heading", level=1).bounding_box()["x"]
    shot("home")

    # Find a client by the attributor: nobody with these details yet.
    page.locator("#nav-clients").click()
    page.get_by_label("First initial").fill("d")
    page.get_by_label("Surname initial").fill("e")
    fill_date(page, "Date of birth", "14/07/1990")
    page.get_by_role("group", name="Sex").get_by_label("Female").check()
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results-heading")).to_have_text("0 clients found")
    expect(page.get_by_role("button", name="Search")).to_have_css(
        "background-color",
        "rgb(0, 112, 60)",  # GOV.UK green
    )
    shot("search-none-found")

    # Add them: the form starts from what was searched for.
    page.locator("#add-client").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a client")
    # (as typed, in either case: the form makes initials capitals when it saves)
    expect(page.get_by_label("First initial")).to_have_value(re.compile("^d$", re.I))
    expect(page.get_by_label("Surname initial")).to_have_value(re.compile("^e$", re.I))
    assert date_value(page, "Date of birth") == "14/7/1990"  # from the search
    expect(page.get_by_role("group", name="Sex").get_by_label("Female")).to_be_checked()
    expect(page.get_by_label("Local authority of residence")).to_have_value("E10000020")
    page.get_by_label("Client reference").fill("C0100")
    shot("add-client")
    page.get_by_role("button", name="Save client").click()

    # Open the episode with the items at start; help for the children not asked yet.
    expect(banner(page)).to_contain_text("Client added")
    expect(page.get_by_role("heading", level=1)).to_have_text("Open an episode of treatment")
    page.get_by_label("Episode reference").fill("E0100")
    fill_date(page, "Date referred", referred)
    fill_date(page, "Date the care plan started", started)
    page.get_by_label("Main problem substance").select_option("ALCOHOL")
    expect(
        page.get_by_role("group", name="Where treatment is delivered").get_by_label("Community")
    ).to_be_checked()
    page.get_by_label("Some of the children live with the client").check()
    page.get_by_label(CHILDWTH).fill("1")
    page.get_by_role("group", name="Is the client pregnant?").get_by_label("No").check()
    shot("open-episode")
    page.get_by_role("button", name="Open episode").click()
    expect(banner(page)).to_contain_text("Episode opened")
    expect(page.get_by_role("heading", level=1)).to_have_text("Client C0100")
    client = Client.objects.get(client_ref="C0100")
    episode = client.episodes.get()
    items = page.locator(f"#items-{episode.pk} tbody tr")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("Some of the children live with the client")

    # Two children: one lives with the client, one with the other parent.
    for ref, year, sex, where, csc in (
        ("K1", "2014", "Male", "With the client", "None"),
        ("K2", "2019", "Female", "With the other parent", "Early help"),
    ):
        page.locator("#add-child").click()
        page.get_by_label("Child reference").fill(ref)
        page.get_by_label("Year of birth").fill(year)
        page.get_by_role("group", name="Sex").get_by_label(sex, exact=True).check()
        fill_date(page, "Date recorded", today)
        page.get_by_role("group", name="Where the child lives").get_by_label(where).check()
        page.get_by_role("group", name="Children's social care status").get_by_label(
            csc, exact=True
        ).check()
        if ref == "K2":
            shot("add-child")
        page.get_by_role("button", name="Add child").click()
        expect(banner(page)).to_contain_text("Child added")
    children = page.locator("#children tbody tr")
    expect(children).to_have_count(2)
    expect(children.nth(0)).to_contain_text("With the client")
    expect(children.nth(1)).to_contain_text("With the other parent")
    expect(page.get_by_text("Children recorded as living with the client: 1")).to_be_visible()
    shot("client-with-children")

    # The worklist asks for the missing item; the row's link opens the form that fixes it.
    page.locator("#nav-worklist").click()
    expect(worklist_tab(page, "start")).to_have_text("Missing at start of treatment (1)")
    row = page.locator("#worklist tbody tr", has_text="C0100")
    expect(row).to_contain_text("help the children receive")
    shot("worklist-missing-at-start")
    row.get_by_role("link", name="help the children receive").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Hidden Harm items at the start of treatment"
    )
    # What was recorded at start is shown, to be completed, not asked from scratch.
    expect(page.get_by_label("Some of the children live with the client")).to_be_checked()
    expect(page.get_by_label(CHILDWTH)).to_have_value("1")
    page.get_by_role("group", name="Help the children receive").get_by_label("Early help").check()
    shot("start-items")
    page.get_by_role("button", name="Save").click()
    expect(banner(page)).to_contain_text("Hidden Harm items at start saved")

    page.locator("#nav-worklist").click()
    expect(worklist_tab(page, "start")).to_have_text("Missing at start of treatment (0)")
    expect(page.locator("#worklist tbody")).to_have_text("Nothing to do.")
    # In treatment for 250 days with no review: overdue, as is the world's client C0001.
    expect(worklist_tab(page, "review")).to_have_text("Overdue for update at review (2)")
    shot("worklist-fixed-at-start")

    # The care-plan review: the last values shown, every item asked again, one changed.
    worklist_tab(page, "review").click()
    row = page.locator("#worklist tbody tr", has_text="C0100")
    row.get_by_role("link", name="care-plan review of the Hidden Harm items").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Care-plan review: Hidden Harm items")
    last = page.locator("#last-recorded")
    expect(last).to_contain_text("parental status Some of the children live with the client")
    expect(last).to_contain_text("children in household 1")
    expect(last).to_contain_text("pregnant No")
    expect(last).to_contain_text("help the children receive Early help")
    expect(page.locator("#id_prntstat_hint")).to_contain_text(
        re.compile(r"Last recorded \(\d\d/\d\d/\d{4}\): Some of the children live with the client")
    )
    # Nothing is copied: an unanswered question is not a confirmed one.
    childwth = page.get_by_label(CHILDWTH)
    expect(childwth).to_have_value("")
    expect(page.locator("input[name=prntstat]:checked")).to_have_count(0)
    fill_date(page, "Date of the care-plan review", today)
    page.get_by_label("Some of the children live with the client").check()  # confirmed
    childwth.fill("2")  # changed: a partner's child has moved in
    page.get_by_role("group", name="Is the client pregnant?").get_by_label("No").check()
    page.get_by_role("group", name="Help the children receive").get_by_label("Early help").check()
    shot("review")
    page.get_by_role("button", name="Save review").click()
    expect(banner(page)).to_contain_text("Review saved")
    items = page.locator(f"#items-{episode.pk} tbody tr")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("Care-plan review")
    expect(items.first.locator("td").nth(2)).to_have_text("2")
    expect(items.nth(1).locator("td").nth(2)).to_have_text("1")
    shot("client-after-review")

    review = HiddenHarmRecord.objects.get(episode=episode, kind="review")
    assert (review.prntstat, review.childwth, review.pregnant, review.earlyhlp) == (
        "12",
        2,
        "N",
        "EH",
    )
    assert review.recorded_on == today

    page.locator("#nav-worklist").click()
    expect(worklist_tab(page, "review")).to_have_text("Overdue for update at review (1)")
    worklist_tab(page, "review").click()
    expect(page.locator("#worklist tbody tr", has_text="C0100")).to_have_count(0)
    expect(page.locator("#worklist tbody tr", has_text="C0001")).to_have_count(1)
    shot("worklist-after-review")


def test_it_keeps_what_was_typed_and_shows_errors_next_to_the_fields(page, world):
    shot = Shots(page, "errors")
    page.goto("/sign-in/")
    sign_in(page, "kw")
    page.goto("/clients/new/")
    page.get_by_label("Client reference").fill("C0200")
    page.get_by_label("First initial").fill("F")
    fill_date(page, "Date of birth", "31/02/1990")  # no such day
    page.get_by_role("group", name="Sex").get_by_label("Male", exact=True).check()
    page.get_by_role("button", name="Save client").click()

    expect(page).to_have_title(re.compile(r"^Error: Add a client"))
    summary = page.locator("#error-summary")
    # GOV.UK Frontend's script moves the focus to the summary: proof that it ran.
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        ["Enter the surname initial", "The date of birth must be a real date"]
    )
    expect(page.locator("#div_id_dob .govuk-error-message")).to_contain_text(
        "The date of birth must be a real date"
    )
    expect(page.locator("#div_id_surname_initial .govuk-error-message")).to_contain_text(
        "Enter the surname initial"
    )
    expect(page.locator("#div_id_client_ref .govuk-error-message")).to_have_count(0)
    # What was typed stays, the wrong date included, so it can be corrected.
    expect(page.get_by_label("Client reference")).to_have_value("C0200")
    expect(page.get_by_label("First initial")).to_have_value("F")
    assert date_value(page, "Date of birth") == "31/02/1990"
    expect(page.locator("#div_id_dob")).to_have_class(re.compile("govuk-form-group--error"))
    expect(page.get_by_role("group", name="Sex").get_by_label("Male", exact=True)).to_be_checked()
    shot("client-form-errors")
    summary.get_by_role("link", name=re.compile("date of birth")).click()
    expect(date_group(page, "Date of birth").get_by_label("Day")).to_be_focused()

    page.get_by_label("Surname initial").fill("G")
    fill_date(page, "Date of birth", "28/02/1990")
    page.get_by_role("button", name="Save client").click()
    expect(banner(page)).to_contain_text("Client added")

    # A rule across fields (HH010): all the children live with the client, yet none do.
    page.get_by_label("Episode reference").fill("E0200")
    fill_date(page, "Date referred", timezone.localdate())
    page.get_by_label("Main problem substance").select_option("CRACK")
    page.get_by_label("All the children live with the client").check()
    page.get_by_label(CHILDWTH).fill("0")
    page.get_by_role("button", name="Open episode").click()
    message = "you said some or all of their children do, so it cannot be 0"
    expect(page.locator("#div_id_childwth .govuk-error-message")).to_contain_text(message)
    expect(page.locator("#error-summary")).to_contain_text(message)
    expect(page.get_by_label("Episode reference")).to_have_value("E0200")
    expect(page.get_by_label("Main problem substance")).to_have_value("CRACK")
    expect(page.get_by_label("All the children live with the client")).to_be_checked()
    expect(page.get_by_label(CHILDWTH)).to_have_value("0")
    shot("episode-form-errors")
    assert not Client.objects.get(client_ref="C0200").episodes.exists()


def test_it_sends_a_signed_out_visitor_to_sign_in(page, world):
    shot = Shots(page, "signed-out")
    response = page.goto("/clients/worklist/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/clients/worklist/$"))
    assert response.status == 200
    expect(page.locator("#navigation")).to_have_count(0)
    shot("sign-in")
    page.goto(f"/clients/{world.client_obj.pk}/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next="))

    page.get_by_label("Username").fill("kw")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#error-summary")).to_contain_text("Enter a correct username and password")
    expect(page.get_by_label("Username")).to_have_value("kw")
    shot("sign-in-wrong-password")

    sign_in(page, "kw")  # back where the visitor was going
    expect(page).to_have_url(re.compile(rf"/clients/{world.client_obj.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Client C0001")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in/"))
    page.goto(f"/clients/{world.client_obj.pk}/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next="))


def test_it_refuses_another_services_keyworker(page, world):
    shot = Shots(page, "other-service")
    page.goto("/sign-in/")
    sign_in(page, "kw_b")
    response = page.goto(f"/clients/{world.client_obj.pk}/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot see this page")
    expect(page.locator(".govuk-header")).to_have_css("background-color", "rgb(11, 12, 12)")
    shot("forbidden")
    for url in (
        f"/clients/episodes/{world.episode.pk}/review/",
        f"/clients/children/{world.child.pk}/",
    ):
        assert page.goto(url).status == 403
    # Nor does the search find them.
    page.locator("#nav-clients").click()
    page.get_by_label("First initial").fill("A")
    page.get_by_label("Surname initial").fill("B")
    fill_date(page, "Date of birth", "27/03/1985")
    page.get_by_role("group", name="Sex").get_by_label("Female").check()
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results-heading")).to_have_text("0 clients found")
