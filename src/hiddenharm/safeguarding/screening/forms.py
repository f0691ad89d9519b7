"""The screening form, built from the question set's document; the keyworker's decision."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from django import forms

from hiddenharm.cases.forms import FIELD_TEMPLATE, ExclusiveCheckboxes, exclusive_choices
from hiddenharm.safeguarding.screening import rules
from hiddenharm.safeguarding.screening.fields import GovDateField


def _helper(form) -> FormHelper:
    # The template writes the <form> tag, the CSRF token and the buttons (two steps).
    helper = FormHelper(form)
    helper.form_tag = False
    helper.disable_csrf = True
    helper.field_template = FIELD_TEMPLATE
    return helper


def field_for(question: dict) -> forms.Field:
    hint = question.get("hint", "")
    if question["type"] == "text":
        return forms.CharField(
            label=question["text"],
            help_text=hint,
            required=not question.get("optional"),
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 2}),
            error_messages={"required": "Answer this question"},
        )
    choices = [tuple(c) for c in question["choices"]]
    if question["type"] == "multiple":
        exclusive = question.get("exclusive") or []
        return forms.MultipleChoiceField(
            label=question["text"],
            help_text=hint,
            # "None" stands alone: ticking it unticks the others (the service refuses the mix)
            choices=exclusive_choices(choices, exclusive) if exclusive else choices,
            widget=ExclusiveCheckboxes if exclusive else forms.CheckboxSelectMultiple,
            error_messages={"required": "Choose at least one", "invalid_choice": "Choose again"},
        )
    return forms.ChoiceField(
        label=question["text"],
        help_text=hint,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose an answer", "invalid_choice": "Choose again"},
    )


class AnswersForm(forms.Form):
    """The date and one field per question of the version it is built from."""

    def __init__(self, *args, document: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = document
        self.fields["screened_on"] = GovDateField("Date of the screening")
        for q in rules.questions(document):
            self.fields[f"q_{q['id']}"] = field_for(q)
        self.helper = _helper(self)

    def answers(self) -> dict:
        return {
            q["id"]: self.cleaned_data.get(f"q_{q['id']}") for q in rules.questions(self.document)
        }


class DecisionForm(forms.Form):
    decided_action = forms.ChoiceField(
        label="What do you decide to do?",
        choices=list(rules.ACTIONS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you decide to do"},
    )
    decision_reason = forms.CharField(
        label="Why",
        help_text="Required when you decide otherwise than the suggestion.",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="decision", **kwargs)
        self.helper = _helper(self)
