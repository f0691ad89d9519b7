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
    clients = Client.objects.filter(provider_id=profile.organisation_id)
    if profile.role == Role.KEYWORKER:
        # A keyworker's caseload: their own clients and their team's, and any client of the
        # service whose record they opened by "break the glass" (until that access expires).
        return clients.filter(caseload_q(user, profile))
    return clients


def caseload_q(user, profile):
    from django.db.models import Q
    from django.utils import timezone

    from hiddenharm.safeguarding.models import GlassBreak

    q = Q(keyworker=user)
    if profile.team_id:
        q |= Q(team_id=profile.team_id)
    glass = GlassBreak.objects.filter(user=user, expires_at__gt=timezone.now())
    return q | Q(pk__in=glass.values("client_id"))


class OutsideCaseload(PermissionDenied):
    """A client of the person's own service, outside their caseload: the 403 page offers to
    break the glass."""

    def __init__(self, client_id: int):
        super().__init__("outside caseload")
        self.client_id = client_id


def outside_caseload(user, client_id) -> bool:
    """Whether `client_id` is a client of the person's service that only break-the-glass
    would open to them."""
    from hiddenharm.cases.models import Client

    profile = profile_of(user)
    return (
        profile is not None
        and profile.role == Role.KEYWORKER
        and Client.objects.filter(pk=client_id, provider_id=profile.organisation_id).exists()
        and not clients_for(user).filter(pk=client_id).exists()
    )


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
        if isinstance(client_id, int | str) and str(client_id).isdigit():
            if outside_caseload(request.user, int(client_id)):
                raise OutsideCaseload(int(client_id))
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


# --- case records: corrections, caseloads, assignment ---------------------------------


def _get_case_row(request, qs, pk, client_path: str, write: bool):
    """A row of a client's record, found through `client_path` to its client; refused like
    an id that does not exist when the client is not one `request.user` may see."""
    row = qs.filter(pk=pk, **{f"{client_path}__in": clients_for(request.user)}).first()
    writable = can_write(request.user)
    if row is None or (write and not writable):
        raise PermissionDenied
    return row, writable


def get_review_for_user(request, record_id, *, write: bool = False):
    from hiddenharm.cases.models import HiddenHarmRecord

    qs = HiddenHarmRecord.objects.select_related("episode", "episode__client").filter(kind="review")
    return _get_case_row(request, qs, record_id, "episode__client", write)


def get_child_status_for_user(request, status_id, *, write: bool = False):
    from hiddenharm.cases.models import ChildStatus

    qs = ChildStatus.objects.select_related("child", "child__client")
    return _get_case_row(request, qs, status_id, "child__client", write)


def get_pregnancy_for_user(request, pregnancy_id, *, write: bool = False):
    from hiddenharm.cases.models import Pregnancy

    qs = Pregnancy.objects.select_related("client")
    return _get_case_row(request, qs, pregnancy_id, "client", write)


def caseload_scopes(user) -> dict[str, str]:
    """The caseloads a person may list: their own (keyworkers), their team's, the service's
    (managers and data leads), and the clients waiting for a team or keyworker."""
    profile = require_role(user, *RECORD_ROLES)
    scopes = {}
    if profile.role == Role.KEYWORKER:
        scopes["mine"] = "My caseload"
    if profile.team_id:
        scopes["team"] = "My team's caseload"
    if profile.role in (Role.MANAGER, Role.DATA_LEAD):
        scopes["service"] = "Whole service"
        scopes["unassigned"] = "Unassigned"
    return scopes


def caseload_clients(user, scope: str):
    """Clients of a caseload scope; PermissionDenied for a scope the person may not choose."""
    if scope not in caseload_scopes(user):
        raise PermissionDenied
    clients = clients_for(user)
    if scope == "unassigned":
        return clients.filter(models_q_unassigned())
    if scope in ("mine", "team"):
        return worklist_clients(user, scope)
    return clients


def models_q_unassigned():
    from django.db.models import Q

    return Q(team__isnull=True) | Q(keyworker__isnull=True)


def can_assign(user) -> bool:
    """Team managers assign clients to a team and a keyworker of their own service."""
    profile = profile_of(user)
    return profile is not None and profile.role == Role.MANAGER


def assignable(user):
    """(teams, keyworkers) a manager may assign to: those of their own service."""
    from django.contrib.auth import get_user_model

    profile = require_role(user, Role.MANAGER)
    teams = profile.organisation.teams.order_by("name")
    keyworkers = (
        get_user_model()
        .objects.filter(
            profile__organisation=profile.organisation, profile__role=Role.KEYWORKER, is_active=True
        )
        .order_by("username")
    )
    return teams, keyworkers


# --- figures ------------------------------------------------------------------------


