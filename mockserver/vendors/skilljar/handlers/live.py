"""Skilljar live operations: ILT instructors, multi-session events and sessions, VILT session events
and registrations, quizzes, question banks and quiz questions (rules in rules/live.py)."""

from __future__ import annotations

from mockserver.responses import NoContent

from mockserver.sandbox import current
from mockserver.store import Store
from mockserver.vendors.skilljar import resources, serializers
from mockserver.vendors.skilljar import tables as t
from mockserver.vendors.skilljar.rules import content
from mockserver.vendors.skilljar.rules import events
from mockserver.vendors.skilljar.rules import live as rules

# -- serializers ----------------------------------------------------------------------------------


def instructor(record: dict, store: Store | None = None) -> dict:
    return {"email": record["email"], "name": record["name"], "providers": list(record["providers"])}


def multi_session_event(record: dict, store: Store | None = None) -> dict:
    answer = {"id": record["id"], "lesson": record["lesson"], "display_name": record["display_name"]}
    if record.get("seats_total") is not None:
        answer["seats_total"] = record["seats_total"]
    return answer


def ilt_session(record: dict, store: Store | None = None) -> dict:
    answer = {key: record[key] for key in rules.SESSION_FIELDS if record.get(key) is not None}
    return {"id": record["id"], **answer}


def lesson_item(store: Store, lesson_id: str) -> dict:
    lesson = store.get(content.LESSONS, lesson_id) or {"id": lesson_id, "title": "", "course_id": ""}
    course = store.get(t.COURSES, lesson["course_id"]) or {"id": lesson["course_id"], "title": ""}
    return {"id": lesson["id"], "title": lesson["title"], "course": {"id": course["id"], "title": course["title"]}}


def vilt_session_event(record: dict, store: Store) -> dict:
    seats = rules.seats(store, record)
    answer = {
        "id": record["_event_id"],
        "vilt_session": {
            "id": record["id"], "lesson": lesson_item(store, record["lesson"]),
            "display_name": record["display_name"], "instructor_name": record["_instructor_name"],
            "seats_total": seats if seats is not None else 0,
            "registration_count": rules.registration_count(store, record["id"]),
        },
        "starts_at": record["starts_at"], "ends_at": record["ends_at"],
        "location": record.get("location") or "",
        "event_location": {"name": record.get("location") or record["provider"],
                           "info_url": record.get("event_link") or "", "is_active": True},
        "timezone": record["timezone"],
    }
    return answer


def registration_item(record: dict, store: Store) -> dict:
    user = store.get(t.USERS, record["_user"])
    return {"id": record["id"], "attended": record["attended"], "vilt_session": {"id": record["_session"]},
            "user": serializers.user(user)}


def registration_detail(record: dict, store: Store) -> dict:
    session = store.get(rules.SESSIONS, record["_session"]) or {"lesson": ""}
    return {"id": record["id"], "attended": record["attended"], "vilt_session": {"id": record["_session"]},
            "student_lesson_progress": {"id": record["_progress"], "user": serializers.user(store.get(t.USERS, record["_user"])),
                                        "lesson": lesson_item(store, session["lesson"])}}


def question_bank(record: dict, store: Store) -> dict:
    return {"id": record["id"], "name": record["name"],
            "question_count": sum(1 for q in store.rows(rules.QUESTIONS) if q["_question_bank"] == record["id"]),
            "quiz_association_count": len(record.get("_quizzes", []))}


def question(record: dict, store: Store | None = None) -> dict:
    links = {"quiz": record["_quiz"]} if record.get("_quiz") else {"quiz_question_bank": record["_question_bank"]}
    return {"id": record["id"], **links, **{k: record[k] for k in rules.QUESTION_FIELDS},
            "answers": [dict(a) for a in record["answers"]]}


# -- ILT ------------------------------------------------------------------------------------------

INSTRUCTORS_LIST = {"table": rules.INSTRUCTORS, "serializer": "skilljar.handlers.live:instructor",
                    "filters": {"email": "email", "provider": "providers"}}
EVENTS_LIST = {"serializer": "skilljar.handlers.live:multi_session_event"}
SESSION_EVENTS_LIST = {"serializer": "skilljar.handlers.live:vilt_session_event"}
# Seed 003 documents registrations as "1000 results per page": 250 since the 2025-12 paging change.
REGISTRATIONS_LIST = {"serializer": "skilljar.handlers.live:registration_item", "page_size": 250,
                      "filters": {"session__id": "vilt_session.id"}}


def ilt_instructors_list(**params):
    store = current().store
    return resources.respond_list(INSTRUCTORS_LIST, store.rows(rules.INSTRUCTORS), params, store)


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


def vilt_session_registrations_list(**params):
    store = current().store
    return resources.respond_list(REGISTRATIONS_LIST, store.rows(rules.REGISTRATIONS), params, store)


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


