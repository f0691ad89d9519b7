"""The GOV.UK date input (day, month, year) with messages that say what to fix.

crispy-forms-gds' DateInputField, with a range of sensible years: year 0001 or 9999, a
31 February or digits too many for a date give a message next to the field, never a 500.
"""

from __future__ import annotations

import datetime as dt

from crispy_forms_gds.fields import DateInputField
from django.core.exceptions import ValidationError

FIRST_YEAR = 1900
LAST_YEAR = 2100


class GovDateField(DateInputField):
    def __init__(self, label: str, *, required: bool = True, **kwargs):
        self.what = label[0].lower() + label[1:]
        super().__init__(label=label, required=required, require_all_fields=False, **kwargs)
        self.error_messages["required"] = f"Enter the {self.what}"
        self.error_messages["incomplete"] = f"Enter the {self.what} as day, month and year"
        for field, part in zip(self.fields, ("day", "month", "year"), strict=True):
            field.error_messages["incomplete"] = f"The {self.what} must include a {part}"
            field.validators[0].message = f"Enter the {self.what} as numbers, like 27 3 2024"

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        bad = ValidationError(f"Enter the {self.what} as a real date, like 27 3 2024")
        try:
            d, m, y = int(day), int(month), int(year)
        except (TypeError, ValueError):
            raise bad from None
        if not FIRST_YEAR <= y <= LAST_YEAR:
            raise ValidationError(
                f"The year of the {self.what} must be between {FIRST_YEAR} and {LAST_YEAR}"
            )
        try:
            return dt.date(y, m, d)
        except (ValueError, OverflowError):
            raise bad from None
