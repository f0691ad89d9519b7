"""Helpers for the browser tests: one headless Chromium per module (the `browser` fixture,
offered to every test through the root conftest), a fresh context per test, full-page
screenshots, and a watch on every response and script error of the page.

Debian's Chromium is started as `hiddenharm.chromium` says.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from hiddenharm.chromium import CHROMIUM, CHROMIUM_ARGS

VIEWPORT = {"width": 1280, "height": 900}
PASSWORD = "correct-horse-battery-staple"  # accounts.testing.PASSWORD


def screenshot_dir() -> Path:
    from django.conf import settings

    default = Path(settings.PROJECT_DIR) / "test-artifacts" / "screenshots"
    path = Path(os.environ.get("HH_SCREENSHOTS") or default)
    path.mkdir(parents=True, exist_ok=True)
    return path


def launch_browser():
    """(playwright, browser); skips the module when Chromium or Playwright is missing."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: run `make system`")
    sync_api = pytest.importorskip("playwright.sync_api")
    playwright = sync_api.sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception:
        playwright.stop()
        raise
    return playwright, browser


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the test module."""
    # Playwright's sync API runs an event loop in this thread, and Django refuses database
    # calls from a thread with a running loop (the test's own, and the flush between tests).
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright, chromium = launch_browser()
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def new_page(browser, live_server, transactional_db, world):
    """new_page(username=None, timeout=10_000) -> a page in a browser context of its own (no
    cookies), watched (`page.watch`), signed in as that person when one is named."""
    contexts = []

    def make(username: str | None = None, timeout: int = 10_000):
        context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT)
        context.set_default_timeout(timeout)
        contexts.append(context)
        page = context.new_page()
        page.watch = Watch()
        page.watch.attach(page)
        if username:
            page.goto("/sign-in/")
            sign_in(page, username)
        return page

    yield make
    for context in contexts:
        context.close()


def _cancelled(request) -> bool:
    # Chromium cancels (net::ERR_ABORTED) what a page is still loading when the test moves
    # on first: the favicon it fetches on its own after the load, or a sub-resource when a
    # click navigates away (the quick exit leaves at once). A cancel is not a failure to load:
    # an answer of 400 or more still counts, through the watch on responses, and so does
    # every other failure (refused, blocked, reset).
    return "ERR_ABORTED" in (request.failure or "")


@dataclass
class Watch:
    """What went wrong on the page besides what the test looks at: sub-resources (CSS, JS,
    images) that did not load, and script errors. A page's own status is the test's business."""

    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        def on_response(response):
            if response.request.resource_type != "document" and response.status >= 400:
                self.failed.append(f"{response.status} {response.url}")

        def on_console(message):
            # A page answered 403 on purpose is logged as a failed load: the watch on
            # responses covers loads, so only script errors count here.
            if message.type == "error" and not message.text.startswith("Failed to load"):
                self.errors.append(message.text)

        page.on("response", on_response)

        def on_failed(request):
            if not _cancelled(request):
                self.failed.append(f"failed {request.url} ({request.failure})")

        page.on("requestfailed", on_failed)
        page.on("console", on_console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def assert_clean(self) -> None:
        assert not self.failed, f"resources that did not load: {self.failed}"
        assert not self.errors, f"script errors: {self.errors}"


class Shots:
    """Full-page screenshots named <prefix>-<nn>-<step>.png, numbered in the order taken."""

    def __init__(self, page, prefix: str):
        self.page, self.prefix, self.n = page, prefix, 0
        self.dir = screenshot_dir()

    def __call__(self, step: str) -> Path:
        self.n += 1
        slug = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")
        path = self.dir / f"{self.prefix}-{self.n:02d}-{slug}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    """Fill the sign-in form the page is on, and send it."""
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def uk_date(day) -> str:
    """A date as keyworkers type it: 27/03/2024."""
    return day.strftime("%d/%m/%Y")


def date_group(page, label: str):
    """A GOV.UK date input: the fieldset named by its legend."""
    return page.get_by_role("group", name=label, exact=True)


def fill_date(page, label: str, day) -> None:
    """Type a date into a GOV.UK date input (a date, or "dd/mm/yyyy" as typed, bad or not)."""
    d, m, y = (day.strftime("%d/%m/%Y") if hasattr(day, "strftime") else day).split("/")
    group = date_group(page, label)
    group.get_by_label("Day").fill(d)
    group.get_by_label("Month").fill(m)
    group.get_by_label("Year").fill(y)


def date_value(page, label: str) -> str:
    """What a GOV.UK date input holds, as "dd/mm/yyyy"."""
    group = date_group(page, label)
    return "/".join(group.get_by_label(p).input_value() for p in ("Day", "Month", "Year"))
