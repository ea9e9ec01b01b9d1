"""ILT instructors, multi-session events and sessions, VILT session events and registrations,
quiz questions and question banks."""

from __future__ import annotations

from mockserver.store import Store
from mockserver.vendors.skilljar import tables as t
from mockserver.vendors.skilljar.rules import content, live
from mockserver.vendors.skilljar.serializers.core import user


def instructor(record: dict, store: Store | None = None) -> dict:
    return {"email": record["email"], "name": record["name"], "providers": list(record["providers"])}


def multi_session_event(record: dict, store: Store | None = None) -> dict:
    answer = {"id": record["id"], "lesson": record["lesson"], "display_name": record["display_name"]}
    if record.get("seats_total") is not None:
        answer["seats_total"] = record["seats_total"]
    return answer


def ilt_session(record: dict, store: Store | None = None) -> dict:
    answer = {key: record[key] for key in live.SESSION_FIELDS if record.get(key) is not None}
    return {"id": record["id"], **answer}


def lesson_item(store: Store, lesson_id: str) -> dict:
    lesson = store.get(content.LESSONS, lesson_id) or {"id": lesson_id, "title": "", "course_id": ""}
    course = store.get(t.COURSES, lesson["course_id"]) or {"id": lesson["course_id"], "title": ""}
    return {"id": lesson["id"], "title": lesson["title"], "course": {"id": course["id"], "title": course["title"]}}


def vilt_session_event(record: dict, store: Store) -> dict:
    seats = live.seats(store, record)
    answer = {
        "id": record["_event_id"],
        "vilt_session": {
            "id": record["id"], "lesson": lesson_item(store, record["lesson"]),
            "display_name": record["display_name"], "instructor_name": record["_instructor_name"],
            "seats_total": seats if seats is not None else 0,
            "registration_count": live.registration_count(store, record["id"]),
        },
        "starts_at": record["starts_at"], "ends_at": record["ends_at"],
        "location": record.get("location") or "",
        "event_location": {"name": record.get("location") or record["provider"],
                           "info_url": record.get("event_link") or "", "is_active": True},
        "timezone": record["timezone"],
    }
    return answer


def registration_item(record: dict, store: Store) -> dict:
    learner = store.get(t.USERS, record["_user"])
    return {"id": record["id"], "attended": record["attended"], "vilt_session": {"id": record["_session"]},
            "user": user(learner)}


def registration_detail(record: dict, store: Store) -> dict:
    session = store.get(live.SESSIONS, record["_session"]) or {"lesson": ""}
    return {"id": record["id"], "attended": record["attended"], "vilt_session": {"id": record["_session"]},
            "student_lesson_progress": {"id": record["_progress"], "user": user(store.get(t.USERS, record["_user"])),
                                        "lesson": lesson_item(store, session["lesson"])}}


def question_bank(record: dict, store: Store) -> dict:
    return {"id": record["id"], "name": record["name"],
            "question_count": sum(1 for q in store.rows(live.QUESTIONS) if q["_question_bank"] == record["id"]),
            "quiz_association_count": len(record.get("_quizzes", []))}


def question(record: dict, store: Store | None = None) -> dict:
    links = {"quiz": record["_quiz"]} if record.get("_quiz") else {"quiz_question_bank": record["_question_bank"]}
    return {"id": record["id"], **links, **{k: record[k] for k in live.QUESTION_FIELDS},
            "answers": [dict(a) for a in record["answers"]]}


def question_summary(record: dict, store: Store | None = None) -> dict:
    owner_field, owner_table = ("_quiz", live.QUIZZES) if record.get("_quiz") else ("_question_bank", live.QUESTION_BANKS)
    siblings = [q["id"] for q in (store.rows(live.QUESTIONS) if store else []) if q.get(owner_field) == record[owner_field]]
    return {"id": record["id"], "html": record["html"], "case_sensitive": record["case_sensitive"],
            "requires_manual_grading": record["requires_manual_grading"],
            "correct_answer_feedback_html": record["correct_answer_feedback_html"],
            "incorrect_answer_feedback_html": record["incorrect_answer_feedback_html"],
            "answer_feedback_html": "", "is_graded": not record["requires_manual_grading"], "is_optional": False,
            "type": record["type"], "order": siblings.index(record["id"]) if record["id"] in siblings else 0,
            "answers": [dict(a) for a in record["answers"]]}


def bank_assignment(pair: tuple[dict, str], store: Store) -> dict:
    bank, quiz_id = pair
    return {**question_bank(bank, store), "order": bank["_quizzes"].index(quiz_id),
            "randomize_questions": False, "limit_question_count": 0}
