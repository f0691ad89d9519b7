"""A straightforward pandas implementation of the HHX-1 validation rules: the baseline.

This is what a competent data analyst would write in an afternoon: read every file with
``dtype=str``, then one vectorised pandas expression per rule (HH002-HH014, HW101-HW105),
collecting problems as rows. It is the yardstick the real validator is timed against, so it
must do the same *work* (every rule, a problems table, accepted typed rows); it need not
agree with the real validator on every edge of the spec, and ``bench/run.py`` reports where
the counts differ.

Known simplifications (on purpose, to stay "straightforward"):
- dates are parsed to pandas' nanosecond timestamps, so a year outside 1677-2262 is
  "not a date" here (HH004) where the real validator may say HH014 or HH006;
- a blank line inside the file shifts ``line`` (pandas skips blank lines);
- HH001 covers missing columns only; an unreadable file raises.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from hiddenharm.extract.codes import FILES, SEVERITY  # noqa: E402

_REGEX = {
    "agency": r"[A-Z0-9]{1,12}",
    "la": r"[A-Z0-9]{1,9}",
    "initial": r"[A-Z]",
    "year": r"[0-9]{4}",
}
_UPPER_KINDS = {"agency", "la", "initial", "code", "multicode"}
_ISO = r"\d{4}-\d{2}-\d{2}"
_UK = r"\d{2}/\d{2}/\d{4}"


def _read(folder: Path, name: str) -> pd.DataFrame | None:
    """The file as all-text, trimmed, with `NA` as blank, upper-case column names and `line`."""
    found = {p.name.lower(): p for p in folder.iterdir()} if folder.is_dir() else {}
    if folder.is_file():
        found = {"episodes.csv": folder} if name == "episodes" else {}
    csv, parquet = found.get(f"{name}.csv"), found.get(f"{name}.parquet")
    if csv is not None:
        df = pd.read_csv(
            csv, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8-sig"
        )
    elif parquet is not None:
        df = pd.read_parquet(parquet).astype("string").fillna("").astype(str)
    else:
        return None
    df.columns = [c.strip().upper() for c in df.columns]
    for c in df.columns:
        s = df[c].str.strip()
        df[c] = s.mask(s == "NA", "")
    # The header is line 1, so the first record is line 2.
    df.insert(0, "line", np.arange(2, len(df) + 2, dtype=np.int64))
    return df


def _parse_dates(s: pd.Series) -> pd.Series:
    """YYYY-MM-DD or DD/MM/YYYY only; anything else (31/02/2020 too) is NaT."""
    iso = s.str.fullmatch(_ISO)
    uk = s.str.fullmatch(_UK)
    out = pd.to_datetime(s.where(iso), format="%Y-%m-%d", errors="coerce")
    out2 = pd.to_datetime(s.where(uk), format="%d/%m/%Y", errors="coerce")
    return out.fillna(out2)


class _Problems:
    def __init__(self) -> None:
        self.parts: list[pd.DataFrame] = []

    def add(self, file: str, df: pd.DataFrame, mask, column: str, code: str) -> None:
        if not isinstance(mask, pd.Series):
            mask = pd.Series(mask, index=df.index)
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            return
        hit = df.loc[mask]
        value = hit[column] if column in hit.columns else pd.Series("", index=hit.index)
        self.parts.append(
            pd.DataFrame(
                {
                    "file": file,
                    "line": hit["line"].to_numpy(),
                    "column": column,
                    "value": value.to_numpy(),
                    "code": code,
                    "severity": SEVERITY[code],
                }
            )
        )

    def table(self) -> pd.DataFrame:
        cols = ["file", "line", "column", "value", "code", "severity"]
        if not self.parts:
            return pd.DataFrame(columns=cols)
        return pd.concat(self.parts, ignore_index=True)


def _check_columns(df: pd.DataFrame, spec, fname: str, probs: _Problems) -> list[str]:
    """HW101 per unknown column, HH001 per missing required column; returns the missing."""
    known = set(spec.column_names)
    for c in df.columns:
        if c != "line" and c not in known:
            probs.parts.append(
                pd.DataFrame(
                    {
                        "file": [fname],
                        "line": [1],
                        "column": [c],
                        "value": [""],
                        "code": ["HW101"],
                        "severity": ["warning"],
                    }
                )
            )
    missing = [c.name for c in spec.columns if c.required and c.name not in df.columns]
    for c in missing:
        probs.parts.append(
            pd.DataFrame(
                {
                    "file": [fname],
                    "line": [1],
                    "column": [c],
                    "value": [""],
                    "code": ["HH001"],
                    "severity": ["fatal"],
                }
            )
        )
    for c in spec.columns:  # optional columns that are absent read as blank
        if c.name not in df.columns:
            df[c.name] = ""
    return missing


def _column_rules(
    df: pd.DataFrame, spec, fname: str, probs: _Problems, as_of: pd.Timestamp
) -> dict[str, pd.Series]:
    """HH002, HH003, HH004, HH006, HH010 and HW105, column by column; returns parsed dates."""
    dates: dict[str, pd.Series] = {}
    for col in spec.columns:
        s = df[col.name]
        blank = s == ""
        if col.required:
            probs.add(fname, df, blank, col.name, "HH002")
        given = ~blank
        if col.kind in _UPPER_KINDS:
            s = s.str.upper()
        if col.kind in _REGEX:
            probs.add(fname, df, given & ~s.str.fullmatch(_REGEX[col.kind]), col.name, "HH003")
        elif col.kind == "ref":
            bad = (s.str.len() > 20) | ~s.map(str.isprintable)
            probs.add(fname, df, given & bad, col.name, "HH003")
        elif col.kind == "code":
            probs.add(fname, df, given & ~s.isin(list(col.codes)), col.name, "HH003")
        elif col.kind == "multicode":
            parts = s[given].str.split(";").explode().str.strip()
            parts = parts[parts != ""]
            bad_rows = parts[~parts.isin(list(col.codes))].index.unique()
            probs.add(fname, df, df.index.isin(bad_rows) & given, col.name, "HH003")
            exclusive = parts.isin(["NONE", "UNK"]).groupby(level=0).any()
            distinct = parts.groupby(level=0).nunique()
            mixed = exclusive & (distinct > 1)
            probs.add(fname, df, df.index.isin(mixed[mixed].index), col.name, "HW105")
        elif col.kind == "count":
            num = pd.to_numeric(s.where(s.str.fullmatch(r"\d+")), errors="coerce")
            probs.add(fname, df, given & ~(num <= 30), col.name, "HH010")
            # "A bad CHILDWTH is HH010 only": later rules see it as not given.
            df[col.name + "__n"] = num.where(num <= 30)
        elif col.kind == "date":
            d = _parse_dates(s)
            probs.add(fname, df, given & d.isna(), col.name, "HH004")
            probs.add(fname, df, d > as_of, col.name, "HH006")
            dates[col.name] = d
        if col.kind in _UPPER_KINDS:
            df[col.name] = s
    return dates


def _duplicates(df: pd.DataFrame, key: list[str], fname: str, col: str, probs: _Problems) -> None:
    """HH008: every copy after the first of a key; rows with a blank key part take no part."""
    full = (df[key] != "").all(axis=1)
    dup = df.loc[full].duplicated(subset=key, keep="first")
    probs.add(fname, df, dup.reindex(df.index, fill_value=False), col, "HH008")


def validate(path: str | Path, as_of: dt.date | None = None) -> dict:
    """Validate a submission folder; returns files, counts and the accepted frames."""
    folder = Path(path)
    as_of_ts = pd.Timestamp(as_of or dt.date.today())
    probs = _Problems()
    files: dict[str, dict[str, int]] = {}
    accepted: dict[str, pd.DataFrame] = {}

    # --- episodes --------------------------------------------------------------------
    ep = _read(folder, "episodes")
    fname = "episodes.csv"
    if ep is None or _check_columns(ep, FILES["episodes"], fname, probs):
        problems = probs.table()
        return {"fatal": True, "files": files, "counts": _counts(problems), "problems": problems}
    before = len(probs.parts)
    d = _column_rules(ep, FILES["episodes"], fname, probs, as_of_ts)
    dob, refld, cplan, disd = d["DOB"], d["REFLD"], d["CPLANDT"], d["DISD"]
    probs.add(fname, ep, dob > refld, "DOB", "HH005")
    probs.add(fname, ep, d["TRIAGED"] < refld, "TRIAGED", "HH005")
    probs.add(fname, ep, cplan < refld, "CPLANDT", "HH005")
    probs.add(fname, ep, disd < cplan.fillna(refld), "DISD", "HH005")
    # HH007: under 18 on REFLD; comparing (month, day) makes a 29 February birthday fall
    # on 1 March in a common year, as the spec asks.
    age = refld.dt.year - dob.dt.year
    before_birthday = (refld.dt.month * 100 + refld.dt.day) < (dob.dt.month * 100 + dob.dt.day)
    probs.add(fname, ep, (age - before_birthday.astype(float)) < 18, "DOB", "HH007")
    _duplicates(ep, ["AGNCY", "EPISODID"], fname, "EPISODID", probs)
    probs.add(fname, ep, (ep["PREGNANT"] == "Y") & (ep["SEX"] == "M"), "PREGNANT", "HH009")
    n = ep["CHILDWTH__n"]
    probs.add(fname, ep, ep["PRNTSTAT"].isin(["11", "12"]) & (n == 0), "CHILDWTH", "HH011")
    probs.add(fname, ep, (ep["DISD"] != "") != (ep["DISRSN"] != ""), "DISRSN", "HH013")
    probs.add(fname, ep, dob < pd.Timestamp("1900-01-01"), "DOB", "HH014")
    probs.add(fname, ep, ep["PRNTSTAT"].isin(["13", "14"]) & (n > 0), "CHILDWTH", "HW102")
    probs.add(fname, ep, d["HHDATE"] > cplan + pd.Timedelta(days=28), "HHDATE", "HW103")
    _overlaps(ep, cplan, disd, fname, probs)
    ep_bad = _rejected_lines(probs, before, fname)
    ok = ~ep["line"].isin(ep_bad)
    files[fname] = {"rows": len(ep), "accepted": int(ok.sum()), "rejected": int((~ok).sum())}
    typed = ep.loc[ok].copy()
    for c, s in d.items():
        typed[c] = s[ok]
    typed["SETTING"] = typed["SETTING"].replace("", "COMM")
    typed["CHILDWTH"] = typed["CHILDWTH__n"]
    accepted["episodes"] = typed.drop(columns=["CHILDWTH__n"])
    good = accepted["episodes"]
    sex = good.set_index(["AGNCY", "EPISODID"])["SEX"]
    episode_dates = good.set_index(["AGNCY", "EPISODID"])[["CPLANDT", "DISD"]]
    clients = set(zip(good["AGNCY"], good["CLIENTID"], strict=True))

    # --- reviews ---------------------------------------------------------------------
    rv = _read(folder, "reviews")
    fname = "reviews.csv"
    if rv is not None and not _check_columns(rv, FILES["reviews"], fname, probs):
        before = len(probs.parts)
        d = _column_rules(rv, FILES["reviews"], fname, probs, as_of_ts)
        rv["__REVDATE"] = d["REVDATE"].dt.strftime("%Y-%m-%d").fillna(rv["REVDATE"])
        rv.loc[rv["REVDATE"] == "", "__REVDATE"] = ""
        _duplicates(rv, ["AGNCY", "EPISODID", "__REVDATE"], fname, "REVDATE", probs)
        joined = rv[["AGNCY", "EPISODID"]].merge(
            episode_dates.join(sex),
            left_on=["AGNCY", "EPISODID"],
            right_index=True,
            how="left",
            indicator=True,
        )
        joined.index = rv.index
        probs.add(fname, rv, joined["_merge"] == "left_only", "EPISODID", "HH012")
        rev = d["REVDATE"]
        probs.add(fname, rv, (rev < joined["CPLANDT"]) | (rev > joined["DISD"]), "REVDATE", "HH005")
        probs.add(fname, rv, (rv["PREGNANT"] == "Y") & (joined["SEX"] == "M"), "PREGNANT", "HH009")
        n = rv["CHILDWTH__n"]
        probs.add(fname, rv, rv["PRNTSTAT"].isin(["11", "12"]) & (n == 0), "CHILDWTH", "HH011")
        probs.add(fname, rv, rv["PRNTSTAT"].isin(["13", "14"]) & (n > 0), "CHILDWTH", "HW102")
        bad = _rejected_lines(probs, before, fname)
        ok = ~rv["line"].isin(bad)
        files[fname] = {"rows": len(rv), "accepted": int(ok.sum()), "rejected": int((~ok).sum())}
        typed = rv.loc[ok].copy()
        typed["REVDATE"] = d["REVDATE"][ok]
        typed["CHILDWTH"] = typed["CHILDWTH__n"]
        accepted["reviews"] = typed.drop(columns=["CHILDWTH__n", "__REVDATE"])

    # --- children --------------------------------------------------------------------
    ch = _read(folder, "children")
    fname = "children.csv"
    if ch is not None and not _check_columns(ch, FILES["children"], fname, probs):
        before = len(probs.parts)
        d = _column_rules(ch, FILES["children"], fname, probs, as_of_ts)
        ch["__RECDATE"] = d["RECDATE"].dt.strftime("%Y-%m-%d").fillna(ch["RECDATE"])
        ch.loc[ch["RECDATE"] == "", "__RECDATE"] = ""
        _duplicates(ch, ["AGNCY", "CLIENTID", "CHILDREF", "__RECDATE"], fname, "CHILDREF", probs)
        known = pd.Series(
            [k in clients for k in zip(ch["AGNCY"], ch["CLIENTID"], strict=True)], index=ch.index
        )
        probs.add(fname, ch, ~known, "CLIENTID", "HH012")
        bad = _rejected_lines(probs, before, fname)
        ok = ~ch["line"].isin(bad)
        files[fname] = {"rows": len(ch), "accepted": int(ok.sum()), "rejected": int((~ok).sum())}
        typed = ch.loc[ok].copy()
        typed["RECDATE"] = d["RECDATE"][ok]
        typed["CHILDYOB"] = pd.to_numeric(typed["CHILDYOB"], errors="coerce")
        accepted["children"] = typed.drop(columns=["__RECDATE"])

    problems = probs.table()
    return {
        "fatal": False,
        "files": files,
        "counts": _counts(problems),
        "problems": problems,
        "tables": accepted,
    }


def _overlaps(ep: pd.DataFrame, start: pd.Series, end: pd.Series, fname, probs) -> None:
    """HW104: one attributor, one agency, two treatment periods that overlap (ends included).

    Once per overlapping pair, on the later episode (later start; then later line).
    """
    keys = ["AGNCY", "FINITIAL", "SINITIAL", "DOB", "SEX"]
    e = ep[keys + ["line", "EPISODID"]].assign(start=start, end=end)
    e = e[e["start"].notna() & (e[keys] != "").all(axis=1)]
    # Only attributors with more than one episode at the agency can overlap; the self-merge
    # is kept to those to stay small.
    e = e[e.duplicated(subset=keys, keep=False)]
    pairs = e.merge(e, on=keys, suffixes=("_a", "_b"))
    later = (pairs["start_b"] > pairs["start_a"]) | (
        (pairs["start_b"] == pairs["start_a"]) & (pairs["line_b"] > pairs["line_a"])
    )
    # A repeated row of one episode is HH008's business, not a second episode.
    two = pairs["EPISODID_a"] != pairs["EPISODID_b"]
    open_or_after = pairs["end_a"].isna() | (pairs["start_b"] <= pairs["end_a"])
    pairs = pairs[later & two & open_or_after]
    hits = pd.DataFrame({"line": pairs["line_b"].to_numpy()})
    if len(hits):
        hits = hits.merge(ep[["line", "CPLANDT"]], on="line")
        probs.add(fname, hits, pd.Series(True, index=hits.index), "CPLANDT", "HW104")


def _rejected_lines(probs: _Problems, since: int, fname: str) -> np.ndarray:
    errs = [p for p in probs.parts[since:] if p["severity"].iat[0] == "error"]
    errs = [p for p in errs if p["file"].iat[0] == fname]
    if not errs:
        return np.array([], dtype=np.int64)
    return pd.concat(errs)["line"].unique()


def _counts(problems: pd.DataFrame) -> dict[str, int]:
    return {k: int(v) for k, v in problems["code"].value_counts().sort_index().items()}


if __name__ == "__main__":
    import json

    res = validate(sys.argv[1], dt.date.fromisoformat(sys.argv[2]) if len(sys.argv) > 2 else None)
    print(json.dumps({"files": res["files"], "counts": res["counts"]}, indent=1))
