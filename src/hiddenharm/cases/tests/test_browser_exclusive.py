"""Exclusive checkbox answers in headless Chromium: ticking "None" unticks the answers
already ticked, and ticking an answer unticks "None" (govuk-frontend's checkboxes script,
on data-behaviour="exclusive")."""

from __future__ import annotations

import pytest

from hiddenharm.cases.tests.browser import Shots

pytestmark = pytest.mark.browser

expect = pytest.importorskip("playwright.sync_api").expect
expect.set_options(timeout=10_000)


@pytest.fixture
def page(new_page):
    return new_page("kw")


def test_it_unticks_the_other_answers_when_none_is_ticked(page, world):
    shot = Shots(page, "exclusive")
    page.goto(f"/clients/episodes/{world.episode.pk}/review/")
    help_ = page.get_by_role("group", name="Help the children receive")
    early_help = help_.get_by_label("Early help", exact=True)
    child_in_need = help_.get_by_label("Child in need plan")
    none = help_.get_by_label("None", exact=True)
    not_known = help_.get_by_label("Not known")

    early_help.check()
    child_in_need.check()
    expect(early_help).to_be_checked()
    none.check()
    expect(none).to_be_checked()
    expect(early_help).not_to_be_checked()
    expect(child_in_need).not_to_be_checked()
    shot("none-ticked-after-two-answers")

    not_known.check()  # the other answer that stands alone
    expect(none).not_to_be_checked()
    early_help.check()
    expect(not_known).not_to_be_checked()
    expect(early_help).to_be_checked()
    page.watch.assert_clean()


def test_it_unticks_the_other_services_when_none_is_ticked_on_a_screening(page, world):
    shot = Shots(page, "exclusive-screening")
    page.goto(f"/safeguarding/screening/clients/{world.client_obj.pk}/new/")
    services = page.get_by_role("group", name="Which other services are involved with the family?")
    gp = services.get_by_label("GP", exact=True)
    none = services.get_by_label("None", exact=True)
    gp.check()
    none.check()
    expect(gp).not_to_be_checked()
    expect(none).to_be_checked()
    services.scroll_into_view_if_needed()
    shot("screening-none-ticked")
    page.watch.assert_clean()
