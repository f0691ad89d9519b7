"""Forms of the child protection plans app (GOV.UK date inputs, crispy-forms-gds)."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms

from hiddenharm.safeguarding.plans.models import HEADINGS, PlanMeeting
from hiddenharm.safeguarding.screening.fields import GovDateField


class GovForm(forms.Form):
    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.add_input(Submit("save", self.submit_label))


class VersionedForm(GovForm):
    """Carries the version of the record it was read at (a stale edit is refused)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class PlanForm(GovForm):
    submit_label = "Save plan"
    child = forms.ModelChoiceField(
        label="Child",
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the child on the plan"},
    )
    strategy_on = GovDateField(
        "Date of the strategy discussion",
        required=False,
        help_text="The discussion that started the section 47 enquiry, if known: the initial "
        "conference is due within 15 working days of it.",
    )
    start_date = GovDateField(
        "Date the plan started", help_text="Usually the date of the initial conference."
    )

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = client.children.order_by("child_ref")
        self.fields["child"].label_from_instance = lambda c: (
            f"{c.child_ref}" + (f", born {c.year_of_birth}" if c.year_of_birth else "")
        )


class EndPlanForm(VersionedForm):
    submit_label = "Record the end of the plan"
    end_date = GovDateField("Date the plan ended")


class MeetingForm(VersionedForm):
    submit_label = "Save meeting"
    kind = forms.ChoiceField(
        label="Meeting",
        choices=PlanMeeting.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of meeting"},
    )
    date = GovDateField("Date of the meeting", help_text="Planned or held. For example 27 3 2026")
    invited = forms.BooleanField(label="The service was invited", required=False)
    attendance = forms.ChoiceField(
        label="The service's attendance",
        choices=[("", "Not yet (the meeting has not taken place)")]
        + list(PlanMeeting.Attendance.choices),
        required=False,
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label="Notes", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ContributionForm(VersionedForm):
    submit_label = "Save contribution"
    risk_of_harm = forms.CharField(
        label=HEADINGS["risk_of_harm"],
        required=False,
        max_length=20000,
        help_text="What the service knows of the risk to the child: substance use, patterns, "
        "storage, care while using.",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    addictive_behaviour = forms.CharField(
        label=HEADINGS["addictive_behaviour"],
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    improvements = forms.CharField(
        label=HEADINGS["improvements"],
        required=False,
        max_length=20000,
        help_text="What treatment is doing with the parent, and what would show improvement.",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    submitted_on = GovDateField(
        "Date sent to the conference chair",
        required=False,
        help_text="Leave blank while it is a draft.",
    )
