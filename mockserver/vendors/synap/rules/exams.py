"""Exams: Exam-V-2 (create-examv2) and the older Exam of seed 000, one record read through two shapes.

An exam carries three Quiz relationships (the Quizzes part's type):
``publishedVersion`` (what new attempts use), ``draftVersion`` (a pending copy being edited, or
null) and ``currentVersion`` (the draft when there is one, else the published quiz).

    draft     copy publishedVersion (with its own sections and questions, rules/quizzes.py) into a
              new Quiz -> draftVersion = currentVersion = the copy
              (409: no quiz, a draft already, archived)
    publish   draftVersion -> publishedVersion, versionNumber + 1, publishedAt = now; an exam with
              neither may publish a quiz named in the body as its first version (409: nothing to publish)
    discard   the draft Quiz is deleted with its parts, currentVersion = publishedVersion (409: no draft)

Markers groups, one UserGroup per marking role (markers, moderating, escalating, auditing,
back-reading): "Create Internal" makes an ``internal`` group owned by this exam and links it;
"Set Shared" links an existing non-internal group; an internal group that is replaced or unlinked
is deleted with its memberships. Escalating, auditing and back-reading need their marking flag on.
"""

from __future__ import annotations

import copy

from mockserver.errors import Conflict, Forbidden
from mockserver.vendors.synap.errors import invalid, invalid_body
from mockserver.vendors.synap.records import apply, ident, identifiers, insert, linked_id, linking, new_record, table
from mockserver.vendors.synap.rules import action_logs, quizzes, user_groups
from mockserver.vendors.synap.rules.access import allow  # the hook: admins write
from mockserver.vendors.synap.schema import Relationship

EXAM = "Exam-V-2"
ROLE_FLAGS = {
    "markers": None, "moderatingMarkers": None, "escalatingMarkers": "markingEscalationEnabled",
    "auditingMarkers": "markingAuditingEnabled", "backReadingMarkers": "markingBackReadingEnabled",
}
ROLE_LABELS = {
    "markers": "Markers", "moderatingMarkers": "Moderating markers", "escalatingMarkers": "Escalating markers",
    "auditingMarkers": "Auditing markers", "backReadingMarkers": "Back-reading markers",
}


def exam_type(call):
    return call.registry[EXAM]


def rows(call) -> list[dict]:
    return call.store.rows(table(EXAM))


# -- rendering ----------------------------------------------------------------------------------------


def is_published(exam: dict) -> bool:
    """The exam has a published quiz version (attempts can start); without one it is a draft."""
    return bool(exam["relationships"].get("publishedVersion"))


def attributes(call, record) -> dict:
    return {"isPublished": is_published(record), "hasDraft": bool(record["relationships"].get("draftVersion"))}


def sections(call, exam_id: str) -> list[dict]:
    """An exam's ExamSections in order."""
    rows = linking(call.store, "ExamSection", "examV2", exam_id)
    return sorted(rows, key=lambda s: (s["attributes"].get("position") or 0, s["attributes"].get("createdAt") or ""))


def relationships(call, record) -> dict:
    return {"sections": [ident("ExamSection", s) for s in sections(call, record["id"])]}


# -- create, update, delete ---------------------------------------------------------------------------


def _group(call, ref: dict):
    return call.record("UserGroup", ref["id"])


def internal_to(group: dict | None, exam_id: str, role: str | None = None) -> bool:
    """The group is the internal group this exam made (for ``role``, when given)."""
    owner = (group or {}).get("_examRole") or {}
    return owner.get("exam") == exam_id and (role is None or owner.get("role") == role)


def _role_enabled(exam_attributes: dict, role: str) -> None:
    flag = ROLE_FLAGS[role]
    if flag and not exam_attributes.get(flag):
        raise Conflict(f"Turn {flag} on before giving the exam {ROLE_LABELS[role].lower()}.")


def _shareable(call, exam_id: str, exam_attributes: dict, role: str, ref: dict, pointer: tuple) -> dict:
    group = _group(call, ref)
    if group["attributes"].get("internal") and not internal_to(group, exam_id, role):
        raise invalid_body(pointer, "An internal group belongs to one exam; choose a shared group.")
    if group["attributes"].get("isArchived"):
        raise Forbidden("An archived group cannot mark an exam.")
    _role_enabled(exam_attributes, role)
    return group


def create(call, record, body) -> None:
    rels, attrs = record["relationships"], record["attributes"]
    if rels.get("owner") is None and call.user_id:
        rels["owner"] = {"type": "User", "id": call.user_id}
    for role in ROLE_FLAGS:
        if rels.get(role):
            _shareable(call, record["id"], attrs, role, rels[role], ("data", "relationships", role, "data"))
    published = quiz_ref(rels.get("publishedVersion"), ("data", "relationships", "publishedVersion", "data", "type"))
    rels.update(currentVersion=published, draftVersion=None, sections=[])
    attrs.update(versionNumber=1 if published else 0, publishedAt=call.timestamp if published else None,
                 draftCreatedAt=None)
    schedule_type = call.registry["ExamSchedule"]
    schedule = new_record(call, schedule_type, {}, {"examV2": ident(EXAM, record)})
    insert(call, schedule_type, schedule)
    rels["schedule"] = ident("ExamSchedule", schedule)


