"""Estimates of children affected, from the integer aggregates the SQL returns.

Kept out of SQL on purpose: every float here is computed once, in Python, from exact integer
counts and sums, in the order the spec writes the formula, so an independent check that
follows the spec gets the same digits (and DuckDB and Spark cannot differ in the last bit).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any

Prevalence = tuple[float, float, float]  # P, P_low, P_high

# The multipliers d of ``sensitivity``, as the spec writes its keys.
SENSITIVITY_FACTORS = ("0", "0.5", "1", "1.5", "2")


def sample_sd(n: int, total: int, sum_sq: int) -> float:
    """The sample standard deviation (n - 1 divisor) of n whole numbers, correctly rounded.

    The variance is exact (a fraction of integers), so the result does not depend on the
    order of summation: the same as ``statistics.stdev`` on the values themselves.
    """
    if n < 2:
        raise ValueError("the sample standard deviation needs two values")
    variance = Fraction(n * sum_sq - total * total, n * (n - 1))
    with localcontext() as ctx:
        ctx.prec = 60
        root = (Decimal(variance.numerator) / Decimal(variance.denominator)).sqrt()
    return float(root)


def ratio_estimate(N: int, n: int, total: int, sum_sq: int, observed: int) -> dict[str, Any]:
    """``ratio``, ``estimate`` and ``ci95`` for n recorded values summing to ``total``.

    ci95 = N * (ratio +/- 1.96 * se), se = s / sqrt(n) * sqrt(1 - n / N); null with n = 0
    (and so are ratio and estimate); null with n = 1 < N; the point with n = N. Its lower end
    is never below ``observed`` (applied in every case, the point included).
    """
    if n == 0:
        return {"ratio": None, "estimate": None, "ci95": None}
    ratio = total / n
    estimate = N * ratio
    ci95: list[float] | None
    if n >= N:
        ci95 = [estimate, estimate]
    elif n == 1:
        ci95 = None
    else:
        s = sample_sd(n, total, sum_sq)
        se = s / math.sqrt(n) * math.sqrt(1 - n / N)
        ci95 = [N * (ratio - 1.96 * se), N * (ratio + 1.96 * se)]
    if ci95 is not None:
        ci95[0] = float(max(ci95[0], observed))
    return {"ratio": ratio, "estimate": estimate, "ci95": ci95}


def sensitivity(N: int, n: int, ratio: float | None, observed: int) -> dict[str, Any]:
    """The estimate if the N - n individuals with no recorded number lived on average with d
    times as many children as those recorded: ``observed + (N - n) * ratio * d``.

    Computed by that formula, in that order, for every d but 0, whose value is ``observed``
    itself (the formula's value exactly; kept a count). So ``"1"`` is the formula's float,
    which can differ from ``estimate`` (N * ratio) in the last bit. With n = 0 (no ratio)
    every value but ``"0"`` is null.
    """
    out: dict[str, Any] = {}
    for key in SENSITIVITY_FACTORS:
        if key == "0":
            out[key] = observed
        elif ratio is None:
            out[key] = None
        else:
            out[key] = observed + (N - n) * ratio * float(key)
    return out


def prevalence_block(
    parents: int,
    parents_and_non_parents: int,
    parents_with_children_rows: int,
    children_under_18: int,
    *,
    given_k: float | None,
    prevalence: Prevalence | None,
) -> dict[str, Any]:
    """The 2003 inquiry's method: children = P * c, c = p * k.

    ``given_k`` replaces k only when the caller says there is no children.csv to take k from.
    """
    p = parents / parents_and_non_parents if parents_and_non_parents else None
    if given_k is not None:
        k: float | None = given_k
    else:
        k = children_under_18 / parents_with_children_rows if parents_with_children_rows else None
    c = p * k if p is not None and k is not None else None
    block: dict[str, Any] = {
        "parents": parents,
        "parents_and_non_parents": parents_and_non_parents,
        "p": p,
        "parents_with_children_rows": parents_with_children_rows,
        "children_under_18": children_under_18,
        "k": k,
        "c": c,
    }
    if prevalence is not None:
        P, low, high = prevalence
        block["P"] = P
        block["estimate"] = P * c if c is not None else None
        block["interval"] = [low * c, high * c] if c is not None else None
    return block


def prevalence_for_all(
    given: Mapping[str, Prevalence] | None,
) -> dict[str, Prevalence | None]:
    """Prevalence per split. "all" is the caller's own "all" if given, else the component-wise
    sum of the drug and alcohol figures when both are given (the two populations of problem
    users are treated as disjoint, as the treatment types are), else none."""
    given = given or {}
    out: dict[str, Prevalence | None] = {
        t: (_triple(given[t]) if t in given else None) for t in ("drug", "alcohol")
    }
    if "all" in given:
        out["all"] = _triple(given["all"])
    elif out["drug"] is not None and out["alcohol"] is not None:
        d, a = out["drug"], out["alcohol"]
        out["all"] = (d[0] + a[0], d[1] + a[1], d[2] + a[2])
    else:
        out["all"] = None
    return out


def _triple(value: Any) -> Prevalence:
    P, low, high = value
    if not low <= P <= high:
        raise ValueError(f"a prevalence is (P, P_low, P_high) with P_low <= P <= P_high: {value}")
    return (P, low, high)
