from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms

from hiddenharm.api.models import SCOPES
from hiddenharm.api.tokens import MAX_DAYS

SCOPE_LABELS = {
    "submissions": "submissions: send and read submissions (data leads, commissioners)",
    "referrals:read": "referrals:read: read referrals and teams",
    "referrals:write": "referrals:write: make and move referrals",
}


class TokenForm(forms.Form):
    name = forms.CharField(
        label="What is the token for?",
        max_length=100,
        required=False,
        help_text="For example, the name of the system that will use it",
    )
    scopes = forms.MultipleChoiceField(
        label="What may it do?",
        choices=[(s, SCOPE_LABELS[s]) for s in SCOPES],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one thing the token may do"},
    )
    days = forms.IntegerField(
        label="Days until it expires",
        initial=30,
        min_value=1,
        max_value=MAX_DAYS,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the number of days until the token expires",
            "invalid": "Enter the number of days as a whole number, like 30",
            "min_value": "A token lasts at least 1 day",
            "max_value": f"A token lasts at most {MAX_DAYS} days",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.add_input(Submit("create", "Make a token"))
