"""Forms for the case records. Choices come from `extract.codes`; the cross-field rules
are those of the extract validator (`cases.rules`), with the message next to the field."""

from __future__ import annotations

import datetime as dt

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms
from django.utils import timezone

from hiddenharm.accounts.models import LA_RE, Organisation
from hiddenharm.cases import rules
from hiddenharm.extract import codes

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]  # the two forms HHX-1 accepts
DATE_HINT = "For example, 27/03/2024 or 2024-03-27"
REF_HINT = "Up to 20 characters, as in your case system"


def today() -> dt.date:
    return timezone.localdate()


def date_field(label: str, required: bool = True, hint: str = DATE_HINT) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        help_text=hint,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as a real date, like 27/03/2024",
        },
    )


def helper_for(form, submit_label: str) -> FormHelper:
    """GOV.UK rendering; the template writes the <form> tag and the CSRF token (crispy's
    own token would end up in the query string of a GET form)."""
    helper = FormHelper(form)
    helper.form_tag = False
    helper.disable_csrf = True
    helper.add_input(Submit("save", submit_label))
    return helper


def code_field(label: str, code_list: dict[str, str], required=False, blank_label=None):
    choices = [(k, v) for k, v in code_list.items()]
    if not required and blank_label:
        choices = [("", blank_label)] + choices
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        widget=forms.RadioSelect,
        error_messages={"required": f"Choose the {label.lower()}"},
    )


def select_field(label: str, code_list: dict[str, str], required=False):
    return forms.ChoiceField(
        label=label,
        choices=[("", "")] + [(k, f"{v}") for k, v in code_list.items()],
        required=required,
        error_messages={"required": f"Choose the {label.lower()}"},
    )


def ref_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=20,
        help_text=REF_HINT,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "max_length": f"The {label.lower()} must be 20 characters or fewer",
        },
    )


def initial_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=1,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-2", "autocomplete": "off"}),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "max_length": f"Enter only the {label.lower()}, one letter",
        },
    )


class GovForm(forms.Form):
    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper_for(self, self.submit_label)

    def _clean_printable_ref(self, name: str) -> str:
        value = self.cleaned_data[name].strip()
        if not value.isprintable():
            raise forms.ValidationError("Use only printable characters")
        return value

    @staticmethod
    def _clean_initial(value: str) -> str:
        value = value.strip().upper()
        if not ("A" <= value <= "Z") or len(value) != 1:
            raise forms.ValidationError("Enter one letter, A to Z")
        return value


# --- clients ----------------------------------------------------------------------


class ClientSearchForm(GovForm):
    """The attributor: first initial, surname initial, date of birth, sex."""

    submit_label = "Search"
    first_initial = initial_field("First initial")
    surname_initial = initial_field("Surname initial")
    dob = date_field("Date of birth")
    sex = code_field("Sex", codes.SEX, required=True)

    def clean_first_initial(self):
        return self._clean_initial(self.cleaned_data["first_initial"])

    def clean_surname_initial(self):
        return self._clean_initial(self.cleaned_data["surname_initial"])


