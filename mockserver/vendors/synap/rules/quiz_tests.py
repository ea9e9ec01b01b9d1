"""Tests generated from quizzes, and the read-outs of a quiz's setup.

A static quiz gives its questions in reading order; a dynamic quiz draws from its pool (its own
questions and its content sources', informational ones left out) by its filter rules, or draws
``quizLength`` at random when it has none. A request may narrow the draw to some ``tags`` and set a
``length``; too few matching questions is a 400. Draws and shuffles are random but seeded by the
test's id, so the same world gives the same tests.

GeneratedTest makes its Test at once. GenerateTestJob makes it too, but the Test (and the job's
``test`` relationship) shows only once the job completes on the sandbox clock (jobs.py). Users see
and delete their own tests; admins see everyone's and generate for anyone.

QuizSetupValidation lists what stops a quiz from being taken; QuizTagBreakdown counts a quiz's
questions and marks per tag.
"""

from __future__ import annotations

import random
from collections import defaultdict

from mockserver.errors import Forbidden, NotFound
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import ident, insert, new_record
from mockserver.vendors.synap.rules import jobs, quizzes
from mockserver.vendors.synap.rules.quizzes import fetch, marks, questions_in

INFORMATIONAL = "QuizQuestionInformational"


def pool(call, quiz: dict) -> list[dict]:
    if not quiz["attributes"].get("isDynamic"):
        return questions_in(call, quiz)
    seen, out = set(), []
    for source in [quiz, *filter(None, map(lambda s: fetch(call, s), quiz["relationships"].get("contentSources") or []))]:
        for question in questions_in(call, source):
            if question["id"] not in seen and question["attributes"]["questionType"] != INFORMATIONAL:
                seen.add(question["id"])
                out.append(question)
    return out


def matches(rule: dict, question: dict) -> bool:
    tags, wanted = set(question["attributes"].get("tags") or []), set(rule.get("tags") or [])
    return wanted <= tags if rule.get("operator") == "and" else bool(wanted & tags)


def draw(call, quiz: dict, *, length: int | None, tags: list, shuffle: bool, seed: str) -> list[dict]:
    rng = random.Random(seed)
    dynamic = bool(quiz["attributes"].get("isDynamic"))
    candidates = pool(call, quiz)
    if tags:
        candidates = [q for q in candidates if set(tags) & set(q["attributes"].get("tags") or [])]
    if not candidates:
        raise invalid(("relationships", "quiz"), "The quiz has no questions to draw" + (" with these tags." if tags else "."))
    rules = quiz["attributes"].get("filterRules") if dynamic and not tags and not length else None
    if rules:
        chosen: list[dict] = []
        for n, rule in enumerate(rules):
            taken = {q["id"] for q in chosen}
            matching = [q for q in candidates if matches(rule, q) and q["id"] not in taken]
            if len(matching) < rule["questionCount"]:
                raise invalid(("relationships", "quiz"), f"Filter rule {n} needs {rule['questionCount']} questions; "
                                                         f"{len(matching)} match.")
            chosen += rng.sample(matching, rule["questionCount"])
    else:
        wanted = length or (quiz["attributes"].get("quizLength") if dynamic else None) or len(candidates)
        if wanted > len(candidates):
            raise invalid(("attributes", "length") if length else ("relationships", "quiz"),
                          f"Only {len(candidates)} questions match; {wanted} were asked for.")
        chosen = rng.sample(candidates, wanted) if dynamic else candidates[:wanted]
    if shuffle:
        rng.shuffle(chosen)
    return chosen


# -- Test ---------------------------------------------------------------------------------------------


def _ready(call, test: dict) -> bool:
    job = call.record("GenerateTestJob", test.get("_job") or "")
    return not test.get("_job") or (job is not None and jobs.state(call, job)["status"] == "complete")


def _mine(call, record: dict) -> bool:
    user = record["relationships"].get("user")
    return call.is_admin or (user is not None and user["id"] == call.user_id)


class TestRules:
    def allow(self, call, action, record) -> None:
        if record is not None and not (_mine(call, record) and _ready(call, record)):
            raise NotFound(f"No Test with id {record['id']!r}")

    def visible(self, call, rows) -> list:
        return [r for r in rows if _mine(call, r) and _ready(call, r)]


