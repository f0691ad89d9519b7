"""Who may see and change what: every access rule of the application, in one place.

Views never filter records by organisation themselves; they call the helpers here, which
raise PermissionDenied. The rules:

- keyworkers, team managers and data leads of a treatment provider see the clients of
  their own service (provider), and nobody else's;
- keyworkers and team managers change those records; data leads read them, and import,
  export and read the audit trail of their service;
- commissioners see figures (completeness, currency, the area report) for the providers
  of their partnership's area, never an identifiable record;
- children's social care practitioners and partnership administrators see nothing of
  treatment records here (sharing with children's social care is a recorded decision in
  the safeguarding app, not a standing view).
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from hiddenharm.accounts.models import Organisation, Profile, Role

RECORD_ROLES = (Role.KEYWORKER, Role.MANAGER, Role.DATA_LEAD)
WRITE_ROLES = (Role.KEYWORKER, Role.MANAGER)
FIGURE_ROLES = (Role.MANAGER, Role.DATA_LEAD, Role.COMMISSIONER)
EXCHANGE_ROLES = (Role.DATA_LEAD,)
AUDIT_ROLES = (Role.DATA_LEAD,)
WORKLIST_ROLES = RECORD_ROLES


def profile_of(user) -> Profile | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if not hasattr(user, "_hh_profile"):
        user._hh_profile = (
            Profile.objects.select_related("organisation", "team").filter(user=user).first()
        )
    return user._hh_profile


def require_role(user, *roles) -> Profile:
    """The user's profile if their role is one of `roles`; PermissionDenied otherwise."""
    profile = profile_of(user)
    if profile is None or profile.role not in roles:
        raise PermissionDenied
    return profile


def role_required(*roles):
    """View decorator: signed-out visitors go to sign in; other roles get 403."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require_role(request.user, *roles)
            return view(request, *args, **kwargs)

        wrapped.hh_roles = tuple(roles)  # read by the test that walks every URL
        return wrapped

    return decorate


# --- treatment records --------------------------------------------------------------


def clients_for(user):
    """The clients whose records `user` may see (an empty queryset for everyone else)."""
    from hiddenharm.cases.models import Client

    profile = profile_of(user)
    if profile is None or profile.role not in RECORD_ROLES:
        return Client.objects.none()
    return Client.objects.filter(provider_id=profile.organisation_id)


def can_write(user) -> bool:
    profile = profile_of(user)
    return profile is not None and profile.role in WRITE_ROLES


def get_client_for_user(request, client_id, *, write: bool = False):
    """(client, can_write) or PermissionDenied. `write=True` also requires the right to change.

    An id that does not exist is refused like one of another service, so that ids reveal
    nothing.
    """
    client = clients_for(request.user).select_related("provider", "team", "keyworker")
    client = client.filter(pk=client_id).first()
    if client is None:
        raise PermissionDenied
    writable = can_write(request.user)
    if write and not writable:
        raise PermissionDenied
    return client, writable


def get_episode_for_user(request, episode_id, *, write: bool = False):
    from hiddenharm.cases.models import Episode

    episode = (
        Episode.objects.select_related("client", "client__provider")
        .filter(pk=episode_id, client__in=clients_for(request.user))
        .first()
    )
    if episode is None:
        raise PermissionDenied
    writable = can_write(request.user)
    if write and not writable:
        raise PermissionDenied
    return episode, writable


def get_child_for_user(request, child_id, *, write: bool = False):
    from hiddenharm.cases.models import Child

    child = (
        Child.objects.select_related("client")
        .filter(pk=child_id, client__in=clients_for(request.user))
        .first()
    )
    if child is None:
        raise PermissionDenied
    writable = can_write(request.user)
    if write and not writable:
        raise PermissionDenied
    return child, writable


def worklist_scopes(user) -> dict[str, str]:
    """The worklist scopes a person may choose: 'mine', 'team', 'service'."""
    profile = require_role(user, *WORKLIST_ROLES)
    scopes = {}
    if profile.role == Role.KEYWORKER:
        scopes["mine"] = "My clients"
    if profile.team_id:
        scopes["team"] = f"Team: {profile.team.name}"
    if profile.role in (Role.MANAGER, Role.DATA_LEAD) or not profile.team_id:
        scopes["service"] = f"Service: {profile.organisation.name}"
    return scopes


def worklist_clients(user, scope: str):
    """Clients in a worklist scope; PermissionDenied for a scope the person may not choose."""
    if scope not in worklist_scopes(user):
        raise PermissionDenied
    profile = profile_of(user)
    clients = clients_for(user)
    if scope == "mine":
        return clients.filter(keyworker=user)
    if scope == "team":
        return clients.filter(team_id=profile.team_id)
    return clients


# --- figures ------------------------------------------------------------------------


def figure_providers(user):
    """The providers whose figures `user` may see; PermissionDenied if none."""
    profile = require_role(user, *FIGURE_ROLES)
    providers = Organisation.objects.filter(kind=Organisation.Kind.PROVIDER)
    if profile.role == Role.COMMISSIONER:
        la = profile.organisation.la_code
        return providers.filter(la_code=la) if la else providers
    return providers.filter(pk=profile.organisation_id)


def exchange_provider(user) -> Organisation:
    """The provider whose records `user` may import and export."""
    return require_role(user, *EXCHANGE_ROLES).organisation


def audit_scope(user):
    """The audit events `user` may read: those of people of their own organisation."""
    from hiddenharm.audit.models import AuditEvent

    profile = require_role(user, *AUDIT_ROLES)
    return AuditEvent.objects.filter(actor__profile__organisation_id=profile.organisation_id)


# --- navigation ---------------------------------------------------------------------


def navigation(user) -> list[dict[str, str]]:
    profile = profile_of(user)
    if profile is None:
        return []
    items = []

    def add(id_, label, name):
        items.append({"id": id_, "label": label, "url": reverse(name)})

    if profile.role in WORKLIST_ROLES:
        add("worklist", "Worklist", "cases:worklist")
        add("clients", "Find a client", "cases:client_search")
    if profile.role in FIGURE_ROLES:
        add("dashboard", "Figures", "cases:dashboard")
    if profile.role in EXCHANGE_ROLES:
        add("exchange", "Import and export", "cases:exchange")
    if profile.role in AUDIT_ROLES:
        add("audit", "Audit trail", "audit:events")
    return items
