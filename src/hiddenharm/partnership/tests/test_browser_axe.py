"""axe-core (npm, run in headless Chromium) finds no serious or critical violation on the
public pages and the partnership's signed-in pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from hiddenharm.cases.tests.browser import sign_in
from hiddenharm.partnership import services

pytestmark = pytest.mark.browser

AXE = Path(settings.PROJECT_DIR) / "build" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
PUBLIC_PAGES = ("/help/", "/help/staying-safe-online/")
SIGNED_IN_PAGES = (
    "/partnership/",
    "/partnership/recommendations/",
    "/partnership/recommendations/9/",
    "/partnership/markers/",
    "/partnership/across-areas/",
    "/directory/",
    "/directory/add/",
)


@pytest.fixture
def page(browser, live_server, transactional_db, world):
    if not AXE.exists():
        pytest.skip(f"no axe-core at {AXE}: run `make static`")
    # axe is injected as a script of the test's own: the pages' policy (script-src 'self')
    # would refuse it, so only this context bypasses it.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    # the dashboard works out its figures inline in tests: slow on two busy cores
    context.set_default_timeout(90_000)
    context.set_default_navigation_timeout(90_000)
    yield context.new_page()
    context.close()


def serious(page) -> list[str]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', "
        "'wcag21aa', 'wcag22aa', 'best-practice']})"
    )
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(n["target"][0] for n in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_it_finds_no_serious_violation_on_the_public_pages(page):
    found = []
    for url in PUBLIC_PAGES:
        page.goto(url)
        found += serious(page)
    assert not found, "\n".join(found)


def test_it_finds_no_serious_violation_on_the_partnership_pages(page, world):
    admin = world.users["partnership"]
    area = admin.profile.organisation
    services.set_recommendation(admin, area, 9, version=0, status="in_place", owner="Lead")
    services.set_marker(admin, area, "2.1", version=0, achieved=True, description="Yes")
    services.create_entry(admin, kind="police", name="Police hub", phone="101", public=True)
    page.goto("/sign-in/")
    sign_in(page, "padmin")
    found = []
    for url in SIGNED_IN_PAGES:
        page.goto(url)
        found += serious(page)
    assert not found, "\n".join(found)


ROLE_PAGES = {
    "kw": (
        "/",
        "/clients/worklist/",
        "/clients/{client}/",
        "/safeguarding/referrals/",
        "/safeguarding/clients/{client}/refer/",
        "/safeguarding/referrals/{referral}/",
    ),
    "mgr": (
        "/",
        "/safeguarding/referrals/?list=overdue",
        "/safeguarding/activity/",
        "/safeguarding/sharing/",
    ),
    "dl": ("/audit/", "/safeguarding/break-the-glass/"),
    "csc": (
        "/",
        "/safeguarding/referrals/",
        "/safeguarding/referrals/{referral}/",
        "/safeguarding/requests/",
    ),
    "comm": ("/safeguarding/activity/", "/safeguarding/protocols/"),
}


def test_it_finds_no_serious_violation_on_the_main_pages_of_every_role(page, world):
    from hiddenharm.safeguarding.testing import records_for

    ids = {"client": world.client_obj.pk, "referral": records_for(world)["referral_id"]}
    found = []
    for username, urls in ROLE_PAGES.items():
        page.goto("/sign-in/")
        sign_in(page, username)
        for url in urls:
            page.goto(url.format(**ids))
            found += serious(page)
        page.context.clear_cookies()
    assert not found, "\n".join(found)
