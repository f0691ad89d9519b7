"""Sign-in, sign-out and failed sign-in, recorded from Django's auth signals."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from hiddenharm.audit import events
from hiddenharm.audit.trail import record


@receiver(user_logged_in, dispatch_uid="hh_audit_sign_in")
def _signed_in(sender, request, user, **kwargs):
    record(events.SignIn(), actor=user)


@receiver(user_logged_out, dispatch_uid="hh_audit_sign_out")
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        record(events.SignOut(), actor=user)


@receiver(user_login_failed, dispatch_uid="hh_audit_sign_in_failed")
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    # The username typed is not stored: it may be a mistyped password.
    record(events.SignInFailed())
