"""The exam player: an attempt's sections, its EMQ group and its responses, one per question, each
served under its kind's own type (``PlayerSingleChoiceResponse`` at ``/player-single-choice-
responses/{id}``...) from one table with a ``responseType`` attribute.

Quizzes are another part of the spec, so a new attempt's questions come from the sandbox's fixed
blueprint below (two sections, thirteen questions, every response kind, 44 points). The candidate
answers with ``answer`` (its shape depends on the kind, checked: 400 on ``/data/attributes/answer``)
and may ``flag`` a question. At submission the objective kinds are marked against their keys:
a multiple-choice answer earns a credit per right option and a penalty per wrong one; the written
and recorded kinds (freeText, fileUpload, audio, video) wait for a marker unless left unanswered.
The right answers (``correctAnswer``) show once the results are released.
"""

from __future__ import annotations

from mockserver.errors import Conflict, Forbidden, NotFound
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import add, ident, linked_id, table
from mockserver.vendors.synap.rules import attempt_timing
from mockserver.vendors.synap.rules.attempt_records import (
    RESPONSE,
    ByAttempt,
    can_see,
    get,
    guard_candidate,
    responses,
    results_status,
)

TYPES = {
    "audio": "PlayerAudioResponse",
    "clozeDragAndDrop": "PlayerClozeDragAndDropResponse",
    "clozeDropDown": "PlayerClozeDropDownResponse",
    "clozeText": "PlayerClozeTextResponse",
    "fileUpload": "PlayerFileUploadResponse",
    "freeText": "PlayerFreeTextResponse",
    "informational": "PlayerInformationalResponse",
    "multipleChoice": "PlayerMultipleChoiceResponse",
    "ranked": "PlayerRankedResponse",
    "shortAnswer": "PlayerShortAnswerResponse",
    "singleChoice": "PlayerSingleChoiceResponse",
    "video": "PlayerVideoResponse",
}
KINDS = {type_name: kind for kind, type_name in TYPES.items()}
MANUAL = ("freeText", "fileUpload", "audio", "video")  # marked by a person

SECTION_A, SECTION_B = "Section A: objective questions", "Section B: extended responses"
EMQ = {"title": "Cell biology", "theme": "Organelles of the eukaryotic cell",
       "options": ["nucleus", "mitochondrion", "ribosome", "golgi apparatus"]}
# (section, kind, prompt, options, key, maxPoints, in the EMQ group)
BLUEPRINT = (
    (SECTION_A, "singleChoice", "Which organelle produces most of the cell's ATP?", EMQ["options"], "mitochondrion", 1, True),
    (SECTION_A, "singleChoice", "Which organelle synthesises proteins?", EMQ["options"], "ribosome", 1, True),
    (SECTION_A, "multipleChoice", "Select every prime number.", ["2", "4", "7", "9", "11"], ["2", "7", "11"], 3, False),
    (SECTION_A, "shortAnswer", "What is the chemical symbol for sodium?", None, ["Na"], 1, False),
    (SECTION_A, "clozeText", "The capital of France is ___ and the capital of Italy is ___.", None, ["Paris", "Rome"], 2, False),
    (SECTION_A, "clozeDropDown", "Water boils at ___ °C and freezes at ___ °C.", ["0", "50", "100"], ["100", "0"], 2, False),
    (SECTION_A, "clozeDragAndDrop", "___ wrote Hamlet and ___ wrote Pride and Prejudice.",
     ["Shakespeare", "Austen", "Dickens"], ["Shakespeare", "Austen"], 2, False),
    (SECTION_A, "ranked", "Order these planets by distance from the Sun, nearest first.",
     ["Mars", "Mercury", "Earth", "Venus"], ["Mercury", "Venus", "Earth", "Mars"], 2, False),
    (SECTION_B, "informational", "Read the case study on the next page before answering Section B.", None, None, 0, False),
    (SECTION_B, "freeText", "Explain the main causes of the First World War.", None, None, 10, False),
    (SECTION_B, "fileUpload", "Upload your lab report as a PDF.", None, None, 10, False),
    (SECTION_B, "audio", "Record a one-minute pitch for your product.", None, None, 5, False),
    (SECTION_B, "video", "Film a demonstration of the titration experiment.", None, None, 5, False),
)


