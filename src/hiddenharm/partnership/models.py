"""The partnership's records: each area's progress on the 48 recommendations and the
markers of progress, their history, and the agency directory.

The recommendations and markers themselves are data (`catalogue.py`, from the seed report);
rows here refer to them by number or id. Every row people change carries a `version`, and
every change is a `Change` row (who, when, old -> new), written by `services.py` only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from hiddenharm.accounts.models import Organisation


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    IN_PLACE = "in_place", "In place"
    EMBEDDED = "embedded", "Embedded"


class RecommendationStatus(models.Model):
    """One area's progress on one recommendation (absent: not started)."""

    area = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="recommendation_statuses"
    )
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    evidence = models.TextField(blank=True)
    owner = models.CharField(max_length=200, blank=True)
    review_date = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["area_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["area", "number"], name="recommendation_status_unique")
        ]

    def __str__(self) -> str:
        return f"{self.area} R{self.number}: {self.get_status_display()}"


class MarkerEvidence(models.Model):
    """An area's evidence against one of the report's markers of progress."""

    area = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="markers")
    marker = models.CharField(max_length=8)  # catalogue id, e.g. "4A.6"
    achieved = models.BooleanField(default=False)
    description = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["area_id", "marker"]
        constraints = [models.UniqueConstraint(fields=["area", "marker"], name="marker_unique")]


class DirectoryEntry(models.Model):
    """A service in the agency directory. An entry for one of the application's
    organisations links to it (its name comes from there, never typed twice)."""

    class Kind(models.TextChoices):
        TREATMENT = "treatment", "Drug and alcohol treatment service"
        CSC_FRONT_DOOR = "csc_front_door", "Children's social care front door"
        MATERNITY = "maternity", "Maternity service"
        HEALTH_VISITING = "health_visiting", "Health visiting"
        SCHOOL_DSL = "school_dsl", "School designated safeguarding lead"
        POLICE = "police", "Police"
        PRISON_PROBATION = "prison_probation", "Prisons and probation"
        VOLUNTARY = "voluntary", "Voluntary service for children and families"
        PARTNERSHIP = "partnership", "Safeguarding partnership"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="directory_entry",
    )
    name = models.CharField(max_length=200, blank=True)  # only when not an organisation's
    description = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    address = models.TextField(blank=True)
    hours = models.CharField(max_length=200, blank=True)
    areas = models.CharField(
        "Areas covered (local authority codes)", max_length=200, blank=True
    )  # space-separated la codes
    areas_description = models.CharField("Areas covered", max_length=200, blank=True)
    public = models.BooleanField(
        "Show on the public page", default=False
    )  # a school's lead is for professionals; a helpline is for families too
    active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "name", "id"]
        verbose_name_plural = "directory entries"

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.organisation.name if self.organisation_id else self.name

    @property
    def la_codes(self) -> list[str]:
        return self.areas.split()


class Change(models.Model):
    """One change to a partnership record: who, when, and each field's old and new value."""

    area = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(max_length=40)  # "recommendation:9", "marker:4A.6", "directory:3"
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField()  # the version this change made
    changes = models.JSONField(default=dict)  # field -> [old, new], as shown to people

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["area", "subject"], name="partnership_change_subject")]
