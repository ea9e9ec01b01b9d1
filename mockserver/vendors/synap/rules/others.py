"""Reading the resources of the parts this one only links to (Attempt, Quiz, Course...), whose types
may not be in the spec yet: every lookup goes through the registry and gives nothing for a type it
does not know, so the Exams and Assignments rules work before and after those parts are merged.

What an Attempt carries is vendors.md's list (``status``, ``score``, ``isRevoked``,
``resultsMarkingStatus``; relationships ``examV2``, ``user``); their value vocabularies are not
published, so the few predicates below accept the spellings that are plausible [inferred].
"""

from __future__ import annotations

ATTEMPT = "Attempt"
SUBMITTED = {"submitted", "complete", "completed", "finished", "ended"}
MARKED = {"complete", "completed", "marked", "released", "published", "notrequired", "not_required"}


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
    return [a for a in rows(call, ATTEMPT) if linked_id(a, "examV2") == exam_id]


def awaiting_marking(attempt: dict) -> bool:
    attrs = attempt["attributes"]
    if attrs.get("isRevoked"):
        return False
    status = str(attrs.get("status") or attrs.get("examStatus") or "").lower()
    marking = str(attrs.get("resultsMarkingStatus") or "").lower()
    return status in SUBMITTED and marking not in MARKED


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