def build(call, attempt: dict) -> None:
    """Sections, the EMQ group and one response per blueprint question for a new attempt."""
    owner = {"attempt": ident("Attempt", attempt)}
    made_sections: dict[str, dict] = {}
    for title in dict.fromkeys(q[0] for q in BLUEPRINT):
        made_sections[title] = add(call, "PlayerSection", {
            "title": title, "position": len(made_sections) + 1, "isCompleted": False, "completedAt": None,
        }, dict(owner), _attempt=attempt["id"])
    group = add(call, "PlayerEmqGroup", {**EMQ, "position": 1},
                {**owner, "section": ident("PlayerSection", made_sections[SECTION_A])}, _attempt=attempt["id"])
    made = []
    for position, (title, kind, prompt, options, key, points, in_group) in enumerate(BLUEPRINT, start=1):
        section = made_sections[title]
        gaps = len(key) if kind.startswith("cloze") else None
        made.append(add(call, TYPES[kind], {
            "responseType": kind, "questionId": f"question-{position:02d}", "position": position,
            "prompt": prompt, "options": list(options) if options else None, "gapCount": gaps,
            "maxPoints": points, "answer": None, "flagged": False, "answeredAt": None,
            "markingStatus": "notRequired" if kind == "informational" else "pending",
            "marks": None, "points": None, "feedback": None, "markedAt": None,
        }, {**owner, "section": ident("PlayerSection", section),
            "emqGroup": ident("PlayerEmqGroup", group) if in_group else None}, _attempt=attempt["id"], _key=key))
    for section in made_sections.values():
        members = [ident(TYPES[r["attributes"]["responseType"]], r) for r in made
                   if linked_id(r, "section") == section["id"]]
        call.store.update(table("PlayerSection"), section["id"], {"relationships": {**section["relationships"], "responses": members}})
    call.store.update(table("PlayerEmqGroup"), group["id"], {"relationships": {**group["relationships"], "responses": [
        ident(TYPES[r["attributes"]["responseType"]], r) for r in made if linked_id(r, "emqGroup") == group["id"]]}})
    attempt["relationships"]["sections"] = [ident("PlayerSection", s) for s in made_sections.values()]
    attempt["relationships"]["responses"] = [ident(TYPES[r["attributes"]["responseType"]], r) for r in made]


def guard_answering(call, attempt: dict) -> None:
    guard_candidate(call, attempt, "change its responses")
    if attempt_timing.expired(call, attempt):
        raise Forbidden("The time for this attempt is up: submit it, or ask for the timer to be reset.")


# -- answers --------------------------------------------------------------------------------------


def _refuse(detail: str):
    return invalid(("attributes", "answer"), detail)