class ClientForm(GovForm):
    submit_label = "Save client"
    client_ref = ref_field("Client reference")
    first_initial = initial_field("First initial")
    surname_initial = initial_field("Surname initial")
    dob = date_field("Date of birth")
    sex = code_field("Sex", codes.SEX, required=True)
    la = forms.CharField(
        label="Local authority of residence",
        max_length=9,
        help_text="The ONS code, for example E10000020",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={"required": "Enter the local authority code"},
    )
    team = forms.ModelChoiceField(label="Team", queryset=None, required=False)
    keyworker = forms.ModelChoiceField(label="Keyworker", queryset=None, required=False)
    not_a_duplicate = forms.BooleanField(
        label="I have checked: this is a different person from the client(s) listed above",
        required=False,
    )

    def __init__(self, *args, provider: Organisation, **kwargs):
        self.provider = provider
        self.duplicates = []
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["team"].queryset = provider.teams.all()
        self.fields["keyworker"].queryset = (
            get_user_model()
            .objects.filter(
                profile__organisation=provider, profile__role="keyworker", is_active=True
            )
            .order_by("username")
        )
        self.fields["keyworker"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean_client_ref(self):
        value = self._clean_printable_ref("client_ref")
        from hiddenharm.cases.models import Client

        if Client.objects.filter(provider=self.provider, client_ref=value).exists():
            raise forms.ValidationError("A client with this reference already exists")
        return value

    def clean_first_initial(self):
        return self._clean_initial(self.cleaned_data["first_initial"])

    def clean_surname_initial(self):
        return self._clean_initial(self.cleaned_data["surname_initial"])

    def clean_dob(self):
        dob = self.cleaned_data["dob"]
        error = rules.dob_errors(dob, today())
        if error:
            raise forms.ValidationError(error)
        return dob

    def clean_la(self):
        value = self.cleaned_data["la"].strip().upper()
        if not LA_RE.match(value):
            raise forms.ValidationError("Enter 1 to 9 letters A-Z or digits, like E10000020")
        return value

    def clean(self):
        data = super().clean()
        from hiddenharm.cases.models import Client

        keys = ("first_initial", "surname_initial", "dob", "sex")
        if all(data.get(k) for k in keys):
            self.duplicates = list(
                Client.objects.filter(provider=self.provider, **{k: data[k] for k in keys})
            )
            if self.duplicates and not data.get("not_a_duplicate"):
                self.add_error(
                    "not_a_duplicate",
                    "A client with the same initials, date of birth and sex is already "
                    "recorded: open their record, or confirm this is a different person",
                )
        return data


# --- the Hidden Harm items --------------------------------------------------------


class ItemsMixin:
    """PRNTSTAT, CHILDWTH, PREGNANT (women only), EARLYHLP, validated together."""

    items_required = False

    def add_item_fields(self, sex: str, last=None, children_with_client: int | None = None):
        self.sex = sex
        req = self.items_required
        self.fields["prntstat"] = code_field("Parental status", codes.PRNTSTAT, required=req)
        self.fields["childwth"] = forms.IntegerField(
            label="Number of children under 18 living in the client's household",
            required=req,
            min_value=0,
            max_value=codes.CHILDWTH_MAX,
            help_text="The client's own children or not",
            widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
            error_messages={
                "required": "Enter how many children under 18 live in the household",
                "invalid": f"Enter a whole number from 0 to {codes.CHILDWTH_MAX}",
                "min_value": f"Enter a whole number from 0 to {codes.CHILDWTH_MAX}",
                "max_value": f"Enter a whole number from 0 to {codes.CHILDWTH_MAX}",
            },
        )
        if rules.asks_pregnancy(sex):
            self.fields["pregnant"] = code_field(
                "Is the client pregnant?", codes.PREGNANT, required=req
            )
            self.fields["pregnant"].error_messages["required"] = "Choose yes or no"
        self.fields["earlyhlp"] = forms.MultipleChoiceField(
            label="Help the children receive",
            choices=list(codes.EARLYHLP.items()),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text="Select all that apply. Asked where the client has or lives with children.",
        )
        if children_with_client:
            self.fields["childwth"].help_text += (
                f". The children recorded on this client's record as living with them: "
                f"{children_with_client}"
            )
        if last is not None:
            self._hint_last(last)

    def _hint_last(self, last):
        dates = getattr(last, "item_dates", {})
        shown = {
            "prntstat": last.get_prntstat_display() if last.prntstat else "not recorded",
            "childwth": str(last.childwth) if last.childwth is not None else "not recorded",
            "pregnant": last.get_pregnant_display() if last.pregnant else "not recorded",
            "earlyhlp": last.earlyhlp_display() or "not recorded",
        }
        for name, value in shown.items():
            if name in self.fields:
                day = dates.get(name) or (last.recorded_on if name not in dates else None)
                when = f" ({day:%d/%m/%Y})" if day else ""
                self.fields[name].help_text = (
                    f"Last recorded{when}: {value}. Ask again: choose the same answer to "
                    f"confirm it, or the new one."
                )

    def clean_items(self, data):
        for name, message in rules.item_errors(
            sex=self.sex,
            prntstat=data.get("prntstat") or "",
            childwth=data.get("childwth"),
            pregnant=data.get("pregnant") or "",
            earlyhlp=data.get("earlyhlp") or [],
        ).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)

    def item_values(self) -> dict:
        d = self.cleaned_data
        return {
            "prntstat": d.get("prntstat") or "",
            "childwth": d.get("childwth"),
            "pregnant": d.get("pregnant") or "",
            "earlyhlp": ";".join(d.get("earlyhlp") or []),
        }


