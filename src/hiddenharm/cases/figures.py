"""The dashboards' figures: the records exported as a submission, validated and measured by
the same code as any provider's file (one definition of every figure)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import threading
import time

from django import db
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from hiddenharm.cases import exchange
from hiddenharm.cases.figure_tables import (  # the tables, where callers look for them
    PUBLISHED_SPLITS,
    SPLIT_LABELS,
    _team_code,
    agency_label,
    agency_row,
    build_team,
    rows,
    team_label,
    team_order,
    team_tables,
    teams_tables,
    trend_tables,
)
from hiddenharm.cases.models import Client, DataVersion, FigureCache
from hiddenharm.cases.trend_charts import TrendSpec, trend_chart, trend_spec

__all__ = [
    "TrendSpec",
    "trend_chart",
    "trend_spec",
    "PUBLISHED_SPLITS",
    "SPLIT_LABELS",
    "agency_label",
    "agency_row",
    "build_team",
    "rows",
    "team_label",
    "team_order",
    "team_tables",
    "teams_tables",
    "trend_tables",
]

# What the dashboard shows: the individuals' sections (distributions, estimates) are the
# area report's, and cost several times as much.
DASHBOARD_SECTIONS = ("population", "completeness", "currency")


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The twelve months to today (a dashboard is about now, not the last financial year)."""
    return today - dt.timedelta(days=364), today


def build(
    providers,
    period_from,
    period_to,
    *,
    publish=False,
    detail=False,
    as_of=None,
    title=None,
    validated=None,
):
    """The report on the providers' records (`validated`: an export already checked)."""
    from hiddenharm.reports import build_report

    result = validated or exchange.validated_export(providers, as_of=as_of)
    return build_report(
        result, period_from, period_to, publish=publish, detail=detail, as_of=as_of, title=title
    )


# --- the dashboard, computed once per scope and data version -------------------------


def data_versions(providers) -> str:
    """The providers' data versions, as one string ("id:version,..."), read in one query.

    The versions are bumped by database triggers whenever a provider's case records change
    (migration 0003), so figures computed at these versions are current while they match.
    """
    ids = sorted(p.pk for p in providers)
    got = dict(
        DataVersion.objects.filter(provider_id__in=ids).values_list("provider_id", "version")
    )
    return ",".join(f"{i}:{got.get(i, 0)}" for i in ids)


# The version of the dashboard's rows: figures stored under an earlier one are never read
# (2: a published view shows agencies by treatment type, not their unsuppressed totals;
# 3: teams named by team_label, in team_order).
FIGURE_ROWS = 3


def scope_key(providers, teams, period_from, period_to, *, publish: bool, as_of) -> str:
    """Everything the figures depend on besides the records: who (providers and their agency
    codes, the teams shown), which period, whether suppressed, and the date they are as of."""
    scope = {
        "providers": sorted([p.pk, p.agency_code] for p in providers),
        "teams": [[t.pk, t.name] for t in teams],
        "from": str(period_from),
        "to": str(period_to),
        "publish": bool(publish),
        "as_of": str(as_of),
        "rows": FIGURE_ROWS,
    }
    return hashlib.sha256(json.dumps(scope, sort_keys=True).encode()).hexdigest()


def family_key(providers, period_from, period_to, *, publish: bool, as_of) -> str:
    """The dashboard a scope's figures belong to, whatever the day: whose (providers and
    their agency codes), whether suppressed, which period (the default twelve months to
    the day, or the dates picked) and the rows' version; not the day, nor the teams.

    With HH_FIGURES_REFRESH=BACKGROUND, a dashboard with no figures for its key yet (a new
    day, a team added) shows the last figures of its family, dated, while its own are
    worked out: nobody waits for a computation that takes seconds on a large area."""
    default = (period_from, period_to) == default_period(as_of)
    family = {
        "providers": sorted([p.pk, p.agency_code] for p in providers),
        "publish": bool(publish),
        "period": "default" if default else [str(period_from), str(period_to)],
        "rows": FIGURE_ROWS,
    }
    return hashlib.sha256(json.dumps(family, sort_keys=True).encode()).hexdigest()


def scope_of(user) -> tuple[list, list, bool]:
    """The dashboard a person sees: the providers whose figures they may see (by
    `access.figure_providers`), their service's teams, and whether the figures are
    published (a commissioner's: small numbers suppressed, no teams)."""
    from hiddenharm.accounts import access
    from hiddenharm.accounts.models import Role

    profile = access.profile_of(user)
    providers = list(access.figure_providers(user))  # by name (`dashboard` sorts its own)
    publish = profile.role == Role.COMMISSIONER
    teams = [] if publish else sorted(profile.organisation.teams.all(), key=team_order)
    return providers, teams, publish


