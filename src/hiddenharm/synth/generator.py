"""Synthetic HHX-1 submissions: episodes, reviews and children as text tables.

`years=(A, B)` are **financial years** (A = 1 April A to 31 March A+1), the
national statistics' and the reports' period: referrals fall from 1 April A to
31 March B+1, cut at `as_of` (default: today). Every date written is on or
before that end, so a clean submission validates with zero errors against
any extract date from the end onwards (warnings remain: see `generate`).

The same arguments and seed give the same tables, byte for byte.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from hiddenharm.synth import population as pop
from hiddenharm.synth.arrow import choice, codes, dates, day, ints, refs, within
from hiddenharm.synth.children import make_children
from hiddenharm.synth.profiles import AgencyProfile, agency_profiles, parse_areas

REVIEW_EVERY = 91  # days: care plans are reviewed about every three months
MIN_GAP = 60  # days between one person's referrals, so their episodes never overlap
_SETTINGS = ("COMM", "PRISON", "INPAT", "RESID")
_SETTING_P = (0.90, 0.04, 0.03, 0.03)
_DISRSN = ("TC", "TR", "DO", "PR", "DI", "DE", "OT")
_DISRSN_P = (0.48, 0.08, 0.32, 0.04, 0.01, 0.02, 0.05)
# Median days in treatment by substance group (opiate clients stay longest).
_STAY_MEDIAN = (430.0, 170.0, 190.0, 160.0)


@dataclass(frozen=True)
class Plan:
    """The resolved arguments of one generation."""

    areas: tuple[str, ...]
    agencies: tuple[AgencyProfile, ...]
    start: dt.date
    end: dt.date  # the latest date any row may carry
    as_of: dt.date
    seed: int


def make_plan(
    area: str | list[str] | tuple[str, ...] = "E10000020",
    agencies: int = 3,
    episodes: int = 2000,
    years: tuple[int, int] = (2019, 2025),
    seed: int = 0,
    as_of: dt.date | None = None,
) -> Plan:
    """Check the arguments and work out the window; ValueError with a plain reason."""
    if episodes < 1:
        raise ValueError("episodes must be at least 1")
    first, last = int(years[0]), int(years[1])
    if first > last:
        raise ValueError(f"years run from the earlier to the later: {first}-{last} is backwards")
    if first < 1990 or last > 2100:
        raise ValueError(f"years {first}-{last} are out of range (1990-2100)")
    as_of = as_of or dt.date.today()
    start = dt.date(first, 4, 1)
    end = min(dt.date(last + 1, 3, 31), as_of)
    if (end - start).days < 4 * MIN_GAP:
        raise ValueError(
            f"the window {start} to {end} is too short: the financial years {first}-{last} "
            f"must start at least {4 * MIN_GAP} days before the extract date {as_of}"
        )
    if seed < 0:
        raise ValueError("seed must be 0 or more")
    return Plan(parse_areas(area), agency_profiles(agencies), start, end, as_of, seed)


def generate_tables(
    area: str | list[str] | tuple[str, ...] = "E10000020",
    agencies: int = 3,
    episodes: int = 2000,
    years: tuple[int, int] = (2019, 2025),
    errors: bool = False,
    seed: int = 0,
    as_of: dt.date | None = None,
) -> dict[str, pa.Table]:
    """The three tables of a submission, every column text (null for a blank cell).

    With `errors=True` known problems are planted (see `hiddenharm.synth.errors`);
    their list is in the tables' schema metadata under b"planted" (JSON).
    """
    plan = make_plan(area, agencies, episodes, years, seed, as_of)
    tables = _clean_tables(plan, episodes)
    if errors:
        from hiddenharm.synth.errors import plant_errors

        tables = plant_errors(tables, plan)
    return tables


def _clean_tables(plan: Plan, n_episodes: int) -> dict[str, pa.Table]:
    rng = np.random.default_rng(plan.seed)
    profiles = plan.agencies
    n_ag = len(profiles)
    start, end = day(plan.start), day(plan.end)
    weights = np.array([p.weight for p in profiles])
    agency_area = np.arange(n_ag) % len(plan.areas)
    people = pop.make_people(rng, n_episodes, len(plan.areas), weights, agency_area)
    k = people.n_episodes
    pid = np.repeat(np.arange(len(people)), k)
    j = within(k)
    last = j == k[pid] - 1
    n = len(pid)

    # Referral dates: sorted within each person, at least MIN_GAP days apart.
    span = end - start
    u = rng.random(n)
    u = u[np.lexsort((u, pid))]
    room = np.maximum(span - MIN_GAP * (k[pid] - 1), 1)
    refld = start + (u * room).astype(np.int64) + MIN_GAP * j
    first_refld = refld[np.cumsum(k) - k]
    last_refld = refld[np.cumsum(k) - 1]
    people.age = pop.ages_at_first_referral(people, (last_refld - first_refld) / 365.25)
    dob = first_refld - np.ceil(people.age * 365.25).astype(np.int64)
    next_refld = np.where(last, end + 1, np.roll(refld, -1))

    # A few clients move to a second agency for a later episode (a new CLIENTID there).
    agency = people.agency[pid]
    if n_ag > 1:
        moves = (rng.random(len(people)) < 0.12)[pid] & (j >= 1)
        agency = np.where(moves, (agency + 1 + pid % (n_ag - 1)) % n_ag, agency)

    # Providers send their episodes in order of referral, agency by agency: put the
    # arrays in file order now, so that no table of text has to be sorted later.
    order = np.lexsort((np.arange(n), refld, agency))
    pid, agency, refld, next_refld, last = (
        pid[order],
        agency[order],
        refld[order],
        next_refld[order],
        last[order],
    )

    # Triage within a fortnight, the care plan within four weeks of it.
    triaged = refld + np.minimum(rng.geometric(0.25, n) - 1, 14)
    cplan = triaged + np.minimum(rng.geometric(0.12, n) - 1, 28)
    triage_blank = (rng.random(n) < 0.03) | (triaged > end)
    never = rng.random(n) < 0.03  # referred, never started
    no_cplan = never | (cplan > end)

    stay = rng.lognormal(np.log(np.asarray(_STAY_MEDIAN)[people.group[pid]]), 0.8)
    disd = np.where(no_cplan, refld + 14 + rng.integers(0, 46, n), cplan + stay.astype(np.int64))
    disd = np.where(last, disd, np.minimum(disd, next_refld - 1))
    open_ = last & (disd > end)
    open_ |= no_cplan & ~never  # waiting to start at the extract date
    disrsn = choice(rng, n, _DISRSN_P)
    disrsn = np.where(never, np.where(rng.random(n) < 0.6, 5, 2), disrsn)

    # What the agency recorded at the start: each profile asks a different share.
    start_complete = np.array([p.start_complete for p in profiles])[agency]
    asked = rng.random(n) < np.minimum(1.0, start_complete / 0.97)
    asked &= ~(no_cplan & (rng.random(n) < 0.5))

    def item_blank() -> np.ndarray:
        return ~asked | (rng.random(n) < 0.03)

    female = people.sex[pid] == 1
    young = (people.age[pid] + (refld - first_refld[pid]) / 365.25) < 45
    p_preg = np.where(people.group[pid] == pop.ALC_ONLY, 0.02, 0.075) * young + 0.003
    pregnant = female & (rng.random(n) < p_preg)
    prnt = people.prntstat[pid]
    declined = prnt == pop.P15
    concern = people.earlyhlp[pid] >= 0

    hh = {
        "PRNTSTAT": codes(pop.PRNTSTATS, prnt, item_blank()),
        "CHILDWTH": ints(people.childwth[pid], item_blank() | (declined & (rng.random(n) < 0.8))),
        "PREGNANT": codes(("N", "Y"), pregnant.astype(np.int64), item_blank() | ~female),
        # the question asked last, and skipped most where recording is weakest
        "EARLYHLP": codes(
            pop.EARLYHLP,
            people.earlyhlp[pid],
            item_blank() | ~concern | (rng.random(n) < (1 - start_complete) * 0.6),
        ),
    }
    late_share = np.array([p.late_share for p in profiles])[agency]
    r = rng.random(n)
    hhdate = np.where(
        r < late_share, cplan + 29 + rng.integers(0, 60, n), cplan + rng.integers(1, 15, n)
    )
    hhdate = np.minimum(hhdate, np.where(open_, end, disd))  # asked while still in treatment
    # most leave HHDATE blank (= CPLANDT); some give the day they asked, a few weeks late
    hh_blank = (r >= late_share + 0.12) | ~asked
    hhdate = np.where(no_cplan, np.where(triage_blank, refld, triaged), hhdate)
    hh_blank = np.where(no_cplan, ~asked, hh_blank)

    setting_blank = np.array([p.setting_blank for p in profiles])[agency]
    setting = choice(rng, n, _SETTING_P)

    ag_codes = [p.code for p in profiles]
    epis = {
        "AGNCY": codes(ag_codes, agency),
        "LA": codes(plan.areas, people.area[pid]),
        "CLIENTID": client_ids(pid, agency, n_ag),
        "EPISODID": refs("E", np.arange(1, n + 1), 7),
        "FINITIAL": codes(pop.LETTERS, people.finitial[pid]),
        "SINITIAL": codes(pop.LETTERS, people.sinitial[pid]),
        "DOB": dates(dob[pid]),
        "SEX": codes(pop.SEXES, people.sex[pid]),
        "DRUG1": codes(pop.SUBST, people.drugs[pid, 0]),
        "DRUG2": codes(pop.SUBST, people.drugs[pid, 1]),
        "DRUG3": codes(pop.SUBST, people.drugs[pid, 2]),
        "SETTING": codes(_SETTINGS, setting, rng.random(n) < setting_blank),
        "REFLD": dates(refld),
        "TRIAGED": dates(triaged, triage_blank),
        "CPLANDT": dates(cplan, no_cplan),
        "DISD": dates(disd, open_),
        "DISRSN": codes(_DISRSN, disrsn, open_),
        "HHDATE": dates(hhdate, hh_blank),
        **hh,
    }
    episodes_t = pa.table(epis)

    ep = _Episodes(pid, agency, cplan, no_cplan, disd, open_, pregnant, female)
    reviews_t = _reviews(rng, plan, people, ep, epis["EPISODID"], ag_codes)
    children_t = make_children(
        rng,
        plan,
        people,
        first_refld,
        pid,
        agency,
        refld,
        cplan,
        no_cplan,
        ag_codes,
        epis["CLIENTID"],
    )
    return {"episodes": episodes_t, "reviews": reviews_t, "children": children_t}


def client_ids(pid: np.ndarray, agency: np.ndarray, n_ag: int) -> pa.Array:
    """Each agency numbers its clients its own way: one CLIENTID per person per agency."""
    # 7919 is prime to 10**8, so the numbers stay distinct within an agency.
    number = (pid * 7919 + agency * 104_729 + 1_000) % 10**8
    styles = ["C", "HH", "", "P", "CL"]
    prefix = codes([styles[a % len(styles)] for a in range(n_ag)], agency)
    return refs(prefix, number, 8)


@dataclass
class _Episodes:
    pid: np.ndarray
    agency: np.ndarray
    cplan: np.ndarray
    no_cplan: np.ndarray
    disd: np.ndarray
    open_: np.ndarray
    pregnant: np.ndarray
    female: np.ndarray


def _reviews(
    rng: np.random.Generator,
    plan: Plan,
    people: pop.People,
    ep: _Episodes,
    episod_ids: pa.Array,
    ag_codes: list[str],
) -> pa.Table:
    """Care-plan reviews about every three months between CPLANDT and discharge."""
    profiles = plan.agencies
    end = day(plan.end)
    stop = np.where(ep.open_, end, ep.disd)
    n_sched = np.where(ep.no_cplan, 0, np.clip((stop - ep.cplan) // REVIEW_EVERY, 0, 80))
    e = np.repeat(np.arange(len(ep.pid)), n_sched)
    m = within(n_sched) + 1
    n = len(e)
    revdate = ep.cplan[e] + REVIEW_EVERY * m + rng.integers(-10, 11, n)
    revdate = np.minimum(revdate, stop[e])
    ag = ep.agency[e]
    held = rng.random(n) < np.array([p.review_rate for p in profiles])[ag]
    e, m, revdate, ag = e[held], m[held], revdate[held], ag[held]
    n = len(e)

    p = ep.pid[e]
    recorded = rng.random(n) < np.array([p.review_recorded for p in profiles])[ag]

    def blank() -> np.ndarray:
        return ~recorded | (rng.random(n) < 0.04)

    female = ep.female[e]
    # a pregnancy recorded at the start has ended by the reviews of the next year
    still = ep.pregnant[e] & (revdate - ep.cplan[e] < 250)
    concern = people.earlyhlp[p] >= 0
    cols = {
        "AGNCY": codes(ag_codes, ag),
        "EPISODID": episod_ids.take(pa.array(e)),
        "REVDATE": dates(revdate),
        "PRNTSTAT": codes(pop.PRNTSTATS, people.prntstat[p], blank()),
        "CHILDWTH": ints(people.childwth[p], blank() | (people.prntstat[p] == pop.P15)),
        "PREGNANT": codes(("N", "Y"), still.astype(np.int64), blank() | ~female),
        "EARLYHLP": codes(
            pop.EARLYHLP, people.earlyhlp[p], blank() | ~concern | (rng.random(n) < 0.2)
        ),
    }
    # already in file order: episodes are, and each one's reviews come in date order
    return pa.table(cols)
