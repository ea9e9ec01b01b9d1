"""Moving questions in and out of quizzes: exports (QuestionExport, EmqGroupExport, QuizPdfExport)
are jobs that complete on the sandbox clock with a ``fileUrl`` (jobs.py); imports take the file's
rows (the sandbox cannot fetch the file itself), and their validations report every bad field
without writing anything.

    question row   {questionType: "QuizQuestionSingleCorrect", body, options, ...}: the kind's
                   attributes, its create's required ones present, its answer key sound
                   (quiz_questions.problems)
    EMQ group row  {title, instructions, options: [{id, text}], questions: [{body, correctOptionId,
                   marks}]}: two or more options, one or more questions, each picking an option

An import refuses bad rows with a 400 per field (``/data/attributes/rows/<n>/<field>``); good rows
become questions (or EMQ groups with single-correct stems) at the end of the quiz or section at once,
while the job's status follows the clock like every job.
"""

from __future__ import annotations

from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import ident, insert, new_record
from mockserver.vendors.synap.rules import jobs, quiz_questions, quizzes
from mockserver.vendors.synap.rules.quizzes import fetch

JSON_TYPES = {"string": str, "number": (int, float), "integer": int, "boolean": bool, "array": list, "object": dict}


def _quiz(call, record: dict) -> dict:
    quiz = fetch(call, record["relationships"].get("quiz"))
    if quiz is None:
        raise invalid(("relationships", "quiz"), "A quiz is required.")
    return quiz


class Export:
    allow = staticmethod(quizzes.allow)

    def __init__(self, stem: str, extension: str | None = None):
        self.stem, self.extension = stem, extension

    def create(self, call, record, body) -> None:
        quiz = _quiz(call, record)
        extension = self.extension or record["attributes"].get("format") or "csv"
        jobs.create(call, record, body, f"{self.stem}-{quiz['id']}.{extension}")

    def attributes(self, call, record) -> dict:
        return jobs.state(call, record)


# -- rows ---------------------------------------------------------------------------------------------


def _required(call, kind: str) -> list[str]:
    create = call.registry.document["components"]["schemas"][f"{kind}Create"]
    return create["properties"]["data"]["properties"]["attributes"].get("required", [])


def question_row_problems(call, row: dict) -> list[tuple[tuple, str]]:
    kind = row.get("questionType")
    rt = call.registry.get(kind or "")
    if rt is None or kind not in quiz_questions.KINDS:
        return [(("questionType",), f"Unknown question type {kind!r}.")]
    attributes = {k: v for k, v in row.items() if k != "questionType"}
    found = [((name,), f"{kind} has no attribute {name!r}.") for name in attributes if name not in rt.writable]
    for name, value in attributes.items():
        declared = rt.attributes.get(name, {})
        expected = JSON_TYPES.get(declared.get("type"))
        if name in rt.writable and expected and value is not None and (
                not isinstance(value, expected) or (expected is not bool and isinstance(value, bool))):
            found.append(((name,), f"{name} must be of type {declared['type']}."))
    found += [((name,), f"{name} is required.") for name in _required(call, kind) if attributes.get(name) in (None, "", [])]
    return found or quiz_questions.problems(kind, attributes)


def emq_row_problems(call, row: dict) -> list[tuple[tuple, str]]:
    found: list[tuple[tuple, str]] = []
    if not isinstance(row.get("title"), str) or not row["title"].strip():
        found.append((("title",), "title is required."))
    options = row.get("options") if isinstance(row.get("options"), list) else []
    if len(options) < 2:
        found.append((("options",), "At least two options are needed."))
    elif not all(isinstance(o, dict) and o.get("id") and isinstance(o.get("text"), str) for o in options):
        found.append((("options",), "Each option needs an id and a text."))
    elif len({o["id"] for o in options}) != len(options):
        found.append((("options",), "Option ids must be unique."))
    ids = {o.get("id") for o in options if isinstance(o, dict)}
    questions = row.get("questions") if isinstance(row.get("questions"), list) else []
    if not questions:
        found.append((("questions",), "An EMQ group needs at least one question."))
    for n, question in enumerate(questions):
        if not isinstance(question, dict) or not question.get("body"):
            found.append((("questions", n, "body"), "A question needs a body."))
        elif question.get("correctOptionId") not in ids:
            found.append((("questions", n, "correctOptionId"), "The correct option must be one of the group's options."))
    return found


def _row_problems(call, rows: list, check) -> list[tuple[tuple, str]]:
    return [(("rows", n, *path), detail) for n, row in enumerate(rows or []) for path, detail in check(call, row)]


class RowsCheck:
    """Create <Kind>ImportValidation: report, write nothing else."""

    allow = staticmethod(quizzes.allow)

    def __init__(self, check):
        self.check = check

    def create(self, call, record, body) -> None:
        _quiz(call, record)
        rows = record["attributes"].get("rows") or []
        found = _row_problems(call, rows, self.check)
        record["attributes"].update({
            "rowCount": len(rows), "valid": not found,
            "errors": [{"row": path[1], "field": "/".join(map(str, path[2:])) or None, "detail": detail}
                       for path, detail in found],
        })


class Import:
    allow = staticmethod(quizzes.allow)

    def __init__(self, check, write):
        self.check, self.write = check, write

    def create(self, call, record, body) -> None:
        quiz = _quiz(call, record)
        rows = record["attributes"].get("rows") or []
        quiz_questions.refuse(_row_problems(call, rows, self.check))
        made = self.write(call, record, quiz, rows)
        record["attributes"].update({"rowCount": len(rows), "importedCount": len(made)})
        jobs.create(call, record, body)

    def attributes(self, call, record) -> dict:
        return jobs.state(call, record)


def _insert(call, type_name: str, attributes: dict, relationships: dict) -> dict:
    rt = call.registry[type_name]
    record = new_record(call, rt, attributes, relationships)
    insert(call, rt, record)  # the type's own create rule places it
    return record


def write_questions(call, record, quiz, rows) -> list:
    section = record["relationships"].get("section")
    made = []
    for row in rows:
        kind = row["questionType"]
        writable = call.registry[kind].writable
        attrs = {**{k: v for k, v in row.items() if k in writable}, "questionType": kind}
        made.append(ident(kind, _insert(call, kind, attrs, {"quiz": ident("Quiz", quiz), "section": section})))
    record["relationships"]["questions"] = made
    return made


def write_emq_groups(call, record, quiz, rows) -> list:
    made = []
    single = "QuizQuestionSingleCorrect"
    for row in rows:
        group = _insert(call, "QuizEmqGroup", {
            "title": row["title"], "instructions": row.get("instructions"),
            "options": [{"id": o["id"], "text": o["text"]} for o in row["options"]]}, {"quiz": ident("Quiz", quiz)})
        for question in row["questions"]:
            options = [{**o, "isCorrect": o["id"] == question["correctOptionId"]} for o in group["attributes"]["options"]]
            _insert(call, single, {"questionType": single, "body": question["body"], "options": options,
                                   "marks": question.get("marks", 1)}, {"emqGroup": ident("QuizEmqGroup", group)})
        made.append(ident("QuizEmqGroup", group))
    record["relationships"]["emqGroups"] = made
    return made


question_export = Export("questions")
emq_group_export = Export("emq-groups")
quiz_pdf_export = Export("quiz", "pdf")
question_import_validation = RowsCheck(question_row_problems)
question_import = Import(question_row_problems, write_questions)
emq_group_import_validation = RowsCheck(emq_row_problems)
emq_group_import = Import(emq_row_problems, write_emq_groups)