def warm(today: dt.date | None = None) -> dict:
    """Work out the figures of every dashboard people can open (each active person's with a
    figures role, over the default period to `today`) that are not current, so that nobody
    waits for them: run after a load or an import, after midnight, and by the figures
    worker that `serve` starts. Returns {"scopes", "computed", "busy" (left to a web
    process working it out), "failed", "seconds"}."""
    from django.contrib.auth import get_user_model

    from hiddenharm.accounts import access

    today = today or timezone.localdate()
    start, end = default_period(today)
    users = (
        get_user_model()
        .objects.filter(is_active=True, profile__role__in=access.FIGURE_ROLES)
        .order_by("pk")
    )
    seen: set[str] = set()
    computed, busy, failed, t0 = 0, 0, 0, time.perf_counter()
    for user in users:
        providers, teams, publish = scope_of(user)
        if not providers:
            continue
        key = scope_key(providers, teams, start, end, publish=publish, as_of=today)
        if key in seen:
            continue
        seen.add(key)
        versions = data_versions(providers)
        if FigureCache.objects.filter(key=key, versions=versions).exists():
            continue
        family = family_key(providers, start, end, publish=publish, as_of=today)
        if not _claim(key, family):  # a web process's refresh is working it out
            busy += 1
            continue
        try:
            _compute(providers, teams, start, end, publish, today, key, versions, family)
            computed += 1
        except Exception:  # one scope that fails must not keep the others from their figures
            logging.getLogger("hiddenharm.figures").exception("working out a scope failed")
            failed += 1
        finally:
            FigureCache.objects.filter(Q(key=key) | Q(family=family)).update(refreshing_since=None)
    return {
        "scopes": len(seen),
        "computed": computed,
        "busy": busy,
        "failed": failed,
        "seconds": time.perf_counter() - t0,
    }


def _claim(key: str, family: str) -> bool:
    """Claim a scope for working it out: its row and its family's (the rows a web process's
    refresh claims, `_refresh_later` and `_earlier`). False if one is claimed already (and
    the claim is younger than REFRESH_CLAIM_SECONDS). Two steps, not one update: a process
    claiming between them costs one computation twice, never wrong figures."""
    rows = FigureCache.objects.filter(Q(key=key) | Q(family=family))
    if _claimed(rows).exists():
        return False
    rows.update(refreshing_since=timezone.now())
    return True


def _team_figures(tables, agency, refs, period_from, period_to, quarters, columns=()):
    """The teams' figures: each team as an agency of its own (`teams_tables`), measured
    alone. A service's own view: not published, so no suppression of its teams' counts.

    Their over-time charts (`columns`: each team's code and label) are drawn here, on the
    teams' thread, as soon as their figures are in: the area's DuckDB work on the other
    thread goes on meanwhile (`trend_chart` keeps them for `_compute`)."""
    from hiddenharm.measures import Submission

    with Submission(teams_tables(tables, agency, refs)) as sub:
        r = sub.compute(period_from, period_to, sections=DASHBOARD_SECTIONS)
        over_time = sub.trend(quarters, sections=("completeness", "currency"))
    if columns:
        for t in trend_tables(over_time, quarters, list(columns)):
            trend_chart(t)
    return r, over_time


