"""A screening decided "refer", carried across to the referral form: the children named, the
concerns its answers point to, and its reasons, as the form's starting values (the keyworker
checks and changes them before saving the draft).

Which answers point to which concern is data, by question id and answer code; questions a
version of the questions does not ask are passed over, so an adapted set still works.
"""

from __future__ import annotations

from hiddenharm.cases.models import ChildStatus
from hiddenharm.safeguarding import codes

# (question id, answers) -> the referral's concern (safeguarding.codes.CONCERNS)
CONCERN_ANSWERS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("storage", ("ACCESSIBLE",), "PARENTAL_SUBSTANCE_USE"),
    ("use_while_caring", ("SOMETIMES", "OFTEN"), "PARENTAL_SUBSTANCE_USE"),
    ("injecting", ("YES",), "PARENTAL_SUBSTANCE_USE"),
    ("other_adults_using", ("YES",), "PARENTAL_SUBSTANCE_USE"),
    ("domestic_abuse", ("YES",), "DOMESTIC_ABUSE"),
    ("mental_health", ("YES",), "PARENTAL_MENTAL_HEALTH"),
    ("parenting", ("NOT_MET", "SOME_GAPS"), "NEGLECT"),
    ("school_attendance", ("NOT_ATTENDING", "IRREGULAR"), "NEGLECT"),
    ("pregnancy", ("YES",), "UNBORN"),
)


def concerns_from(answers: dict) -> list[str]:
    """The referral's concerns the answers point to, in the referral form's order."""
    found = {c for q, _, c in CONCERN_ANSWERS if _points_to_a_concern(answers, q)}
    return [c for c in codes.CONCERNS if c in found]


def children_named(client) -> list[str]:
    """The client's children the referral is about: those living with the client as last
    recorded (every child, when none is recorded as living with them)."""
    children = list(client.children.order_by("child_ref"))
    latest = {}
    for status in ChildStatus.objects.filter(child__in=children).order_by("recorded_on", "pk"):
        latest[status.child_id] = status.whereabouts
    living = [c.child_ref for c in children if latest.get(c.pk) == "CLIENT"]
    return living or [c.child_ref for c in children]


def referral_initial(screening, pregnancy=None) -> dict:
    """The referral form's starting values from a screening (and the client's pregnancy,
    for an unborn child when the answers say the client is pregnant)."""
    answers = screening.answers or {}
    concerns = concerns_from(answers)
    lines = [
        f"From the safeguarding screening of {screening.screened_on:%-d %B %Y} "
        f"({screening.get_occasion_display().lower()}).",
        f"Suggested: {screening.get_suggested_action_display()}.",
    ]
    lines += [f"- {reason}" for reason in screening.suggestion_reasons or []]
    lines.append(f"Decided: {screening.get_decided_action_display()}.")
    if screening.decision_reason:
        lines.append(f"Why: {screening.decision_reason}")
    # The answers behind the concerns, in words, as information about the risk of harm.
    asked = [
        q
        for q in screening.question_set.document.get("questions", [])
        if _points_to_a_concern(answers, q["id"])
    ]
    words = dict(screening.answers_in_words())
    risk = [f"{q['text']} {words.get(q['text'], '')}".strip() for q in asked]
    initial = {
        "children": children_named(screening.client),
        "concerns": concerns,
        "description": "\n".join(lines),
        "risk": "\n".join(risk),
    }
    if "UNBORN" in concerns and pregnancy is not None:
        initial["unborn_edd"] = pregnancy.edd
    return initial


def _points_to_a_concern(answers: dict, question: str) -> bool:
    given = answers.get(question)
    given = given if isinstance(given, list) else [given]
    return any(q == question and v in values for q, values, _ in CONCERN_ANSWERS for v in given)
