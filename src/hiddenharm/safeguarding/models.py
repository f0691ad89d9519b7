"""Joint protocols, referrals to children's social care, information sharing, break-the-glass.

The contract is spec/safeguarding.md: states, moves, codes and time limits as written there.
Every write goes through a service function (referrals.py, sharing.py, glass.py), which
checks the rule and writes the record and its audit event in one transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hiddenharm.accounts.models import Organisation
from hiddenharm.safeguarding import codes
from hiddenharm.safeguarding.workdays import COUNTRIES, DEFAULT_COUNTRY


class JointProtocol(models.Model):
    """One per local authority area, between its treatment services and children's social
    care: the time limits in working days, whose bank holidays count, whom to escalate to."""

    la_code = models.CharField("Local authority code", max_length=9, unique=True)
    name = models.CharField(max_length=200)
    parties = models.ManyToManyField(Organisation, related_name="protocols", blank=True)
    ack_days = models.PositiveSmallIntegerField("Working days to acknowledge", default=1)
    decision_days = models.PositiveSmallIntegerField("Working days to decide", default=1)
    contribution_days = models.PositiveSmallIntegerField(
        "Working days before a conference the service's contribution is due", default=3
    )
    country = models.CharField(
        "Bank holidays of", max_length=2, choices=list(COUNTRIES.items()), default=DEFAULT_COUNTRY
    )
    escalation_contact = models.TextField(
        "Escalation contacts", help_text="Who to call when a referral is overdue"
    )
    review_date = models.DateField("Review date")
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["la_code"]

    def __str__(self) -> str:
        return self.name

    def review_overdue(self, today) -> bool:
        return self.review_date < today


class Referral(models.Model):
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_made"
    )
    client = models.ForeignKey("cases.Client", on_delete=models.PROTECT, related_name="referrals")
    team = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name="Children's social care team",
        null=True,
        blank=True,
    )
    children = models.ManyToManyField("cases.Child", related_name="referrals", blank=True)
    # The screening that decided to refer, when the referral was made from one (the link
    # between the keyworker's decision and what was sent; children's social care never sees
    # the screening itself).
    screening = models.ForeignKey(
        "screening.Screening",
        on_delete=models.PROTECT,
        related_name="referrals",
        null=True,
        blank=True,
    )
    unborn_edd = models.DateField("Unborn child: expected date of delivery", null=True, blank=True)
    concerns = models.JSONField(default=list, blank=True)
    description = models.TextField("What the concern is", blank=True)
    risk = models.TextField("Risk information", blank=True)
    service_action = models.TextField("What the service is doing with the parent", blank=True)
    consent = models.CharField(
        "The parent's consent", max_length=12, choices=list(codes.CONSENT.items()), blank=True
    )
    without_consent_reason = models.TextField("Why it is sent without consent", blank=True)
    state = models.CharField(
        max_length=12, choices=list(codes.STATES.items()), default=codes.DRAFT, db_index=True
    )
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        max_length=12, choices=list(codes.OUTCOMES.items()), blank=True, default=""
    )
    outcome_note = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    # Fixed when sent, from the protocol of the receiving team's area as it was then.
    ack_deadline = models.DateTimeField(null=True, blank=True)
    decision_deadline = models.DateTimeField(null=True, blank=True)
    country = models.CharField(max_length=2, default=DEFAULT_COUNTRY)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["sent_at", "created_at", "id"]
        indexes = [
            models.Index(fields=["provider", "state"], name="referral_provider_state"),
            models.Index(fields=["team", "state"], name="referral_team_state"),
            models.Index(fields=["sent_at"], name="referral_sent_at"),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk}"

    @property
    def concern_labels(self) -> list[str]:
        return [codes.CONCERNS.get(c, c) for c in self.concerns]

    @property
    def number_of_children(self) -> int:
        return self.children.count() + (1 if self.unborn_edd else 0)


class InformationShare(models.Model):
    """A disclosure of information about a client or their children to another organisation,
    or a decision not to share: what, with whom, why, on what lawful basis, with what consent."""

    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="shares")
    client = models.ForeignKey(
        "cases.Client", on_delete=models.PROTECT, related_name="shares", null=True, blank=True
    )
    shared = models.BooleanField("Information was shared", default=True)
    categories = models.JSONField(default=list, blank=True)
    recipient = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    recipient_name = models.CharField("Organisation (if not listed)", max_length=200, blank=True)
    recipient_person = models.CharField("Person, where known", max_length=200, blank=True)
    purpose = models.TextField("Why")
    lawful_basis = models.CharField(
        max_length=20, choices=list(codes.LAWFUL_BASES.items()), blank=True
    )
    consent = models.CharField(max_length=12, choices=list(codes.CONSENT.items()))
    without_consent_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="shares", null=True, blank=True
    )
    request = models.ForeignKey(
        "InformationRequest", on_delete=models.PROTECT, related_name="shares", null=True, blank=True
    )

    class Meta:
        ordering = ["-decided_at", "-id"]

    @property
    def without_consent(self) -> bool:
        return self.shared and self.consent != codes.CONSENT_GIVEN

    @property
    def recipient_label(self) -> str:
        return self.recipient.name if self.recipient_id else self.recipient_name


class InformationRequest(models.Model):
    """A request from children's social care to a treatment service about a parent."""

    team = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    their_reference = models.CharField("Your case reference", max_length=40)
    about = models.TextField(
        "Who the request is about",
        help_text="As children's social care knows the parent: enough for the service to find "
        "them (initials, date of birth, the children's names and dates of birth)",
    )
    question = models.TextField("What you need to know")
    purpose = models.TextField("Why you need it")
    # The service's answer.
    client = models.ForeignKey(
        "cases.Client", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    answer = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class GlassBreak(models.Model):
    """Access to a client outside one's caseload: a reason, a time limit, reviewed by the
    data lead."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey("cases.Client", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    started_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["user", "client", "expires_at"], name="glass_active")]