def compute_dashboard(providers, teams, period_from, period_to, *, publish, as_of) -> dict:
    """The dashboard's tables: the records exported, validated and measured (no cache).

    Besides the period's figures, the last eight quarters to `period_to` (over time), from
    the same loaded submission and the same measures. A service's teams are measured on a
    second thread meanwhile (their own DuckDB connection; DuckDB works without the GIL)."""
    from concurrent.futures import ThreadPoolExecutor

    from hiddenharm.measures import Submission, whole_quarters

    quarters = whole_quarters(period_to)
    validated = exchange.validated_export(providers, as_of=as_of)
    refs: dict[int, set[str]] = {t.pk: set() for t in teams}
    if teams:
        if len(providers) != 1:
            raise ValueError("teams are shown for one service only")
        for team_id, ref in Client.objects.filter(team_id__in=list(refs)).values_list(
            "team_id", "client_ref"
        ):
            refs[team_id].add(ref)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="hh-team-figures") as pool:
        by_team = (
            pool.submit(
                _team_figures,
                validated.tables,
                providers[0].agency_code,
                refs,
                period_from,
                period_to,
                quarters,
                [(_team_code(t.pk), team_label(t.name)) for t in teams],
            )
            if teams
            else None
        )
        with Submission(dict(validated.tables)) as region:
            report = region.compute(
                period_from, period_to, publish=publish, sections=DASHBOARD_SECTIONS
            )
            over_time = region.trend(
                quarters, publish=publish, sections=("completeness", "currency")
            )
        names = {p.agency_code: p.name for p in providers if p.agency_code}
        agencies = sorted((report.get("completeness") or {}).get("by_agency") or {})
        if publish:  # as the published report's trend: the area by treatment type
            columns = [(k, SPLIT_LABELS[k]) for k in PUBLISHED_SPLITS]
        else:
            columns = [("all", "All")] + [(a, agency_label(a, names)) for a in agencies]
        trends = trend_tables(over_time, quarters, columns)
        if by_team is not None:
            # The area's charts drawn while the teams are measured: vl-convert holds the GIL,
            # DuckDB on the other thread does not (`trend_chart` keeps them for `_compute`).
            for t in trends:
                trend_chart(t)
        team_report, team_over_time = by_team.result() if by_team else ({}, [])
    table = {
        "title": "By treatment type and agency",
        "rows": rows(report, names, published=publish),
    }
    tables = [table]
    if teams:
        team_rows = [agency_row(team_report, _team_code(t.pk), team_label(t.name)) for t in teams]
        tables.append({"title": "By team", "rows": team_rows})
        team_columns = [(_team_code(t.pk), team_label(t.name)) for t in teams]
        trends += [
            {**t, "title": t["title"] + ", by team"}
            for t in trend_tables(team_over_time, quarters, team_columns)
        ]
    return {"tables": tables, "trends": trends, "problems": validated.counts()}


def dashboard(providers, teams, period_from, period_to, *, publish, as_of) -> dict:
    """The dashboard's figures for a scope: a cache read while the records are unchanged,
    else computed by `compute_dashboard` and stored with the versions they were computed at.

    The versions are read before computing: a change during the computation then leaves
    the stored figures stale (recomputed next time), never newer figures under an older
    version. Returns {"tables", "trends", "problems", "computed_at", "seconds", "cached",
    "stale", "stale_reason", "period_from", "period_to"}: the period of the figures shown,
    which is an earlier day's while today's are worked out (`_earlier`).
    """
    providers = sorted(providers, key=lambda p: p.pk)
    teams = list(teams)
    if connection.vendor not in ("sqlite", "postgresql"):  # no triggers: never cache
        return _compute(providers, teams, period_from, period_to, publish, as_of, None, None, None)
    key = scope_key(providers, teams, period_from, period_to, publish=publish, as_of=as_of)
    family = family_key(providers, period_from, period_to, publish=publish, as_of=as_of)
    versions = data_versions(providers)
    hit = FigureCache.objects.filter(key=key).first()
    if hit is None and settings.HH_FIGURES_REFRESH == "BACKGROUND":
        scope = _args(providers, teams, period_from, period_to, publish, as_of)
        earlier = _earlier(key, family, versions, scope)
        if earlier is not None:
            return earlier
    fresh_enough = hit is not None and _fresh_enough(hit.computed_at)
    if hit is not None and (
        hit.versions == versions or fresh_enough or _refresh_later(key, versions)
    ):
        stale = hit.versions != versions
        return {
            **hit.figures,
            "computed_at": hit.computed_at,
            "seconds": hit.seconds,
            "cached": True,
            "stale": stale,
            "stale_reason": "records" if stale else "",
            "period_from": period_from,
            "period_to": period_to,
            # stale and younger than HH_FIGURES_MIN_AGE: shown as they are, not worked out
            "refresh_after": (
                hit.computed_at + dt.timedelta(seconds=settings.HH_FIGURES_MIN_AGE)
                if stale and fresh_enough
                else None
            ),
        }
    return _compute(providers, teams, period_from, period_to, publish, as_of, key, versions, family)


