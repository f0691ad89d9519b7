"""The screening's questions and rules as data, and the engine that reads them (no Django).

A question set is a JSON document (`questions/default-v1.json` is the first):

- `questions`: each with an `id`, the `text`, an optional `hint`, a `type` (`choice`: one
  of `choices`; `multiple`: any of `choices`, `exclusive` ones standing alone; `text`), and
  `optional` (a text question may be left blank; every choice must be answered);
- `actions`: the four actions in order of seriousness, with their words;
- `rules`: each an `action`, `because` (the reason in words) and a condition `when`:
  `{"q": id, "in": [codes]}` (the answer is one of them; for a `multiple` question, any
  chosen is), `{"all": [...]}` or `{"any": [...]}`.

The suggestion is the most serious action of the rules that match, else NO_CONCERN.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

NO_CONCERN = "NO_CONCERN"
EARLY_HELP = "EARLY_HELP"
CONSULT_CSC = "CONSULT_CSC"
REFER = "REFER"
ACTIONS = {
    NO_CONCERN: "No concern noted",
    EARLY_HELP: "Offer early help",
    CONSULT_CSC: "Consult children's social care",
    REFER: "Refer to children's social care",
}
SERIOUSNESS = {code: i for i, code in enumerate(ACTIONS)}
TYPES = ("choice", "multiple", "text")


class DocumentError(ValueError):
    """A question set that cannot be used (says what is wrong, for the person adapting it)."""


@dataclass(frozen=True)
class Suggestion:
    action: str
    reasons: tuple[str, ...]  # the `because` of each matching rule of that action

    @property
    def label(self) -> str:
        return ACTIONS[self.action]


def questions(document: Mapping) -> list[dict]:
    return list(document["questions"])


def question_map(document: Mapping) -> dict[str, dict]:
    return {q["id"]: q for q in document["questions"]}


def _check_condition(cond, qmap: dict, where: str) -> None:
    if not isinstance(cond, dict) or len(cond) == 0:
        raise DocumentError(f"{where}: a condition must be an object")
    if "all" in cond or "any" in cond:
        parts = cond.get("all", cond.get("any"))
        if set(cond) - {"all", "any"} or not isinstance(parts, list) or not parts:
            raise DocumentError(f"{where}: 'all'/'any' takes a non-empty list of conditions")
        for part in parts:
            _check_condition(part, qmap, where)
        return
    if set(cond) != {"q", "in"}:
        raise DocumentError(f"{where}: a condition is {{'q': id, 'in': [codes]}}")
    q = qmap.get(cond["q"])
    if q is None:
        raise DocumentError(f"{where}: no question {cond['q']!r}")
    if q["type"] == "text":
        raise DocumentError(f"{where}: rules cannot read the text question {q['id']!r}")
    known = {c for c, _ in q["choices"]}
    unknown = [c for c in cond["in"] if c not in known]
    if unknown:
        raise DocumentError(f"{where}: {q['id']!r} has no answer {', '.join(unknown)}")


def validate_document(document: Mapping) -> None:
    """Raise DocumentError unless the document is a usable question set."""
    if not isinstance(document, Mapping):
        raise DocumentError("a question set is a JSON object")
    for key in ("key", "version", "title", "questions", "rules"):
        if key not in document:
            raise DocumentError(f"the question set has no {key!r}")
    if not isinstance(document["version"], int) or document["version"] < 1:
        raise DocumentError("'version' must be a whole number, 1 or more")
    ids = [q.get("id") for q in document["questions"]]
    if len(set(ids)) != len(ids) or not all(isinstance(i, str) and i for i in ids):
        raise DocumentError("every question needs an id of its own")
    for q in document["questions"]:
        if q.get("type") not in TYPES:
            raise DocumentError(f"question {q['id']!r}: type must be one of {', '.join(TYPES)}")
        if not q.get("text"):
            raise DocumentError(f"question {q['id']!r} has no text")
        if q["type"] != "text" and not q.get("choices"):
            raise DocumentError(f"question {q['id']!r} has no choices")
    qmap = question_map(document)
    for i, rule in enumerate(document["rules"], start=1):
        where = f"rule {i}"
        if rule.get("action") not in ACTIONS:
            raise DocumentError(f"{where}: action must be one of {', '.join(ACTIONS)}")
        if not rule.get("because"):
            raise DocumentError(f"{where}: say why ('because')")
        _check_condition(rule.get("when"), qmap, where)


def _matches(cond: Mapping, answers: Mapping, qmap: dict) -> bool:
    if "all" in cond:
        return all(_matches(c, answers, qmap) for c in cond["all"])
    if "any" in cond:
        return any(_matches(c, answers, qmap) for c in cond["any"])
    answer = answers.get(cond["q"])
    if answer is None:
        return False
    chosen = answer if isinstance(answer, list) else [answer]
    return any(a in cond["in"] for a in chosen)


def suggest(document: Mapping, answers: Mapping) -> Suggestion:
    """The most serious action whose rules match the answers (NO_CONCERN when none does)."""
    qmap = question_map(document)
    matched = [r for r in document["rules"] if _matches(r["when"], answers, qmap)]
    if not matched:
        return Suggestion(NO_CONCERN, ())
    top = max(SERIOUSNESS[r["action"]] for r in matched)
    action = next(code for code, rank in SERIOUSNESS.items() if rank == top)
    return Suggestion(action, tuple(r["because"] for r in matched if r["action"] == action))


def answers_in_words(document: Mapping, answers: Mapping) -> list[tuple[str, str]]:
    """(question text, answer in words) for every question, read with its own version."""
    rows = []
    for q in document["questions"]:
        value = answers.get(q["id"])
        if q["type"] == "text":
            words = value or ""
        else:
            labels = dict((c, label) for c, label in q["choices"])
            chosen = value if isinstance(value, list) else ([value] if value else [])
            words = ", ".join(labels.get(c, c) for c in chosen)
        rows.append((q["text"], words or "Not answered"))
    return rows
