"""The browser tests' watch on a page's sub-resources: a file that is missing fails the test,
a load the browser cancels because the page moved on does not."""

from __future__ import annotations

import pytest

from hiddenharm.cases.tests.browser import Watch

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_the_watch_counts_a_sub_resource_answered_404(page, live_server):
    watch = Watch()
    watch.attach(page)
    page.goto("/healthz")
    with page.expect_response("**/static/hiddenharm/no-such-file.css"):
        page.set_content(
            f'<link rel="stylesheet" href="{live_server.url}/static/hiddenharm/no-such-file.css">'
        )
    with pytest.raises(AssertionError, match="404 .*no-such-file.css"):
        watch.assert_clean()


def test_the_watch_counts_a_sub_resource_that_fails_but_not_one_cancelled(page, live_server):
    watch = Watch()
    watch.attach(page)
    page.goto("/healthz")
    # One request is refused (a failure), the other is held until the page moves on and the
    # browser cancels it.
    page.route("**/refused.js", lambda route: route.abort("connectionrefused"))
    held = []
    page.route("**/held.js", lambda route: held.append(route))
    with page.expect_event("requestfailed", lambda r: r.url.endswith("refused.js")):
        page.set_content(
            f'<script src="{live_server.url}/static/refused.js" async></script>'
            f'<script src="{live_server.url}/static/held.js" async></script>',
            wait_until="domcontentloaded",
        )
    for _ in range(500):  # at most 10 s
        if held:
            break
        page.wait_for_timeout(20)
    assert held, "the held script was never asked for"
    with page.expect_event("requestfailed", lambda r: r.url.endswith("held.js")) as cancelled:
        page.goto("/healthz")
    assert "ERR_ABORTED" in cancelled.value.failure
    assert [f for f in watch.failed if "held.js" in f] == []
    assert any("refused.js" in f and "ERR_CONNECTION_REFUSED" in f for f in watch.failed)
