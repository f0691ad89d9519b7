from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms

from hiddenharm.audit.events import KINDS, label_of
from hiddenharm.cases.forms import date_field


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
    client_ref = forms.CharField(
        label="Client reference",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # GOV.UK date inputs, the one date handling of the forms and filters
        self.fields["date_from"] = date_field("From", required=False, hint="For example, 1 4 2026")
        self.fields["date_to"] = date_field("To", required=False, hint="")
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template writes it (never into a GET query)
        self.helper.add_input(Submit("filter", "Filter"))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "The end date must be on or after the start date")
        return data
