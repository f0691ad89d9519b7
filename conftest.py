"""Suite-wide test configuration: markers that depend on the environment."""

import os

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
