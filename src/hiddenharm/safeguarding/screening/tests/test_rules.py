"""The screening's rules, read from the committed question set, checked by hand per action."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from hiddenharm.safeguarding.screening import rules
from hiddenharm.safeguarding.screening.demo import CALM

DOC = json.loads(
    (Path(__file__).resolve().parents[1] / "questions" / "default-v1.json").read_text()
)


def answers(**changes):
    return {**CALM, **changes}


def test_it_accepts_the_committed_question_set():
    rules.validate_document(DOC)
    ids = {q["id"] for q in DOC["questions"]}
    assert {"under_five", "storage", "use_while_caring", "injecting", "other_adults_using"} <= ids
    assert {"domestic_abuse", "mental_health", "parenting", "school_attendance"} <= ids
    assert {"other_services", "pregnancy", "antenatal_care", "children_ages"} <= ids


def test_it_notes_no_concern_when_no_rule_matches():
    s = rules.suggest(DOC, answers())
    assert (s.action, s.reasons) == ("NO_CONCERN", ())
    assert s.label == "No concern noted"


@pytest.mark.parametrize(
    "changes, action, reason",
    [
        ({"mental_health": "YES"}, "EARLY_HELP", "Mental health problems"),
        ({"other_adults_using": "YES"}, "EARLY_HELP", "Other adults"),
        ({"parenting": "SOME_GAPS"}, "EARLY_HELP", "Gaps in the children's daily routines"),
        ({"school_attendance": "IRREGULAR"}, "EARLY_HELP", "Irregular school"),
        ({"injecting": "YES", "under_five": "YES"}, "EARLY_HELP", "An injecting parent"),
        ({"storage": "UNKNOWN"}, "EARLY_HELP", "Not known where"),
        ({"storage": "ACCESSIBLE"}, "CONSULT_CSC", "within the children's reach"),
        ({"use_while_caring": "SOMETIMES"}, "CONSULT_CSC", "Use while caring"),
        ({"domestic_abuse": "YES"}, "CONSULT_CSC", "Domestic abuse in the household"),
        ({"school_attendance": "NOT_ATTENDING"}, "CONSULT_CSC", "not attending"),
        ({"pregnancy": "YES", "antenatal_care": "NOT_BOOKED"}, "CONSULT_CSC", "not booked"),
        ({"under_five": "YES", "use_while_caring": "OFTEN"}, "REFER", "often uses"),
        ({"under_five": "YES", "storage": "ACCESSIBLE"}, "REFER", "reach of a child under five"),
        ({"domestic_abuse": "YES", "use_while_caring": "SOMETIMES"}, "REFER", "Domestic abuse"),
        ({"parenting": "NOT_MET"}, "REFER", "often not met"),
        (
            {"pregnancy": "YES", "antenatal_care": "NOT_BOOKED", "injecting": "YES"},
            "REFER",
            "An injecting client whose pregnancy",
        ),
    ],
)
def test_it_suggests_each_action_from_its_rules(changes, action, reason):
    s = rules.suggest(DOC, answers(**changes))
    assert s.action == action
    assert any(reason in r for r in s.reasons), s.reasons


def test_it_takes_the_most_serious_matching_action_and_names_only_its_reasons():
    # Mental health (early help) + storage within reach (consult) + under five: refer.
    s = rules.suggest(DOC, answers(mental_health="YES", storage="ACCESSIBLE", under_five="YES"))
    assert s.action == "REFER"
    assert s.reasons == ("Substances or equipment within reach of a child under five",)
    # Without the child under five, the same storage only asks for a consultation.
    s = rules.suggest(DOC, answers(mental_health="YES", storage="ACCESSIBLE"))
    assert s.action == "CONSULT_CSC"


def test_it_reads_a_multiple_answer_by_any_chosen_code():
    doc = copy.deepcopy(DOC)
    doc["rules"].append(
        {
            "action": "EARLY_HELP",
            "because": "No service",
            "when": {"q": "other_services", "in": ["NONE"]},
        }
    )
    assert rules.suggest(doc, answers(other_services=["NONE"])).action == "EARLY_HELP"
    assert rules.suggest(doc, answers(other_services=["GP"])).action == "NO_CONCERN"


@pytest.mark.parametrize(
    "breakage, message",
    [
        (
            lambda d: d["rules"].append(
                {"action": "PANIC", "because": "x", "when": {"q": "storage", "in": ["LOCKED"]}}
            ),
            "action must be",
        ),
        (
            lambda d: d["rules"].append(
                {"action": "REFER", "because": "x", "when": {"q": "nope", "in": ["YES"]}}
            ),
            "no question 'nope'",
        ),
        (
            lambda d: d["rules"].append(
                {"action": "REFER", "because": "x", "when": {"q": "storage", "in": ["MAYBE"]}}
            ),
            "has no answer MAYBE",
        ),
        (
            lambda d: d["rules"].append(
                {"action": "REFER", "because": "x", "when": {"q": "notes", "in": ["x"]}}
            ),
            "text question",
        ),
        (lambda d: d["questions"].append(dict(d["questions"][0])), "an id of its own"),
        (lambda d: d.pop("rules"), "no 'rules'"),
    ],
)
def test_it_refuses_a_question_set_it_cannot_use(breakage, message):
    doc = copy.deepcopy(DOC)
    breakage(doc)
    with pytest.raises(rules.DocumentError, match=message):
        rules.validate_document(doc)


def test_it_words_the_answers_with_their_own_version():
    words = dict(rules.answers_in_words(DOC, answers(storage="ACCESSIBLE")))
    assert words[DOC["questions"][2]["text"]] == "Where the children could reach them"
    assert words[DOC["questions"][-1]["text"]] == "Not answered"