def _earlier(key, family, versions, scope: dict) -> dict | None:
    """The last figures of the scope's family (`family_key`), shown dated while the scope's
    own are worked out in the background (`start_refresh`); None when the family has none (a dashboard never shown
    before: worked out while the person waits, unless `warm` has done it beforehand).

    One process works the new scope out: the claim is on the earlier row, as a stale
    row's is (`_refresh_later`). `scope`: the new scope's `_args`."""
    prev = (
        FigureCache.objects.filter(family=family)
        .exclude(key=key)
        .order_by("-as_of", "-computed_at")
        .first()
    )
    if prev is None or not prev.args:
        return None
    shown = {
        **prev.figures,
        "computed_at": prev.computed_at,
        "seconds": prev.seconds,
        "cached": True,
        "stale": True,
        # figures of an earlier day, or of the same day before the teams changed
        "stale_reason": "day" if str(prev.as_of) < scope["as_of"] else "scope",
        "period_from": dt.date.fromisoformat(prev.args["from"]),
        "period_to": dt.date.fromisoformat(prev.args["to"]),
        "refresh_after": None,
    }
    with _refreshing_lock:
        if key in _refreshing:
            return shown
        _refreshing.add(key)
    if not _take(FigureCache.objects.filter(pk=prev.pk)):  # another process has it: show these
        with _refreshing_lock:
            _refreshing.discard(key)
        return shown
    start_refresh(Refresh(key, versions, scope, claim=prev.key))
    return shown


def _args(providers, teams, period_from, period_to, publish, as_of) -> dict:
    """What a scope's figures are worked out again from (stored with them): ids only."""
    return {
        "providers": [p.pk for p in providers],
        "teams": [t.pk for t in teams],
        "from": period_from.isoformat(),
        "to": period_to.isoformat(),
        "publish": publish,
        "as_of": as_of.isoformat(),
    }


def _fresh_enough(computed_at) -> bool:
    """Whether stale figures are recent enough to show without working them out again: a
    served application (BACKGROUND) with HH_FIGURES_MIN_AGE seconds (`serve`: 300) works a
    scope out at most that often, so that a busy service's every record saved does not
    start a computation of its whole figures in every worker (found by the load test)."""
    if settings.HH_FIGURES_REFRESH != "BACKGROUND" or not settings.HH_FIGURES_MIN_AGE:
        return False
    age = (timezone.now() - computed_at).total_seconds()
    return age < settings.HH_FIGURES_MIN_AGE


# Scopes being worked out in the background, so that a burst of views starts one thread.
_refreshing: set[str] = set()
_refreshing_lock = threading.Lock()


def _refresh_later(key: str, versions: str) -> bool:
    """With HH_FIGURES_REFRESH=BACKGROUND, start working out a stale scope's figures in a
    thread and say so (the caller then shows the stale ones, dated); else False."""
    if settings.HH_FIGURES_REFRESH != "BACKGROUND":
        return False
    with _refreshing_lock:
        if key in _refreshing:
            return True
        _refreshing.add(key)
    # Across processes: the row is claimed by one update (a claim older than
    # REFRESH_CLAIM_SECONDS is a process that died, and is taken over).
    if not _take(FigureCache.objects.filter(key=key)):
        # another worker is working it out: show the stale figures meanwhile
        with _refreshing_lock:
            _refreshing.discard(key)
        return True
    entry = FigureCache.objects.get(key=key)
    args = entry.args or None
    if args is None:  # stored before its arguments were: work it out now instead
        _release(key)
        return False
    start_refresh(Refresh(key, versions, args))
    return True


REFRESH_CLAIM_SECONDS = 600


def _claimed(rows):
    """Those of `rows` claimed for a refresh, by a process alive enough (a claim older than
    REFRESH_CLAIM_SECONDS is a process that died, and is taken over)."""
    recent = timezone.now() - dt.timedelta(seconds=REFRESH_CLAIM_SECONDS)
    return rows.filter(refreshing_since__gte=recent)


def _take(rows) -> bool:
    """Claim `rows` (one row) for a refresh; False if another process holds it. One update
    whose condition is on the row itself, so that of two processes at once, one wins (on
    PostgreSQL the second re-reads the row the first updated)."""
    now = timezone.now()
    expired = now - dt.timedelta(seconds=REFRESH_CLAIM_SECONDS)
    unclaimed = Q(refreshing_since__isnull=True) | Q(refreshing_since__lt=expired)
    return bool(rows.filter(unclaimed).update(refreshing_since=now))


def _release(key: str, claim: str | None = None) -> None:
    """Let go of the claim on row `claim` (the scope's own, by default)."""
    FigureCache.objects.filter(key=claim or key).update(refreshing_since=None)
    with _refreshing_lock:
        _refreshing.discard(key)