def figure_providers(user):
    """The providers whose figures `user` may see; PermissionDenied if none."""
    profile = require_role(user, *FIGURE_ROLES)
    providers = Organisation.objects.filter(kind=Organisation.Kind.PROVIDER)
    if profile.role == Role.COMMISSIONER:
        la = profile.organisation.la_code
        return providers.filter(la_code=la) if la else providers
    return providers.filter(pk=profile.organisation_id)


# Managers and data leads follow the figures' warnings and errors to the records that cause
# them, of their own service only; commissioners see the counts, never the records.
PROBLEM_RECORD_ROLES = (Role.MANAGER, Role.DATA_LEAD)


def can_see_problem_records(user) -> bool:
    profile = profile_of(user)
    return profile is not None and profile.role in PROBLEM_RECORD_ROLES


def problem_records_provider(user) -> Organisation:
    """The one provider whose records behind a figure's problems `user` may list."""
    return require_role(user, *PROBLEM_RECORD_ROLES).organisation


def exchange_provider(user) -> Organisation:
    """The provider whose records `user` may import and export."""
    return require_role(user, *EXCHANGE_ROLES).organisation


def audit_scope(user):
    """The audit events `user` may read: those of people of their own organisation."""
    from django.db.models import CharField, Q
    from django.db.models.functions import Cast

    from hiddenharm.audit.models import AuditEvent

    profile = require_role(user, *AUDIT_ROLES)
    own = Q(actor__profile__organisation_id=profile.organisation_id)
    # Failed sign-ins have no actor: they show under the person whose username was tried.
    people = Profile.objects.filter(organisation_id=profile.organisation_id).values_list(
        Cast("user_id", CharField()), flat=True
    )
    tried = Q(kind="sign_in_failed", object_type="user", object_id__in=people)
    return AuditEvent.objects.filter(own | tried)


# --- the partnership (recommendations, directory, dashboard) --------------------------
# Partnership administrators and commissioners read their area's progress on the 48
# recommendations, the roll-ups over every area, and their area's dashboard (figures
# suppressed); only partnership administrators change their own area's progress and the
# directory. Everyone signed in with a role reads the directory.

PARTNERSHIP_ROLES = (Role.PARTNERSHIP_ADMIN, Role.COMMISSIONER)
PARTNERSHIP_WRITE_ROLES = (Role.PARTNERSHIP_ADMIN,)
DIRECTORY_ROLES = tuple(Role)
DIRECTORY_WRITE_ROLES = (Role.PARTNERSHIP_ADMIN,)


def partnership_area(user) -> Organisation:
    """The partnership whose progress `user` reads; PermissionDenied for other roles."""
    return require_role(user, *PARTNERSHIP_ROLES).organisation


def partnership_area_to_change(user, area: Organisation | None = None) -> Organisation:
    """The area `user` may change (their own partnership); PermissionDenied for another."""
    own = require_role(user, *PARTNERSHIP_WRITE_ROLES).organisation
    if area is not None and area.pk != own.pk:
        raise PermissionDenied
    return own


def can_change_partnership(user) -> bool:
    profile = profile_of(user)
    return profile is not None and profile.role in PARTNERSHIP_WRITE_ROLES


def partnership_providers(user):
    """The treatment providers of the user's partnership area (none without an area code)."""
    area = partnership_area(user)
    providers = Organisation.objects.filter(kind=Organisation.Kind.PROVIDER)
    return providers.filter(la_code=area.la_code) if area.la_code else providers.none()


def require_directory_editor(user) -> Profile:
    return require_role(user, *DIRECTORY_WRITE_ROLES)


def can_change_directory(user) -> bool:
    profile = profile_of(user)
    return profile is not None and profile.role in DIRECTORY_WRITE_ROLES


# --- the HTTP API (api app) ---------------------------------------------------------

# Who may hold an API token: everyone whose role has something to do through the API.
API_ROLES = (Role.KEYWORKER, Role.MANAGER, Role.DATA_LEAD, Role.COMMISSIONER, Role.CSC)
SUBMISSION_ROLES = (Role.DATA_LEAD, Role.COMMISSIONER)


def submissions_for(user):
    """The API submissions `user` may see: those of their own organisation (data leads and
    commissioners); PermissionDenied for other roles."""
    from hiddenharm.api.models import Submission

    profile = require_role(user, *SUBMISSION_ROLES)
    return Submission.objects.filter(organisation_id=profile.organisation_id)


# --- safeguarding -------------------------------------------------------------------

SAFEGUARDING_ROLES = (*RECORD_ROLES, Role.CSC)
REFERRAL_WRITE_ROLES = WRITE_ROLES
SHARING_REVIEW_ROLES = (Role.DATA_LEAD, Role.MANAGER)


def referrals_for(user):
    """The referrals the person may see: a treatment service its own (drafts included) for the
    clients on the person's caseload; a CSC practitioner their team's, never drafts."""
    from hiddenharm.safeguarding.models import Referral

    profile = profile_of(user)
    if profile is None:
        return Referral.objects.none()
    if profile.role in RECORD_ROLES:
        return Referral.objects.filter(
            provider_id=profile.organisation_id, client__in=clients_for(user)
        )
    if profile.role == Role.CSC:
        return Referral.objects.filter(team_id=profile.organisation_id).exclude(state="draft")
    return Referral.objects.none()


