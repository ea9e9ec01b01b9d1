"""Instructor-led (ILT) and virtual (VILT) training, and quizzes.

ILT and VILT are one model at Skilljar: an ILT session (``/ilt-sessions``) is a ViltSession and its
ViltSessionEvent written from one flat payload (official IltSession description), so one record
here serves both ``/ilt-sessions`` (its ``id`` is the session's) and ``/vilt-session-events``
(``_event_id``). A session belongs to a live-training lesson, directly (``lesson``) or through a
multi-session event (``multi_session_event``, whose lesson it takes); exactly one of the two
(official/seed 003: "It is required to set either this or ..."). Sessions of a multi-session event
take its seats and may not set ``seats_total`` or ``tags``; ``location`` and ``event_link`` only on
``calendar`` sessions (seed 003). The instructor is an ILT instructor's e-mail (one that supports the
session's provider); ``Name <email>`` names an ad-hoc instructor, for calendar sessions only (seed
003: "for events without a provider"). Unknown references are 400s on their field.

Sessions take place in VILT lessons: lessons of type ``VILT`` in the one lessons table (rules/content.py);
any other lesson is a 400 on ``lesson``.

A VILT registration needs an existing enrollment (seed 003) in a published course of the session's
course; one registration per user and session; a session with ``seats_total`` set is full at that
many registrations. After creation only ``attended`` changes (seed 003).

Quiz questions belong to a quiz or a question bank (exactly one, official); multiple-choice,
multiple-answer and fill-in-the-blank questions need answers (official), multiple choice exactly one
correct, multiple answer at least one [inferred].
"""

from __future__ import annotations

import re
from datetime import datetime

from pytz import common_timezones

from mockserver.clock import isoformat, parse
from mockserver.errors import InvalidRequest, NotFound, Violation
from mockserver.store import Store
from mockserver.vendors.skilljar import tables as t
from mockserver.vendors.skilljar.rules import content
from mockserver.vendors.skilljar.ids import new_id
from mockserver.vendors.skilljar.records import require

INSTRUCTORS = "skilljar_ilt_instructors"
MULTI_SESSION_EVENTS = "skilljar_ilt_multi_session_events"
SESSIONS = "skilljar_ilt_sessions"
REGISTRATIONS = "skilljar_vilt_session_registrations"
QUIZZES = "skilljar_quizzes"
QUESTION_BANKS = "skilljar_question_banks"
QUESTIONS = "skilljar_quiz_questions"

PROVIDERS = ("calendar", "goto.meeting", "goto.training", "goto.webinar", "goto.webcast", "webex.meeting",
             "webex.webinar", "zoom.meeting", "zoom.webinar")
EVENT_FIELDS = ("lesson", "display_name", "seats_total")
SESSION_FIELDS = ("instructor_email", "provider", "lesson", "multi_session_event", "display_name", "starts_at",
                  "ends_at", "timezone", "description", "seats_total", "location", "post_registration_instructions",
                  "event_link", "tags")
QUESTION_FIELDS = ("html", "type", "requires_manual_grading", "case_sensitive", "correct_answer_feedback_html",
                   "incorrect_answer_feedback_html")
NEEDS_ANSWERS = ("MULTIPLE_CHOICE", "MULTIPLE_ANSWER", "FILL_IN_THE_BLANK")
_NAMED_EMAIL = re.compile(r"^\s*(?P<name>[^<>]+?)\s*<(?P<email>[^<>\s]+@[^<>\s]+)>\s*$")
# Skilljar's timezone choices: the official spec's 433-name enum is pytz's common timezones, name for
# name (a Django ChoiceField over them); a zone outside the list is refused as DRF does.
_TIMEZONES = frozenset(common_timezones)


def _invalid(*path: str, message: str) -> InvalidRequest:
    return InvalidRequest(f"{'.'.join(path)}: {message}", violations=[Violation("body", path, message)])


def _no_object(field: str, value) -> InvalidRequest:
    return _invalid(field, message=f'Invalid pk "{value}" - object does not exist.')


# -- multi-session events -------------------------------------------------------------------------