# Only the operations are exported to handlers/__init__ (the serializers are named by module).
__all__ = ["ilt_instructors_list", "ilt_multi_session_events_list", "ilt_multi_session_events_create",
           "ilt_multi_session_events_update", "ilt_multi_session_events_partial_update", "ilt_sessions_create",
           "ilt_sessions_update", "vilt_session_events_list", "vilt_session_registrations_list",
           "vilt_session_registrations_create", "vilt_session_registrations_update",
           "vilt_session_registrations_partial_update", "quiz_questions_create"]


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


def vilt_session_registrations_destroy(vilt_session_registration_id):
    rules.delete_registration(current().store, vilt_session_registration_id)
    return NoContent, 204


def question_summary(record: dict, store: Store | None = None) -> dict:
    owner_field, owner_table = ("_quiz", rules.QUIZZES) if record.get("_quiz") else ("_question_bank", rules.QUESTION_BANKS)
    siblings = [q["id"] for q in (store.rows(rules.QUESTIONS) if store else []) if q.get(owner_field) == record[owner_field]]
    return {"id": record["id"], "html": record["html"], "case_sensitive": record["case_sensitive"],
            "requires_manual_grading": record["requires_manual_grading"],
            "correct_answer_feedback_html": record["correct_answer_feedback_html"],
            "incorrect_answer_feedback_html": record["incorrect_answer_feedback_html"],
            "answer_feedback_html": "", "is_graded": not record["requires_manual_grading"], "is_optional": False,
            "type": record["type"], "order": siblings.index(record["id"]) if record["id"] in siblings else 0,
            "answers": [dict(a) for a in record["answers"]]}


QUESTIONS_LIST = {"serializer": "skilljar.handlers.live:question_summary", "page_size": 250}


def quizzes_questions_list(quiz_id, **params):
    store = current().store
    resources.require(store, rules.QUIZZES, quiz_id, "quiz")
    return resources.respond_list(QUESTIONS_LIST, rules.questions_of(store, "_quiz", quiz_id), params, store)


def quizzes_questions_retrieve(quiz_id, question_id):
    store = current().store
    return question_summary(rules.question_in(store, rules.QUIZZES, "_quiz", quiz_id, question_id), store)


def quizzes_questions_destroy(quiz_id, question_id):
    store = current().store
    rules.question_in(store, rules.QUIZZES, "_quiz", quiz_id, question_id)
    rules.delete_question(store, question_id)
    return NoContent, 204


def question_banks_questions_list(question_bank_id, **params):
    store = current().store
    resources.require(store, rules.QUESTION_BANKS, question_bank_id, "question bank")
    return resources.respond_list(QUESTIONS_LIST, rules.questions_of(store, "_question_bank", question_bank_id),
                                  params, store)


def question_banks_questions_retrieve(question_bank_id, question_id):
    store = current().store
    return question_summary(rules.question_in(store, rules.QUESTION_BANKS, "_question_bank", question_bank_id,
                                              question_id), store)


def question_banks_questions_destroy(question_bank_id, question_id):
    store = current().store
    rules.question_in(store, rules.QUESTION_BANKS, "_question_bank", question_bank_id, question_id)
    rules.delete_question(store, question_id)
    return NoContent, 204


def quiz_questions_update(question_id, body=None):
    return question(rules.update_question(current().store, question_id, body))


quiz_questions_partial_update = quiz_questions_update


def quiz_questions_destroy(question_id):
    rules.delete_question(current().store, question_id)
    return NoContent, 204


def quizzes_destroy(quiz_id):
    rules.delete_quiz(current().store, quiz_id)
    return NoContent, 204


def question_banks_destroy(question_bank_id):
    rules.delete_bank(current().store, question_bank_id)
    return NoContent, 204


def bank_assignment(pair: tuple[dict, str], store: Store) -> dict:
    bank, quiz_id = pair
    return {**question_bank(bank, store), "order": bank["_quizzes"].index(quiz_id),
            "randomize_questions": False, "limit_question_count": 0}


def quizzes_question_banks_list(quiz_id, **params):
    store = current().store
    rows = [(bank, quiz_id) for bank in rules.quiz_banks(store, quiz_id)]
    return resources.respond_list({"serializer": "skilljar.handlers.live:bank_assignment", "page_size": 250},
                                  rows, params, store)


def quizzes_question_banks_retrieve(quiz_id, question_bank_id):
    store = current().store
    return bank_assignment((rules.quiz_bank(store, quiz_id, question_bank_id), quiz_id), store)


__all__ += [name for name in dir() if name.startswith(("ilt_instructors_", "vilt_session_events_retrieve",
                                                         "vilt_session_registrations_destroy", "quizzes_",
                                                         "question_banks_", "quiz_questions_"))
            and name not in __all__]
