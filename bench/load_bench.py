"""The load part of the benchmark (`bench/run.py --only load`): setting up and counting.

    python bench/load_bench.py setup '{"clients": 100000, "people": "people.json"}' OUT.json
    python bench/load_bench.py count '{}' OUT.json

Both run against DATABASE_URL (the throwaway PostgreSQL that run.py starts). `setup`
migrates, loads a synthetic area of about `clients` clients set-based (the web benchmark's
loader: the validator, then `bulk_create` per table), gives every provider teams, keyworkers
and a manager, adds children's social care (a team, people, API tokens) with an inbox of
referrals sent to it (through the referral service, as a keyworker sends them), a data lead
with a submissions token, and signs the web users in (sessions, as people at their desks
are); it writes the people file for the Locust scenario (bench/locustfile.py). `count`
counts the rows the scenario writes, and the duplicates that must not be there.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

PASSWORD = "load-test-" + "x" * 8  # the arriving keyworkers' password (a throwaway database)
INBOX = 400  # referrals sent to children's social care before the run


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hiddenharm.web.settings")
    import django

    django.setup()


def setup(args: dict) -> dict[str, Any]:
    import web_bench  # the set-based loader and the staff of the web benchmark

    _django()
    sys.setrecursionlimit(10_000)
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.test import Client as TestClient
    from django.utils import timezone

    from hiddenharm.accounts.models import Organisation, Profile, Role, Team
    from hiddenharm.api import tokens
    from hiddenharm.cases.models import Child, Client

    out: dict[str, Any] = {"migrate_seconds": web_bench._migrate()}
    today = timezone.localdate()
    res, gen, out["validate_seconds"] = web_bench._synthetic_tables(args["clients"], today)
    out["load_seconds"], out["created"], providers = web_bench._load(res)
    out["clients"] = Client.objects.count()
    staff = web_bench._staff(providers)
    out["staff_seconds"] = staff["setup_seconds"]
    User = get_user_model()
    t0 = time.perf_counter()
    la = providers[0].la_code
    csc = Organisation.objects.create(
        name="Load children's social care", kind=Organisation.Kind.CSC, la_code=la
    )
    csc_users = []
    for i in range(10):
        u = User.objects.create(username=f"load-csc-{i}")
        Profile.objects.create(user=u, role=Role.CSC, organisation=csc)
        csc_users.append(u)
    managers = []
    for p in providers:
        u = User.objects.create(username=f"load-manager-{p.agency_code}")
        team = Team.objects.filter(organisation=p).order_by("pk").first()
        Profile.objects.create(user=u, role=Role.MANAGER, organisation=p, team=team)
        managers.append(u)
    big = staff["provider"]
    data_lead = User.objects.create(username="load-data-lead")
    Profile.objects.create(user=data_lead, role=Role.DATA_LEAD, organisation=big)
    # Keyworkers with a caseload, spread over the providers (the first of each team).
    keyworkers = list(
        User.objects.filter(profile__role=Role.KEYWORKER, clients__isnull=False)
        .distinct()
        .order_by("pk")
    )
    step = max(1, len(keyworkers) // 70)
    desk = keyworkers[::step][:70]
    arrivals, desk = desk[:5], desk[5:]
    hashed = make_password(PASSWORD)
    User.objects.filter(pk__in=[u.pk for u in arrivals]).update(password=hashed)
    out["inbox_seconds"], out["inbox"] = _inbox(csc, INBOX)
    people = {
        "password": PASSWORD,
        "arrivals": [u.username for u in arrivals],
        "keyworkers": [_session(TestClient, u) for u in desk],
        "managers": [_session(TestClient, u) for u in managers],
        "csc_web": [_session(TestClient, u) for u in csc_users[:5]],
        "csc_tokens": [
            tokens.create_token(u, ["referrals:read", "referrals:write"], days=1)[1]
            for u in csc_users[5:]
        ],
        "submission_token": tokens.create_token(data_lead, ["submissions"], days=1)[1],
    }
    with open(args["people"], "w") as f:
        json.dump(people, f)
    # A service in use has had its figures looked at: each manager's, as the figures page
    # asks for them (the cache is then warm, as it is on any working day).
    from hiddenharm.cases import figures

    t1 = time.perf_counter()
    start, end = figures.default_period(today)
    for u in managers:
        org = u.profile.organisation
        teams = list(org.teams.order_by("name", "pk"))
        figures.dashboard([org], teams, start, end, publish=False, as_of=today)
    out["figures_seconds"] = time.perf_counter() - t1
    out["people_seconds"] = time.perf_counter() - t0
    out["children"] = Child.objects.count()
    out["people"] = {k: len(v) for k, v in people.items() if isinstance(v, list)}
    out["counts"] = count({})
    return out


def _session(TestClient, user) -> str:
    c = TestClient()
    c.force_login(user)
    return c.cookies["sessionid"].value


def _inbox(csc, n: int) -> tuple[float, int]:
    """`n` referrals sent to children's social care, each through the referral service by
    the client's keyworker (draft, then sent), about clients with children on record."""
    from hiddenharm.cases.models import Child
    from hiddenharm.safeguarding import referrals

    t0 = time.perf_counter()
    children = (
        Child.objects.filter(client__keyworker__isnull=False)
        .select_related("client", "client__keyworker")
        .order_by("client_id", "pk")
    )
    seen: set[int] = set()
    made = 0
    for child in children.iterator():
        if child.client_id in seen:
            continue
        seen.add(child.client_id)
        client = child.client
        user = client.keyworker
        r = referrals.create_referral(
            user,
            client,
            {
                "children": [child.child_ref],
                "concerns": ["NEGLECT"],
                "description": "Load test referral",
                "consent": "GIVEN",
                "team": csc.pk,
            },
        )
        referrals.move(user, r, "send")
        made += 1
        if made >= n:
            break
    return time.perf_counter() - t0, made


def count(args: dict) -> dict[str, Any]:
    """The rows the scenario writes, and duplicates that must never be there."""
    from django.db.models import Count

    from hiddenharm.api.models import Submission
    from hiddenharm.audit.models import AuditEvent
    from hiddenharm.cases.models import Child, ChildStatus, HiddenHarmRecord
    from hiddenharm.safeguarding.models import Referral

    reviews = HiddenHarmRecord.objects.filter(kind="review")

    def duplicates(qs, *fields) -> int:
        return qs.values(*fields).annotate(n=Count("pk")).filter(n__gt=1).count()

    return {
        "review": reviews.count(),
        "child": Child.objects.count(),
        "child_status": ChildStatus.objects.count(),
        "acknowledge": Referral.objects.filter(acknowledged_at__isnull=False).count(),
        "decide": Referral.objects.filter(decided_at__isnull=False).count(),
        "submission": Submission.objects.count(),
        "audit_events": AuditEvent.objects.count(),
        "duplicate_reviews": duplicates(reviews, "episode_id", "recorded_on"),
        "duplicate_children": duplicates(Child.objects.all(), "client_id", "child_ref"),
    }


def main() -> None:
    what, args, out = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
    if what == "count":
        _django()
    result = {"setup": setup, "count": count}[what](args)
    with open(out, "w") as f:
        json.dump(result, f, default=str)


if __name__ == "__main__":
    main()
