"""Forms for the case records. Choices come from `extract.codes`; the cross-field rules
are those of the extract validator (`cases.rules`), with the message next to the field."""

from __future__ import annotations

import datetime as dt

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone

from hiddenharm.accounts.models import LA_RE, Organisation
from hiddenharm.cases import rules
from hiddenharm.cases.models import OUTCOMES
from hiddenharm.extract import codes

DATE_HINT = "For example, 27 3 2024"
REF_HINT = "Up to 20 characters, as in your case system"
EARLIEST, LATEST = 1900, 2100  # a year outside is a typing slip (0001, 9999), never a date


def today() -> dt.date:
    return timezone.localdate()


class DateWidget(DateInputWidget):
    """Day, month and year boxes; a single `name=` value (a link, a script, an older form)
    in either of the extract's formats (2024-03-27, 27/03/2024) is split into the three."""

    def value_from_datadict(self, data, files, name):
        if not any(f"{name}_{i}" in data for i in range(3)) and name in data:
            return split_date(data.get(name) or "")
        return super().value_from_datadict(data, files, name)


def split_date(text: str) -> list[str]:
    text = text.strip()
    if not text:
        return ["", "", ""]
    for sep, order in (("-", (2, 1, 0)), ("/", (0, 1, 2))):
        parts = text.split(sep)
        if len(parts) == 3:
            return [parts[order[0]], parts[order[1]], parts[order[2]]]
    return ["x", "x", "x"]  # not a date in any form: "must be a real date"


class DateField(DateInputField):
    """GOV.UK date input (day, month, year), the one date handling of the forms and filters:
    a blank, partial, impossible (31 2 2024) or implausible (year 0001 or 9999) date is a
    message next to the field, never an exception further on."""

    def __init__(
        self,
        label: str,
        *,
        required: bool = True,
        help_text: str = DATE_HINT,
        earliest: dt.date | None = None,
        latest: dt.date | None = None,
        **kwargs,
    ):
        super().__init__(
            label=label, required=required, help_text=help_text, widget=DateWidget, **kwargs
        )
        self.earliest, self.latest = earliest, latest
        what = label[0].lower() + label[1:]
        self.what = what
        self.error_messages.update(
            {
                "required": f"Enter the {what}",
                "incomplete": f"The {what} must include a day, a month and a year",
                "invalid": f"The {what} must be a real date",
            }
        )
        for sub, name in zip(self.fields, ("day", "month", "year"), strict=True):
            sub.validators = [
                RegexValidator(r"^\s*[0-9]{1,4}\s*$", f"The {what} must be a real date")
            ]
            sub.error_messages["incomplete"] = f"The {what} must include a {name}"

    def compress(self, data_list):
        day, month, year = (str(v or "").strip() for v in data_list)
        if not (day or month or year):
            return None
        if not (day and month and year):
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        if len(year) != 4:
            raise ValidationError(
                f"The year of the {self.what} must be 4 digits, like 2024", code="invalid"
            )
        if not EARLIEST <= int(year) <= LATEST:
            raise ValidationError(
                f"The year of the {self.what} must be from {EARLIEST} to {LATEST}", code="invalid"
            )
        try:
            value = dt.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if self.earliest and value < self.earliest:
            raise ValidationError(
                f"The {self.what} must be on or after {self.earliest:%-d %B %Y}", code="range"
            )
        if self.latest and value > self.latest:
            raise ValidationError(
                f"The {self.what} must be on or before {self.latest:%-d %B %Y}", code="range"
            )
        return value


def date_field(label: str, required: bool = True, hint: str = DATE_HINT) -> DateField:
    return DateField(label=label, required=required, help_text=hint)


# crispy-forms-gds's field template, except checkboxes with answers that stand alone.
FIELD_TEMPLATE = "cases/gds_field.html"


