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
    # The username tried is kept (cut to the field's length) so that attempts on an account
    # can be seen; the password never is (Django cleanses it from `credentials`).
    from django.contrib.auth import get_user_model

    username = str(credentials.get("username") or "")[:150]
    user = get_user_model().objects.filter(username=username).only("pk").first()
    locked = bool(getattr(request, "axes_locked_out", False))
    record(
        events.SignInFailed(username=username, user_id=user.pk if user else None, locked_out=locked)
    )
