"""Hand-written operations of the Exams group (the Assignments, Insights and Auditing operations are
all served by the generic controller): the quiz-version actions, the markers groups of each marking
role and Update Exam Section, on Exam-V-2 and on the older Exam. Their routes are sandbox choices
(rules/exams.py has the behaviour)."""

from __future__ import annotations

from mockserver.errors import NotFound
from mockserver.vendors.synap import locations, schema
from mockserver.vendors.synap.documents import HEADERS, Call
from mockserver.vendors.synap.records import identifiers, linked_id
from mockserver.vendors.synap.resources import bound, require, respond, update
from mockserver.vendors.synap.rules import exams
from mockserver.vendors.synap.rules.access import allow
from mockserver.vendors.synap.schema import Relationship


__all__ = [  # the operations (handlers/__init__.py star-imports these)
    "exam_sections_create_draft_version",
    "exam_v2s_create_draft_version",
    "exam_v2s_create_internal_auditing_markers_group",
    "exam_v2s_create_internal_back_reading_markers_group",
    "exam_v2s_create_internal_escalating_markers_group",
    "exam_v2s_create_internal_markers_group",
    "exam_v2s_create_internal_moderating_markers_group",
    "exam_v2s_discard_draft_version",
    "exam_v2s_publish_version",
    "exam_v2s_set_shared_auditing_markers_group",
    "exam_v2s_set_shared_back_reading_markers_group",
    "exam_v2s_set_shared_escalating_markers_group",
    "exam_v2s_set_shared_markers_group",
    "exam_v2s_set_shared_moderating_markers_group",
    "exam_v2s_update_section",
    "exams_create_draft_version",
    "exams_create_internal_markers_group",
    "exams_create_internal_moderating_markers_group",
    "exams_set_shared_markers_group",
    "exams_set_shared_moderating_markers_group",
    "exams_update_section",
]

QUIZ = Relationship("quiz", (exams.QUIZ,), many=False)
GROUP = Relationship("group", ("UserGroup",), many=False)


def _exam_action(type_name: str, id: str, act, include=None, fields=None):
    """Run ``act(call, exam)`` on the exam in a transaction; answer the exam as ``type_name``."""
    call = Call(schema.registry())
    rt = call.registry[type_name]
    with call.store.transaction():
        exam = require(call, rt, id)
        allow(call, "update", exam)
        after = act(call, exam)
    return respond(call, rt, after, include=include, fields=fields)


def exam_v2s_create_draft_version(id: str, include=None, fields=None, **_params):
    return _exam_action(exams.EXAM, id, exams.draft, include, fields)


def exams_create_draft_version(id: str, include=None, fields=None, **_params):
    return _exam_action("Exam", id, exams.draft, include, fields)


def exam_sections_create_draft_version(id: str, include=None, fields=None, **_params):
    call = Call(schema.registry())
    section = require(call, call.registry["ExamSection"], id)
    return _exam_action(exams.EXAM, linked_id(section, "examV2"), exams.draft, include, fields)


def exam_v2s_discard_draft_version(id: str, include=None, fields=None, **_params):
    return _exam_action(exams.EXAM, id, exams.discard, include, fields)


def exam_v2s_publish_version(id: str, body: dict | None = None, include=None, fields=None, **_params):
    def publish(call, exam):
        chosen = identifiers(call, QUIZ, body["data"], ("data",)) if body and body.get("data") else None
        return exams.publish(call, exam, chosen)
    return _exam_action(exams.EXAM, id, publish, include, fields)


# -- markers groups: one pair of operations per marking role ------------------------------------------


def _create_internal_group(type_name: str, role: str, id: str, body: dict | None):
    call = Call(schema.registry())
    with call.store.transaction():
        exam = require(call, call.registry[type_name], id)
        allow(call, "update", exam)
        group = exams.create_internal_group(call, exam, role, (body or {}).get("data") or {})
    headers = {"Location": locations.url("/user-groups/{id}", group["id"])}
    return respond(call, call.registry["UserGroup"], call.record("UserGroup", group["id"]), 201, headers=headers)


def _set_shared_group(type_name: str, role: str, id: str, body: dict):
    call = Call(schema.registry())
    with call.store.transaction():
        exam = require(call, call.registry[type_name], id)
        allow(call, "update", exam)
        group = identifiers(call, GROUP, body.get("data"), ("data",))
        after = exams.set_shared_group(call, exam, role, group)
    return {"data": after["relationships"].get(role)}, 200, HEADERS


def exam_v2s_create_internal_markers_group(id: str, body: dict | None = None, **_params):
    return _create_internal_group(exams.EXAM, "markers", id, body)


def exam_v2s_set_shared_markers_group(id: str, body: dict, **_params):
    return _set_shared_group(exams.EXAM, "markers", id, body)


def exam_v2s_create_internal_moderating_markers_group(id: str, body: dict | None = None, **_params):
    return _create_internal_group(exams.EXAM, "moderatingMarkers", id, body)


def exam_v2s_set_shared_moderating_markers_group(id: str, body: dict, **_params):
    return _set_shared_group(exams.EXAM, "moderatingMarkers", id, body)


def exam_v2s_create_internal_escalating_markers_group(id: str, body: dict | None = None, **_params):
    return _create_internal_group(exams.EXAM, "escalatingMarkers", id, body)


def exam_v2s_set_shared_escalating_markers_group(id: str, body: dict, **_params):
    return _set_shared_group(exams.EXAM, "escalatingMarkers", id, body)


def exam_v2s_create_internal_auditing_markers_group(id: str, body: dict | None = None, **_params):
    return _create_internal_group(exams.EXAM, "auditingMarkers", id, body)


def exam_v2s_set_shared_auditing_markers_group(id: str, body: dict, **_params):
    return _set_shared_group(exams.EXAM, "auditingMarkers", id, body)


def exam_v2s_create_internal_back_reading_markers_group(id: str, body: dict | None = None, **_params):
    return _create_internal_group(exams.EXAM, "backReadingMarkers", id, body)


def exam_v2s_set_shared_back_reading_markers_group(id: str, body: dict, **_params):
    return _set_shared_group(exams.EXAM, "backReadingMarkers", id, body)


def exams_create_internal_markers_group(id: str, body: dict | None = None, **_params):
    return _create_internal_group("Exam", "markers", id, body)


def exams_set_shared_markers_group(id: str, body: dict, **_params):
    return _set_shared_group("Exam", "markers", id, body)


def exams_create_internal_moderating_markers_group(id: str, body: dict | None = None, **_params):
    return _create_internal_group("Exam", "moderatingMarkers", id, body)


def exams_set_shared_moderating_markers_group(id: str, body: dict, **_params):
    return _set_shared_group("Exam", "moderatingMarkers", id, body)


# -- Update Exam Section -------------------------------------------------------------------------------


def _update_section(type_name: str, id: str, sectionId: str, body: dict):
    call = Call(schema.registry())
    require(call, call.registry[type_name], id)
    section = require(call, call.registry["ExamSection"], sectionId)
    if linked_id(section, "examV2") != id:
        raise NotFound(f"Exam {id} has no ExamSection with id {sectionId!r}")
    return update(bound("ExamSection"), sectionId, body)


def exam_v2s_update_section(id: str, sectionId: str, body: dict, **_params):
    return _update_section(exams.EXAM, id, sectionId, body)


def exams_update_section(id: str, sectionId: str, body: dict, **_params):
    return _update_section("Exam", id, sectionId, body)
