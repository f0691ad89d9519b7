"""HHX-1, the Hidden Harm extract: code lists, reading, validation, writing (no Django)."""

from hiddenharm.extract.engine import validate
from hiddenharm.extract.result import ValidationResult
from hiddenharm.extract.writer import write_submission

__all__ = ["ValidationResult", "validate", "write_submission"]