def _strings(value, name: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _refuse(f"answer.{name} is a list of strings.")
    return value


def check_answer(kind: str, answer, attrs: dict) -> None:
    """400 on ``/data/attributes/answer`` when ``answer`` does not fit the question's kind."""
    if answer is None:
        return
    if not isinstance(answer, dict):
        raise _refuse("answer is an object (or null to clear it).")
    options = attrs.get("options") or []
    if kind == "singleChoice":
        if answer.get("choice") not in options:
            raise _refuse(f"answer.choice is one of {options}.")
    elif kind == "multipleChoice":
        choices = _strings(answer.get("choices"), "choices")
        if not set(choices) <= set(options) or len(set(choices)) != len(choices):
            raise _refuse(f"answer.choices are distinct members of {options}.")
    elif kind in ("shortAnswer", "freeText"):
        if not isinstance(answer.get("text"), str):
            raise _refuse("answer.text is a string.")
    elif kind.startswith("cloze"):
        gaps = _strings(answer.get("gaps"), "gaps")
        if len(gaps) != attrs["gapCount"]:
            raise _refuse(f"answer.gaps fills each of the {attrs['gapCount']} gaps.")
        if kind != "clozeText" and not set(gaps) <= set(options):
            raise _refuse(f"answer.gaps are members of {options}.")
        if kind == "clozeDragAndDrop" and len(set(gaps)) != len(gaps):
            raise _refuse("Each option can be dropped into one gap only.")
    elif kind == "ranked":
        if sorted(_strings(answer.get("order"), "order")) != sorted(options):
            raise _refuse(f"answer.order ranks every one of {options}.")
    elif kind in ("fileUpload", "audio", "video"):
        file = answer.get("file")
        if not isinstance(file, dict) or not isinstance(file.get("url"), str) or not isinstance(file.get("name"), str):
            raise _refuse("answer.file is a File: {name, url}.")
    elif kind == "informational":
        if answer.get("viewed") is not True:
            raise _refuse("answer.viewed is true.")


def _same(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def auto_marks(kind: str, answer, key, max_points: int) -> dict:
    """Marks of an objective response: ``{points, maxPoints, credits, penalties}``."""
    credits = penalties = 0
    if answer is not None:
        if kind == "singleChoice":
            credits = max_points if answer["choice"] == key else 0
        elif kind == "multipleChoice":
            chosen = set(answer["choices"])
            credits, penalties = len(chosen & set(key)), len(chosen - set(key))
        elif kind == "shortAnswer":
            credits = max_points if any(_same(answer["text"], k) for k in key) else 0
        elif kind.startswith("cloze"):
            credits = sum(1 for given, wanted in zip(answer["gaps"], key) if _same(given, wanted))
        elif kind == "ranked":
            credits = max_points if answer["order"] == key else 0
    return {"points": max(0, credits - penalties), "maxPoints": max_points, "credits": credits, "penalties": penalties}


def mark_on_submission(call, attempt: dict) -> int:
    """Mark what a machine can; returns how many responses wait for a marker."""
    waiting = 0
    for response in responses(call.store, attempt["id"]):
        attrs = response["attributes"]
        kind = attrs["responseType"]
        if kind == "informational":
            continue
        if kind in MANUAL and attrs["answer"] is not None:
            status, marks = "awaitingMarking", None
            waiting += 1
        elif kind in MANUAL:  # nothing to mark
            status, marks = "autoMarked", {"points": 0, "maxPoints": attrs["maxPoints"], "credits": 0, "penalties": 0}
        else:
            status, marks = "autoMarked", auto_marks(kind, attrs["answer"], response.get("_key"), attrs["maxPoints"])
        call.store.update(table(RESPONSE), response["id"], {"attributes": {
            **attrs, "markingStatus": status, "marks": marks, "points": marks["points"] if marks else None,
            "markedAt": call.timestamp if marks else None}})
    return waiting


# -- Player*Response hooks (one object for every kind) ----------------------------------------------


class CandidateFacing(ByAttempt):
    """Whoever sees the attempt sees these; the update rule says who may change them."""

    @staticmethod
    def allow(call, action, record) -> None:
        attempt = get(call, record["_attempt"]) if record else None
        if record is not None and (attempt is None or not can_see(call, attempt)):
            raise NotFound(f"No such resource with id {record['id']!r}")


class Response(CandidateFacing):
    @staticmethod
    def attributes(call, record) -> dict:
        attempt = get(call, record["_attempt"])
        released = attempt is not None and results_status(attempt) == "released"
        key = record.get("_key")
        kind = record["attributes"]["responseType"]
        if kind == "singleChoice" and key is not None:
            key = {"choice": key}
        elif kind == "multipleChoice":
            key = {"choices": key}
        elif kind == "shortAnswer":
            key = {"text": key[0], "accepted": key}
        elif kind.startswith("cloze"):
            key = {"gaps": key}
        elif kind == "ranked":
            key = {"order": key}
        return {"correctAnswer": key if released and key is not None else None}

    @staticmethod
    def update(call, record, changes) -> None:
        attempt = get(call, record["_attempt"])
        guard_answering(call, attempt)
        section = call.record("PlayerSection", linked_id(record, "section") or "")
        if section is not None and section["attributes"]["isCompleted"]:
            raise Conflict(f"{section['attributes']['title']} has been completed: its responses no longer change.")
        if "answer" in changes:
            check_answer(record["attributes"]["responseType"], changes["answer"], record["attributes"])
            changes["answeredAt"] = call.timestamp if changes["answer"] is not None else None


response = Response()


# -- PlayerSection and PlayerEmqGroup -----------------------------------------------------------------


class Section(CandidateFacing):
    @staticmethod
    def attributes(call, record) -> dict:
        mine = [r for r in responses(call.store, record["_attempt"]) if linked_id(r, "section") == record["id"]]
        return {"questionCount": len(mine), "answeredCount": sum(1 for r in mine if r["attributes"]["answer"] is not None)}

    @staticmethod
    def update(call, record, changes) -> None:
        attempt = get(call, record["_attempt"])
        guard_candidate(call, attempt, "complete a section")
        if "isCompleted" in changes:
            if record["attributes"]["isCompleted"] and not changes["isCompleted"]:
                raise invalid(("attributes", "isCompleted"), "A completed section cannot be reopened.")
            if changes["isCompleted"] and not record["attributes"]["isCompleted"]:
                changes["completedAt"] = call.timestamp


section = Section()


emq_group = ByAttempt()


def require_response(call, ident: dict, pointer: tuple) -> dict:
    """A response named by a resource identifier, of the kind its type says."""
    record = call.store.get(table(RESPONSE), ident["id"])
    if record is None or TYPES.get(record["attributes"]["responseType"]) != ident["type"]:
        raise NotFound(f"No {ident['type']} with id {ident['id']!r}")
    return record
