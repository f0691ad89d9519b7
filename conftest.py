"""Suite-wide test configuration: markers that depend on the environment."""

import os
import sys

import pytest


def pytest_collection_modifyitems(config, items):
    # Tests marked `postgres` need DATABASE_URL to name a PostgreSQL server (`make test-postgres`).
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: run through `make test-postgres`")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


# The browser tests' `browser` fixture (one headless Chromium per module), written once.
pytest_plugins = ["hiddenharm.cases.tests.browser"]


@pytest.fixture(autouse=True)
def _forget_checked_exports():
    """Each test's database starts again at the same data versions: a service's checked
    export kept by an earlier test (cases/problems.py) must not be taken for this one's."""
    yield
    problems = sys.modules.get("hiddenharm.cases.problems")
    if problems is not None:
        problems.forget_checks()
