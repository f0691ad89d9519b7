"""Forms of the partnership pages (GOV.UK rendering, as the case forms)."""

from __future__ import annotations

from django import forms

from hiddenharm.accounts.models import LA_RE, Organisation
from hiddenharm.cases.forms import GovForm, date_field
from hiddenharm.partnership.models import DirectoryEntry, Status


class RecommendationForm(GovForm):
    submit_label = "Save progress"

    status = forms.ChoiceField(
        label="Status",
        choices=Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the status"},
    )
    evidence = forms.CharField(
        label="Evidence",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What is in place, and where the board can see it",
    )
    owner = forms.CharField(
        label="Owner", required=False, max_length=200, help_text="A person or a role"
    )
    review_date = date_field("Review date", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class MarkerForm(GovForm):
    submit_label = "Save evidence"

    marker = forms.CharField(widget=forms.HiddenInput, max_length=8)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    achieved = forms.BooleanField(label="This area has evidence of this marker", required=False)
    description = forms.CharField(
        label="Evidence", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    kind = forms.ChoiceField(
        label="Type of service",
        required=False,
        choices=[("", "All types")] + list(DirectoryEntry.Kind.choices),
    )


class DirectoryEntryForm(GovForm):
    submit_label = "Save entry"

    kind = forms.ChoiceField(label="Type of service", choices=DirectoryEntry.Kind.choices)
    organisation = forms.ModelChoiceField(
        label="Organisation in this application",
        required=False,
        queryset=Organisation.objects.order_by("name"),
        empty_label="None: a service outside the application",
        help_text="Its name is then taken from the organisation",
    )
    name = forms.CharField(label="Name", required=False, max_length=200)
    description = forms.CharField(
        label="What it offers", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    phone = forms.CharField(label="Telephone", required=False, max_length=40)
    email = forms.EmailField(label="Email", required=False)
    website = forms.URLField(
        label="Website",
        required=False,
        assume_scheme="https",
        # a text input: the GOV.UK templates style TextInput, not URLInput
        widget=forms.TextInput(attrs={"inputmode": "url", "spellcheck": "false"}),
    )
    address = forms.CharField(
        label="Address", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    hours = forms.CharField(
        label="Hours",
        required=False,
        max_length=200,
        help_text="For example, Monday to Friday 9am to 5pm",
    )
    areas = forms.CharField(
        label="Areas covered: local authority codes",
        required=False,
        max_length=200,
        help_text="Separated by spaces, for example E10000020",
    )
    areas_description = forms.CharField(label="Areas covered, in words", required=False)
    public = forms.BooleanField(label="Show on the public page for families", required=False)
    active = forms.BooleanField(label="Listed in the directory", required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def clean_areas(self):
        codes = self.cleaned_data["areas"].upper().split()
        bad = [c for c in codes if not LA_RE.match(c)]
        if bad:
            raise forms.ValidationError(
                f"Enter local authority codes of 1 to 9 letters A-Z or digits ({' '.join(bad)})"
            )
        return " ".join(codes)

    def clean(self):
        data = super().clean()
        if not data.get("organisation") and not (data.get("name") or "").strip():
            self.add_error("name", "Enter the name of the service, or choose its organisation")
        return data