def helper_for(form, submit_label: str) -> FormHelper:
    """GOV.UK rendering; the template writes the <form> tag and the CSRF token (crispy's
    own token would end up in the query string of a GET form)."""
    helper = FormHelper(form)
    helper.form_tag = False
    helper.disable_csrf = True
    helper.field_template = FIELD_TEMPLATE
    helper.add_input(Submit("save", submit_label))
    return helper


def in_fieldsets(form, *groups):
    """A crispy layout of GOV.UK fieldsets, each with a legend, for a long form."""
    from crispy_forms_gds.layout import Fieldset, Layout, Size

    return Layout(
        *(
            Fieldset(
                *[n for n in names if n in form.fields], legend=legend, legend_size=Size.MEDIUM
            )
            for legend, names in groups
        )
    )


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


def refuse_formula(value: str) -> None:
    """A reference a spreadsheet would run as a formula is refused (extract/cells.py)."""
    from hiddenharm.extract.cells import REFUSAL, refused_reference

    if refused_reference(value):
        raise forms.ValidationError(REFUSAL)


def ref_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=20,
        validators=[refuse_formula],
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
    """A GOV.UK form. With `instance=`, it corrects that record: it starts from the
    record's values (`initial_for`) and carries the version it was read at, which the
    service refuses when the record has changed since."""

    submit_label = "Save"

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {**self.initial_for(instance), "version": instance.version}
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
        self.helper = helper_for(self, self.submit_label)

    @classmethod
    def initial_for(cls, obj) -> dict:
        """The form's values for a record as it is (to correct it, or to compare)."""
        return {name: getattr(obj, name) for name in cls.base_fields if hasattr(obj, name)}

    def others(self, qs):
        """`qs` without the record being corrected (for the unique checks)."""
        return qs.exclude(pk=self.instance.pk) if self.instance is not None else qs

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
        if self.instance is not None:  # a correction: the team and keyworker are assigned
            del self.fields["team"], self.fields["keyworker"]
            self.helper = helper_for(self, "Save correction")

    def clean_client_ref(self):
        value = self._clean_printable_ref("client_ref")
        from hiddenharm.cases.models import Client

        if self.others(Client.objects.filter(provider=self.provider, client_ref=value)).exists():
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
                self.others(
                    Client.objects.filter(provider=self.provider, **{k: data[k] for k in keys})
                )
            )
            if self.duplicates and not data.get("not_a_duplicate"):
                self.add_error(
                    "not_a_duplicate",
                    "A client with the same initials, date of birth and sex is already "
                    "recorded: open their record, or confirm this is a different person",
                )
        return data


# --- the Hidden Harm items --------------------------------------------------------


EXCLUSIVE = ("NONE", "UNK")  # stand alone (the rule in cases.rules): after an "or"


class ExclusiveCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes of which some answers ("None", "Not known") stand alone: rendered by
    cases/exclusive_checkboxes.html (through the helpers' field template) with
    data-behaviour="exclusive" on them, so that govuk-frontend unticks the others. The
    forms still refuse the mix (a browser without JavaScript sends it)."""

    hh_exclusive = True


def exclusive_choices(items, exclusive) -> list:
    """Choices whose `exclusive` values carry `exclusive=True`, with GOV.UK's "or" divider
    after the last answer before them."""
    from crispy_forms_gds.choices import Choice

    items = [tuple(i) for i in items]
    out = []
    for i, (code, label) in enumerate(items):
        nxt = items[i + 1][0] if i + 1 < len(items) else None
        divider = "or" if nxt in exclusive and code not in exclusive else None
        out.append(Choice(code, label, divider=divider, exclusive=code in exclusive))
    return out


def earlyhlp_choices() -> list:
    """EARLYHLP's codes, with GOV.UK's "or" divider before the answers that stand alone."""
    return exclusive_choices(codes.EARLYHLP.items(), EXCLUSIVE)


def items_initial(obj) -> dict:
    return {
        "prntstat": obj.prntstat,
        "childwth": obj.childwth,
        "pregnant": obj.pregnant,
        "earlyhlp": obj.earlyhlp_codes,
    }


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
            choices=earlyhlp_choices(),
            required=False,
            widget=ExclusiveCheckboxes,
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
        if self.instance is None:
            self.add_item_fields(client.sex, children_with_client=children_with_client)
        else:  # correcting the episode's details; the items are corrected on their own form
            self.submit_label = "Save correction"
            del self.fields["hh_date"]
        self.helper = helper_for(self, self.submit_label)
        if self.instance is None:  # a long form: the episode, then the items, in fieldsets
            self.helper.layout = in_fieldsets(
                self,
                ("The episode", ("episode_ref", "referred", "triaged", "care_plan_start")),
                ("Problem substances and setting", ("drug1", "drug2", "drug3", "setting")),
                (
                    "Hidden Harm items at the start of treatment",
                    ("hh_date", "prntstat", "childwth", "pregnant", "earlyhlp"),
                ),
            )

    def clean_episode_ref(self):
        value = self._clean_printable_ref("episode_ref")
        from hiddenharm.cases.models import Episode

        same = Episode.objects.filter(provider_id=self.client.provider_id, episode_ref=value)
        if self.others(same).exists():
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
            discharged=self.instance.discharged if self.instance is not None else None,
            today=today(),
        ).items():
            if name not in self.fields:  # the discharge date: say so on the dates moved
                name, message = (
                    "care_plan_start",
                    f"{message} ({self.instance.discharged:%d/%m/%Y})",
                )
            if name not in self.errors:
                self.add_error(name, message)
        drugs = [data.get(k) for k in ("drug1", "drug2", "drug3") if data.get(k)]
        if len(drugs) != len(set(drugs)):
            self.add_error(
                "drug2" if data.get("drug2") in drugs[:1] else "drug3",
                "Choose a different substance from the ones above",
            )
        if self.instance is None:
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

    @classmethod
    def initial_for(cls, obj) -> dict:
        return {"hh_date": obj.recorded_on, **items_initial(obj)}

    def clean(self):
        data = super().clean()
        hh_date = data.get("hh_date")
        if hh_date is not None and "hh_date" not in self.errors:
            if hh_date > today():
                self.add_error("hh_date", "The date must be today or in the past")
            elif hh_date < self.episode.referred:
                self.add_error(
                    "hh_date",
                    f"The date must be on or after the referral date "
                    f"({self.episode.referred:%d/%m/%Y})",
                )
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
        if self.instance is None:
            self.fields["revdate"].initial = today()  # most reviews are recorded on the day
        else:
            self.submit_label = "Save correction"
        self.helper = helper_for(self, self.submit_label)

    @classmethod
    def initial_for(cls, obj) -> dict:
        return {"revdate": obj.recorded_on, **items_initial(obj)}

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
        if self.others(self.episode.hh_records.filter(kind="review", recorded_on=revdate)).exists():
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
        if (
            self.child is not None
            and self.others(self.child.statuses.filter(recorded_on=value)).exists()
        ):
            raise forms.ValidationError("This child already has a record on this date")
        return value


class ChildDetailsForm(GovForm):
    """The child: reference, year of birth, sex (corrected on their own)."""

    submit_label = "Save correction"
    child_ref = ref_field("Child reference")
    year_of_birth = forms.IntegerField(
        label="Year of birth",
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        help_text="For example, 2015",
        error_messages={"invalid": "Enter the year of birth as 4 digits, like 2015"},
    )
    sex = code_field("Sex", codes.SEX)

    def __init__(self, *args, client, **kwargs):
        self.client = client
        super().__init__(*args, **kwargs)

    def clean_child_ref(self):
        value = self._clean_printable_ref("child_ref")
        if self.others(self.client.children.filter(child_ref=value)).exists():
            raise forms.ValidationError("This client already has a child with this reference")
        return value

    def clean_year_of_birth(self):
        year = self.cleaned_data["year_of_birth"]
        if year is not None and not 1900 <= year <= today().year:
            raise forms.ValidationError(f"Enter a year from 1900 to {today().year}")
        return year


class ChildForm(ChildDetailsForm, ChildStatusForm):
    """A new child, with where they live and their social care status on a date."""

    submit_label = "Add child"
    field_order = ["child_ref", "year_of_birth", "sex", "recorded_on", "whereabouts", "csc_status"]


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
        if self.instance is not None:  # an update: the outcome, and a birth adds the child
            self.submit_label = "Save"
            self.fields["outcome"] = forms.ChoiceField(
                label="Outcome",
                required=False,
                widget=forms.RadioSelect,
                choices=[("", "Still pregnant"), *OUTCOMES],
            )
            self.fields["outcome_on"] = date_field("Date of the outcome", required=False)
            if self.instance.child_id is None:
                self.fields["child_ref"] = ref_field("Child reference (if the baby was born)")
                self.fields["child_ref"].required = False
                self.fields["child_sex"] = code_field("The baby's sex", codes.SEX)
            self.helper = helper_for(self, self.submit_label)

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
        outcome, when = data.get("outcome"), data.get("outcome_on")
        if outcome and not when and "outcome_on" not in self.errors:
            self.add_error("outcome_on", "Enter the date of the outcome")
        if when and not outcome:
            self.add_error("outcome", "Choose the outcome, or leave its date blank")
        if when and (when > today() or (rec and when < rec)):
            self.add_error("outcome_on", "The date must be between the date recorded and today")
        if outcome == "born" and "child_ref" in self.fields:
            ref = (data.get("child_ref") or "").strip()
            if not ref:
                self.add_error("child_ref", "Enter a reference for the child born")
            elif self.client.children.filter(child_ref=ref).exists():
                self.add_error("child_ref", "This client already has a child with this reference")
        return data


# --- caseloads: find by reference, filter, assign -----------------------------------


class ReferenceSearchForm(GovForm):
    submit_label = "Find"
    client_ref = forms.CharField(
        label="Client reference",
        max_length=20,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
        error_messages={"required": "Enter the client reference"},
    )


CASELOAD_FILTERS = {
    "open": "With an open episode",
    "children": "With children recorded",
    "plan": "A child on a child protection plan",
    "pregnant": "Pregnant",
}


class CaseloadFilterForm(forms.Form):
    """The caseload's filters: in the query string, as they hold no personal data."""

    show = forms.MultipleChoiceField(
        label="Show only clients",
        required=False,
        choices=list(CASELOAD_FILTERS.items()),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.add_input(Submit("filter", "Filter", css_class="govuk-button--secondary"))


class AssignForm(GovForm):
    """A team and/or a keyworker for one client or for the clients ticked on a caseload."""

    submit_label = "Assign"
    team = forms.ModelChoiceField(label="Team", queryset=None, required=False)
    keyworker = forms.ModelChoiceField(label="Keyworker", queryset=None, required=False)

    def __init__(self, *args, teams, keyworkers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["team"].label_from_instance = lambda t: t.name
        self.fields["keyworker"].queryset = keyworkers
        self.fields["keyworker"].label_from_instance = lambda u: u.get_full_name() or u.username
        for name in ("team", "keyworker"):
            self.fields[name].empty_label = "Leave as it is"
        self.helper = helper_for(self, self.submit_label)

    def clean(self):
        data = super().clean()
        if not data.get("team") and not data.get("keyworker"):
            self.add_error("team", "Choose a team, a keyworker, or both")
        return data


class PeriodForm(forms.Form):
    """The figures' period, in the query string (no personal data): two GOV.UK dates."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = date_field("From", required=False, hint="For example, 1 4 2025")
        self.fields["to"] = date_field("To", required=False, hint="For example, 31 3 2026")
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # a GET form: the template writes the button

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and end < start:
            self.add_error("to", "The end of the period must be on or after its start")
        return data
