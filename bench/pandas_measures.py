"""A straightforward pandas implementation of a subset of the measures: the baseline.

What a data analyst would write from ``spec/measures.md`` with pandas: groupby, sort and
take the last, merge. It takes the same accepted tables as ``hiddenharm.measures.compute``
(pyarrow, converted here; the conversion is part of its time) and returns the same JSON
shape for what it covers:

- ``population``: in_treatment and new_presentations (individuals), drug/alcohol/all;
- ``completeness``: PRNTSTAT, CHILDWTH, PREGNANT, EARLYHLP at the start of treatment;
- ``currency``: updated at a care-plan review in the last 182 days;
- ``parental_status``, ``children_living_with``, ``pregnant``, ``early_help``: the
  distributions of current values over individuals in treatment;
- ``estimates``: observed, n, N, ratio, estimate, ci95, and the new-presentations method.

Not covered: ``by_agency`` splits, ``children`` (children.csv), ``estimates.*.prevalence``,
and small-number suppression (``publish``).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd

COVERED = [
    "population",
    "completeness",
    "currency",
    "parental_status",
    "children_living_with",
    "pregnant",
    "early_help",
    "estimates (without prevalence)",
]
SPLITS = ("drug", "alcohol", "all")
ITEMS = ("PRNTSTAT", "CHILDWTH", "PREGNANT", "EARLYHLP")
EARLYHLP_CODES = ("EH", "CIN", "CPP", "LAC", "NONE", "UNK")
DATE_COLUMNS = {
    "episodes": ("DOB", "REFLD", "TRIAGED", "CPLANDT", "DISD", "HHDATE"),
    "reviews": ("REVDATE",),
    "children": ("RECDATE",),
}


def _frame(table: Any) -> pd.DataFrame:
    return table.to_pandas(date_as_object=False)


def default_period(tables: dict[str, Any]) -> tuple[dt.date, dt.date]:
    """The latest whole financial year ending on or before the latest date of any file."""
    latest = None
    for name, cols in DATE_COLUMNS.items():
        if name not in tables:
            continue
        df = _frame(tables[name].select([c for c in cols if c in tables[name].column_names]))
        for c in df.columns:
            m = df[c].max()
            if pd.notna(m) and (latest is None or m > latest):
                latest = m
    latest = pd.Timestamp(latest).date()
    year = latest.year if latest >= dt.date(latest.year, 3, 31) else latest.year - 1
    return dt.date(year - 1, 4, 1), dt.date(year, 3, 31)


def _by_type(series_type: pd.Series, mask: pd.Series | None = None) -> dict[str, int]:
    t = series_type if mask is None else series_type[mask]
    counts = t.value_counts()
    return {
        "drug": int(counts.get("drug", 0)),
        "alcohol": int(counts.get("alcohol", 0)),
        "all": int(len(t)),
    }


def _rate(num: int, den: int) -> float | None:
    return num / den if den else None


def _interval(values: np.ndarray, n_all: int, observed: float) -> tuple[Any, Any, Any]:
    """(ratio, estimate, ci95) by the spec's finite-population formula."""
    n = len(values)
    if n == 0:
        return None, None, None
    ratio = float(values.mean())
    estimate = n_all * ratio
    if n == n_all:
        return ratio, estimate, [estimate, estimate]
    if n == 1:
        return ratio, estimate, None
    se = values.std(ddof=1) / math.sqrt(n) * math.sqrt(1 - n / n_all)
    low = max(n_all * (ratio - 1.96 * se), observed)
    return ratio, estimate, [low, n_all * (ratio + 1.96 * se)]