def live_lesson(store: Store, lesson_id, field: str = "lesson") -> dict:
    lesson = store.get(content.LESSONS, lesson_id) if isinstance(lesson_id, str) else None
    if lesson is None:
        raise _no_object(field, lesson_id)
    if lesson["type"] != "VILT":
        raise _invalid(field, message="The lesson is not a live-training (VILT) lesson.")
    return lesson


def open_events(store: Store) -> list[dict]:
    """Multi-session events that are not cancelled (the official list: "all non-cancelled")."""
    return [e for e in store.rows(MULTI_SESSION_EVENTS) if not e.get("_cancelled")]


def find_event(store: Store, event_id: str) -> dict:
    record = store.get(MULTI_SESSION_EVENTS, event_id)
    if record is None or record.get("_cancelled"):
        raise NotFound("multi-session event not found")
    return record


def create_event(store: Store, body: dict) -> dict:
    fields = {k: v for k, v in body.items() if k in EVENT_FIELDS}
    with store.transaction():
        live_lesson(store, fields["lesson"])
        record = {"id": new_id(store, "ilt_multi_session_event"), **fields}
        store.insert(MULTI_SESSION_EVENTS, record["id"], record)
        return record


def update_event(store: Store, event_id: str, body: dict) -> dict:
    changes = {k: v for k, v in (body or {}).items() if k in EVENT_FIELDS}
    with store.transaction():
        find_event(store, event_id)
        if "lesson" in changes:
            live_lesson(store, changes["lesson"])
        return store.update(MULTI_SESSION_EVENTS, event_id, changes)


# -- sessions -------------------------------------------------------------------------------------


def _instructor(store: Store, given: str, provider: str) -> tuple[str, str]:
    """(email, name) of the session's instructor."""
    named = _NAMED_EMAIL.match(given)
    if named:
        if provider != "calendar":
            raise _invalid("instructor_email", message="A named instructor can only be given for calendar sessions.")
        return named["email"].lower(), named["name"]
    email = given.strip().lower()
    for instructor in store.rows(INSTRUCTORS):
        if instructor["email"] == email:
            if provider not in instructor["providers"]:
                raise _invalid("instructor_email", message=f"This instructor has no {provider} account.")
            return email, instructor["name"]
    raise _invalid("instructor_email", message=f'No ILT instructor with the email "{email}".')


def _validated(store: Store, record: dict, lesson_given: bool) -> dict:
    """The session with its lesson and instructor resolved, or a 400 on the offending field."""
    if record.get("timezone") not in _TIMEZONES:
        raise _invalid("timezone", message=f'"{record.get("timezone")}" is not a valid choice.')
    if record["ends_at"] <= record["starts_at"]:
        raise _invalid("ends_at", message="The event must end after it starts.")
    if record["provider"] != "calendar":
        for field in ("location", "event_link"):
            if record.get(field):
                raise _invalid(field, message="This cannot be set for non-calendar sessions.")
    event_id = record.get("multi_session_event")
    if event_id:
        if lesson_given:
            raise _invalid("non_field_errors", message="Set either lesson or multi_session_event, not both.")
        event = store.get(MULTI_SESSION_EVENTS, event_id)
        if event is None or event.get("_cancelled"):
            raise _no_object("multi_session_event", event_id)
        for field in ("seats_total", "tags"):
            if record.get(field) not in (None, []):
                raise _invalid(field, message="This cannot be set on sessions attached to a multi-session event.")
        record["lesson"] = event["lesson"]
    elif record.get("lesson"):
        live_lesson(store, record["lesson"])
    else:
        raise _invalid("non_field_errors", message="Set either lesson or multi_session_event.")
    record["instructor_email"], record["_instructor_name"] = _instructor(store, record["_instructor"], record["provider"])
    return record


def _session_fields(body: dict) -> dict:
    fields = {k: v for k, v in (body or {}).items() if k in SESSION_FIELDS}
    for key in ("starts_at", "ends_at"):
        if key in fields:
            try:
                fields[key] = isoformat(parse(fields[key]))
            except (TypeError, ValueError):
                raise _invalid(key, message="Datetime has wrong format. Use one of these formats instead: "
                                            "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].") from None
    if "instructor_email" in fields:
        fields["_instructor"] = fields["instructor_email"]
    return fields


