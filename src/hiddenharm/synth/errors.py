"""Known problems planted in a clean submission, so that a validator can be checked.

Every error code HH002-HH014 and warning code HW101-HW105 of the spec is planted
at a known line and listed in `planted.json`: `[{"file", "line", "column",
"code", "value"}]`, lines counted as the validator counts them (header = 1; a
column warning, HW101, is on line 1). HH001 is not planted: it is fatal for the
whole episodes file, so nothing else in the submission would be checked.

A planted row is chosen so that it causes only its own problem: its episode has
no reviews and no children rows (a rejected episode would otherwise drag them
down with HH012) and its client has no other episode (so HW104 stays where it
was put). Planted rows are a few dozen however large the submission.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:
    from hiddenharm.synth.generator import Plan

PLANTED_KEY = b"hiddenharm.planted"
NOT_PLANTED = ("HH001",)


class _Planter:
    def __init__(self, tables: dict[str, pa.Table], plan: Plan, rng: np.random.Generator):
        self.tables = dict(tables)
        self.plan = plan
        self.rng = rng
        self.planted: list[dict[str, Any]] = []
        self.appended: dict[str, list[dict[str, str | None]]] = {k: [] for k in tables}
        self.edits: dict[str, dict[str, dict[int, str | None]]] = {k: {} for k in tables}
        self.used: dict[str, set[int]] = {k: set() for k in tables}

    def pick(self, file: str, candidates: np.ndarray) -> int:
        """A random unused row among `candidates` (a boolean mask)."""
        free = np.flatnonzero(candidates)
        free = free[~np.isin(free, list(self.used[file]))]
        if len(free) == 0:
            raise ValueError(
                f"too small a submission to plant every problem in {file}: "
                "generate more episodes (a few hundred at least)"
            )
        row = int(free[self.rng.integers(0, len(free))])
        self.used[file].add(row)
        return row

    def edit(self, file: str, row: int, code: str, **values: str | None) -> None:
        for column, value in values.items():
            self.edits[file].setdefault(column, {})[row] = value
        column, value = next(iter(values.items()))
        self.planted.append(
            {"file": f"{file}.csv", "line": row + 2, "column": column, "code": code, "value": value}
        )

    def append(self, file: str, code: str, column: str, row: dict[str, str | None]) -> None:
        line = self.tables[file].num_rows + len(self.appended[file]) + 2
        self.appended[file].append(row)
        self.planted.append(
            {
                "file": f"{file}.csv",
                "line": line,
                "column": column,
                "code": code,
                "value": row.get(column),
            }
        )

    def row(self, file: str, i: int) -> dict[str, str | None]:
        return {k: v[0] for k, v in self.tables[file].slice(i, 1).to_pydict().items()}

    def finish(self, fmt_suffix: str = "csv") -> dict[str, pa.Table]:
        out = {}
        for name, table in self.tables.items():
            for column, cells in self.edits[name].items():
                rows = sorted(cells)
                mask = np.zeros(table.num_rows, dtype=bool)
                mask[rows] = True
                col = table.column(column).combine_chunks()
                new = pc.replace_with_mask(
                    col, pa.array(mask), pa.array([cells[r] for r in rows], pa.string())
                )
                table = table.set_column(table.schema.get_field_index(column), column, new)
            if self.appended[name]:
                extra = pa.Table.from_pylist(self.appended[name], schema=table.schema)
                table = pa.concat_tables([table, extra])
            out[name] = table
        return out


def _dates(table: pa.Table, column: str) -> np.ndarray:
    """Day numbers (NaT-free: blank -> a large sentinel) for filtering candidates."""
    col = pc.cast(table.column(column), pa.date32()).cast(pa.int32())
    return np.asarray(col.fill_null(2**30).to_numpy(), dtype=np.int64)


def _day(d: dt.date) -> int:
    return (d - dt.date(1970, 1, 1)).days


def _text(n: int) -> str:
    return (dt.date(1970, 1, 1) + dt.timedelta(days=int(n))).isoformat()


def _key(table: pa.Table, *cols: str) -> pa.Array:
    parts = [pc.fill_null(table.column(c), "") for c in cols]
    return pc.binary_join_element_wise(*parts, "|")


def plant_errors(tables: dict[str, pa.Table], plan: Plan) -> dict[str, pa.Table]:
    """The tables with every problem planted; the list in the episodes' schema metadata."""
    rng = np.random.default_rng([plan.seed, 20])
    ep, rv, ch = tables["episodes"], tables["reviews"], tables["children"]
    p = _Planter(tables, plan, rng)
    end = _day(plan.end)

    # Episodes whose rejection harms nothing else: no reviews, no children, one episode.
    reviewed = pc.is_in(_key(ep, "AGNCY", "EPISODID"), value_set=_key(rv, "AGNCY", "EPISODID"))
    parents = pc.is_in(_key(ep, "AGNCY", "CLIENTID"), value_set=_key(ch, "AGNCY", "CLIENTID"))
    attr = _key(ep, "FINITIAL", "SINITIAL", "DOB", "SEX")
    counts = pa.table({"a": attr}).group_by("a").aggregate([("a", "count")])
    once = counts.filter(pc.equal(counts["a_count"], 1))["a"]
    alone = np.asarray(pc.is_in(attr, value_set=once).to_numpy(zero_copy_only=False))
    free = alone & ~np.asarray(reviewed.to_numpy(zero_copy_only=False))
    free &= ~np.asarray(parents.to_numpy(zero_copy_only=False))

    refld, cplan, disd = _dates(ep, "REFLD"), _dates(ep, "CPLANDT"), _dates(ep, "DISD")
    has_c, has_d = cplan < 2**30, disd < 2**30
    male = np.asarray(pc.equal(ep["SEX"], "M").fill_null(False).to_numpy(zero_copy_only=False))
    fe = "episodes"

    p.edit(fe, p.pick(fe, free), "HH002", FINITIAL=None)
    p.edit(fe, p.pick(fe, free), "HH003", DRUG1="SPICE")
    r = p.pick(fe, free)
    p.edit(fe, r, "HH004", DOB=f"{ep['DOB'][r].as_py()[:4]}-02-30")
    r = p.pick(fe, free)
    p.edit(fe, r, "HH005", TRIAGED=_text(refld[r] - 3))
    r = p.pick(fe, free & has_d)
    p.edit(fe, r, "HH006", DISD=dt.date(plan.end.year + 10, 6, 30).isoformat())
    r = p.pick(fe, free)
    ref = dt.date.fromisoformat(ep["REFLD"][r].as_py())
    p.edit(fe, r, "HH007", DOB=ref.replace(year=ref.year - 16, day=min(ref.day, 28)).isoformat())
    p.edit(fe, p.pick(fe, free & male), "HH009", PREGNANT="Y")
    p.edit(fe, p.pick(fe, free), "HH010", CHILDWTH="31")
    p.edit(fe, p.pick(fe, free), "HH011", PRNTSTAT="11", CHILDWTH="0", EARLYHLP="NONE")
    p.edit(fe, p.pick(fe, free & has_d), "HH013", DISRSN=None)
    p.edit(fe, p.pick(fe, free), "HH014", DOB="1899-12-31")
    p.edit(fe, p.pick(fe, free), "HW102", CHILDWTH="2", PRNTSTAT="14", EARLYHLP="NONE")
    r = p.pick(fe, free & has_c & (cplan + 40 <= end))
    p.edit(fe, r, "HW103", HHDATE=_text(cplan[r] + 40))
    p.edit(fe, p.pick(fe, free), "HW105", EARLYHLP="NONE;CPP", PRNTSTAT="13")

    # HH008 on episodes: a copy of an episode not yet in treatment (no period to overlap).
    waiting = free & ~has_c
    if waiting.any():
        p.append(fe, "HH008", "EPISODID", p.row(fe, p.pick(fe, waiting)))
    # HW104: a second, overlapping episode for the same client at the same agency.
    r = p.pick(fe, free & has_c & (cplan + 15 <= end) & (~has_d | (disd >= cplan + 20)))
    second: dict[str, str | None] = {k: None for k in ep.column_names}
    keep = ("AGNCY", "LA", "CLIENTID", "FINITIAL", "SINITIAL", "DOB", "SEX", "DRUG1", "DRUG2")
    second.update({k: v for k, v in p.row(fe, r).items() if k in keep})
    second.update(
        EPISODID=f"X{r:07d}",
        REFLD=_text(cplan[r] + 10),
        TRIAGED=_text(cplan[r] + 10),
        CPLANDT=_text(cplan[r] + 15),
    )
    p.append(fe, "HW104", "EPISODID", second)

    _plant_reviews(p, rv, ep, end)
    _plant_children(p, ch, ep)

    out = p.finish()
    # HW101: a column the spec does not name, as in a provider's full NDTMS export.
    n_ep = out[fe].num_rows
    inj = np.asarray(["N", "C", "P"], dtype=object)[rng.integers(0, 3, n_ep)]
    out[fe] = out[fe].append_column("INJSTAT", pa.array(inj, pa.string()))
    p.planted.append(
        {"file": f"{fe}.csv", "line": 1, "column": "INJSTAT", "code": "HW101", "value": "INJSTAT"}
    )
    planted = sorted(p.planted, key=lambda d: (d["file"], d["line"], d["code"]))
    meta = {PLANTED_KEY: json.dumps(planted).encode()}
    out[fe] = out[fe].replace_schema_metadata(meta)
    return out