def compute(tables: dict[str, Any], period_from: dt.date, period_to: dt.date) -> dict[str, Any]:
    fr, to = pd.Timestamp(period_from), pd.Timestamp(period_to)
    ep = _frame(tables["episodes"])
    rv = _frame(tables["reviews"]) if "reviews" in tables else pd.DataFrame(columns=["AGNCY"])

    ep["attr"] = ep["FINITIAL"] + ep["SINITIAL"] + ep["DOB"].astype(str) + ep["SEX"]
    # Alcohol treatment: every substance given is ALCOHOL (blank DRUG2/DRUG3 are null).
    alcohol_only = (
        (ep["DRUG1"] == "ALCOHOL")
        & (ep["DRUG2"].isna() | (ep["DRUG2"] == "ALCOHOL"))
        & (ep["DRUG3"].isna() | (ep["DRUG3"] == "ALCOHOL"))
    )
    ep["type"] = np.where(alcohol_only, "alcohol", "drug")
    start = ep["CPLANDT"]
    in_tx = (start <= to) & (ep["DISD"].isna() | (ep["DISD"] >= fr))
    new = (start >= fr) & (start <= to)

    # Individuals in treatment and their type: the in-treatment episode with the latest
    # start, ties to the higher EPISODID.
    cur = ep[in_tx].sort_values(["attr", "CPLANDT", "EPISODID"])
    ind = cur.groupby("attr", sort=False).tail(1).set_index("attr")[["type", "SEX"]]
    itype = ind["type"]
    new_ep = ep[new]
    new_inds = pd.Index(new_ep["attr"].unique())
    report: dict[str, Any] = {
        "period": {"from": period_from.isoformat(), "to": period_to.isoformat()},
        "population": {
            "in_treatment": _by_type(itype),
            "new_presentations": _by_type(itype.reindex(new_inds).dropna()),
        },
    }

    # Completeness at the start: new-presentation episodes, by the episode's own type.
    comp: dict[str, Any] = {}
    for split in SPLITS:
        e = new_ep if split == "all" else new_ep[new_ep["type"] == split]
        eligible = {
            "PRNTSTAT": pd.Series(True, index=e.index),
            "CHILDWTH": pd.Series(True, index=e.index),
            "PREGNANT": e["SEX"] == "F",
            "EARLYHLP": e["PRNTSTAT"].isin(["11", "12", "13"]) | (e["CHILDWTH"] > 0),
        }
        comp[split] = {}
        for item in ITEMS:
            el = eligible[item]
            rec = int((el & e[item].notna()).sum())
            den = int(el.sum())
            comp[split][item] = {"recorded": rec, "eligible": den, "rate": _rate(rec, den)}
    report["completeness"] = comp

    # Currency: episodes in treatment at TO for at least 182 days, updated at a review
    # in (TO - 182, TO].
    since = to - pd.Timedelta(days=182)
    long = ep[(start <= since) & (ep["DISD"].isna() | (ep["DISD"] > to))]
    r = rv[(rv["REVDATE"] > since) & (rv["REVDATE"] <= to)]
    r = r.merge(long[["AGNCY", "EPISODID", "SEX"]], on=["AGNCY", "EPISODID"])
    full = (
        r["PRNTSTAT"].notna() & r["CHILDWTH"].notna() & ((r["SEX"] != "F") | r["PREGNANT"].notna())
    )
    done = set(zip(r.loc[full, "AGNCY"], r.loc[full, "EPISODID"], strict=True))
    up = pd.Series(
        [k in done for k in zip(long["AGNCY"], long["EPISODID"], strict=True)],
        index=long.index,
        dtype=bool,
    )
    report["currency"] = {}
    for split in SPLITS:
        m = pd.Series(True, index=long.index) if split == "all" else long["type"] == split
        u, n = int((up & m).sum()), int(m.sum())
        report["currency"][split] = {"up_to_date": u, "eligible": n, "rate": _rate(u, n)}

    # Current values at TO: the latest non-blank value over the individual's episode rows
    # (dated HHDATE, else CPLANDT) and review rows (REVDATE); ties: review, then the
    # higher EPISODID, then the higher AGNCY.
    mine = ep[ep["attr"].isin(ind.index)]
    recs_ep = mine.assign(date=mine["HHDATE"].fillna(mine["CPLANDT"]), src=0)
    rv2 = rv.merge(mine[["AGNCY", "EPISODID", "attr"]], on=["AGNCY", "EPISODID"])
    recs_rv = rv2.assign(date=rv2["REVDATE"], src=1)
    cols = ["attr", "date", "src", "EPISODID", "AGNCY", *ITEMS]
    recs = pd.concat([recs_ep[cols], recs_rv[cols]], ignore_index=True)
    recs = recs[recs["date"].notna() & (recs["date"] <= to)]
    recs = recs.sort_values(["attr", "date", "src", "EPISODID", "AGNCY"])
    current = pd.DataFrame(index=ind.index)
    for item in ITEMS:
        last = recs[recs[item].notna()].groupby("attr", sort=False)[item].last()
        current[item] = last.reindex(ind.index)
    current["type"] = itype
    current["female"] = ind["SEX"] == "F"

    ps, cw, pg, eh, est = {}, {}, {}, {}, {}
    new_latest = (
        new_ep.sort_values(["attr", "CPLANDT", "EPISODID"]).groupby("attr", sort=False).tail(1)
    )
    new_latest = new_latest.assign(itype=itype.reindex(new_latest["attr"]).to_numpy())
    for split in SPLITS:
        c = current if split == "all" else current[current["type"] == split]
        p = c["PRNTSTAT"]
        d = {code: int((p == code).sum()) for code in ("11", "12", "13", "14", "15")}
        d["missing"] = int(p.isna().sum())
        d["parent_living_with_children"] = d["11"] + d["12"]
        d["parent_not_living_with_children"] = d["13"]
        d["not_a_parent"] = d["14"]
        d["incomplete"] = d["15"] + d["missing"]
        ps[split] = d

        x = c["CHILDWTH"]
        band = {str(k): int((x == k).sum()) for k in (0, 1, 2, 3)}
        band["4+"] = int((x >= 4).sum())
        band["missing"] = int(x.isna().sum())
        band["total_children"] = int(x.sum())
        cw[split] = band

        f = c[c["female"]]["PREGNANT"]
        pg[split] = {
            "Y": int((f == "Y").sum()),
            "N": int((f == "N").sum()),
            "missing": int(f.isna().sum()),
        }

        asked = c[(x > 0) | p.isin(["11", "12", "13"])]["EARLYHLP"]
        parts = asked.dropna().str.split(";").explode()
        per_ind = parts.groupby(level=0).unique().explode()
        e = {code: int((per_ind == code).sum()) for code in EARLYHLP_CODES}
        e["missing"] = int(asked.isna().sum())
        eh[split] = e

        values = x.dropna().to_numpy(dtype=float)
        n_all = len(c)
        observed = float(values.sum())
        ratio, estimate, ci = _interval(values, n_all, observed)
        nl = new_latest if split == "all" else new_latest[new_latest["itype"] == split]
        nv = nl["CHILDWTH"].dropna().to_numpy(dtype=float)
        if len(nv) == 0:
            np_est: dict[str, Any] = {"n": 0, "ratio": None, "estimate": None, "ci95": None}
        else:
            r_new = float(nv.mean())
            se_ci = _new_interval(nv, n_all, observed)
            np_est = {"n": len(nv), "ratio": r_new, "estimate": n_all * r_new, "ci95": se_ci}
        est[split] = {
            "observed": int(observed),
            "n": len(values),
            "N": n_all,
            "ratio": ratio,
            "estimate": estimate,
            "ci95": ci,
            "new_presentations": np_est,
        }
    report.update(
        parental_status=ps, children_living_with=cw, pregnant=pg, early_help=eh, estimates=est
    )
    return report