def create_session(store: Store, body: dict) -> dict:
    fields = _session_fields(body)
    with store.transaction():
        record = {"provider": "calendar", "description": "", "post_registration_instructions": "", "tags": [],
                  "seats_total": None, "location": "", "event_link": None, "lesson": None,
                  "multi_session_event": None, **fields}
        record = _validated(store, record, lesson_given=bool(fields.get("lesson")))
        record["id"] = new_id(store, "vilt_session")
        record["_event_id"] = new_id(store, "vilt_session_event")
        store.insert(SESSIONS, record["id"], record)
        return record


def find_session(store: Store, session_id: str) -> dict:
    return require(store, SESSIONS, session_id, "session")


def update_session(store: Store, session_id: str, body: dict) -> dict:
    """Partial, like every Skilljar PUT (seed 003); the result must still be a valid session. A new
    ``lesson`` detaches the session from its multi-session event; a new event replaces its lesson."""
    changes = _session_fields(body)
    with store.transaction():
        merged = {**find_session(store, session_id), **changes}
        lesson_given = bool(changes.get("lesson"))
        if lesson_given and "multi_session_event" not in changes:
            merged["multi_session_event"] = None
        if changes.get("multi_session_event"):  # the event's seats now; tags are not for its sessions
            merged.update({"seats_total": changes.get("seats_total"), "tags": changes.get("tags", [])})
        merged = _validated(store, merged, lesson_given=lesson_given and bool(changes.get("multi_session_event")))
        return store.update(SESSIONS, session_id, merged)


def seats(store: Store, session: dict):
    if session.get("multi_session_event"):
        event = store.get(MULTI_SESSION_EVENTS, session["multi_session_event"]) or {}
        return event.get("seats_total")
    return session.get("seats_total")


def registration_count(store: Store, session_id: str) -> int:
    return sum(1 for r in store.rows(REGISTRATIONS) if r["_session"] == session_id)


def session_events(store: Store, params: dict) -> list[dict]:
    """Sessions as VILT session events, filtered as seed 003 documents (exact ids, datetime bounds)."""
    rows = store.rows(SESSIONS)
    if params.get("session__lesson__id"):
        rows = [s for s in rows if s["lesson"] == params["session__lesson__id"]]
    if params.get("session__lesson__course__id"):
        lessons = {lesson["id"] for lesson in store.rows(content.LESSONS)
                   if lesson["course_id"] == params["session__lesson__course__id"]}
        rows = [s for s in rows if s["lesson"] in lessons]
    for param, field, keep in (("starts_at__gte", "starts_at", lambda v, b: v >= b),
                               ("ends_at__lte", "ends_at", lambda v, b: v <= b)):
        if params.get(param):
            try:
                bound = isoformat(parse(params[param]))
            except (TypeError, ValueError):
                raise InvalidRequest(f"{param}: bad datetime", violations=[
                    Violation("query", (param,), "Enter a valid date/time.")]) from None
            rows = [s for s in rows if keep(s[field], bound)]
    return sorted(rows, key=lambda s: (s["starts_at"], s["id"]))


# -- registrations --------------------------------------------------------------------------------


def register(store: Store, body: dict, now: datetime) -> dict:
    session_id = (body.get("vilt_session") or {}).get("id")
    enrollment_id = body.get("enrollment_id")
    if not session_id:
        raise _invalid("vilt_session", message="This field is required.")
    if not enrollment_id:
        raise _invalid("enrollment_id", message="This field is required.")
    with store.transaction():
        session = store.get(SESSIONS, session_id)
        if session is None:
            raise InvalidRequest("unknown session", violations=[
                Violation("body", ("vilt_session", "id"), f'Invalid pk "{session_id}" - object does not exist.')])
        enrollment = store.get(t.ENROLLMENTS, enrollment_id)
        if enrollment is None:
            raise _no_object("enrollment_id", enrollment_id)
        lesson = store.get(content.LESSONS, session["lesson"]) or {}
        published = store.get(t.PUBLISHED_COURSES, enrollment["_published_course"]) or {}
        if published.get("_course") != lesson.get("course_id"):
            raise _invalid("enrollment_id", message="The enrollment is not in the course of this session.")
        user_id = enrollment["_user"]
        if any(r["_session"] == session_id and r["_user"] == user_id for r in store.rows(REGISTRATIONS)):
            raise _invalid("non_field_errors", message="This user is already registered for this session.")
        capacity = seats(store, session)
        if capacity is not None and registration_count(store, session_id) >= capacity:
            raise _invalid("vilt_session", message="This session is full.")
        record = {"id": new_id(store, "vilt_session_registration"), "attended": False, "_session": session_id,
                  "_enrollment": enrollment_id, "_user": user_id, "_progress": new_id(store, "lesson_progress"),
                  "_registered_at": isoformat(now)}
        store.insert(REGISTRATIONS, record["id"], record)
        return record


