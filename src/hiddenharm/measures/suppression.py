"""Publishing: statistical disclosure control on a computed report (spec "Publishing").

Applied after ``compute`` to the full figures, so the service's own report and the published
one come from the same numbers. Precisely as the spec reads:

- a count from 1 to 4 is suppressed (None), except totals: every ``all``, the ``population``
  counts, every ``eligible``, ``N``, ``total_children`` and children ``total``;
- each distribution is a two-way table, its categories (rows) by drug and alcohol (columns);
  completeness and currency numerators are one-way (drug, alcohol); where a row or column
  has exactly one suppressed cell, its smallest other non-zero cell is suppressed too,
  repeating rows then columns until nothing changes, ties to the first cell in spec order;
- parental-status groups, rates, ratios, estimates, intervals, ``sensitivity`` values and
  p, k, c built on a suppressed count become None (``sensitivity."0"`` is ``observed``:
  None with it, and only with it).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from hiddenharm.measures.schema import CATEGORIES, ITEMS, PRNTSTAT_GROUPS, TYPES

SMALL = range(1, 5)


def is_small(value: Any) -> bool:
    return isinstance(value, int) and value in SMALL


def suppression_mask(cells: list[list[int]]) -> list[list[bool]]:
    """Which cells of a table (rows x columns, in spec order) to suppress."""
    mask = [[is_small(v) for v in row] for row in cells]
    rows = [[(r, c) for c in range(len(row))] for r, row in enumerate(cells)]
    width = max((len(row) for row in cells), default=0)
    columns = [[(r, c) for r in range(len(cells)) if c < len(cells[r])] for c in range(width)]

    def secondary(line: list[tuple[int, int]]) -> bool:
        if sum(mask[r][c] for r, c in line) != 1:
            return False
        others = [(cells[r][c], i) for i, (r, c) in enumerate(line) if not mask[r][c]]
        others = [o for o in others if o[0] != 0]
        if not others:
            return False
        _, first = min(others)  # smallest value, then first in order
        r, c = line[first]
        mask[r][c] = True
        return True

    changed = True
    while changed:
        changed = False
        for line in rows:
            changed |= secondary(line)
        for line in columns:
            changed |= secondary(line)
    return mask


def _blocks(section: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The section's overall block and each agency's, each keyed drug/alcohol/all."""
    yield section
    yield from section.get("by_agency", {}).values()


def _suppress_cells(getters: list[list[tuple[dict[str, Any], str]]]) -> None:
    """Suppress, in place, a table given as rows of (container, key) cells."""
    cells = [[int(container[key]) for container, key in row] for row in getters]
    mask = suppression_mask(cells)
    for row, row_mask in zip(getters, mask, strict=True):
        for (container, key), hide in zip(row, row_mask, strict=True):
            if hide:
                container[key] = None


def _distribution(section: dict[str, Any], name: str) -> None:
    for block in _blocks(section):
        _suppress_cells([[(block[t], c) for t in TYPES] for c in CATEGORIES[name]])
        if name == "parental_status":
            for t in TYPES:
                for group, members in PRNTSTAT_GROUPS.items():
                    if any(block[t][m] is None for m in members):
                        block[t][group] = None


def _rated(section: dict[str, Any], keys: list[str], numerator: str) -> None:
    """One-way tables (drug, alcohol) of a numerator, and the rates built on it."""
    for block in _blocks(section):
        for key in keys:
            cells = [block[t][key] if key else block[t] for t in TYPES]
            _suppress_cells([[(cell, numerator) for cell in cells]])
            for cell in cells:
                if cell[numerator] is None:
                    cell["rate"] = None


def _estimates(section: dict[str, Any]) -> None:
    for t in TYPES:
        e = section[t]
        hidden = {k for k in ("observed", "n") if is_small(e[k])}
        for k in hidden:
            e[k] = None
        if hidden:
            e.update(ratio=None, estimate=None, ci95=None)
            # every value is built on observed and the ratio; "0" is observed itself
            sens = e.get("sensitivity")
            if sens is not None:
                e["sensitivity"] = {
                    d: (v if d == "0" and "observed" not in hidden else None)
                    for d, v in sens.items()
                }
        new = e["new_presentations"]
        if is_small(new["n"]):
            new.update(n=None, ratio=None, estimate=None, ci95=None)
        if "observed" in hidden:
            new["ci95"] = None  # its lower end is held at `observed`
        prev = e["prevalence"]
        counts = (
            "parents",
            "parents_and_non_parents",
            "parents_with_children_rows",
            "children_under_18",
        )
        small = {k for k in counts if is_small(prev[k])}
        for k in small:
            prev[k] = None
        if small & {"parents", "parents_and_non_parents"}:
            prev["p"] = None
        if small & {"parents_with_children_rows", "children_under_18"}:
            prev["k"] = None
        if prev["p"] is None or prev["k"] is None:
            prev["c"] = None
            if "P" in prev:
                prev.update(estimate=None, interval=None)


def suppress(report: dict[str, Any]) -> dict[str, Any]:
    """A copy of the report as published; totals untouched, small counts None."""
    out = copy.deepcopy(report)
    if "completeness" in out:
        _rated(out["completeness"], list(ITEMS), "recorded")
    if "currency" in out:
        _rated(out["currency"], [""], "up_to_date")
    for name in ("parental_status", "children_living_with", "pregnant", "early_help"):
        if name in out:
            _distribution(out[name], name)
    if "children" in out:
        for table in ("age_band", "WHEREABT", "CSCSTAT"):
            _suppress_cells(
                [[(out["children"][t][table], c) for t in TYPES] for c in CATEGORIES[table]]
            )
    if "estimates" in out:
        _estimates(out["estimates"])
    return out
