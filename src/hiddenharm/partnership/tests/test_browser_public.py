"""The public pages in headless Chromium: no sign-in, no cookies, no request to any other
site, and "Exit this page" by click, by Shift or Escape three times, and without JavaScript;
after the exit, Back does not return to the page left."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from hiddenharm.cases.tests.browser import Shots, Watch
from hiddenharm.partnership import views_public

pytestmark = pytest.mark.browser

expect = pytest.importorskip("playwright.sync_api").expect
expect.set_options(timeout=10_000)


class Outside:
    """Every request to another host is refused and kept, for the test to fail on."""

    def __init__(self, live_host: str):
        self.live_host, self.other = live_host, []

    def __call__(self, route):
        if urlsplit(route.request.url).netloc == self.live_host:
            route.continue_()
        else:
            self.other.append(route.request.url)
            route.abort()


@pytest.fixture
def neutral(live_server, monkeypatch):
    """The exit's neutral site, here a page of the live server (the test machine has no
    network; that the real exit goes to the BBC's weather is test_access's business)."""
    url = f"{live_server.url}/healthz"
    monkeypatch.setattr(views_public, "NEUTRAL_SITE", url)
    return re.compile(re.escape(url) + "$")


@pytest.fixture
def context_for(browser, live_server, transactional_db, neutral):
    made = []

    def make(javascript: bool = True):
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": 1280, "height": 900},
            java_script_enabled=javascript,
        )
        context.set_default_timeout(10_000)
        outside = Outside(urlsplit(live_server.url).netloc)
        context.route("**/*", outside)
        page = context.new_page()
        watch = Watch()
        watch.attach(page)
        made.append((context, outside, watch))
        return page

    yield make
    for context, outside, watch in made:
        assert not outside.other, f"requests to other sites: {outside.other}"
        context.close()
        watch.assert_clean()


def test_it_shows_the_public_page_without_sign_in_or_cookies(context_for):
    page = context_for()
    shot = Shots(page, "public")
    page.goto("/help/")
    expect(page.locator("h1")).to_contain_text("Hidden harm")
    expect(page.locator("#key-messages li")).to_have_count(8)
    exit_button = page.get_by_role("button", name="Emergency Exit this page")
    expect(exit_button).to_be_visible()
    assert exit_button.get_attribute("href") == "/exit/"
    assert page.locator("script:not([src])").count() == 0  # no inline script
    shot("help")
    page.get_by_role("link", name="Staying safe online").first.click()
    expect(page.locator("h1")).to_have_text("Staying safe online")
    assert page.context.cookies() == []


def test_it_exits_by_click_and_back_does_not_return(context_for, neutral):
    page = context_for()
    page.goto("/help/")
    page.get_by_role("link", name="How to visit this page more safely").click()
    expect(page).to_have_url(re.compile(r"/help/staying-safe-online/$"))
    page.get_by_role("button", name="Emergency Exit this page").click()
    expect(page).to_have_url(neutral)
    page.go_back()
    # the page left was replaced in the history: Back goes to the one before it
    expect(page).not_to_have_url(re.compile(r"staying-safe-online"))


@pytest.mark.parametrize("key", ["Shift", "Escape"])
def test_it_exits_when_a_key_is_pressed_three_times(context_for, neutral, key):
    page = context_for()
    page.goto("/help/")
    page.get_by_role("link", name="How to visit this page more safely").click()
    expect(page.locator("h1")).to_have_text("Staying safe online")
    # exit.js marks the body when it has run: only then does it count the presses.
    expect(page.locator("body")).to_have_class(re.compile(r"\bjs-enabled\b"))
    page.keyboard.press(key)
    page.keyboard.press(key)
    expect(page.locator(".govuk-exit-this-page__indicator--visible")).to_be_visible()
    assert page.url.endswith("/help/staying-safe-online/")  # two presses are not enough
    page.keyboard.press(key)
    expect(page).to_have_url(neutral)
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"staying-safe-online"))


def test_it_does_not_exit_on_presses_of_other_keys_in_between(context_for):
    page = context_for()
    page.goto("/help/")
    expect(page.locator("body")).to_have_class(re.compile(r"\bjs-enabled\b"))
    for key in ("Shift", "Shift", "a", "Shift", "Escape", "Shift"):
        page.keyboard.press(key)
    page.wait_for_timeout(300)
    assert page.url.endswith("/help/")


def test_it_exits_without_javascript_as_a_plain_link(context_for, neutral):
    page = context_for(javascript=False)
    page.goto("/help/")
    page.get_by_role("button", name="Emergency Exit this page").click()
    expect(page).to_have_url(neutral)
