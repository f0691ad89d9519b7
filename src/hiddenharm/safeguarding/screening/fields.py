"""The GOV.UK date input (day, month, year) with messages that say what to fix: the
application's one date field, `cases.forms.DateField` (years 1900 to 2100; year 0001 or 9999,
a 31 February or digits too many give a message next to the field, never a 500)."""

from hiddenharm.cases.forms import DateField as GovDateField

__all__ = ["GovDateField"]
