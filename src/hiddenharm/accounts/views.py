from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render

from hiddenharm.accounts.forms import SignInForm


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True
    extra_context = {"title": "Sign in"}


class SignOutView(auth_views.LogoutView):
    pass


def lockout_message() -> str:
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    return (
        f"Too many wrong passwords for this username: signing in is locked for {minutes} "
        f"minutes. Try again after that, or ask your service's administrator to unlock it."
    )


def locked_out(request, *args, **kwargs):
    """django-axes' lock-out answer: the sign-in page again, saying why and for how long
    (429, as a refusal to try more now)."""
    form = SignInForm(request)
    form.cleaned_data = {}  # an unbound form, to carry the message in the error summary
    form.add_error(None, lockout_message())
    context = {"form": form, "title": "Sign in"}
    return render(request, "registration/login.html", context, status=429)
