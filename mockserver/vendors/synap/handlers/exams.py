"""Hand-written operations of the Exams group (the Assignments, Insights and Auditing operations are
all served by the generic controller): the quiz-version actions, the markers groups of each marking
role and Update Exam Section, on Exam-V-2 and on the older Exam. Their routes are sandbox choices
(rules/exams.py has the behaviour)."""

from __future__ import annotations

from mockserver.errors import NotFound
from mockserver.vendors.synap import locations, paging, schema
from mockserver.vendors.synap.documents import HEADERS, Call, document
from mockserver.vendors.synap.records import identifiers, linked_id
from mockserver.vendors.synap.resources import require, update
from mockserver.vendors.synap.rules import exams
from mockserver.vendors.synap.rules.access import allow
from mockserver.vendors.synap.schema import Relationship

__all__ = [
    "exam_sections_create_draft_version",
    "exam_v2s_create_draft_version",
    "exam_v2s_discard_draft_version",
    "exam_v2s_publish_version",
    "exam_v2s_update_section",
    "exams_create_draft_version",
    "exams_update_section",
]

QUIZ = Relationship("quiz", (exams.QUIZ,), many=False)
GROUP = Relationship("group", ("UserGroup",), many=False)


def _exam_action(type_name: str, id: str, act, include=None, fields=None, status: int = 200):
    """Run ``act(call, exam)`` on the exam in a transaction; answer the exam as ``type_name``."""
    call = Call(schema.registry())
    rt = call.registry[type_name]
    with call.store.transaction():
        exam = require(call, rt, id)
        allow(call, "update", exam)
        after = act(call, exam)
    paths = paging.parse_include(call.registry, rt, include)
    return document(call, rt, after, paths=paths, fields=paging.parse_fields(call.registry, fields)), status, HEADERS


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


# -- markers groups: one pair of operations per role --------------------------------------------------


def _internal_group(type_name: str, role: str):
    def handler(id: str, body: dict | None = None, **_params):
        call = Call(schema.registry())
        with call.store.transaction():
            exam = require(call, call.registry[type_name], id)
            allow(call, "update", exam)
            group = exams.create_internal_group(call, exam, role, (body or {}).get("data") or {})
        headers = {**HEADERS, "Location": locations.url("/user-groups/{id}", group["id"])}
        return document(call, call.registry["UserGroup"], call.store.get(call.registry["UserGroup"].table, group["id"])), 201, headers
    return handler


def _shared_group(type_name: str, role: str):
    def handler(id: str, body: dict, **_params):
        call = Call(schema.registry())
        with call.store.transaction():
            exam = require(call, call.registry[type_name], id)
            allow(call, "update", exam)
            ref = identifiers(call, GROUP, body.get("data"), ("data",))
            after = exams.set_shared_group(call, exam, role, ref)
        return {"data": after["relationships"].get(role)}, 200, HEADERS
    return handler


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


for _prefix, _type, _roles in (("exam_v2s", exams.EXAM, tuple(exams.ROLE_FLAGS)), ("exams", "Exam", ("markers", "moderatingMarkers"))):
    for _role in _roles:
        for _kind, _make in (("create_internal", _internal_group), ("set_shared", _shared_group)):
            _name = f"{_prefix}_{_kind}_{_snake(_role)}_group"
            _handler = _make(_type, _role)
            _handler.__name__ = _handler.__qualname__ = _name
            globals()[_name] = _handler
            __all__.append(_name)


# -- Update Exam Section -------------------------------------------------------------------------------


def _update_section(type_name: str, id: str, sectionId: str, body: dict):
    call = Call(schema.registry())
    require(call, call.registry[type_name], id)
    section = require(call, call.registry["ExamSection"], sectionId)
    if linked_id(section, "examV2") != id:
        raise NotFound(f"Exam {id} has no ExamSection with id {sectionId!r}")
    return update({"rt": call.registry["ExamSection"], "registry": call.registry}, sectionId, body)


def exam_v2s_update_section(id: str, sectionId: str, body: dict, **_params):
    return _update_section(exams.EXAM, id, sectionId, body)


def exams_update_section(id: str, sectionId: str, body: dict, **_params):
    return _update_section("Exam", id, sectionId, body)