class Generator:
    """GeneratedTest: the Test is made and linked at once."""

    def __init__(self, type_name: str):
        self.type_name = type_name

    def allow(self, call, action, record) -> None:
        if record is not None and not _mine(call, record):
            raise NotFound(f"No {self.type_name} with id {record['id']!r}")

    def create(self, call, record, body) -> None:
        rels, attrs = record["relationships"], record["attributes"]
        if rels.get("quiz") is None:
            raise invalid(("relationships", "quiz"), "A quiz is required.")
        if rels.get("user") is None:
            rels["user"] = {"type": "User", "id": call.user_id}
        if rels["user"]["id"] != call.user_id and not call.is_admin:
            raise Forbidden("Only administrators can generate tests for another user.")
        quiz = fetch(call, rels["quiz"])
        test_type = call.registry["Test"]
        test = new_record(call, test_type, {}, {"quiz": rels["quiz"], "user": rels["user"]})
        chosen = draw(call, quiz, length=attrs.get("length"), tags=attrs.get("tags") or [],
                      shuffle=bool(attrs.get("shuffle")), seed=test["id"])
        test["attributes"].update({
            "name": attrs.get("name") or quiz["attributes"]["name"], "questionCount": len(chosen),
            "totalMarks": sum(marks(q) for q in chosen), "tags": list(attrs.get("tags") or []),
            "shuffled": bool(attrs.get("shuffle")),
        })
        test["relationships"]["questions"] = [ident(q["attributes"]["questionType"], q) for q in chosen]
        self.started(call, record, test)
        insert(call, test_type, test)
        rels["test"] = ident("Test", test)
        attrs["questionCount"] = len(chosen)

    def started(self, call, record, test) -> None:
        pass


class JobGenerator(Generator):
    """GenerateTestJob: the same Test, shown (and linked) once the job completes."""

    def started(self, call, record, test) -> None:
        jobs.create(call, record, {})
        test["_job"] = record["id"]

    def attributes(self, call, record) -> dict:
        return jobs.state(call, record)

    def relationships(self, call, record) -> dict:
        done = jobs.state(call, record)["status"] == "complete"
        return {"test": record["relationships"].get("test") if done else None}


# -- the read-outs of a quiz's setup ------------------------------------------------------------------


def setup_problems(call, quiz: dict) -> list[dict]:
    attrs, rels = quiz["attributes"], quiz["relationships"]
    found: list[dict] = []

    def problem(code, detail, pointer=None):
        found.append({"code": code, "detail": detail, "pointer": pointer})

    if attrs.get("isSectioned") and not rels.get("sections"):
        problem("noSections", "A sectioned quiz needs at least one section.", "/relationships/sections")
    if not attrs.get("isDynamic"):
        if not questions_in(call, quiz):
            problem("noQuestions", "The quiz has no questions.", "/relationships/questions")
        for n, section in enumerate(filter(None, (fetch(call, s) for s in rels.get("sections") or []))):
            if not questions_in(call, section):
                problem("emptySection", f"Section {section['attributes']['name']!r} has no questions.",
                        f"/relationships/sections/data/{n}")
        return found
    available = pool(call, quiz)
    length = attrs.get("quizLength")
    if not rels.get("contentSources") and not available:
        problem("noContentSources", "A dynamic quiz needs content sources to draw from.", "/relationships/contentSources")
    if length is None:
        problem("noQuizLength", "A dynamic quiz needs a quizLength.", "/attributes/quizLength")
    elif len(available) < length:
        problem("notEnoughQuestions", f"quizLength is {length} but only {len(available)} questions can be drawn.",
                "/attributes/quizLength")
    rules = attrs.get("filterRules") or []
    if rules and length is not None and sum(r["questionCount"] for r in rules) != length:
        problem("filterCountMismatch", f"The filter rules draw {sum(r['questionCount'] for r in rules)} questions, "
                                       f"not quizLength {length}.", "/attributes/filterRules")
    for n, rule in enumerate(rules):
        matching = sum(1 for q in available if matches(rule, q))
        if matching < rule["questionCount"]:
            problem("notEnoughQuestions", f"Filter rule {n} needs {rule['questionCount']} questions; {matching} match.",
                    f"/attributes/filterRules/{n}")
    return found


class SetupValidation:
    allow = staticmethod(quizzes.allow)

    def create(self, call, record, body) -> None:
        quiz = fetch(call, record["relationships"].get("quiz"))
        if quiz is None:
            raise invalid(("relationships", "quiz"), "A quiz is required.")
        found = setup_problems(call, quiz)
        record["attributes"].update({"valid": not found, "errors": found, "questionCount": len(pool(call, quiz))})


class TagBreakdown:
    """A view of a quiz row (same id): nothing is stored."""

    def attributes(self, call, record) -> dict:
        questions = questions_in(call, record)
        counts: dict[str, list] = defaultdict(lambda: [0, 0])
        for question in questions:
            for tag in question["attributes"].get("tags") or []:
                counts[tag][0] += 1
                counts[tag][1] += marks(question)
        return {"tags": [{"tag": tag, "questionCount": n, "marks": m} for tag, (n, m) in sorted(counts.items())],
                "untaggedCount": sum(1 for q in questions if not q["attributes"].get("tags")),
                "questionCount": len(questions), "totalMarks": sum(marks(q) for q in questions)}

    def relationships(self, call, record) -> dict:
        return {"quiz": ident("Quiz", record)}


test = TestRules()
generated_test = Generator("GeneratedTest")
generate_test_job = JobGenerator("GenerateTestJob")
setup_validation = SetupValidation()
tag_breakdown = TagBreakdown()
