"""Read the 48 recommendations and the markers of progress out of the seed report's text.

The seed (`data/three_years_on.txt`, the ACMD's *Hidden Harm: Three Years On* executive
summary as published, page breaks and all) is parsed once into `data/recommendations.json`
and `data/markers.json`, where each recommendation also carries its sectors and chapter
(the editors' tagging, `TAGS` below). A test parses the seed again and compares, so the
wording in the application is the report's to the letter.

    python -m hiddenharm.partnership.seed   # rewrite the JSON files from the seed
"""

from __future__ import annotations

import json
import re
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
SEED = DATA / "three_years_on.txt"
RECOMMENDATIONS_JSON = DATA / "recommendations.json"
MARKERS_JSON = DATA / "markers.json"

SECTORS = {
    "drug_alcohol": "Drug and alcohol services",
    "maternity": "Maternity",
    "csc": "Children's social care",
    "health": "Primary care and health",
    "education": "Education",
    "criminal_justice": "Criminal justice",
    "voluntary": "Voluntary sector",
    "government": "Government",
}

# The chapters of the report that comment on progress (chapter 1 to 4F).
CHAPTERS = {
    "1": "The legal and policy context",
    "2": "Estimating the scale of the problem",
    "3": "The impact on children and 'what works': research and evaluation",
    "4A": "Joint planning and commissioning",
    "4B": "Safeguarding and promoting child welfare and protection",
    "4C": "Dedicated services for children and their families",
    "4D": "Training and workforce development",
    "4E": "Maternity services",
    "4F": "Children with parent(s) in the criminal justice system",
}

# Headings of the seed that start each chapter's commentary, in order (markers follow them).
CHAPTER_HEADINGS = (
    ("1", "Chapter 1 - The Legal and Policy Context"),
    ("2", "Chapter 2 - Estimating the scale of the problem"),
    ("3", "Chapter 3 - The impact of parental problem drug use"),
    ("4A", "A. Joint planning and commissioning"),
    ("4B", "B. Safeguarding and promoting child welfare and protection"),
    ("4C", "C. Dedicated services for children and their families"),
    ("4D", "D. Training and Workforce Development"),
    ("4E", "E. Maternity Services"),
    ("4F", "F. Children with parent(s) in the criminal justice system"),
)

# Each recommendation: its chapter and the sectors it asks of. The report groups its
# commentary by these chapters; the editors placed each recommendation in the chapter that
# answers it (the report itself names 18 and 20 under maternity, 40 under dedicated
# services), and tagged the sectors from the recommendation's own words.
D, M, C, H, E, J, V, G = (
    "drug_alcohol",
    "maternity",
    "csc",
    "health",
    "education",
    "criminal_justice",
    "voluntary",
    "government",
)
TAGS: dict[int, tuple[str, tuple[str, ...]]] = {
    1: ("2", (D,)),
    2: ("2", (D, G)),
    3: ("2", (M, H)),
    4: ("3", (M, H, G)),
    5: ("3", (G,)),
    6: ("4C", (C, D, V, E, H)),
    7: ("4C", (C, V, D)),
    8: ("2", (M, C, G)),
    9: ("2", (D, G)),
    10: ("4B", (C, D, H, E, J)),
    11: ("1", (G,)),
    12: ("1", (G, H, E, C)),
    13: ("4B", (D, C, V, G)),
    14: ("3", (G,)),
    15: ("4A", (D, C, G)),
    16: ("4A", (D, C)),
    17: ("4A", (D, M, C, H)),
    18: ("4E", (M,)),
    19: ("4E", (M, H)),
    20: ("4E", (M, H, C, D)),
    21: ("4A", (H,)),
    22: ("4A", (H, E, C)),
    23: ("4D", (H,)),
    24: ("4E", (H,)),
    25: ("4E", (D, H)),
    26: ("4B", (E, C)),
    27: ("4B", (E,)),
    28: ("4D", (E,)),
    29: ("4B", (C, H, E)),
    30: ("4D", (G, C)),
    31: ("4D", (C, G)),
    32: ("4C", (C,)),
    33: ("4C", (C,)),
    34: ("4C", (C,)),
    35: ("4C", (D,)),
    36: ("4D", (D,)),
    37: ("4B", (C, H, J)),
    38: ("4B", (H,)),
    39: ("4D", (H,)),
    40: ("4C", (V,)),
    41: ("4C", (D, V, H, C)),
    42: ("4C", (V,)),
    43: ("4F", (J,)),
    44: ("4F", (J,)),
    45: ("4F", (J, D)),
    46: ("4F", (J, M)),
    47: ("4F", (J,)),
    48: ("4F", (J, D)),
}