class EpisodeForm(ItemsMixin, GovForm):
    """Open an episode, with the Hidden Harm items recorded at its start."""

    submit_label = "Open episode"
    episode_ref = ref_field("Episode reference")
    referred = date_field("Date referred")
    triaged = date_field("Date of triage assessment", required=False)
    care_plan_start = date_field(
        "Date the care plan started",
        required=False,
        hint=f"Leave blank if treatment has not started. {DATE_HINT}",
    )
    drug1 = select_field("Main problem substance", codes.SUBSTANCE, required=True)
    drug2 = select_field("Second problem substance", codes.SUBSTANCE)
    drug3 = select_field("Third problem substance", codes.SUBSTANCE)
    setting = code_field("Where treatment is delivered", codes.SETTING, required=True)
    hh_date = date_field(
        "Date the Hidden Harm items were asked",
        required=False,
        hint=f"Leave blank if asked on the day the care plan started. {DATE_HINT}",
    )

    def __init__(self, *args, client, children_with_client=None, **kwargs):
        self.client = client
        super().__init__(*args, **kwargs)
        self.fields["setting"].initial = codes.SETTING_DEFAULT
        self.add_item_fields(client.sex, children_with_client=children_with_client)
        self.helper = helper_for(self, self.submit_label)

    def clean_episode_ref(self):
        value = self._clean_printable_ref("episode_ref")
        from hiddenharm.cases.models import Episode

        if Episode.objects.filter(provider_id=self.client.provider_id, episode_ref=value).exists():
            raise forms.ValidationError("An episode with this reference already exists")
        return value

    def clean(self):
        data = super().clean()
        for name, message in rules.episode_date_errors(
            dob=self.client.dob,
            referred=data.get("referred"),
            triaged=data.get("triaged"),
            care_plan_start=data.get("care_plan_start"),
            hh_date=data.get("hh_date"),
            today=today(),
        ).items():
            if name not in self.errors:
                self.add_error(name, message)
        drugs = [data.get(k) for k in ("drug1", "drug2", "drug3") if data.get(k)]
        if len(drugs) != len(set(drugs)):
            self.add_error(
                "drug2" if data.get("drug2") in drugs[:1] else "drug3",
                "Choose a different substance from the ones above",
            )
        self.clean_items(data)
        return data


class StartItemsForm(ItemsMixin, GovForm):
    """Record (or complete) the items asked at the start of an episode."""

    submit_label = "Save"
    hh_date = date_field(
        "Date the Hidden Harm items were asked",
        required=False,
        hint=f"Leave blank if asked on the day the care plan started. {DATE_HINT}",
    )

    def __init__(self, *args, episode, children_with_client=None, **kwargs):
        self.episode = episode
        super().__init__(*args, **kwargs)
        self.add_item_fields(episode.client.sex, children_with_client=children_with_client)
        self.helper = helper_for(self, self.submit_label)

    def clean(self):
        data = super().clean()
        hh_date = data.get("hh_date")
        if hh_date is not None:
            if hh_date > today():
                self.add_error("hh_date", "The date must be today or in the past")
            elif hh_date < self.episode.referred:
                self.add_error("hh_date", "The date must be on or after the referral date")
        self.clean_items(data)
        return data


class ReviewForm(ItemsMixin, GovForm):
    """A care-plan review: every item asked again (nothing is copied from the last one)."""

    submit_label = "Save review"
    items_required = True
    revdate = date_field("Date of the care-plan review")

    def __init__(self, *args, episode, last=None, children_with_client=None, **kwargs):
        self.episode = episode
        super().__init__(*args, **kwargs)
        self.add_item_fields(
            episode.client.sex, last=last, children_with_client=children_with_client
        )
        self.helper = helper_for(self, self.submit_label)

    def clean_revdate(self):
        revdate = self.cleaned_data["revdate"]
        error = rules.review_date_errors(
            revdate,
            care_plan_start=self.episode.care_plan_start,
            discharged=self.episode.discharged,
            today=today(),
        )
        if error:
            raise forms.ValidationError(error)
        if self.episode.hh_records.filter(kind="review", recorded_on=revdate).exists():
            raise forms.ValidationError("A review on this date is already recorded")
        return revdate

    def clean(self):
        data = super().clean()
        self.clean_items(data)
        return data


