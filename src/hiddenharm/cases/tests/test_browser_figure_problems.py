"""The figures' warnings followed to their records in headless Chromium: a data lead opens
the list from the count on the figures page; a manager goes on to the form that fixes one.
Screenshots of the figures (problems linked, charts with every quarter) and of the list."""

from __future__ import annotations

import pytest

from hiddenharm.cases.tests.browser import Shots
from hiddenharm.cases.tests.test_figure_problems import _client_with_hw102

pytestmark = pytest.mark.browser

expect = pytest.importorskip("playwright.sync_api").expect
expect.set_options(timeout=20_000)


def test_it_takes_a_data_lead_and_a_manager_from_a_count_to_the_records(new_page, world):
    _client_with_hw102(world.provider, "C0100", "E0100", review=True)
    _client_with_hw102(world.other_provider, "C0900", "E0900")
    page = new_page("dl", timeout=20_000)
    shot = Shots(page, "figure-problems")
    page.goto("/clients/figures/?from_0=1&from_1=4&from_2=2024&to_0=31&to_1=3&to_2=2025")
    link = page.locator("#problem-HW102")
    expect(link).to_contain_text("Not living with own children, yet children in the household: 2")
    expect(page.locator("#trend-chart-1")).to_contain_text("No data")
    shot("figures-with-linked-problems")
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Not living with own children, yet children in the household"
    )
    rows = page.locator("#problem-records tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("#problem-records")).not_to_contain_text("C0900")
    shot("records-with-the-problem-data-lead")
    page.watch.assert_clean()

    manager = new_page("mgr", timeout=20_000)
    shot = Shots(manager, "figure-problems-manager")
    manager.goto("/clients/figures/problems/?code=HW102")
    shot("records-with-the-problem-manager")
    manager.get_by_role("link", name="Correct the review").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text("Correct the care-plan review")
    manager.watch.assert_clean()
