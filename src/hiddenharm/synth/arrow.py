"""Small numpy -> Arrow text helpers: every generated column is text, as in a CSV extract."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

EPOCH = dt.date(1970, 1, 1)


def day(d: dt.date) -> int:
    """Days since 1970-01-01: the generator works in whole days as integers."""
    return (d - EPOCH).days


def from_day(n: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(n))


def years_of(days: np.ndarray) -> np.ndarray:
    """Calendar year of each day number."""
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def codes(values: Sequence[str], idx: np.ndarray, blank: np.ndarray | None = None) -> pa.Array:
    """values[idx] as text; null where idx < 0 or `blank` is true."""
    mask = idx < 0
    if blank is not None:
        mask = mask | blank
    ind = pa.array(np.where(mask, 0, idx).astype(np.int32), type=pa.int32(), mask=mask)
    return pc.take(pa.array(list(values), pa.string()), ind)


def dates(days: np.ndarray, blank: np.ndarray | None = None) -> pa.Array:
    """YYYY-MM-DD text; null where `blank` is true."""
    arr = pa.array(days.astype(np.int32), type=pa.int32(), mask=blank)
    return arr.cast(pa.date32()).cast(pa.string())


def ints(values: np.ndarray, blank: np.ndarray | None = None) -> pa.Array:
    return pa.array(values.astype(np.int64), type=pa.int64(), mask=blank).cast(pa.string())


def refs(prefix: pa.Array | str, numbers: np.ndarray, width: int) -> pa.Array:
    """prefix + zero-padded number, e.g. "E00001234"."""
    digits = pc.utf8_lpad(ints(numbers), width, "0")
    return pc.binary_join_element_wise(prefix, digits, "")


def choice(rng: np.random.Generator, n: int, p: Sequence[float] | np.ndarray) -> np.ndarray:
    """n indices drawn with probabilities p (normalised), as int64."""
    w = np.asarray(p, dtype=float)
    cdf = np.cumsum(w / w.sum())
    cdf[-1] = 1.0
    return np.searchsorted(cdf, rng.random(n), side="right").astype(np.int64)


def within(n_per: np.ndarray) -> np.ndarray:
    """0, 1, 2 ... within each consecutive group of sizes `n_per`."""
    starts = np.cumsum(n_per) - n_per
    return np.arange(int(n_per.sum())) - np.repeat(starts, n_per)
