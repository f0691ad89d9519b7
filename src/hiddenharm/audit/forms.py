from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms

from hiddenharm.audit.events import KINDS, label_of

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of event",
        required=False,
        # A callable: apps register their kinds when they load, after this module.
        choices=lambda: (
            [("", "Any")] + sorted(((k, label_of(k)) for k in KINDS), key=lambda c: c[1])
        ),
    )
    person = forms.CharField(
        label="Username",
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )
    # Typed dates as the extract takes them; a GOV.UK text input, not the browser's picker.
    date_from = forms.DateField(
        label="From",
        required=False,
        input_formats=DATE_FORMATS,
        help_text="For example, 2026-04-01 or 01/04/2026",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template writes it (never into a GET query)
        self.helper.add_input(Submit("filter", "Filter"))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "The end date must be on or after the start date")
        return data
