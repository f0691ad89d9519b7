"""Organisations, teams and the people who work in them, each with one role."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

AGENCY_RE = re.compile(r"^[A-Z0-9]{1,12}$")  # the HHX-1 "agency" rule
LA_RE = re.compile(r"^[A-Z0-9]{1,9}$")  # the HHX-1 "la" rule


class Organisation(models.Model):
    class Kind(models.TextChoices):
        PROVIDER = "provider", "Treatment provider"
        CSC = "csc", "Children's social care team"
        MATERNITY = "maternity", "Maternity service"
        PARTNERSHIP = "partnership", "Local partnership"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    agency_code = models.CharField(
        "NDTMS agency code", max_length=12, blank=True, help_text="1 to 12 of A-Z and 0-9"
    )
    la_code = models.CharField(
        "Local authority code", max_length=9, blank=True, help_text="For example E10000020"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency_code"],
                condition=~models.Q(agency_code=""),
                name="organisation_agency_code_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_provider(self) -> bool:
        return self.kind == self.Kind.PROVIDER

    def clean(self):
        self.agency_code = self.agency_code.strip().upper()
        self.la_code = self.la_code.strip().upper()
        errors = {}
        if self.kind == self.Kind.PROVIDER:
            if not AGENCY_RE.match(self.agency_code):
                errors["agency_code"] = "Enter the NDTMS agency code: 1 to 12 letters A-Z or digits"
            if not LA_RE.match(self.la_code):
                errors["la_code"] = "Enter the local authority code: 1 to 9 letters A-Z or digits"
        elif self.agency_code:
            errors["agency_code"] = "Only a treatment provider has an agency code"
        if self.la_code and not LA_RE.match(self.la_code):
            errors["la_code"] = "Enter the local authority code: 1 to 9 letters A-Z or digits"
        if errors:
            raise ValidationError(errors)


class Team(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation.name})"

    def clean(self):
        if self.organisation_id and not self.organisation.is_provider:
            raise ValidationError({"organisation": "Teams belong to a treatment provider"})


class Role(models.TextChoices):
    KEYWORKER = "keyworker", "Keyworker"
    MANAGER = "manager", "Team manager"
    DATA_LEAD = "data_lead", "Data lead"
    COMMISSIONER = "commissioner", "Commissioner"
    CSC = "csc_practitioner", "Children's social care practitioner"
    PARTNERSHIP_ADMIN = "partnership_admin", "Partnership administrator"


# Which kind of organisation each role works in: checked on save, relied on by access.py.
ROLE_ORGANISATION = {
    Role.KEYWORKER: Organisation.Kind.PROVIDER,
    Role.MANAGER: Organisation.Kind.PROVIDER,
    Role.DATA_LEAD: Organisation.Kind.PROVIDER,
    Role.COMMISSIONER: Organisation.Kind.PARTNERSHIP,
    Role.CSC: Organisation.Kind.CSC,
    Role.PARTNERSHIP_ADMIN: Organisation.Kind.PARTNERSHIP,
}


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="people")
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="people"
    )

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.get_role_display()})"

    def clean(self):
        wanted = ROLE_ORGANISATION[Role(self.role)]
        if self.organisation_id and self.organisation.kind != wanted:
            raise ValidationError(
                {
                    "organisation": f"A {self.get_role_display().lower()} works in a "
                    f"{Organisation.Kind(wanted).label.lower()}"
                }
            )
        if self.team_id and self.team.organisation_id != self.organisation_id:
            raise ValidationError({"team": "The team must belong to the person's organisation"})

    def save(self, *args, **kwargs):
        # Access rules trust the role/organisation pairing: never store a mismatch.
        self.full_clean(exclude=["user"])
        super().save(*args, **kwargs)