def _refresh(key: str, versions: str, args: dict, claim: str | None = None) -> None:
    from hiddenharm.accounts.models import Organisation, Team

    try:
        providers = sorted(
            Organisation.objects.filter(pk__in=args["providers"]), key=lambda p: p.pk
        )
        teams = sorted(Team.objects.filter(pk__in=args["teams"]), key=team_order)
        period_from = dt.date.fromisoformat(args["from"])
        period_to = dt.date.fromisoformat(args["to"])
        as_of = dt.date.fromisoformat(args["as_of"])
        family = family_key(providers, period_from, period_to, publish=args["publish"], as_of=as_of)
        _compute(
            providers, teams, period_from, period_to, args["publish"], as_of, key, versions, family
        )
    finally:
        _release(key, claim)


def low_priority(command: list[str]) -> list[str]:
    """`command` run at nice 10 by coreutils' `nice` (not a `preexec_fn`, which is unsafe
    in a process with threads, as a web worker is), or as it is where there is none."""
    import shutil

    nice = shutil.which("nice")
    return [nice, "-n", "10", *command] if nice else command


@dataclasses.dataclass(frozen=True)
class Refresh:
    """A scope's figures to work out again (`_refresh`), claimed on row `claim` (the
    scope's own, by default): ids and dates only, so that it can be handed to a process."""

    key: str
    versions: str
    args: dict
    claim: str | None = None

    def __call__(self) -> None:
        _refresh(self.key, self.versions, self.args, self.claim)


def start_refresh(work: Refresh) -> None:
    """Work `work` out in the background (tests replace this): in a child process at low
    priority (HH_FIGURES_REFRESH_IN=PROCESS, a served application), or on a daemon thread
    with its own database connection (THREAD).

    A child process shares neither the web process's interpreter lock nor its CPU priority:
    on a thread, vl-convert drawing the new charts holds the lock, and a page served
    meanwhile by the same process waited for it (a commissioner's stale dashboard took
    1.1 s instead of 0.1 s in the web benchmark). A thread here waits for the child and lets
    go of the claim if it died without doing so."""
    if settings.HH_FIGURES_REFRESH_IN == "PROCESS":
        import subprocess
        import sys

        scope = json.dumps(dataclasses.asdict(work))
        proc = subprocess.Popen(
            low_priority([sys.executable, "-m", "hiddenharm.cli", "figures", "--scope", scope]),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
        )

        def run() -> None:
            try:
                proc.wait()
                if proc.returncode != 0:
                    _release(work.key, work.claim)
            finally:
                with _refreshing_lock:
                    _refreshing.discard(work.key)
                db.connections.close_all()

    else:

        def run() -> None:
            try:
                work()
            finally:
                db.connections.close_all()

    threading.Thread(target=run, name="hh-figures", daemon=True).start()


def _compute(
    providers, teams, period_from, period_to, publish, as_of, key, versions, family
) -> dict:
    now = timezone.now()  # the records are read from here on: the figures are as of now
    t0 = time.perf_counter()
    figures = compute_dashboard(
        providers, teams, period_from, period_to, publish=publish, as_of=as_of
    )
    figures = json.loads(json.dumps(figures))  # as stored: a hit and a miss look alike
    # The charts are drawn here, once, and stored with the figures: every worker then serves
    # them from the cache (drawing one costs far more than the page; found by the load test).
    for t in figures.get("trends", []):
        t["chart"] = trend_chart(t)
    seconds = time.perf_counter() - t0
    if key is not None:
        args = _args(providers, teams, period_from, period_to, publish, as_of)
        try:
            with transaction.atomic():
                FigureCache.objects.update_or_create(
                    key=key,
                    defaults={
                        "args": args,
                        "family": family,
                        "versions": versions,
                        "as_of": as_of,
                        "computed_at": now,
                        "seconds": seconds,
                        "figures": figures,
                        "refreshing_since": None,
                    },
                )
                # The family's earlier figures are replaced by these (`_earlier`), and
                # figures nobody has looked at for a month are let go.
                FigureCache.objects.filter(family=family).exclude(key=key).delete()
                FigureCache.objects.filter(as_of__lt=as_of - dt.timedelta(days=31)).delete()
        except IntegrityError:  # another process stored the same scope at the same moment
            pass
    return {
        **figures,
        "computed_at": now,
        "seconds": seconds,
        "cached": False,
        "stale": False,
        "period_from": period_from,
        "period_to": period_to,
    }