def get_referral_for_user(request, referral_id):
    """The referral, or PermissionDenied (also for one that does not exist)."""
    referral = (
        referrals_for(request.user)
        .select_related("client", "provider", "team", "created_by")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise PermissionDenied
    return referral


def sharing_scope(user):
    """Information-sharing records the person may read: their service's (managers and data
    leads), the CSC team's own requests' answers are read through requests_for."""
    from hiddenharm.safeguarding.models import InformationShare

    profile = require_role(user, *RECORD_ROLES)
    shares = InformationShare.objects.filter(provider_id=profile.organisation_id)
    if profile.role == Role.KEYWORKER:
        shares = shares.filter(client__in=clients_for(user))
    return shares


def requests_for(user):
    """Requests for information: a CSC team sees those it made; a treatment service (managers,
    data leads, keyworkers) those made to it."""
    from hiddenharm.safeguarding.models import InformationRequest

    profile = profile_of(user)
    if profile is None:
        return InformationRequest.objects.none()
    if profile.role == Role.CSC:
        return InformationRequest.objects.filter(team_id=profile.organisation_id)
    if profile.role in RECORD_ROLES:
        return InformationRequest.objects.filter(provider_id=profile.organisation_id)
    return InformationRequest.objects.none()


def glass_scope(user):
    """Break-the-glass accesses the data lead (or manager) reviews: their service's."""
    from hiddenharm.safeguarding.models import GlassBreak

    profile = require_role(user, *SHARING_REVIEW_ROLES)
    return GlassBreak.objects.filter(client__provider_id=profile.organisation_id)


def activity_providers(user):
    """Providers whose safeguarding activity figures the person may see (as figures)."""
    return figure_providers(user)


# --- safeguarding: screening and child protection plans ------------------------------
# Keyworkers and team managers of the client's service write screenings, plans, meetings
# and contributions; data leads read them; nobody else sees them. Every record is reached
# through its client with get_client_for_user, so the caseload and break-the-glass rules
# apply here as they do to the client's record.

SCREENING_READ_ROLES = RECORD_ROLES
SCREENING_WRITE_ROLES = WRITE_ROLES
PLAN_READ_ROLES = RECORD_ROLES
PLAN_WRITE_ROLES = WRITE_ROLES


def _through_client(request, obj, write: bool):
    """(obj, client, can_write) if the person may see obj's client; PermissionDenied."""
    if obj is None:
        raise PermissionDenied
    client, writable = get_client_for_user(request, obj.client_id, write=write)
    return obj, client, writable


def get_screening_for_user(request, screening_id, *, write: bool = False):
    from hiddenharm.safeguarding.screening.models import Screening

    screening = Screening.objects.select_related("question_set", "screened_by")
    return _through_client(request, screening.filter(pk=screening_id).first(), write)


def get_plan_for_user(request, plan_id, *, write: bool = False):
    from hiddenharm.safeguarding.plans.models import ChildProtectionPlan

    plan = ChildProtectionPlan.objects.select_related("child")
    return _through_client(request, plan.filter(pk=plan_id).first(), write)


def get_meeting_for_user(request, meeting_id, *, write: bool = False):
    from hiddenharm.safeguarding.plans.models import PlanMeeting

    meeting = PlanMeeting.objects.select_related("plan", "plan__child")
    return _through_client(request, meeting.filter(pk=meeting_id).first(), write)


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
        add("caseload", "Caseload", "cases:caseload")
        add("clients", "Find a client", "cases:client_search")
    if profile.role in SAFEGUARDING_ROLES:
        add("referrals", "Referrals", "safeguarding:referrals")
        add("requests", "Information requests", "safeguarding:request_list")
    if profile.role in SHARING_REVIEW_ROLES:
        add("sharing", "Information sharing", "safeguarding:share_list")
    if profile.role in FIGURE_ROLES:
        add("dashboard", "Figures", "cases:dashboard")
        add("activity", "Safeguarding activity", "safeguarding:activity")
    if profile.role == Role.PARTNERSHIP_ADMIN:
        add("protocols", "Joint protocols", "safeguarding:protocols")
    if profile.role in EXCHANGE_ROLES:
        add("exchange", "Import and export", "cases:exchange")
    if profile.role in AUDIT_ROLES:
        add("audit", "Audit trail", "audit:events")
    if profile.role in API_ROLES:
        add("api-tokens", "API tokens", "api:tokens")
    if profile.role in PARTNERSHIP_ROLES:
        add("partnership", "Partnership", "partnership:dashboard")
        add("recommendations", "Recommendations", "partnership:recommendations")
    if profile.role in DIRECTORY_ROLES:
        add("directory", "Directory", "partnership:directory")
    return items
