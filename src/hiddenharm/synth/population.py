"""The people behind a synthetic submission: who they are, what they use, their children.

Everything here is a fact about a person that stays true across their episodes
(the truth); what an agency *records* of it is decided later, in `generator`.
Rates are calibrated to `shared/facts.md`:

- about 70% of clients are men; a third are in alcohol-only treatment, and
  opiate clients are about half of the rest (national adult treatment statistics);
- about half of new presentations are parents or adults living with children,
  and 41% of those live with a child (50% of women, 36% of men: PHE 2019/20);
- parents have about two children each (ACMD, *Hidden Harm*, 2003);
- of the children's households, 81% get no help from children's services, 4%
  are children in need, 7% have a child protection plan, 5% are looked after.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hiddenharm.synth.arrow import choice

# Index into codes.SUBSTANCE order (HEROIN .. ALCOHOL), -1 for blank.
SUBST = (
    "HEROIN", "METHADONE", "BUPRENORPHINE", "OTHOPIATE", "CRACK", "COCAINE", "AMPHET",
    "CANNABIS", "BENZO", "KETAMINE", "NPS", "SOLVENT", "OTHER", "ALCOHOL",
)  # fmt: skip
ALCOHOL = 13
GROUPS = ("OPIATE", "NON_OPIATE", "ALCOHOL_NON_OPIATE", "ALCOHOL_ONLY")
GROUP_P = (0.33, 0.18, 0.16, 0.33)
OPIATE, NON_OPIATE, ALC_NON_OPIATE, ALC_ONLY = range(4)

# Main non-opiate drug (CRACK .. OTHER, indices 4-12), and opiate (0-3).
_NONOP_P = (0.16, 0.32, 0.07, 0.30, 0.04, 0.05, 0.02, 0.01, 0.03)
_OPIATE_P = (0.78, 0.08, 0.04, 0.10)
# Second substance of an opiate client: crack above all (CRACK .. OTHER, ALCOHOL, blank).
_OPIATE_D2_P = (0.42, 0.05, 0.02, 0.08, 0.08, 0.0, 0.01, 0.0, 0.02, 0.10, 0.22)

# Age at first referral, by group: opiate clients are an ageing cohort.
_AGE_MEAN = (41.0, 31.0, 36.0, 46.0)
_AGE_SD = (8.5, 8.5, 9.5, 11.0)

SEXES = ("M", "F", "X", "Z")
_SEX_P = (0.695, 0.30, 0.003, 0.002)

PRNTSTATS = ("11", "12", "13", "14", "15")
P11, P12, P13, P14, P15 = range(5)

# Early help for clients with children about (codes.EARLYHLP order: EH CIN CPP LAC NONE UNK).
EARLYHLP = ("EH", "CIN", "CPP", "LAC", "NONE", "UNK")
EH_LAC = 3
# All the children at home: nobody is looked after. Some children elsewhere: some are.
_EH_HOME_P = (0.02, 0.04, 0.08, 0.0, 0.85, 0.01)
_EH_AWAY_P = (0.02, 0.04, 0.065, 0.075, 0.79, 0.01)

# Initial letters, roughly as common as in English names (A..Z).
_FIRST_P = (
    6, 3, 5, 5, 3, 1, 2, 2, 1, 9, 4, 5, 8, 3, 1, 4, 0.2, 4, 7, 4, 0.3, 1, 2, 0.1, 0.5, 0.5,
)  # fmt: skip
_SURNAME_P = (
    3, 9, 6, 4, 2, 3, 4, 7, 1, 2, 3, 5, 7, 2, 1, 5, 0.2, 4, 9, 4, 0.3, 1, 6, 0.1, 0.5, 0.3,
)  # fmt: skip
LETTERS = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


@dataclass
class People:
    """One row per person (arrays of equal length)."""

    n_episodes: np.ndarray
    sex: np.ndarray  # index into SEXES
    group: np.ndarray  # index into GROUPS
    drugs: np.ndarray  # (n, 3) index into SUBST, -1 blank
    age: np.ndarray  # years at first referral (float), clipped to 18-70 by the generator
    finitial: np.ndarray
    sinitial: np.ndarray
    prntstat: np.ndarray  # index into PRNTSTATS (the truth)
    n_children: np.ndarray  # own children (0 for non-parents)
    n_home: np.ndarray  # own children under 18 living with the client
    childwth: np.ndarray  # children under 18 in the household, own or not
    earlyhlp: np.ndarray  # index into EARLYHLP, -1 where no children concern
    area: np.ndarray  # index into the areas
    agency: np.ndarray  # home agency index

    def __len__(self) -> int:
        return len(self.sex)


def episode_counts(rng: np.random.Generator, episodes: int) -> np.ndarray:
    """Episodes per person summing exactly to `episodes`: most people have one."""
    k = 1 + choice(rng, episodes, (0.78, 0.15, 0.05, 0.02))
    cs = np.cumsum(k)
    n = int(np.searchsorted(cs, episodes)) + 1
    k = k[:n].copy()
    k[-1] -= int(cs[n - 1] - episodes)
    return k


def _drugs(rng: np.random.Generator, group: np.ndarray) -> np.ndarray:
    n = len(group)
    nonop = 4 + choice(rng, n, _NONOP_P)
    nonop2 = 4 + choice(rng, n, _NONOP_P)
    nonop3 = 4 + choice(rng, n, _NONOP_P)
    d = np.full((n, 3), -1, dtype=np.int64)

    op = group == OPIATE
    d2 = 4 + choice(rng, n, _OPIATE_D2_P)  # 13 is ALCOHOL, 14 blank
    d2 = np.where(d2 == 14, -1, d2)
    d[op, 0] = choice(rng, n, _OPIATE_P)[op]
    d[op, 1] = d2[op]
    d[op, 2] = np.where(rng.random(n) < 0.35, nonop3, -1)[op]

    no = group == NON_OPIATE
    d[no, 0] = nonop[no]
    d[no, 1] = np.where(rng.random(n) < 0.5, nonop2, -1)[no]
    d[no, 2] = np.where(rng.random(n) < 0.15, nonop3, -1)[no]

    an = group == ALC_NON_OPIATE
    alc_first = rng.random(n) < 0.45
    d[an, 0] = np.where(alc_first, ALCOHOL, nonop)[an]
    d[an, 1] = np.where(alc_first, nonop2, ALCOHOL)[an]
    d[an, 2] = np.where(rng.random(n) < 0.25, nonop3, -1)[an]

    d[group == ALC_ONLY, 0] = ALCOHOL

    # no substance twice; close up gaps so DRUG3 is never given without DRUG2
    d[:, 2] = np.where((d[:, 2] == d[:, 0]) | (d[:, 2] == d[:, 1]), -1, d[:, 2])
    d[:, 1] = np.where(d[:, 1] == d[:, 0], -1, d[:, 1])
    gap = d[:, 1] < 0
    d[gap, 1] = d[gap, 2]
    d[gap, 2] = -1
    return d


def make_people(
    rng: np.random.Generator,
    episodes: int,
    n_areas: int,
    agency_weights: np.ndarray,
    agency_area: np.ndarray,
) -> People:
    k = episode_counts(rng, episodes)
    n = len(k)
    sex = choice(rng, n, _SEX_P)
    group = choice(rng, n, GROUP_P)
    female = sex == 1

    # Parental status. Parents by sex, then living with their children by sex,
    # tuned so that ~50% of clients are parents or live with children and ~41%
    # of those live with a child (50% women, 36% men).
    parent = rng.random(n) < np.where(female, 0.59, 0.45)
    # Younger parents more often have their (young) children at home; older ones' have
    # grown up (NTA 2011/12: 69% of parents living with their children were over 30).
    age = rng.normal(np.asarray(_AGE_MEAN)[group], np.asarray(_AGE_SD)[group])
    by_age = np.where(age < 30, 1.8, np.where(age < 50, 1.0, 0.5))
    lives_with = rng.random(n) < np.where(female, 0.44, 0.29) * by_age
    n_children = np.where(parent, 1 + np.minimum(rng.poisson(1.0, n), 7), 0)
    some_only = (rng.random(n) < 0.3) & (n_children >= 2)
    prnt = np.where(parent, np.where(lives_with, np.where(some_only, P12, P11), P13), P14)
    declined = rng.random(n) < 0.03
    prnt = np.where(declined, P15, prnt)

    n_home = np.where(prnt == P11, n_children, 0)
    some = 1 + (rng.random(n) * np.maximum(n_children - 1, 1)).astype(np.int64)
    n_home = np.where(prnt == P12, np.minimum(some, n_children - 1), n_home)
    # other people's children in the household: partners' children, grandchildren
    others = np.where(rng.random(n) < 0.05, 1 + rng.poisson(0.4, n), 0)
    others = np.where((prnt == P14) & (rng.random(n) < 0.8), 0, others)
    childwth = np.where(prnt == P15, 0, n_home + others)

    concern = ((prnt <= P13) | (childwth > 0)) & (prnt != P15)
    away = (prnt == P12) | (prnt == P13)
    eh = np.where(away, choice(rng, n, _EH_AWAY_P), choice(rng, n, _EH_HOME_P))
    eh = np.where(concern, eh, -1)

    area = choice(rng, n, np.ones(n_areas))
    # Clients mostly go to an agency in their own area.
    n_ag = len(agency_weights)
    agency = np.empty(n, dtype=np.int64)
    for a in range(n_areas):  # a loop over areas, not rows
        at = area == a
        w = agency_weights * np.where(agency_area == a, 1.0, 0.08)
        agency[at] = choice(rng, int(at.sum()), w)
    if n_ag == 0:
        raise ValueError("no agencies")

    return People(
        n_episodes=k,
        sex=sex,
        group=group,
        drugs=_drugs(rng, group),
        age=age,
        finitial=choice(rng, n, _FIRST_P),
        sinitial=choice(rng, n, _SURNAME_P),
        prntstat=prnt,
        n_children=n_children,
        n_home=n_home,
        childwth=childwth,
        earlyhlp=eh,
        area=area,
        agency=agency,
    )


def ages_at_first_referral(people: People, span_years: np.ndarray) -> np.ndarray:
    """Ages 18-70 at every referral: `span_years` is each person's first-to-last gap."""
    age = people.age
    top = np.maximum(69.5 - span_years, 18.1)
    return np.clip(age, 18.05, top)