def find_registration(store: Store, registration_id: str) -> dict:
    return require(store, REGISTRATIONS, registration_id, "registration")


def set_attended(store: Store, registration_id: str, body: dict) -> dict:
    """Only ``attended`` may change (seed 003); other fields are ignored like DRF read-only ones."""
    changes = {k: v for k, v in (body or {}).items() if k == "attended"}
    with store.transaction():
        find_registration(store, registration_id)
        return store.update(REGISTRATIONS, registration_id, changes)


# -- quiz questions -------------------------------------------------------------------------------


def create_question(store: Store, body: dict) -> dict:
    quiz, bank = body.get("quiz"), body.get("quiz_question_bank")
    if not quiz and not bank:
        raise _invalid("non_field_errors", message="Set either quiz or quiz_question_bank.")
    if quiz and bank:
        raise _invalid("non_field_errors", message="Set either quiz or quiz_question_bank, not both.")
    kind = body["type"]
    answers = [{"answer_text": a["answer_text"], "correct": bool(a.get("correct", False))}
               for a in body.get("answers") or []]
    if kind in NEEDS_ANSWERS and not answers:
        raise _invalid("answers", message=f"Answers are required for {kind} questions.")
    correct = sum(a["correct"] for a in answers)
    if kind == "MULTIPLE_CHOICE" and correct != 1:
        raise _invalid("answers", message="A multiple choice question needs exactly one correct answer.")
    if kind == "MULTIPLE_ANSWER" and correct < 1:
        raise _invalid("answers", message="A multiple answer question needs at least one correct answer.")
    if kind == "FILL_IN_THE_BLANK":
        answers = [{**a, "correct": True} for a in answers]  # every accepted text is a right answer
    with store.transaction():
        if quiz and store.get(QUIZZES, quiz) is None:
            raise _no_object("quiz", quiz)
        if bank and store.get(QUESTION_BANKS, bank) is None:
            raise _no_object("quiz_question_bank", bank)
        record = {"requires_manual_grading": False, "case_sensitive": False, "correct_answer_feedback_html": "",
                  "incorrect_answer_feedback_html": "",
                  **{k: v for k, v in body.items() if k in QUESTION_FIELDS},
                  "id": new_id(store, "quiz_question"), "_quiz": quiz, "_question_bank": bank}
        record["answers"] = [{"id": new_id(store, "quiz_answer"), **a, "order": n} for n, a in enumerate(answers)]
        store.insert(QUESTIONS, record["id"], record)
        return record


# -- past seed 003: instructors, deletions, quiz/bank reads ------------------------------------------


def instructor_pk(store: Store) -> str:
    """ILT instructors (VILT accounts) are numbered 1, 2, ... ("A unique integer value identifying
    this vilt account", official path parameter), kept as strings like every store key."""
    return str(store.sequence("skilljar.ilt_instructor"))


def _email_taken(store: Store, email: str, other_than: str | None = None) -> bool:
    return any(i["email"] == email and i["_id"] != str(other_than) for i in store.rows(INSTRUCTORS))


def create_instructor(store: Store, body: dict) -> dict:
    """An ILT instructor is an e-mail; one made through the API can run calendar sessions until a
    provider account is linked in the dashboard [inferred: the official request has only ``email``]."""
    email = body["email"].strip().lower()
    with store.transaction():
        if _email_taken(store, email):
            raise _invalid("email", message="ILT instructor with this email already exists.")
        record = {"_id": instructor_pk(store), "email": email,
                  "name": email.split("@")[0].replace(".", " ").title(), "providers": ["calendar"]}
        store.insert(INSTRUCTORS, record["_id"], record)
        return record


