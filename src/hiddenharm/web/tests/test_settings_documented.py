"""Every HH_* variable the code reads is in the README's settings table (as datasette
tests its settings): a new setting without its line fails here."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
SRC = ROOT / "src" / "hiddenharm"


def documented() -> set[str]:
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("### Settings (environment variables)") :]
    table = table[: table.index("\n\n", table.index("| variable"))]
    return set(re.findall(r"^\| `(HH_[A-Z0-9_]+|DATABASE_URL)` \|", table, re.M))


def read_by_the_code() -> set[str]:
    names = set()
    for path in SRC.rglob("*.py"):
        names.update(re.findall(r"[\"'](HH_[A-Z0-9_]+)[\"']", path.read_text()))
    return names


def test_it_documents_every_setting_in_the_readme():
    missing = read_by_the_code() - documented()
    assert not missing, f"add these to the README's settings table: {sorted(missing)}"


def test_it_documents_no_setting_that_does_not_exist():
    assert documented() - read_by_the_code() <= {"DATABASE_URL"}
