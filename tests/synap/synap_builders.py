"""Builders shared by several Synap test files: quizzes and their questions (test_synap_quizzes.py,
test_synap_quizzes_jobs.py) and attempts taken through the player (test_synap_attempts*.py,
test_synap_exams.py). Plain functions over the ``synap`` client fixture (synap/conftest.py)."""

from __future__ import annotations

import re

from synap_helpers import body, errors, everything, group_named, ok, one

# -- attempts ------------------------------------------------------------------------------------------

STAFF = {"Authorization": "Bearer p:synap-staff-2b8f6c1e9a4d7035"}
RIGHT = {  # right answers to the sandbox blueprint's questions, by kind
    "multipleChoice": {"choices": ["2", "7", "11"]},
    "shortAnswer": {"text": " na "},
    "clozeText": {"gaps": ["paris", "Rome"]},
    "clozeDropDown": {"gaps": ["100", "0"]},
    "clozeDragAndDrop": {"gaps": ["Shakespeare", "Austen"]},
    "ranked": {"order": ["Mercury", "Venus", "Earth", "Mars"]},
    "informational": {"viewed": True},
}
WRITTEN = {
    "freeText": {"text": "Alliances, militarism, imperialism and nationalism."},
    "fileUpload": {"file": {"name": "report.pdf", "url": "https://files.example/report.pdf"}},
    "audio": {"file": {"name": "pitch.m4a", "url": "https://files.example/pitch.m4a"}},
    "video": {"file": {"name": "demo.mp4", "url": "https://files.example/demo.mp4"}},
}
OBJECTIVE_POINTS = 14  # 1 + 1 + 3 + 1 + 2 + 2 + 2 + 2; the written questions add 30, 44 in all


def listed(synap, path: str, headers=None, **params) -> list[dict]:
    return ok(synap.get(path, params={"limit": 1000, "offset": 0, **params}, headers=headers))["data"]


def path_of(type_name: str) -> str:
    return "/" + re.sub(r"(?<!^)([A-Z])", r"-\1", type_name).lower() + "s"


def attempt_ref(attempt_id: str) -> dict:
    return {"attempt": one("Attempt", attempt_id)}


def learners(synap) -> list[dict]:
    students = group_named(synap, "Students")
    return everything(synap, "/users", **{"filter[userGroups]": students["id"], "sort": "createdAt"})


def new_attempt(synap, user_id: str | None = None, relationships: dict | None = None, **attributes) -> dict:
    user_id = user_id or learners(synap)[0]["id"]
    rels = {"user": one("User", user_id), **(relationships or {})}
    return ok(synap.post("/attempts", json=body("Attempt", attributes, rels)), 201)["data"]


def attempt(synap, attempt_id: str, headers=None) -> dict:
    return ok(synap.get(f"/attempts/{attempt_id}", headers=headers))["data"]


def act(synap, type_name: str, attempt_id: str, attributes: dict | None = None, status: int = 201, headers=None):
    response = synap.post(path_of(type_name), json=body(type_name, attributes or {}, attempt_ref(attempt_id)),
                          headers=headers)
    return ok(response, status)["data"] if status < 400 else errors(response, status)


def responses(synap, attempt_id: str) -> dict[str, list[dict]]:
    """The attempt's responses by kind (singleChoice has two), in question order."""
    document = ok(synap.get(f"/attempts/{attempt_id}", params={"include": "responses"}))
    out: dict[str, list[dict]] = {}
    for item in sorted(document["included"], key=lambda r: r["attributes"]["position"]):
        out.setdefault(item["attributes"]["responseType"], []).append(item)
    return out


def answer(synap, response: dict, value, status: int = 200, headers=None, **more):
    url = f"{path_of(response['type'])}/{response['id']}"
    reply = synap.patch(url, json=body(response["type"], {"answer": value, **more}, id=response["id"]), headers=headers)
    return ok(reply)["data"] if status == 200 else errors(reply, status)


def answer_all(synap, attempt_id: str, written: bool = True) -> dict[str, list[dict]]:
    by_kind = responses(synap, attempt_id)
    answer(synap, by_kind["singleChoice"][0], {"choice": "mitochondrion"})
    answer(synap, by_kind["singleChoice"][1], {"choice": "ribosome"})
    for kind, value in RIGHT.items():
        answer(synap, by_kind[kind][0], value)
    if written:
        for kind, value in WRITTEN.items():
            answer(synap, by_kind[kind][0], value)
    return by_kind


def submitted_attempt(synap, written: bool = True, **attributes) -> dict:
    made = new_attempt(synap, **attributes)
    act(synap, "AttemptSitting", made["id"])
    answer_all(synap, made["id"], written)
    act(synap, "AttemptSubmission", made["id"])
    return attempt(synap, made["id"])


# -- quizzes -------------------------------------------------------------------------------------------

SINGLE = "QuizQuestionSingleCorrect"


def new_quiz(synap, name="Algebra check", relationships=None, **attributes) -> dict:
    return ok(synap.post("/quizzes", json=body("Quiz", {"name": name, **attributes}, relationships)), 201)["data"]


def new_section(synap, quiz_id, name) -> dict:
    return ok(synap.post("/quiz-sections", json=body("QuizSection", {"name": name},
                                                     {"quiz": one("Quiz", quiz_id)})), 201)["data"]


def options(correct=0, n=3) -> list[dict]:
    return [{"id": f"o{i}", "text": f"Option {i}", "isCorrect": i == correct} for i in range(n)]


def single(synap, text, relationships=None, **attributes) -> dict:
    attrs = {"body": text, "options": options(), **attributes}
    return ok(synap.post("/quiz-question-single-corrects", json=body(SINGLE, attrs, relationships)), 201)["data"]


def quiz_of(synap, quiz_id) -> dict:
    return ok(synap.get(f"/quizzes/{quiz_id}"))["data"]
