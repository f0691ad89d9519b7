"""API tokens and the submissions received through the API."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

SCOPES = ("submissions", "referrals:read", "referrals:write")


class ApiToken(models.Model):
    """A bearer token of one person. Only its SHA-256 is stored: the token is high-entropy
    (256 random bits), so a fast hash is enough and a lookup by digest stays an index seek."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12)  # the first characters, to tell tokens apart
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:  # also the throttle's key (ninja's AuthRateThrottle)
        return f"api-token:{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class Submission(models.Model):
    """An HHX-1 submission received through the API: the file is kept under
    HH_DATA_DIR/submissions/<id>/, with the validator's JSON beside it."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="api_submissions"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_submissions"
    )
    received_at = models.DateTimeField(default=timezone.now)
    as_of = models.DateField()
    suffix = models.CharField(max_length=10)  # .zip, .csv or .parquet
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    fatal = models.BooleanField(default=False)

    class Meta:
        ordering = ["-received_at", "-id"]


class ApiRate(models.Model):
    """Requests counted per token and time window, shared by every server process (the
    throttle's counts: api/throttle.py). `window` is the window's number since the epoch
    (time // its length); rows of windows before the last are deleted as new ones start."""

    key = models.CharField(max_length=64)
    window = models.BigIntegerField()
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="api_rate_once")]
        indexes = [models.Index(fields=["window"], name="api_rate_window")]
