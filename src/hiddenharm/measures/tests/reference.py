"""A deliberately plain reference implementation of spec/measures.md: rows, dicts and loops.

Written straight from the spec's text, sharing nothing with the engine but the category
lists, so that a property test can compare the two on random submissions. Slow on purpose.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from typing import Any

OPIATES = {"HEROIN", "METHADONE", "BUPRENORPHINE", "OTHOPIATE"}
PS = ["11", "12", "13", "14", "15"]
EH = ["EH", "CIN", "CPP", "LAC", "NONE", "UNK"]
WHERE = ["CLIENT", "OPARENT", "FAMILY", "FOSTER", "RESID", "ADOPTED", "INDEP", "OTHER", "UNK"]
CSC = ["NONE", "EH", "CIN", "CPP", "LAC", "UNK"]
BANDS = ["0-4", "5-10", "11-15", "16-17", "18+", "unknown"]


def ttype_of(e: dict[str, Any]) -> str:
    given = [e[k] for k in ("DRUG1", "DRUG2", "DRUG3") if e[k]]
    if given and all(d == "ALCOHOL" for d in given):
        return "alcohol"
    return "drug"


def attributor(e: dict[str, Any]) -> tuple[Any, ...]:
    return (e["FINITIAL"], e["SINITIAL"], e["DOB"], e["SEX"])


def estimate(N: int, xs: list[int], observed: int) -> dict[str, Any]:
    n = len(xs)
    if n == 0:
        return {"ratio": None, "estimate": None, "ci95": None}
    ratio = sum(xs) / n
    est = N * ratio
    if n == N:
        ci: list[float] | None = [est, est]
    elif n == 1:
        ci = None
    else:
        s = statistics.stdev(xs)
        se = s / math.sqrt(n) * math.sqrt(1 - n / N)
        ci = [N * (ratio - 1.96 * se), N * (ratio + 1.96 * se)]
    if ci is not None:
        ci[0] = max(ci[0], observed)
    return {"ratio": ratio, "estimate": est, "ci95": ci}


def sensitivity(N: int, xs: list[int]) -> dict[str, Any]:
    """If the N - n with no number lived with d times as many children as the recorded."""
    observed, n = sum(xs), len(xs)
    out: dict[str, Any] = {"0": observed}
    for d in ("0.5", "1", "1.5", "2"):
        out[d] = None if n == 0 else observed + (N - n) * (sum(xs) / n) * float(d)
    return out


def reference(
    rows: dict[str, list[dict[str, Any]]],
    start: dt.date,
    end: dt.date,
    *,
    la: str | None = None,
    children_per_parent: float | None = None,
) -> dict[str, Any]:
    episodes = [e for e in rows["episodes"] if la is None or e["LA"] == la]
    keys = {(e["AGNCY"], e["EPISODID"]): e for e in episodes}
    reviews = [r for r in rows["reviews"] if (r["AGNCY"], r["EPISODID"]) in keys]
    clients = {(e["AGNCY"], e["CLIENTID"]) for e in episodes}
    children = [c for c in rows["children"] if (c["AGNCY"], c["CLIENTID"]) in clients]

    def in_treatment(e: dict[str, Any]) -> bool:
        s = e["CPLANDT"]
        return s is not None and s <= end and (e["DISD"] is None or e["DISD"] >= start)

    def new_presentation(e: dict[str, Any]) -> bool:
        return in_treatment(e) and start <= e["CPLANDT"] <= end

    def latest(es: list[dict[str, Any]]) -> dict[str, Any]:
        return max(es, key=lambda e: (e["CPLANDT"], e["EPISODID"], e["AGNCY"]))

    people: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for e in episodes:
        if in_treatment(e):
            people.setdefault(attributor(e), []).append(e)

    person: dict[tuple[Any, ...], dict[str, Any]] = {}
    for a, es in people.items():
        p: dict[str, Any] = {
            "type": ttype_of(latest(es)),
            "female": a[3] == "F",
            "agencies": {e["AGNCY"] for e in es},
        }
        nps = [e for e in es if new_presentation(e)]
        p["np"] = bool(nps)
        p["np_childwth"] = latest(nps)["CHILDWTH"] if nps else None
        # current values
        for item in ("PRNTSTAT", "CHILDWTH", "PREGNANT", "EARLYHLP"):
            best = None
            for e in episodes:
                if attributor(e) != a:
                    continue
                d = e["HHDATE"] if e["HHDATE"] is not None else e["CPLANDT"]
                if d is not None and d <= end and e[item] is not None:
                    rank = (d, 0, e["EPISODID"], e["AGNCY"])
                    if best is None or rank > best[0]:
                        best = (rank, e[item])
                for r in reviews:
                    if (r["AGNCY"], r["EPISODID"]) != (e["AGNCY"], e["EPISODID"]):
                        continue
                    if r["REVDATE"] <= end and r[item] is not None:
                        rank = (r["REVDATE"], 1, e["EPISODID"], e["AGNCY"])
                        if best is None or rank > best[0]:
                            best = (rank, r[item])
            p[item] = best[1] if best else None
        if not p["female"]:
            p["PREGNANT"] = None
        person[a] = p

    # children: latest row on or before TO per child, under the first attributor in treatment
    latest_child: dict[tuple[Any, ...], dict[str, Any]] = {}
    for c in children:
        if c["RECDATE"] > end:
            continue
        ref = (c["AGNCY"], c["CLIENTID"], c["CHILDREF"])
        if ref not in latest_child or (c["RECDATE"], c["line"]) > (
            latest_child[ref]["RECDATE"],
            latest_child[ref]["line"],
        ):
            latest_child[ref] = c
    kids_of: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for (agency, client, _), c in latest_child.items():
        parents = sorted(
            {
                attributor(e)
                for e in episodes
                if e["AGNCY"] == agency and e["CLIENTID"] == client and attributor(e) in person
            }
        )
        if parents:
            kids_of.setdefault(parents[0], []).append(c)

    def band(c: dict[str, Any]) -> str:
        y = c["CHILDYOB"]
        if y is None or y > end.year:
            return "unknown"
        age = end.year - y
        if age <= 4:
            return "0-4"
        if age <= 10:
            return "5-10"
        if age <= 15:
            return "11-15"
        if age <= 17:
            return "16-17"
        return "18+"

    agencies = sorted({ag for p in person.values() for ag in p["agencies"]})
    splits = ("drug", "alcohol", "all")

    def members(split: str, agency: str | None) -> list[tuple[Any, ...]]:
        return [
            a
            for a, p in person.items()
            if (split == "all" or p["type"] == split)
            and (agency is None or agency in p["agencies"])
        ]

    def with_agencies(build: Any) -> dict[str, Any]:
        out = {s: build(s, None) for s in splits}
        out["by_agency"] = {ag: {s: build(s, ag) for s in splits} for ag in agencies}
        return out

    def eps(split: str, agency: str | None) -> list[dict[str, Any]]:
        return [
            e
            for e in episodes
            if in_treatment(e)
            and (split == "all" or ttype_of(e) == split)
            and (agency is None or e["AGNCY"] == agency)
        ]

    def completeness(split: str, agency: str | None) -> dict[str, Any]:
        out = {}
        nps = [e for e in eps(split, agency) if new_presentation(e)]
        for item in ("PRNTSTAT", "CHILDWTH", "PREGNANT", "EARLYHLP"):
            if item == "PREGNANT":
                elig = [e for e in nps if e["SEX"] == "F"]
            elif item == "EARLYHLP":
                elig = [
                    e
                    for e in nps
                    if e["PRNTSTAT"] in ("11", "12", "13")
                    or (e["CHILDWTH"] is not None and e["CHILDWTH"] > 0)
                ]
            else:
                elig = nps
            rec = sum(1 for e in elig if e[item] is not None)
            out[item] = {
                "recorded": rec,
                "eligible": len(elig),
                "rate": rec / len(elig) if elig else None,
            }
        return out

    cut = end - dt.timedelta(days=182)

    def currency(split: str, agency: str | None) -> dict[str, Any]:
        up = elig = 0
        for e in eps(split, agency):
            if not (e["CPLANDT"] <= cut and (e["DISD"] is None or e["DISD"] > end)):
                continue
            elig += 1
            for r in reviews:
                if (
                    (r["AGNCY"], r["EPISODID"]) == (e["AGNCY"], e["EPISODID"])
                    and cut < r["REVDATE"] <= end
                    and r["PRNTSTAT"] is not None
                    and r["CHILDWTH"] is not None
                    and (e["SEX"] != "F" or r["PREGNANT"] is not None)
                ):
                    up += 1
                    break
        return {"up_to_date": up, "eligible": elig, "rate": up / elig if elig else None}

    def parental(split: str, agency: str | None) -> dict[str, Any]:
        ps = [person[a]["PRNTSTAT"] for a in members(split, agency)]
        out: dict[str, Any] = {c: ps.count(c) for c in PS}
        out["missing"] = ps.count(None)
        out["parent_living_with_children"] = out["11"] + out["12"]
        out["parent_not_living_with_children"] = out["13"]
        out["not_a_parent"] = out["14"]
        out["incomplete"] = out["15"] + out["missing"]
        return out

    def living_with(split: str, agency: str | None) -> dict[str, Any]:
        xs = [person[a]["CHILDWTH"] for a in members(split, agency)]
        out: dict[str, Any] = {str(i): xs.count(i) for i in range(4)}
        out["4+"] = sum(1 for x in xs if x is not None and x >= 4)
        out["missing"] = xs.count(None)
        out["total_children"] = sum(x for x in xs if x is not None)
        return out

    def pregnant(split: str, agency: str | None) -> dict[str, Any]:
        vs = [person[a]["PREGNANT"] for a in members(split, agency) if person[a]["female"]]
        return {"Y": vs.count("Y"), "N": vs.count("N"), "missing": vs.count(None)}

    def early_help(split: str, agency: str | None) -> dict[str, Any]:
        out = dict.fromkeys(EH, 0) | {"missing": 0}
        for a in members(split, agency):
            p = person[a]
            if not ((p["CHILDWTH"] or 0) > 0 or p["PRNTSTAT"] in ("11", "12", "13")):
                continue
            if p["EARLYHLP"] is None:
                out["missing"] += 1
            else:
                for code in set(p["EARLYHLP"].split(";")):
                    out[code] += 1
        return out

    def population(np_only: bool) -> Any:
        return lambda s, ag: sum(1 for a in members(s, ag) if person[a]["np"] or not np_only)

    result: dict[str, Any] = {
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "population": {
            "in_treatment": with_agencies(population(False)),
            "new_presentations": with_agencies(population(True)),
        },
        "completeness": with_agencies(completeness),
        "currency": with_agencies(currency),
        "parental_status": with_agencies(parental),
        "children_living_with": with_agencies(living_with),
        "pregnant": with_agencies(pregnant),
        "early_help": with_agencies(early_help),
        "children": {},
        "estimates": {},
    }
    for s in splits:
        ks = [c for a in members(s, None) for c in kids_of.get(a, [])]
        result["children"][s] = {
            "total": len(ks),
            "age_band": {b: sum(1 for c in ks if band(c) == b) for b in BANDS},
            "WHEREABT": {w: sum(1 for c in ks if c["WHEREABT"] == w) for w in WHERE}
            | {"missing": sum(1 for c in ks if c["WHEREABT"] is None)},
            "CSCSTAT": {w: sum(1 for c in ks if c["CSCSTAT"] == w) for w in CSC}
            | {"missing": sum(1 for c in ks if c["CSCSTAT"] is None)},
        }
        group = members(s, None)
        xs = [person[a]["CHILDWTH"] for a in group if person[a]["CHILDWTH"] is not None]
        observed = sum(xs)
        block: dict[str, Any] = {"observed": observed, "n": len(xs), "N": len(group)}
        block |= estimate(len(group), xs, observed)
        block["sensitivity"] = sensitivity(len(group), xs)
        nxs = [
            person[a]["np_childwth"]
            for a in group
            if person[a]["np"] and person[a]["np_childwth"] is not None
        ]
        block["new_presentations"] = {"n": len(nxs)} | estimate(len(group), nxs, observed)
        parents = [a for a in group if person[a]["PRNTSTAT"] in ("11", "12", "13")]
        pnp = [a for a in group if person[a]["PRNTSTAT"] in ("11", "12", "13", "14")]
        with_rows = [a for a in parents if kids_of.get(a)]
        u18 = sum(1 for a in with_rows for c in kids_of[a] if band(c) not in ("18+", "unknown"))
        share = len(parents) / len(pnp) if pnp else None
        if not children and children_per_parent is not None:
            kk: float | None = children_per_parent
        else:
            kk = u18 / len(with_rows) if with_rows else None
        block["prevalence"] = {
            "parents": len(parents),
            "parents_and_non_parents": len(pnp),
            "p": share,
            "parents_with_children_rows": len(with_rows),
            "children_under_18": u18,
            "k": kk,
            "c": share * kk if share is not None and kk is not None else None,
        }
        result["estimates"][s] = block
    return result