def _new_interval(values: np.ndarray, n_all: int, observed: float) -> Any:
    """The same interval formula on the new presentations' n (lower end >= observed)."""
    n = len(values)
    ratio = float(values.mean())
    if n >= n_all:
        return [n_all * ratio, n_all * ratio]
    if n == 1:
        return None
    se = values.std(ddof=1) / math.sqrt(n) * math.sqrt(1 - n / n_all)
    return [max(n_all * (ratio - 1.96 * se), observed), n_all * (ratio + 1.96 * se)]


# --- comparison -------------------------------------------------------------------------


def _flatten(obj: Any, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(obj, dict):
        for k, v in obj.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(obj, list | tuple):
        for i, v in enumerate(obj):
            out.update(_flatten(v, f"{prefix}[{i}]"))
    else:
        out[prefix] = obj
    return out


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool | str) or isinstance(b, bool | str):
        return str(a) == str(b)
    # Rates and estimates may be rounded in the report: equal within 0.1% (or 0.0005).
    return abs(float(a) - float(b)) <= max(0.0005, 0.001 * abs(float(a)))


def compare(ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    """Every figure the pandas baseline gives, against compute()'s figure at the same path."""
    a, b = _flatten(ours), _flatten(theirs)
    compared = equal = 0
    differ = []
    missing_in_compute = []
    for path, vb in b.items():
        if path.startswith("period"):
            continue
        if path not in a:
            missing_in_compute.append(path)
            continue
        compared += 1
        if _same(a[path], vb):
            equal += 1
        else:
            differ.append([path, a[path], vb])
    not_covered = sorted({k for k in ours if k not in theirs and k != "problems"})
    not_covered += ["by_agency splits", "estimates.*.prevalence"]
    return {
        "compared": compared,
        "equal": equal,
        "differ": differ,
        "missing_in_compute": missing_in_compute[:50],
        "covered": COVERED,
        "not_covered": not_covered,
    }
