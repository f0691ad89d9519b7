"""Forms of the safeguarding app: they parse input; the services decide the rules."""

from __future__ import annotations

import datetime as dt

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms

from hiddenharm.cases.forms import DateField
from hiddenharm.safeguarding import codes


def add_service_errors(form, exc) -> None:
    """A service's refusal ({field: message}) next to the fields; the rest above the form."""
    for field, message in exc.errors.items():
        form.add_error(field if field in form.fields else None, message)


def helper_for(form, submit_label: str, name: str = "save") -> FormHelper:
    helper = FormHelper(form)
    helper.form_tag = False
    helper.disable_csrf = True
    helper.add_input(Submit(name, submit_label))
    return helper


# The one GOV.UK date field of the application (day, month, year; a message for an impossible
# or implausible date, with optional earliest and latest dates).
GovDateField = DateField


class ReferralForm(forms.Form):
    children = forms.MultipleChoiceField(
        label="Which children is the referral about?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose every child the concern is about",
    )
    unborn_edd = GovDateField(
        label="Unborn child: expected date of delivery",
        required=False,
        help_text="For a pre-birth referral. For example, 27 3 2027",
    )
    concerns = forms.MultipleChoiceField(
        label="Concerns",
        choices=list(codes.CONCERNS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose all that apply",
    )
    description = forms.CharField(
        label="What the concern is",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="In your own words: what you have seen or been told, and when",
    )
    risk = forms.CharField(
        label="Information about the risk of harm",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    service_action = forms.CharField(
        label="What the service is doing with the parent",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.ChoiceField(
        label="Does the parent know about the referral and consent to it?",
        choices=list(codes.CONSENT.items()),
        required=False,
        widget=forms.RadioSelect,
    )
    without_consent_reason = forms.CharField(
        label="If not, why is it sent without consent?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Child protection comes before the client's confidentiality: say why "
        "seeking consent would put a child at risk, or why it was refused and you share anyway",
    )
    team = forms.ChoiceField(label="Children's social care team", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, client, teams, pregnancy=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["children"].choices = [
            (
                c.child_ref,
                f"{c.child_ref}" + (f", born {c.year_of_birth}" if c.year_of_birth else ""),
            )
            for c in client.children.order_by("child_ref")
        ]
        self.fields["team"].choices = [("", "Choose a team")] + [
            (str(t.pk), f"{t.name} ({t.la_code})") for t in teams
        ]
        if pregnancy is None:
            self.fields["unborn_edd"].help_text += " (no pregnancy is recorded for this client)"
        self.helper = helper_for(self, "Save as a draft")

    def service_data(self) -> dict:
        d = dict(self.cleaned_data)
        d.pop("version", None)
        d["team"] = int(d["team"]) if d.get("team") else None
        return d


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Decision on next steps",
        choices=list(codes.OUTCOMES.items()),
        widget=forms.RadioSelect,
        required=False,
    )
    note = forms.CharField(
        label="Note to the referrer (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper_for(self, "Record the decision", "decide")


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why is the referral withdrawn?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper_for(self, "Withdraw the referral", "withdraw")
        self.helper.inputs[0].field_classes = "govuk-button govuk-button--warning"


class ShareForm(forms.Form):
    shared = forms.TypedChoiceField(
        label="What was decided?",
        choices=[("yes", "Information was shared"), ("no", "Decided not to share")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether information was shared"},
    )
    categories = forms.MultipleChoiceField(
        label="What information",
        choices=list(codes.SHARE_CATEGORIES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    recipient = forms.ChoiceField(label="With which organisation", required=False)
    recipient_name = forms.CharField(
        label="Organisation, if not listed", required=False, max_length=200
    )
    recipient_person = forms.CharField(label="Person, where known", required=False, max_length=200)
    purpose = forms.CharField(
        label="Why",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the information was (or was not) shared"},
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis",
        choices=list(codes.LAWFUL_BASES.items()),
        widget=forms.RadioSelect,
        required=False,
    )
    consent = forms.ChoiceField(
        label="The client's consent",
        choices=list(codes.CONSENT.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the client consented"},
    )
    without_consent_reason = forms.CharField(
        label="If shared without consent: the reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, organisations, submit="Record the decision", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].choices = [("", "Choose an organisation")] + [
            (str(o.pk), o.name) for o in organisations
        ]
        self.helper = helper_for(self, submit)


class RequestForm(forms.Form):
    provider = forms.ChoiceField(
        label="Treatment service",
        error_messages={"required": "Choose the treatment service you are asking"},
    )
    their_reference = forms.CharField(label="Your case reference", max_length=40)
    about = forms.CharField(
        label="Who the request is about",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Enough for the service to find the parent: initials, date of birth, and the "
        "children's initials and dates of birth",
    )
    question = forms.CharField(
        label="What you need to know", widget=forms.Textarea(attrs={"rows": 4})
    )
    purpose = forms.CharField(label="Why you need it", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "Choose a service")] + [
            (str(p.pk), p.name) for p in providers
        ]
        self.helper = helper_for(self, "Send the request")


class GlassForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to open this record?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The data lead reviews every record opened this way",
        error_messages={"required": "Say why you need to open this record"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper_for(self, "Open the record")


class ProtocolForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    ack_days = forms.IntegerField(
        label="Working days to acknowledge a referral", min_value=1, max_value=20
    )
    decision_days = forms.IntegerField(
        label="Working days to decide on next steps", min_value=1, max_value=20
    )
    contribution_days = forms.IntegerField(
        label="Working days before a conference the service's contribution is due",
        min_value=0,
        max_value=20,
    )
    country = forms.ChoiceField(
        label="Whose bank holidays count",
        choices=[("EW", "England and Wales"), ("SC", "Scotland"), ("NI", "Northern Ireland")],
        widget=forms.RadioSelect,
    )
    escalation_contact = forms.CharField(
        label="Escalation contacts",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who to call when a referral is overdue: name or role, telephone, email",
    )
    review_date = GovDateField(
        label="Review date",
        earliest=dt.date(2000, 1, 1),
        latest=dt.date(2100, 12, 31),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper_for(self, "Save the protocol")