_NUMBERED = re.compile(r"^(\d{1,2})\. (.*)$")
_BULLET = re.compile(r"^\s*- (.*)$")
_HEADING = re.compile(r"^#{1,6} ")


def _clean(text: str) -> str:
    """Bold and italic marks off, spaces as one."""
    text = text.replace("***", "").replace("**", "")
    text = re.sub(r"(?<!\w)\*([^*]+)\*(?!\w)", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def parse_recommendations(text: str) -> list[dict]:
    """The 48 recommendations of Appendix 2: number, wording, and (29 only) its list.

    A page break can split a recommendation (12 runs on after a blank line); lines that are
    neither a new number nor a list item continue the one before."""
    start = text.index("Appendix 2: Hidden Harm 48 Recommendations")
    lines = text[start:].splitlines()[1:]
    recs: list[dict] = []
    for line in lines:
        if not line.strip():
            continue
        if _HEADING.match(line):
            break
        numbered = _NUMBERED.match(line.strip())
        bullet = _BULLET.match(line)
        if numbered and int(numbered.group(1)) == len(recs) + 1:
            recs.append({"number": len(recs) + 1, "text": numbered.group(2), "items": []})
        elif bullet and recs:
            recs[-1]["items"].append(_clean(bullet.group(1)))
        elif recs:
            if recs[-1]["items"]:
                recs[-1]["items"][-1] += " " + line.strip()
            else:
                recs[-1]["text"] += " " + line.strip()
    for r in recs:
        r["text"] = _clean(r["text"])
    return recs


def parse_markers(text: str) -> list[dict]:
    """The markers of progress, chapter by chapter: the items listed after each "markers of
    progress" line, up to the next heading (page breaks leave some at the margin)."""
    markers: list[dict] = []
    chapter = None
    collecting = False
    headings = iter(CHAPTER_HEADINGS)
    upcoming = next(headings)
    counts: dict[str, int] = {}
    for line in text.splitlines():
        if upcoming and upcoming[1] in line.replace("*", "") and _HEADING.match(line):
            chapter, collecting = upcoming[0], False
            upcoming = next(headings, None)
            continue
        if _HEADING.match(line):
            collecting = False
            continue
        if "markers of progress" in line:
            collecting = chapter is not None
            continue
        bullet = _BULLET.match(line)
        if collecting and bullet and chapter:
            counts[chapter] = counts.get(chapter, 0) + 1
            markers.append(
                {
                    "id": f"{chapter}.{counts[chapter]}",
                    "chapter": chapter,
                    "text": _clean(bullet.group(1)),
                }
            )
    return markers


def tagged(recs: list[dict]) -> list[dict]:
    out = []
    for r in recs:
        chapter, sectors = TAGS[r["number"]]
        out.append({**r, "chapter": chapter, "sectors": list(sectors)})
    return out


def build(text: str) -> tuple[list[dict], list[dict]]:
    return tagged(parse_recommendations(text)), parse_markers(text)


def write() -> None:
    recs, markers = build(SEED.read_text(encoding="utf-8"))
    dump = {"ensure_ascii": False, "indent": 1}
    RECOMMENDATIONS_JSON.write_text(json.dumps(recs, **dump) + "\n", encoding="utf-8")
    MARKERS_JSON.write_text(json.dumps(markers, **dump) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write()
