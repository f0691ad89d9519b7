"""Child protection plans of a client's children: the plan, its meetings (initial and
review conferences, core groups) with the service's invitation and attendance, and the
service's written contribution to each conference under the seeds' three headings.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

HEADINGS = {
    "risk_of_harm": "Information about the risk of harm",
    "addictive_behaviour": (
        "Specialist advice on how the parents' addictive behaviour may affect the child's safety"
    ),
    "improvements": "Securing improvements in the health and social functioning of parents",
}


class ChildProtectionPlan(models.Model):
    client = models.ForeignKey("cases.Client", on_delete=models.PROTECT, related_name="cp_plans")
    child = models.ForeignKey("cases.Child", on_delete=models.PROTECT, related_name="cp_plans")
    strategy_discussion_on = models.DateField(
        "Date of the strategy discussion that started the section 47 enquiry",
        null=True,
        blank=True,
    )
    start_date = models.DateField("Date the plan started")
    end_date = models.DateField("Date the plan ended", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="cp_plan_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(strategy_discussion_on__isnull=True)
                | models.Q(strategy_discussion_on__lte=models.F("start_date")),
                name="cp_plan_strategy_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Child protection plan {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None


class PlanMeeting(models.Model):
    class Kind(models.TextChoices):
        INITIAL = "ICPC", "Initial child protection conference"
        REVIEW = "RCPC", "Review child protection conference"
        CORE = "CORE", "Core group"

    class Attendance(models.TextChoices):
        ATTENDED = "ATTENDED", "Attended"
        APOLOGIES = "APOLOGIES", "Sent apologies (report sent)"
        NOT_ATTENDED = "NOT_ATTENDED", "Did not attend"

    plan = models.ForeignKey(ChildProtectionPlan, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField("Meeting", max_length=4, choices=Kind.choices)
    date = models.DateField("Date of the meeting")
    invited = models.BooleanField("The service was invited", default=False)
    attendance = models.CharField(
        "The service's attendance", max_length=12, choices=Attendance.choices, blank=True
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["date"], name="cp_meeting_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.date:%d %b %Y}"

    @property
    def client_id(self) -> int:
        return self.plan.client_id

    @property
    def is_conference(self) -> bool:
        return self.kind in (self.Kind.INITIAL, self.Kind.REVIEW)


class Contribution(models.Model):
    """The service's written contribution to one conference, under the three headings."""

    meeting = models.OneToOneField(
        PlanMeeting, on_delete=models.PROTECT, related_name="contribution"
    )
    risk_of_harm = models.TextField(HEADINGS["risk_of_harm"], blank=True)
    addictive_behaviour = models.TextField(HEADINGS["addictive_behaviour"], blank=True)
    improvements = models.TextField(HEADINGS["improvements"], blank=True)
    submitted_on = models.DateField("Date sent to the conference chair", null=True, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    @property
    def client_id(self) -> int:
        return self.meeting.plan.client_id
