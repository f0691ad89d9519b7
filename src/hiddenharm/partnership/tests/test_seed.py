"""The recommendations and markers are the seed report's, to the letter."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from hiddenharm.partnership import catalogue, seed

SHARED_SEED = Path(__file__).resolve().parents[5] / "shared" / "seeds" / "001_401416a8416495e5.txt"


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_it_loads_the_committed_files_equal_to_a_fresh_parse_of_the_seed():
    recs, markers = seed.build(seed.SEED.read_text(encoding="utf-8"))
    assert json.loads(seed.RECOMMENDATIONS_JSON.read_text(encoding="utf-8")) == recs
    assert json.loads(seed.MARKERS_JSON.read_text(encoding="utf-8")) == markers
    assert list(catalogue.recommendations()) == recs


@pytest.mark.skipif(not SHARED_SEED.exists(), reason="the shared seeds are not beside the project")
def test_it_keeps_a_copy_of_the_seed_identical_to_the_shared_one():
    assert seed.SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_it_has_all_48_in_order_with_their_wording():
    recs = catalogue.recommendations()
    assert [r["number"] for r in recs] == list(range(1, 49))
    assert recs[8]["text"] == (
        "The National Treatment Agency and the devolved executives should ensure that all "
        "specialist drug and alcohol services ask about and record the number, age and "
        "whereabouts of all their clients' children in a consistent manner."
    )
    # 12 runs over a page break in the seed: one sentence here.
    assert recs[11]["text"].endswith(
        "equivalent strategic arrangements in Wales, Scotland and Northern Ireland, identify "
        "children of problem drug users as a large group with special needs that require "
        "specific actions by health, education and social services."
    )
    assert len(recs[28]["items"]) == 7 and recs[28]["items"][-1].startswith("Residential care")
    assert recs[47]["text"].startswith(
        "Women's prisons should ensure they have effective aftercare"
    )


def test_it_takes_every_word_of_appendix_2_and_nothing_else():
    text = seed.SEED.read_text(encoding="utf-8")
    appendix = text[text.index("Appendix 2: Hidden Harm 48 Recommendations") :]
    appendix = _words(appendix.split("\n", 1)[1])
    ours = " ".join(
        f"{r['number']}. {r['text']}" + "".join(f" - {i}" for i in r["items"])
        for r in catalogue.recommendations()
    )
    assert _words(appendix.replace("\n", " ")) == ours


def test_it_tags_every_recommendation_with_known_sectors_and_a_chapter():
    for r in catalogue.recommendations():
        assert r["sectors"] and set(r["sectors"]) <= set(catalogue.SECTORS), r["number"]
        assert r["chapter"] in catalogue.CHAPTERS
    chapters = {c for c, _, recs in catalogue.by_chapter(catalogue.recommendations()) if recs}
    assert chapters == set(catalogue.CHAPTERS)
    # the report's own placings: 18 and 20 under maternity, 40 under dedicated services
    assert catalogue.recommendation(18)["chapter"] == "4E"
    assert catalogue.recommendation(40)["chapter"] == "4C"
    assert "criminal_justice" in catalogue.recommendation(47)["sectors"]


def test_it_reads_the_markers_of_progress_of_every_chapter():
    markers = catalogue.markers()
    assert len(markers) == 42
    assert {m["chapter"] for m in markers} == set(catalogue.CHAPTERS)
    assert markers[0] == {
        "id": "1.1",
        "chapter": "1",
        "text": "Inclusion of specific reference to parental substance misuse in Working "
        "Together – Paragraphs.1.19.–1.20.",
    }
    # items a page break left at the margin still belong to their list
    assert catalogue.marker("4C.5")["text"].startswith("Range and variety for services")
    assert [m["id"] for m in markers if m["chapter"] == "4E"] == ["4E.1", "4E.2", "4E.3"]
    assert catalogue.marker("9.9") is None