class DischargeForm(GovForm):
    submit_label = "Discharge"
    discharged = date_field("Date discharged")
    discharge_reason = code_field("Discharge reason", codes.DISRSN, required=True)

    def __init__(self, *args, episode, **kwargs):
        self.episode = episode
        super().__init__(*args, **kwargs)

    def clean_discharged(self):
        disd = self.cleaned_data["discharged"]
        e = self.episode
        errors = rules.episode_date_errors(
            dob=None,
            referred=e.referred,
            care_plan_start=e.care_plan_start,
            discharged=disd,
            today=today(),
        )
        if "discharged" in errors:
            raise forms.ValidationError(errors["discharged"])
        last = (
            e.hh_records.filter(kind="review")
            .order_by("-recorded_on")
            .values_list("recorded_on", flat=True)
            .first()
        )
        if last and disd < last:
            raise forms.ValidationError(
                f"The discharge date must be on or after the last review ({last:%d/%m/%Y})"
            )
        return disd


# --- children and pregnancy ---------------------------------------------------------


class ChildStatusForm(GovForm):
    submit_label = "Save"
    recorded_on = date_field("Date recorded")
    whereabouts = code_field("Where the child lives", codes.WHEREABT)
    csc_status = code_field("Children's social care status", codes.CSCSTAT)

    def __init__(self, *args, child=None, **kwargs):
        self.child = child
        super().__init__(*args, **kwargs)

    def clean_recorded_on(self):
        value = self.cleaned_data["recorded_on"]
        if value > today():
            raise forms.ValidationError("The date must be today or in the past")
        if self.child is not None and self.child.statuses.filter(recorded_on=value).exists():
            raise forms.ValidationError("This child already has a record on this date")
        return value


class ChildForm(ChildStatusForm):
    submit_label = "Add child"
    child_ref = ref_field("Child reference")
    year_of_birth = forms.IntegerField(
        label="Year of birth",
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        help_text="For example, 2015",
        error_messages={"invalid": "Enter the year of birth as 4 digits, like 2015"},
    )
    sex = code_field("Sex", codes.SEX)
    field_order = ["child_ref", "year_of_birth", "sex", "recorded_on", "whereabouts", "csc_status"]

    def __init__(self, *args, client, **kwargs):
        self.client = client
        super().__init__(*args, **kwargs)

    def clean_child_ref(self):
        value = self._clean_printable_ref("child_ref")
        if self.client.children.filter(child_ref=value).exists():
            raise forms.ValidationError("This client already has a child with this reference")
        return value

    def clean_year_of_birth(self):
        year = self.cleaned_data["year_of_birth"]
        if year is not None and not 1900 <= year <= today().year:
            raise forms.ValidationError(f"Enter a year from 1900 to {today().year}")
        return year


class PregnancyForm(GovForm):
    submit_label = "Save pregnancy"
    recorded_on = date_field("Date recorded")
    edd = date_field("Expected date of delivery")
    maternity_linked = forms.BooleanField(
        label="I have linked with the maternity service", required=False
    )
    maternity_service = forms.ModelChoiceField(
        label="Maternity service", required=False, queryset=None
    )
    prebirth_referral_considered = forms.BooleanField(
        label="I have considered a pre-birth safeguarding referral to children's social care",
        required=False,
    )

    def __init__(self, *args, client, **kwargs):
        self.client = client
        super().__init__(*args, **kwargs)
        self.fields["maternity_service"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.MATERNITY
        )

    def clean_recorded_on(self):
        value = self.cleaned_data["recorded_on"]
        if value > today():
            raise forms.ValidationError("The date must be today or in the past")
        return value

    def clean(self):
        data = super().clean()
        if not rules.asks_pregnancy(self.client.sex):
            raise forms.ValidationError("Pregnancy is recorded for female clients only")
        rec, edd = data.get("recorded_on"), data.get("edd")
        if rec and edd and not rec - dt.timedelta(days=14) <= edd <= rec + dt.timedelta(days=300):
            self.add_error(
                "edd", "The expected date of delivery must be within 43 weeks of the date recorded"
            )
        if data.get("maternity_linked") and not data.get("maternity_service"):
            self.add_error("maternity_service", "Choose the maternity service you linked with")
        return data