def update_instructor(store: Store, instructor_id: str, body: dict) -> dict:
    with store.transaction():
        before = require(store, INSTRUCTORS, instructor_id, "instructor")
        email = (body or {}).get("email", before["email"]).strip().lower()
        if _email_taken(store, email, instructor_id):
            raise _invalid("email", message="ILT instructor with this email already exists.")
        for session in store.rows(SESSIONS):  # the sessions follow their instructor's new address
            if session["instructor_email"] == before["email"]:
                store.update(SESSIONS, session["id"], {"instructor_email": email})
        return store.update(INSTRUCTORS, instructor_id, {"email": email})


def delete_instructor(store: Store, instructor_id: str) -> None:
    with store.transaction():
        record = require(store, INSTRUCTORS, instructor_id, "instructor")
        if any(session["instructor_email"] == record["email"] for session in store.rows(SESSIONS)):
            raise _invalid("non_field_errors", message="This instructor still teaches sessions.")
        store.delete(INSTRUCTORS, instructor_id)


def find_session_event(store: Store, event_id: str) -> dict:
    found = next((s for s in store.rows(SESSIONS) if s["_event_id"] == event_id), None)
    if found is None:
        raise NotFound("session event not found")
    return found


def questions_of(store: Store, field: str, owner_id: str) -> list[dict]:
    return [q for q in store.rows(QUESTIONS) if q.get(field) == owner_id]


def update_question(store: Store, question_id: str, body: dict) -> dict:
    """The question's text, type, grading and feedback; it may move to another quiz or bank (exactly
    one of them, as on creation). Answers are not changed here (official QuestionUpdate: read-only)."""
    changes = {k: v for k, v in (body or {}).items() if k in QUESTION_FIELDS and k != "answers"}
    with store.transaction():
        record = require(store, QUESTIONS, question_id, "question")
        quiz, bank = (body or {}).get("quiz"), (body or {}).get("quiz_question_bank")
        if quiz and bank:
            raise _invalid("non_field_errors", message="Set either quiz or quiz_question_bank, not both.")
        if quiz:
            if store.get(QUIZZES, quiz) is None:
                raise _no_object("quiz", quiz)
            changes.update({"_quiz": quiz, "_question_bank": None})
        if bank:
            if store.get(QUESTION_BANKS, bank) is None:
                raise _no_object("quiz_question_bank", bank)
            changes.update({"_quiz": None, "_question_bank": bank})
        if changes.get("type", record["type"]) in NEEDS_ANSWERS and not record["answers"]:
            raise _invalid("type", message=f"Answers are required for {changes.get('type', record['type'])} questions.")
        return store.update(QUESTIONS, question_id, changes)


def delete_quiz(store: Store, quiz_id: str) -> None:
    """A quiz goes with its own questions and its bank associations; lessons that showed it are refused."""
    with store.transaction():
        require(store, QUIZZES, quiz_id, "quiz")
        if any(row.get("content_quiz_id") == quiz_id for table in (content.LESSONS, content.CONTENT_ITEMS)
               for row in store.rows(table)):
            raise _invalid("non_field_errors", message="This quiz is used by a lesson and cannot be deleted.")
        for question in questions_of(store, "_quiz", quiz_id):
            store.delete(QUESTIONS, question["id"])
        for bank in store.rows(QUESTION_BANKS):
            if quiz_id in bank.get("_quizzes", []):
                store.update(QUESTION_BANKS, bank["id"], {"_quizzes": [q for q in bank["_quizzes"] if q != quiz_id]})
        store.delete(QUIZZES, quiz_id)


def delete_bank(store: Store, bank_id: str) -> None:
    with store.transaction():
        require(store, QUESTION_BANKS, bank_id, "question bank")
        for question in questions_of(store, "_question_bank", bank_id):
            store.delete(QUESTIONS, question["id"])
        store.delete(QUESTION_BANKS, bank_id)


def quiz_banks(store: Store, quiz_id: str) -> list[dict]:
    require(store, QUIZZES, quiz_id, "quiz")
    return [b for b in store.rows(QUESTION_BANKS) if quiz_id in b.get("_quizzes", [])]


def quiz_bank(store: Store, quiz_id: str, bank_id: str) -> dict:
    found = next((b for b in quiz_banks(store, quiz_id) if b["id"] == bank_id), None)
    if found is None:
        raise NotFound("bank not on quiz")
    return found
