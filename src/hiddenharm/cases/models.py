"""Case records: clients, episodes, the Hidden Harm items over time, children, pregnancies.

Field names follow the HHX-1 columns they export to (given in each field's comment), and
every code list comes from `hiddenharm.extract.codes`, so a record here is always a row
the validator accepts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from hiddenharm.accounts.models import Organisation, Team
from hiddenharm.extract import codes


def _choices(code_list: dict[str, str]) -> list[tuple[str, str]]:
    return list(code_list.items())


class Client(models.Model):
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="clients")
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="clients"
    )
    keyworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clients",
    )
    client_ref = models.CharField("Client reference", max_length=20)  # CLIENTID
    first_initial = models.CharField("First initial", max_length=1)  # FINITIAL
    surname_initial = models.CharField("Surname initial", max_length=1)  # SINITIAL
    dob = models.DateField("Date of birth")  # DOB
    sex = models.CharField(max_length=1, choices=_choices(codes.SEX))  # SEX
    la = models.CharField("Local authority of residence", max_length=9)  # LA
    created_at = models.DateTimeField(auto_now_add=True)
    # Incremented by the service on every correction; an edit form carries the version it
    # was read at, and a save against a newer one is refused (nothing overwritten silently).
    version = models.PositiveIntegerField(default=1)
    # Every version of the row (who, when, what): django-simple-history, in its own table.
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "client_ref"], name="client_ref_unique")
        ]
        indexes = [
            # The attributor, for the duplicate search before a client is created.
            models.Index(
                fields=["first_initial", "surname_initial", "dob", "sex"], name="client_attributor"
            ),
            models.Index(fields=["provider", "keyworker"], name="client_provider_keyworker"),
            models.Index(fields=["provider", "team"], name="client_provider_team"),
        ]

    def __str__(self) -> str:
        return f"Client {self.client_ref}"

    @property
    def attributor(self) -> str:
        return f"{self.first_initial}{self.surname_initial}{self.dob:%Y%m%d}{self.sex}"

    @property
    def is_female(self) -> bool:
        return self.sex == "F"


class Episode(models.Model):
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="episodes")
    # Denormalised from the client so that AGNCY + EPISODID can be unique in the database.
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="episodes")
    episode_ref = models.CharField("Episode reference", max_length=20)  # EPISODID
    referred = models.DateField("Date referred")  # REFLD
    triaged = models.DateField("Date of triage assessment", null=True, blank=True)  # TRIAGED
    care_plan_start = models.DateField(
        "Date the care plan started", null=True, blank=True
    )  # CPLANDT
    drug1 = models.CharField(
        "Main problem substance", max_length=20, choices=_choices(codes.SUBSTANCE)
    )
    drug2 = models.CharField(
        "Second problem substance", max_length=20, blank=True, choices=_choices(codes.SUBSTANCE)
    )
    drug3 = models.CharField(
        "Third problem substance", max_length=20, blank=True, choices=_choices(codes.SUBSTANCE)
    )
    setting = models.CharField(
        max_length=10, choices=_choices(codes.SETTING), default=codes.SETTING_DEFAULT
    )
    discharged = models.DateField("Date discharged", null=True, blank=True)  # DISD
    discharge_reason = models.CharField(
        "Discharge reason", max_length=2, blank=True, choices=_choices(codes.DISRSN)
    )  # DISRSN
    created_at = models.DateTimeField(auto_now_add=True)
    # Incremented by the service on every correction; an edit form carries the version it
    # was read at, and a save against a newer one is refused (nothing overwritten silently).
    version = models.PositiveIntegerField(default=1)
    # Every version of the row (who, when, what): django-simple-history, in its own table.
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "episode_ref"], name="episode_ref_unique"),
            models.CheckConstraint(
                condition=(models.Q(discharged__isnull=True) & models.Q(discharge_reason=""))
                | (models.Q(discharged__isnull=False) & ~models.Q(discharge_reason="")),
                name="episode_discharge_with_reason",
            ),
        ]
        indexes = [
            # The worklists: open episodes of a provider by treatment start.
            models.Index(
                fields=["provider", "discharged", "care_plan_start"], name="episode_open_start"
            ),
        ]

    def __str__(self) -> str:
        return f"Episode {self.episode_ref}"

    @property
    def is_open(self) -> bool:
        return self.discharged is None


class HiddenHarmRecord(models.Model):
    """The Hidden Harm items as recorded on one date: at the start of the episode, or at a
    care-plan review. A row is never overwritten by a later recording: history is kept."""

    class Kind(models.TextChoices):
        START = "start", "Start of treatment"
        REVIEW = "review", "Care-plan review"

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="hh_records")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # HHDATE for the start row (null: taken as CPLANDT), REVDATE for a review.
    recorded_on = models.DateField("Date recorded", null=True, blank=True)
    prntstat = models.CharField(
        "Parental status", max_length=2, blank=True, choices=_choices(codes.PRNTSTAT)
    )
    childwth = models.PositiveSmallIntegerField(
        "Children under 18 living in the client's household", null=True, blank=True
    )
    pregnant = models.CharField(
        "Pregnant", max_length=1, blank=True, choices=_choices(codes.PREGNANT)
    )
    earlyhlp = models.CharField(
        "Help the children receive", max_length=40, blank=True
    )  # EARLYHLP, codes joined by ";"
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Incremented by the service on every correction; an edit form carries the version it
    # was read at, and a save against a newer one is refused (nothing overwritten silently).
    version = models.PositiveIntegerField(default=1)
    # Every version of the row (who, when, what): django-simple-history, in its own table.
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["episode"], condition=models.Q(kind="start"), name="hh_one_start"
            ),
            models.UniqueConstraint(
                fields=["episode", "recorded_on"],
                condition=models.Q(kind="review"),
                name="hh_review_date_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(childwth__isnull=True)
                | models.Q(childwth__lte=codes.CHILDWTH_MAX),
                name="hh_childwth_range",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="start") | models.Q(recorded_on__isnull=False),
                name="hh_review_dated",
            ),
        ]
        indexes = [
            models.Index(fields=["episode", "kind", "recorded_on"], name="hh_episode_kind_date"),
        ]

    @property
    def earlyhlp_codes(self) -> list[str]:
        return [c for c in self.earlyhlp.split(";") if c]

    def earlyhlp_display(self) -> str:
        return ", ".join(codes.EARLYHLP.get(c, c) for c in self.earlyhlp_codes)


class Child(models.Model):
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="children")
    child_ref = models.CharField("Child reference", max_length=20)  # CHILDREF
    year_of_birth = models.PositiveSmallIntegerField("Year of birth", null=True, blank=True)
    sex = models.CharField(max_length=1, blank=True, choices=_choices(codes.SEX))  # CHSEX
    created_at = models.DateTimeField(auto_now_add=True)
    # Incremented by the service on every correction; an edit form carries the version it
    # was read at, and a save against a newer one is refused (nothing overwritten silently).
    version = models.PositiveIntegerField(default=1)
    # Every version of the row (who, when, what): django-simple-history, in its own table.
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "child_ref"], name="child_ref_unique")
        ]

    def __str__(self) -> str:
        return f"Child {self.child_ref}"


class ChildStatus(models.Model):
    """Where a child lives and their social care status, as recorded on a date."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="statuses")
    recorded_on = models.DateField("Date recorded")  # RECDATE
    whereabouts = models.CharField(
        "Where the child lives", max_length=10, blank=True, choices=_choices(codes.WHEREABT)
    )
    csc_status = models.CharField(
        "Children's social care status", max_length=4, blank=True, choices=_choices(codes.CSCSTAT)
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Incremented by the service on every correction; an edit form carries the version it
    # was read at, and a save against a newer one is refused (nothing overwritten silently).
    version = models.PositiveIntegerField(default=1)
    # Every version of the row (who, when, what): django-simple-history, in its own table.
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["-recorded_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["child", "recorded_on"], name="child_status_date")
        ]


OUTCOMES = [("born", "The baby was born"), ("ended", "The pregnancy ended")]


class Pregnancy(models.Model):
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="pregnancies")
    recorded_on = models.DateField("Date recorded")
    edd = models.DateField("Expected date of delivery")
    maternity_linked = models.BooleanField("Linked with the maternity service", default=False)
    maternity_service = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.MATERNITY},
    )
    prebirth_referral_considered = models.BooleanField(
        "Pre-birth safeguarding referral considered", default=False
    )
    notes = models.TextField(blank=True)
    outcome = models.CharField("Outcome", max_length=10, blank=True, choices=OUTCOMES)
    outcome_on = models.DateField("Date of the outcome", null=True, blank=True)
    child = models.ForeignKey(
        "Child", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # the child born, added to the client's children by the service
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Incremented by the service on every correction; an edit form carries the version it
    # was read at, and a save against a newer one is refused (nothing overwritten silently).
    version = models.PositiveIntegerField(default=1)
    # Every version of the row (who, when, what): django-simple-history, in its own table.
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["-edd"]


class DataVersion(models.Model):
    """How many times a provider's case records have changed (a counter per provider).

    Bumped by database triggers (migration 0002) on every insert, update and delete of the
    rows that go into an extract: clients, episodes, Hidden Harm recordings, children and
    their statuses. Triggers, not signals, so that every way of writing counts: the forms,
    the set-based import (`bulk_create`, `bulk_update`), a queryset `update()`, the admin,
    a shell. The bump is in the writer's transaction, so a reader never sees a new version
    before the rows behind it.
    """

    provider_id = models.BigIntegerField(primary_key=True)  # no FK: see the migration
    version = models.BigIntegerField(default=0)


class FigureCache(models.Model):
    """The dashboard's figures for one scope, as computed at one data version.

    `key` names the scope (providers and their agency codes, teams, period, suppression,
    the as-of date); `versions` the providers' data versions the figures were computed at.
    A row whose versions differ from the current ones is stale and is recomputed. A table,
    not a per-process cache, so that every web process shares one computation.
    """

    key = models.CharField(max_length=64, unique=True)
    versions = models.TextField()
    as_of = models.DateField()
    computed_at = models.DateTimeField()
    seconds = models.FloatField(default=0)  # how long the computation took
    figures = models.JSONField()
    # What to compute the scope again from (provider and team ids, period, publish, as-of
    # date), so a background refresh needs no request: ids only, no personal data.
    args = models.JSONField(default=dict)
    # The dashboard the figures belong to whatever the day (`figures.family_key`): its last
    # figures are shown, dated, while a new day's are worked out.
    family = models.CharField(max_length=64, blank=True, default="", db_index=True)
    # When a web process claimed the refresh of these figures (null: none is under way), so
    # that one process works a stale scope out, not every worker that shows it.
    refreshing_since = models.DateTimeField(null=True, blank=True)
