"""children.csv: the number, age and whereabouts of parent clients' children (Recommendation 9).

Children belong to the person, so a parent seen at two agencies has the same
children at both (under each agency's CLIENTID). Whereabouts follow parental
status: PRNTSTAT 11 means every child lives with the client (WHEREABT CLIENT),
12 some, 13 none. A few children get a second row later, when their situation
changes (taken into care, or back home).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from hiddenharm.synth import population as pop
from hiddenharm.synth.arrow import choice, codes, dates, day, ints, refs, within, years_of

if TYPE_CHECKING:
    from hiddenharm.synth.generator import Plan

WHEREABT = ("CLIENT", "OPARENT", "FAMILY", "FOSTER", "RESID", "ADOPTED", "INDEP", "OTHER", "UNK")
CLIENT, OPARENT, FAMILY, FOSTER, RESID, ADOPTED, INDEP, OTHER, UNK = range(9)
_AWAY_MINOR_P = (0, 0.55, 0.20, 0.08, 0.02, 0.05, 0.0, 0.03, 0.07)
_AWAY_ADULT_P = (0, 0.18, 0.0, 0.0, 0.0, 0.0, 0.70, 0.05, 0.07)
CSCSTAT = ("NONE", "EH", "CIN", "CPP", "LAC", "UNK")
# population.EARLYHLP index (EH CIN CPP LAC NONE UNK) -> CSCSTAT index
_EH_TO_CSC = np.array([1, 2, 3, 4, 0, 5])
_CSC_NONE, _CSC_CIN, _CSC_CPP, _CSC_LAC = 0, 2, 3, 4
_SEX_P = (0.49, 0.49, 0.0, 0.02)  # M F X Z


def make_children(
    rng: np.random.Generator,
    plan: Plan,
    people: pop.People,
    first_refld: np.ndarray,
    pid: np.ndarray,
    agency: np.ndarray,
    refld: np.ndarray,
    cplan: np.ndarray,
    no_cplan: np.ndarray,
    ag_codes: list[str],
    client_ids: pa.Array,
) -> pa.Table:
    """Rows for parents' children; `pid`..`no_cplan` are per episode, in file order."""
    end = day(plan.end)

    # The person's children, once each.
    nch = people.n_children
    cp = np.repeat(np.arange(len(people)), nch)
    c = within(nch)
    nc = len(cp)
    home = c < people.n_home[cp]
    # children at home are under 18; those elsewhere are mostly under 18 too (ACMD: "about
    # two each" of dependent age), some grown up and living independently
    room = np.maximum(people.age[cp] - 17.0, 0.5)
    age = rng.random(nc) * np.where(home, np.minimum(room, 17.9), np.minimum(room, 22.0))
    yob = years_of(first_refld[cp]) - np.floor(age).astype(np.int64)
    minor = age < 18
    where = np.where(minor, choice(rng, nc, _AWAY_MINOR_P), choice(rng, nc, _AWAY_ADULT_P))
    where = np.where(home, CLIENT, where)
    eh = people.earlyhlp[cp]
    eh_csc = np.where(eh >= 0, _EH_TO_CSC[np.maximum(eh, 0)], _CSC_NONE)
    # the looked-after child of a parent whose help is LAC is the first one away from home
    first_away = c == people.n_home[cp]
    lac_child = (eh == pop.EH_LAC) & first_away & minor
    where = np.where(lac_child, np.where(rng.random(nc) < 0.6, FOSTER, FAMILY), where)
    csc = np.where(eh_csc == _CSC_LAC, np.where(home, _CSC_CPP, _CSC_NONE), eh_csc)
    csc = np.where(lac_child | (where == FOSTER) | (where == RESID), _CSC_LAC, csc)
    csc = np.where((where == ADOPTED) | ~minor, _CSC_NONE, csc)
    sex = choice(rng, nc, _SEX_P)

    # Which agencies recorded them: each (person, agency) pair of a parent, from the
    # first episode there, as often as that agency's habit.
    n_ag = len(ag_codes)
    key = pid * n_ag + agency
    pair_key, first_ep = np.unique(key, return_index=True)
    pair_pid, pair_ag = pair_key // n_ag, pair_key % n_ag
    rec_share = np.array([p.children_recorded for p in plan.agencies])[pair_ag]
    keep = (people.prntstat[pair_pid] <= pop.P13) & (rng.random(len(pair_key)) < rec_share)
    pair_pid, pair_ag, first_ep = pair_pid[keep], pair_ag[keep], first_ep[keep]
    base = np.where(no_cplan, refld, cplan)[first_ep]
    recdate_pair = np.minimum(base + rng.integers(0, 15, len(base)), end)

    per = nch[pair_pid]
    row_pair = np.repeat(np.arange(len(pair_pid)), per)
    child_no = within(per)
    child = (np.cumsum(nch) - nch)[pair_pid[row_pair]] + child_no
    recdate = recdate_pair[row_pair]
    r_where, r_csc = where[child], csc[child]

    # A later row for a few children whose situation changed.
    n = len(child)
    change = minor[child] & (rng.random(n) < 0.04)
    later = recdate + rng.integers(60, 541, n)
    change &= later <= end
    ch = np.flatnonzero(change)
    went = r_where[ch] == CLIENT
    to_foster = rng.random(len(ch)) < 0.4
    new_where = np.where(went, np.where(to_foster, FOSTER, FAMILY), CLIENT)
    back_csc = np.where(rng.random(len(ch)) < 0.5, _CSC_CIN, _CSC_NONE)
    new_csc = np.where(went, np.where(to_foster, _CSC_LAC, _CSC_CPP), back_csc)

    rows = np.concatenate([np.arange(n), ch])
    all_where = np.concatenate([r_where, new_where])
    all_csc = np.concatenate([r_csc, new_csc])
    all_date = np.concatenate([recdate, later[ch]])
    m = len(rows)
    cols = {
        "AGNCY": codes(ag_codes, pair_ag[row_pair][rows]),
        "CLIENTID": client_ids.take(pa.array(first_ep[row_pair][rows])),
        "CHILDREF": refs("CH", child_no[rows] + 1, 1),
        "CHILDYOB": ints(yob[child][rows], rng.random(m) < 0.02),
        "CHSEX": codes(pop.SEXES, sex[child][rows]),
        "WHEREABT": codes(WHEREABT, all_where, rng.random(m) < 0.03),
        "CSCSTAT": codes(CSCSTAT, all_csc, rng.random(m) < 0.05),
        "RECDATE": dates(all_date),
    }
    order = np.lexsort((all_date, child_no[rows], row_pair[rows], pair_ag[row_pair][rows]))
    return pa.table(cols).take(pa.array(order))
