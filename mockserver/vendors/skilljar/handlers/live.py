"""Skilljar live operations: ILT instructors, multi-session events and sessions, VILT session events
and registrations, quizzes, question banks and quiz questions (rules in rules/live.py)."""

from __future__ import annotations

from mockserver.responses import NoContent

from mockserver.sandbox import current
from mockserver.vendors.skilljar import resources
from mockserver.vendors.skilljar.rules import events
from mockserver.vendors.skilljar.rules import live as rules
from mockserver.vendors.skilljar.serializers.live import (
    instructor, multi_session_event, ilt_session, vilt_session_event, registration_detail,
    question, bank_assignment,
)

# -- ILT ------------------------------------------------------------------------------------------

EVENTS_LIST = {"serializer": multi_session_event}
SESSION_EVENTS_LIST = {"serializer": vilt_session_event}


def ilt_multi_session_events_list(**params):
    store = current().store
    return resources.respond_list(EVENTS_LIST, rules.open_events(store), params, store)


def ilt_multi_session_events_create(body):
    return multi_session_event(rules.create_event(current().store, body)), 201


def ilt_multi_session_events_update(multi_session_event_id, body=None):
    return multi_session_event(rules.update_event(current().store, multi_session_event_id, body))


ilt_multi_session_events_partial_update = ilt_multi_session_events_update


def ilt_sessions_create(body):
    return ilt_session(rules.create_session(current().store, body)), 201


def ilt_sessions_update(ilt_session_id, body=None):
    return ilt_session(rules.update_session(current().store, ilt_session_id, body))


# -- VILT -----------------------------------------------------------------------------------------


def vilt_session_events_list(**params):
    store = current().store
    paging = {k: params.get(k) for k in ("page", "page_size")}
    return resources.respond_list(SESSION_EVENTS_LIST, rules.session_events(store, params), paging, store)


def vilt_session_registrations_create(body):
    sandbox = current()
    store = sandbox.store
    rendered = registration_detail(rules.register(store, body, sandbox.now()), store)
    events.emit("VILT_EVENT_REGISTRATION", rendered)
    return rendered, 201


def vilt_session_registrations_update(vilt_session_registration_id, body=None):
    record = rules.set_attended(current().store, vilt_session_registration_id, body)
    return {"id": record["id"], "attended": record["attended"]}


vilt_session_registrations_partial_update = vilt_session_registrations_update


# -- quizzes --------------------------------------------------------------------------------------


def quiz_questions_create(body):
    return question(rules.create_question(current().store, body)), 201


__all__ = ["ilt_multi_session_events_list", "ilt_multi_session_events_create",
           "ilt_multi_session_events_update", "ilt_multi_session_events_partial_update", "ilt_sessions_create",
           "ilt_sessions_update", "vilt_session_events_list", "vilt_session_registrations_create",
           "vilt_session_registrations_update", "vilt_session_registrations_partial_update", "quiz_questions_create"]


# -- past seed 003 ----------------------------------------------------------------------------------


def ilt_instructors_create(body):
    return instructor(rules.create_instructor(current().store, body)), 201


def ilt_instructors_update(id, body=None):  # noqa: A002 - the official path parameter is named "id"
    return instructor(rules.update_instructor(current().store, id, body))


ilt_instructors_partial_update = ilt_instructors_update


def ilt_instructors_destroy(id):  # noqa: A002
    rules.delete_instructor(current().store, id)
    return NoContent, 204


def vilt_session_events_retrieve(vilt_session_event_id):
    store = current().store
    return vilt_session_event(rules.find_session_event(store, vilt_session_event_id), store)


def quiz_questions_update(question_id, body=None):
    return question(rules.update_question(current().store, question_id, body))


quiz_questions_partial_update = quiz_questions_update


def quizzes_destroy(quiz_id):
    rules.delete_quiz(current().store, quiz_id)
    return NoContent, 204


def question_banks_destroy(question_bank_id):
    rules.delete_bank(current().store, question_bank_id)
    return NoContent, 204


def quizzes_question_banks_list(quiz_id, **params):
    store = current().store
    rows = [(bank, quiz_id) for bank in rules.quiz_banks(store, quiz_id)]
    return resources.respond_list({"serializer": bank_assignment, "page_size": 250},
                                  rows, params, store)


def quizzes_question_banks_retrieve(quiz_id, question_bank_id):
    store = current().store
    return bank_assignment((rules.quiz_bank(store, quiz_id, question_bank_id), quiz_id), store)


__all__ += [name for name in dir() if name.startswith(("ilt_instructors_", "vilt_session_events_retrieve", "quizzes_",
                                                         "question_banks_", "quiz_questions_"))
            and name not in __all__]