def created(call, record) -> None:
    action_logs.record(call, "exam.create", EXAM, record["id"], f"Created exam {record['attributes']['name']!r}")


def delete(call, record) -> None:
    if linking(call.store, "Attempt", "examV2", record["id"]):  # previews too
        raise Conflict("An exam with attempts cannot be deleted; archive it (isArchived) instead.")
    store, exam_id = call.store, record["id"]
    for type_name in ("ExamSchedule", "ExamClosure", "ExamQuestionStats"):
        table_name = table(type_name)
        for row in store.rows(table_name):
            if linked_id(row, "examV2") == exam_id:
                store.delete(table_name, row["id"])
    for section in sections(call, exam_id):
        store.delete(table("ExamSection"), section["id"])
    for role in ROLE_FLAGS:
        _drop_internal(call, record, role)
    _drop_draft(call, record)


def deleted(call, record) -> None:
    action_logs.record(call, "exam.delete", EXAM, record["id"], f"Deleted exam {record['attributes']['name']!r}")


class Legacy:
    """The older Exam: the same record; a create fills in Exam-V-2's defaults for what it lacks."""

    allow = staticmethod(allow)
    attributes = staticmethod(attributes)
    relationships = staticmethod(relationships)
    created = staticmethod(created)
    delete = staticmethod(delete)
    deleted = staticmethod(deleted)

    def create(self, call, record, body) -> None:
        full = exam_type(call)
        attrs = {}
        for name, declared in full.attributes.items():
            if name in full.computed or name in full.once:
                continue
            attrs[name] = record["attributes"].get(name, copy.deepcopy(declared.get("default")))
        record["attributes"] = attrs
        record["relationships"] = {name: ([] if rel.many else None) for name, rel in full.relationships.items()} | {
            k: v for k, v in record["relationships"].items() if v}
        create(call, record, body)


legacy = Legacy()


# -- quiz versions ------------------------------------------------------------------------------------


QUIZ = "Quiz"


def quiz_ref(ref: dict | None, pointer: tuple) -> dict | None:
    """A quiz version must be a Quiz (the publish body is read by hand, not by the controller)."""
    if ref is not None and ref["type"] != QUIZ:
        raise invalid_body(pointer, f"A quiz version is a {QUIZ}, not a {ref['type']}.")
    return ref


def _editable(exam: dict) -> None:
    if exam["attributes"].get("isArchived"):
        raise Conflict("An archived exam cannot change its quiz versions.")


def _apply(call, exam: dict, changes: dict, rels: dict) -> dict:
    return apply(call, exam_type(call), exam, changes, rels)


def draft(call, exam: dict) -> dict:
    """Creates a new draft version of the underlying quiz (inside a transaction)."""
    _editable(exam)
    rels = exam["relationships"]
    if rels.get("draftVersion"):
        raise Conflict(f"The exam already has a draft quiz ({rels['draftVersion']['id']}); publish or discard it first.")
    source = rels.get("publishedVersion") or rels.get("currentVersion")
    if not source:
        raise Conflict("The exam has no quiz to draft from; publish a quiz for it first.")
    quiz = quizzes.fetch(call, source)
    if quiz is None:
        raise Conflict(f"The exam's quiz {source['id']} no longer exists.")
    made = quizzes.copy_quiz(call, quiz, _draftOf={"exam": exam["id"], "quiz": source["id"]})
    version = {"type": QUIZ, "id": made["id"]}
    after = _apply(call, exam, {"draftCreatedAt": call.timestamp}, {"draftVersion": version, "currentVersion": version})
    action_logs.record(call, "exam.draft", EXAM, exam["id"], f"Drafted quiz {made['id']} from {source['id']}")
    return after


def publish(call, exam: dict, chosen: dict | None) -> dict:
    """Sets the draft (or, for an exam without any quiz, the quiz named in the body) as published."""
    _editable(exam)
    rels = exam["relationships"]
    pending = rels.get("draftVersion")
    if pending:
        if chosen and (chosen["type"], chosen["id"]) != (pending["type"], pending["id"]):
            raise invalid_body(("data", "id"), f"Only the exam's draft quiz ({pending['id']}) can be published.")
        version = pending
    elif chosen and not rels.get("publishedVersion"):
        version = quiz_ref(chosen, ("data", "type"))
    else:
        raise Conflict("The exam has no draft quiz to publish; create a draft version first.")
    after = _apply(call, exam, {"versionNumber": (exam["attributes"].get("versionNumber") or 0) + 1,
                                "publishedAt": call.timestamp, "draftCreatedAt": None},
                   {"publishedVersion": version, "currentVersion": version, "draftVersion": None})
    action_logs.record(call, "exam.publish", EXAM, exam["id"], f"Published quiz {version['id']}",
                       {"versionNumber": after["attributes"]["versionNumber"]})
    return after


