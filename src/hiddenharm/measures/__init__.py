"""The measures and estimates of spec/measures.md, on DuckDB (no Django)."""

from hiddenharm.measures.engine import (
    Submission,
    compute,
    default_period,
    financial_year_ending_by,
    trend,
    whole_quarters,
)
from hiddenharm.measures.suppression import suppress

__all__ = [
    "Submission",
    "compute",
    "default_period",
    "financial_year_ending_by",
    "suppress",
    "trend",
    "whole_quarters",
]