def _plant_reviews(p: _Planter, rv: pa.Table, ep: pa.Table, end: int) -> None:
    fr = "reviews"
    if rv.num_rows < 20:
        raise ValueError("too small a submission to plant every problem: generate more episodes")
    # the episode of each review, for its sex and discharge date
    idx = pc.index_in(_key(rv, "AGNCY", "EPISODID"), value_set=_key(ep, "AGNCY", "EPISODID"))
    at = np.asarray(idx.to_numpy(zero_copy_only=False), dtype=np.int64)
    sex = np.asarray(ep["SEX"].to_numpy(zero_copy_only=False))[at]
    disd = _dates(ep, "DISD")[at]
    revdate = _dates(rv, "REVDATE")
    episode = np.asarray(rv["EPISODID"].to_numpy(zero_copy_only=False))
    last_review = np.append(episode[1:] != episode[:-1], True)
    quiet = np.asarray(pc.is_null(rv["PRNTSTAT"]).to_numpy(zero_copy_only=False))
    anyrow = np.ones(rv.num_rows, dtype=bool)

    r = p.pick(fr, anyrow)
    p.edit(fr, r, "HH004", REVDATE=f"30/02/{_text(revdate[r])[:4]}")
    r = p.pick(fr, last_review & (disd < 2**30) & (disd + 1 <= end))
    p.edit(fr, r, "HH005", REVDATE=_text(disd[r] + 1))
    p.edit(fr, p.pick(fr, sex == "M"), "HH009", PREGNANT="Y")
    p.edit(fr, p.pick(fr, anyrow), "HH010", CHILDWTH="2.5")
    p.append(fr, "HH008", "REVDATE", p.row(fr, p.pick(fr, quiet)))
    orphan = p.row(fr, p.pick(fr, quiet))
    orphan["EPISODID"] = "NOSUCHEP1"
    p.append(fr, "HH012", "EPISODID", orphan)


