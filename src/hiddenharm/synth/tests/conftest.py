"""Shared, cached submissions: generating is cheap, but not free on two shared cores."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from hiddenharm.synth import generate_tables

AS_OF = dt.date(2026, 11, 21)


@pytest.fixture(scope="session")
def mid_sample() -> dict[str, pa.Table]:
    """20,000 episodes over three agencies: big enough for the calibration checks."""
    return generate_tables(episodes=20_000, agencies=3, seed=11, as_of=AS_OF)


@pytest.fixture(scope="session")
def small_clean() -> dict[str, pa.Table]:
    return generate_tables(episodes=1500, agencies=3, seed=5, as_of=AS_OF)