def _drop_draft(call, exam: dict) -> None:
    quiz = quizzes.fetch(call, exam["relationships"].get("draftVersion"))
    if quiz is not None and (quiz.get("_draftOf") or {}).get("exam") == exam["id"]:
        quizzes.remove_quiz(call, quiz)


def discard(call, exam: dict) -> dict:
    """Discards the draft quiz; currentVersion goes back to the published one."""
    _editable(exam)
    pending = exam["relationships"].get("draftVersion")
    if not pending:
        raise Conflict("The exam has no draft quiz to discard.")
    _drop_draft(call, exam)
    after = _apply(call, exam, {"draftCreatedAt": None},
                   {"draftVersion": None, "currentVersion": exam["relationships"].get("publishedVersion")})
    action_logs.record(call, "exam.discard", EXAM, exam["id"], f"Discarded draft quiz {pending['id']}")
    return after


# -- markers groups -----------------------------------------------------------------------------------


def _drop_internal(call, exam: dict, role: str, keep: str | None = None) -> None:
    ref = exam["relationships"].get(role)
    if not ref or ref["id"] == keep:
        return
    group = _group(call, ref)
    if group is not None and internal_to(group, exam["id"], role):
        user_groups.remove(call, group, [u["id"] for u in user_groups.members(call.store, group["id"])])
        call.store.delete(table("UserGroup"), group["id"])


def _staff_type(call) -> dict | None:
    types = call.store.rows(table("UserType"))
    return next((t for t in types if t["attributes"].get("name") == "Staff"), None)


def create_internal_group(call, exam: dict, role: str, data: dict) -> dict:
    """Create Internal <Role> Markers Group (inside a transaction): the new UserGroup."""

    _role_enabled(exam["attributes"], role)
    current = exam["relationships"].get(role)
    if current and internal_to(_group(call, current), exam["id"], role):
        raise Conflict(f"The exam already has an internal {ROLE_LABELS[role].lower()} group ({current['id']}).")
    given = data.get("attributes") or {}
    members = identifiers(call, Relationship("users", ("User",), True),
                          ((data.get("relationships") or {}).get("users") or {}).get("data") or [],
                          ("data", "relationships", "users", "data"))
    group_type = call.registry["UserGroup"]
    staff = _staff_type(call)
    group = new_record(call, group_type, {
        "name": given.get("name") or f"{exam['attributes']['name']}: {ROLE_LABELS[role]}",
        "description": given.get("description") or f"{ROLE_LABELS[role]} of exam {exam['attributes']['name']}",
        "attr": {}, "isDefaultGroup": False, "defaultGroupType": None, "isArchived": False, "internal": True,
        "membershipExpiry": None,
    }, {"owner": {"type": "User", "id": call.user_id} if call.user_id else None,
        "userType": ident("UserType", staff) if staff else None})
    group["_examRole"] = {"exam": exam["id"], "role": role}
    insert(call, group_type, group)
    user_groups.add(call, group, [m["id"] for m in members])
    _apply(call, exam, {}, {role: ident("UserGroup", group)})
    action_logs.record(call, "exam.markers_group", EXAM, exam["id"],
                       f"Created internal {ROLE_LABELS[role].lower()} group {group['id']}", {role: group["id"]})
    return group


def set_shared_group(call, exam: dict, role: str, ref: dict | None) -> dict:
    """Set Shared <Role> Markers Group (inside a transaction): the exam after the change."""
    if ref is not None:
        _shareable(call, exam["id"], exam["attributes"], role, ref, ("data",))
    _drop_internal(call, exam, role, keep=ref["id"] if ref else None)
    after = _apply(call, exam, {}, {role: ref})
    action_logs.record(call, "exam.markers_group", EXAM, exam["id"],
                       f"Set {ROLE_LABELS[role].lower()} to {ref['id'] if ref else 'nobody'}", {role: ref["id"] if ref else None})
    return after


def require_sectioned(exam: dict) -> None:
    if not exam["attributes"].get("isSectioned"):
        raise Conflict("The exam is not sectioned; set isSectioned first.")


def required_exam(call, record: dict, pointer=("relationships", "examV2")) -> dict:
    """The exam a record links in ``examV2`` (400 when it links none)."""
    ref = record["relationships"].get("examV2")
    if not ref:
        raise invalid(pointer, "An exam (examV2) is required.")
    return call.store.get(table(EXAM), ref["id"])
