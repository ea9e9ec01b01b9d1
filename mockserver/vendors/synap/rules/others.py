"""Reading the resources of the parts the Exams and Assignments rules only link to (Attempt, Quiz,
Course...). An attempt's state is read through the Attempts part's own predicates
(rules/attempts.py: ``status`` created|started|submitted, ``resultsMarkingStatus``
notSubmitted|awaitingMarking|inProgress|marked), never through spellings guessed here.
"""

from __future__ import annotations

from mockserver.vendors.synap.rules import attempts

ATTEMPT = "Attempt"


def ident(type_name: str, record: dict) -> dict:
    return {"type": type_name, "id": record["id"]}


def linked_id(record: dict, name: str) -> str | None:
    ref = (record.get("relationships") or {}).get(name)
    return ref.get("id") if isinstance(ref, dict) else None


def rows(call, type_name: str) -> list[dict]:
    rt = call.registry.get(type_name)
    return call.store.rows(rt.table) if rt else []


def target(call, ref: dict | None) -> tuple[object, dict | None]:
    """The type and record an identifier names (either may be None)."""
    if not ref:
        return None, None
    rt = call.registry.get(ref["type"])
    return rt, (call.store.get(rt.table, ref["id"]) if rt else None)


def attempts_of_exam(call, exam_id: str) -> list[dict]:
    """The candidates' attempts of an exam (an author's previews are not counted)."""
    return attempts.of_exam(call.store, exam_id)


def course_outline(call, course: dict | None) -> list[dict]:
    """The items of a course as an assignment outline [{itemType, title, folder}], read from the
    Courses part's typed item tables (``CourseItem<Kind>`` types linking ``course``) when they exist."""
    if not course:
        return []
    from mockserver.vendors.synap.rules.assignments import KINDS

    found = []
    seen_tables = set()
    for rt in call.registry.types.values():
        if not rt.name.startswith("CourseItem") or "course" not in rt.relationships or rt.table in seen_tables:
            continue
        seen_tables.add(rt.table)
        for row in call.store.rows(rt.table):
            if linked_id(row, "course") != course["id"]:
                continue
            attrs = row["attributes"]
            suffix = rt.name.removeprefix("CourseItem")
            kind = attrs.get("itemType") if attrs.get("itemType") in KINDS else suffix[:1].lower() + suffix[1:]
            if kind not in KINDS:
                continue
            found.append((attrs.get("position") or 0, {"itemType": kind, "title": attrs.get("title") or attrs.get("name") or suffix,
                                                       "folder": None}))
    return [item for _, item in sorted(found, key=lambda pair: pair[0])]