def _plant_children(p: _Planter, ch: pa.Table, ep: pa.Table) -> None:
    fc = "children"
    if ch.num_rows < 10:
        raise ValueError("too small a submission to plant every problem: generate more episodes")
    anyrow = np.ones(ch.num_rows, dtype=bool)
    # HH008 needs the copy's key to be whole, so not the row whose RECDATE is blanked
    p.append(fc, "HH008", "RECDATE", p.row(fc, p.pick(fc, anyrow)))
    p.edit(fc, p.pick(fc, anyrow), "HH002", RECDATE=None)
    p.edit(fc, p.pick(fc, anyrow), "HH003", WHEREABT="SCHOOL")
    p.edit(fc, p.pick(fc, anyrow), "HH004", RECDATE="2021-13-01")
    orphan = p.row(fc, p.pick(fc, anyrow))
    orphan["CLIENTID"] = "NOSUCHCLIENT"
    p.append(fc, "HH012", "CLIENTID", orphan)


def planted_of(tables: dict[str, pa.Table]) -> list[dict[str, Any]]:
    """The planted problems recorded by `plant_errors` ([] for a clean submission)."""
    meta = tables["episodes"].schema.metadata or {}
    raw = meta.get(PLANTED_KEY)
    return json.loads(raw) if raw else []
