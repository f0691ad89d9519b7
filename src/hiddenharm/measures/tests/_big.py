"""A large synthetic submission, for timing: ``python -m hiddenharm.measures.tests._big``.

Not a realistic one (the synth package makes those): random but valid-shaped typed tables
of any size, built with numpy in seconds. Prints wall and CPU time of ``compute`` (full JSON,
published) and of the eight-quarter trend.
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import sys
import time
from typing import Any

import numpy as np
import pyarrow as pa

from hiddenharm.measures import Submission, compute, whole_quarters
from hiddenharm.measures.schema import SCHEMAS

LETTERS = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))


def big(episodes: int = 1_000_000, reviews: int = 2_000_000, seed: int = 1) -> dict[str, pa.Table]:
    rng = np.random.default_rng(seed)
    n = episodes
    person = rng.integers(0, int(n * 0.7), n)

    def maybe(values: Any, blank: float) -> pa.Array:
        return pa.array(values, mask=rng.random(len(values)) < blank)

    agency = np.array([f"AG{i:03d}" for i in range(150)])[rng.integers(0, 150, n)]
    epid = np.char.add("EP", np.arange(n).astype(str))
    client = np.char.add("C", person.astype(str))
    start = np.datetime64("2015-01-01") + rng.integers(0, 365 * 5, n).astype("timedelta64[D]")
    started = rng.random(n) < 0.95
    discharged = started & (rng.random(n) < 0.6)
    disd = start + rng.integers(30, 900, n).astype("timedelta64[D]")
    ps = np.array(["11", "12", "13", "14", "15"])[rng.integers(0, 5, n)]
    cw = rng.integers(0, 4, n).astype(np.int32)
    eh = np.array(["EH", "NONE", "CIN;EH", "UNK"])[rng.integers(0, 4, n)]
    preg = np.array(["Y", "N"])[rng.integers(0, 2, n)]
    cols: dict[str, Any] = {
        "line": np.arange(2, n + 2),
        "AGNCY": agency,
        "LA": np.where(rng.random(n) < 0.5, "LA1", "LA2"),
        "CLIENTID": client,
        "EPISODID": epid,
        "FINITIAL": LETTERS[person % 26],
        "SINITIAL": LETTERS[(person // 26) % 26],
        "DOB": np.datetime64("1950-01-01") + (person % 15000).astype("timedelta64[D]"),
        "SEX": np.where(person % 2 == 0, "M", "F"),
        "DRUG1": np.array(["HEROIN", "ALCOHOL", "CRACK", "CANNABIS"])[rng.integers(0, 4, n)],
        "DRUG2": maybe(np.full(n, "ALCOHOL"), 0.8),
        "SETTING": np.full(n, "COMM"),
        "REFLD": start - 10,
        "CPLANDT": pa.array(start, mask=~started),
        "DISD": pa.array(disd, mask=~discharged),
        "DISRSN": pa.array(np.full(n, "TC"), mask=~discharged),
        "HHDATE": maybe(start + 3, 0.5),
        "PRNTSTAT": maybe(ps, 0.2),
        "CHILDWTH": maybe(cw, 0.2),
        "PREGNANT": maybe(preg, 0.3),
        "EARLYHLP": maybe(eh, 0.4),
    }
    which = rng.integers(0, n, reviews)
    rcols: dict[str, Any] = {
        "line": np.arange(2, reviews + 2),
        "AGNCY": agency[which],
        "EPISODID": epid[which],
        "REVDATE": start[which] + rng.integers(1, 700, reviews).astype("timedelta64[D]"),
        "PRNTSTAT": maybe(ps[which], 0.3),
        "CHILDWTH": maybe(cw[which], 0.3),
        "PREGNANT": maybe(preg[which], 0.5),
        "EARLYHLP": maybe(eh[which], 0.5),
    }
    k = n // 2
    w = rng.integers(0, n, k)
    ccols: dict[str, Any] = {
        "line": np.arange(2, k + 2),
        "AGNCY": agency[w],
        "CLIENTID": client[w],
        "CHILDREF": np.char.add("K", rng.integers(0, 3, k).astype(str)),
        "CHILDYOB": rng.integers(1995, 2021, k).astype(np.int32),
        "WHEREABT": maybe(np.full(k, "CLIENT"), 0.2),
        "CSCSTAT": maybe(np.full(k, "CIN"), 0.2),
        "RECDATE": start[w] + rng.integers(0, 400, k).astype("timedelta64[D]"),
    }

    def table(name: str, data: dict[str, Any], rows: int) -> pa.Table:
        schema = SCHEMAS[name]
        arrays = [
            pa.array(data[f.name]).cast(f.type) if f.name in data else pa.nulls(rows, f.type)
            for f in schema
        ]
        return pa.Table.from_arrays(arrays, schema=schema)

    return {
        "episodes": table("episodes", cols, n),
        "reviews": table("reviews", rcols, reviews),
        "children": table("children", ccols, k),
    }


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(episodes: int = 1_000_000) -> None:
    t = big(episodes, 2 * episodes)
    sizes = {name: table.num_rows for name, table in t.items()}
    cpu, wall = _cpu(), time.perf_counter()
    # A year with new presentations in it (the default period, by the latest review, has none).
    report = compute(t, "2018-04-01", "2019-03-31", publish=True)
    json.dumps(report)
    print(f"{sizes}: compute {time.perf_counter() - wall:.1f}s wall, {_cpu() - cpu:.1f}s CPU")
    with Submission(t) as submission:
        end = dt.date.fromisoformat(report["period"]["to"])
        cpu, wall = _cpu(), time.perf_counter()
        submission.trend(whole_quarters(end))
        print(
            f"trend of 8 quarters {time.perf_counter() - wall:.1f}s wall, {_cpu() - cpu:.1f}s CPU"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
