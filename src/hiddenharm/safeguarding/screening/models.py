"""Screening of a client's children at the start of treatment and at each review.

The questions and the rules that suggest an action are data (`QuestionSet`, a versioned
JSON document read by `rules.py`). A screening keeps the version it was answered on, so
that its answers keep their meaning when an area publishes a new version.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hiddenharm.safeguarding.screening import rules

ACTION_CHOICES = list(rules.ACTIONS.items())


class QuestionSet(models.Model):
    key = models.CharField(max_length=40, default="default")  # one series per area/adaptation
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    document = models.JSONField()  # questions, actions and rules: see rules.py
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="question_set_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"


class Screening(models.Model):
    class Occasion(models.TextChoices):
        START = "start", "Start of treatment"
        REVIEW = "review", "Care-plan review"

    client = models.ForeignKey("cases.Client", on_delete=models.PROTECT, related_name="screenings")
    episode = models.ForeignKey(
        "cases.Episode", on_delete=models.PROTECT, null=True, blank=True, related_name="screenings"
    )
    question_set = models.ForeignKey(QuestionSet, on_delete=models.PROTECT, related_name="+")
    occasion = models.CharField(max_length=10, choices=Occasion.choices)
    screened_on = models.DateField("Date of the screening")
    answers = models.JSONField(default=dict)  # question id -> code, list of codes or text
    suggested_action = models.CharField(max_length=12, choices=ACTION_CHOICES)
    suggestion_reasons = models.JSONField(default=list)  # the rules' words, as they matched
    decided_action = models.CharField("Decision", max_length=12, choices=ACTION_CHOICES)
    decision_reason = models.TextField("Why", blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-screened_on", "-id"]
        indexes = [models.Index(fields=["client", "screened_on"], name="screening_client_date")]
        constraints = [
            # The keyworker says why whenever they decide otherwise than the suggestion.
            models.CheckConstraint(
                condition=models.Q(decided_action=models.F("suggested_action"))
                | ~models.Q(decision_reason=""),
                name="screening_reason_when_differs",
            )
        ]

    def __str__(self) -> str:
        return f"Screening {self.pk} of client {self.client_id}"

    @property
    def differs(self) -> bool:
        return self.decided_action != self.suggested_action

    def answers_in_words(self) -> list[tuple[str, str]]:
        return rules.answers_in_words(self.question_set.document, self.answers)
