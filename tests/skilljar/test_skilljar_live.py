"""Skilljar live training (ILT/VILT) and quizzes: instructors, multi-session events, sessions, VILT
session events and registrations, quizzes, question banks and quiz questions."""

from __future__ import annotations

import json

import pytest

from support import Receiver, wait_for
from skilljar_oracle import check, needs_oracle
from skilljar_helpers import D, everything, ok


def calendar_instructor(sj):
    return everything(sj, "/ilt-instructors", provider="calendar")[0]


def a_lesson(sj):
    """A live-training lesson (with its course) from the seeded session events."""
    return everything(sj, "/vilt-session-events")[0]["vilt_session"]["lesson"]


def session_body(sj, **extra):
    return {"instructor_email": calendar_instructor(sj)["email"], "display_name": "Kick-off",
            "starts_at": "2026-09-01T16:00:00Z", "ends_at": "2026-09-01T17:30:00Z",
            "timezone": "America/Los_Angeles", **extra}


def enrollment_in(sj, course_id):
    """A fresh enrollment in the demo domain's published course of ``course_id``."""
    published = next(p for p in everything(sj, f"/domains/{D}/published-courses") if p["course"]["id"] == course_id)
    member = everything(sj, f"/domains/{D}/users")[5]["user"]
    enrolled = ok(sj.post(f"/domains/{D}/published-courses/{published['id']}/enrollments",
                          json={"user": {"id": member["id"]}, "enrolled_at": "2026-08-01T00:00:00Z"}), 201)
    return enrolled, member


def new_session(sj, **extra):
    return ok(sj.post("/ilt-sessions", json=session_body(sj, lesson=a_lesson(sj)["id"], **extra)), 201)


# -- instructors ----------------------------------------------------------------------------------


def test_instructors_filter_by_exact_email_and_by_provider(sj):
    instructors = everything(sj, "/ilt-instructors")
    assert len(instructors) == 6 and all("calendar" in i["providers"] and i["name"] for i in instructors)
    one = instructors[2]
    assert everything(sj, "/ilt-instructors", email=one["email"]) == [one]
    assert everything(sj, "/ilt-instructors", email="nobody@example.com") == []
    zoom = everything(sj, "/ilt-instructors", provider="zoom.meeting")
    assert zoom == [i for i in instructors if "zoom.meeting" in i["providers"]]


def test_instructors_reject_an_unknown_provider_filter(sj):
    assert sj.get("/ilt-instructors", params={"provider": "skype"}).status_code == 400


# -- multi-session events -------------------------------------------------------------------------


def test_multi_session_events_list_leaves_out_cancelled_ones(sj):
    listed = everything(sj, "/ilt-multi-session-events")
    assert len(listed) == 3 and all(e["lesson"] and e["display_name"] for e in listed)


def test_a_multi_session_event_is_created_on_a_live_lesson_put_whole_and_patched_partially(sj):
    lesson = a_lesson(sj)
    created = ok(sj.post("/ilt-multi-session-events", json={"lesson": lesson["id"], "display_name": "Bootcamp",
                                                            "seats_total": 12}), 201)
    assert created == {"id": created["id"], "lesson": lesson["id"], "display_name": "Bootcamp", "seats_total": 12}
    path = f"/ilt-multi-session-events/{created['id']}"
    # PUT takes the fields Skilljar's docs mark required (lesson, display_name); seats_total left out stays.
    assert sj.put(path, json={"display_name": "Bootcamp II"}).json() == {"lesson": ["This field is required."]}
    assert ok(sj.put(path, json={"lesson": lesson["id"], "display_name": "Bootcamp II"}))["seats_total"] == 12
    patched = ok(sj.patch(path, json={"seats_total": 30}))
    assert patched["display_name"] == "Bootcamp II" and patched["seats_total"] == 30
    assert [e for e in everything(sj, "/ilt-multi-session-events") if e["id"] == created["id"]] == [patched]


def test_multi_session_events_need_a_known_lesson_and_a_name(sj):
    unknown = sj.post("/ilt-multi-session-events", json={"lesson": "nolesson", "display_name": "X"})
    assert unknown.status_code == 400 and unknown.json() == {"lesson": ['Invalid pk "nolesson" - object does not exist.']}
    assert sj.post("/ilt-multi-session-events", json={"lesson": a_lesson(sj)["id"]}).json() == {
        "display_name": ["This field is required."]}
    event = everything(sj, "/ilt-multi-session-events")[0]
    assert sj.patch(f"/ilt-multi-session-events/{event['id']}", json={"lesson": "nolesson"}).status_code == 400
    assert sj.patch("/ilt-multi-session-events/doesnotexist", json={"display_name": "X"}).json() == {"detail": "Not found."}
    assert sj.put("/ilt-multi-session-events/doesnotexist",
                  json={"lesson": event["lesson"], "display_name": "X"}).status_code == 404


# -- sessions -------------------------------------------------------------------------------------


def test_a_session_on_a_lesson_becomes_a_vilt_session_event(sj):
    lesson = a_lesson(sj)
    teacher = calendar_instructor(sj)
    created = new_session(sj, seats_total=8, location="Room 4", tags=["live"], event_link="https://meet.example.com/x")
    assert created["lesson"] == lesson["id"] and created["provider"] == "calendar" and "multi_session_event" not in created
    assert created["instructor_email"] == teacher["email"] and created["seats_total"] == 8 and created["tags"] == ["live"]
    events = everything(sj, "/vilt-session-events", session__lesson__id=lesson["id"])
    mine = next(e for e in events if e["vilt_session"]["id"] == created["id"])
    assert mine["vilt_session"]["instructor_name"] == teacher["name"] and mine["vilt_session"]["seats_total"] == 8
    assert mine["vilt_session"]["registration_count"] == 0 and mine["location"] == "Room 4"
    assert mine["event_location"] == {"name": "Room 4", "info_url": "https://meet.example.com/x", "is_active": True}
    assert mine["starts_at"] == "2026-09-01T16:00:00Z" and mine["timezone"] == "America/Los_Angeles"


def test_a_session_of_a_multi_session_event_takes_its_lesson_and_seats(sj):
    event = everything(sj, "/ilt-multi-session-events")[0]
    created = ok(sj.post("/ilt-sessions", json=session_body(sj, multi_session_event=event["id"])), 201)
    assert created["multi_session_event"] == event["id"] and created["lesson"] == event["lesson"]
    listed = next(e for e in everything(sj, "/vilt-session-events") if e["vilt_session"]["id"] == created["id"])
    assert listed["vilt_session"]["seats_total"] == event["seats_total"]
    refused = sj.post("/ilt-sessions", json=session_body(sj, multi_session_event=event["id"], seats_total=5, tags=["x"]))
    assert refused.status_code == 400 and "seats_total" in refused.json()


@pytest.mark.parametrize("extra, field", [
    ({"lesson": "nolesson"}, "lesson"),
    ({"multi_session_event": "noevent"}, "multi_session_event"),
    ({}, "non_field_errors"),
    ({"lesson": "LESSON", "timezone": "Mars/Olympus"}, "timezone"),
    ({"lesson": "LESSON", "ends_at": "2026-09-01T15:00:00Z"}, "ends_at"),
    ({"lesson": "LESSON", "instructor_email": "stranger@example.com"}, "instructor_email"),
    ({"lesson": "LESSON", "provider": "zoom.webinar", "location": "Room 1"}, "location"),
    ({"lesson": "LESSON", "starts_at": "soon"}, "starts_at"),
])
def test_sessions_refuse_unknown_references_and_broken_rules_on_their_field(sj, extra, field):
    if extra.get("lesson") == "LESSON":
        extra = {**extra, "lesson": a_lesson(sj)["id"]}
    response = sj.post("/ilt-sessions", json=session_body(sj, **extra))
    assert response.status_code == 400 and field in response.json(), response.text


def test_named_instructors_are_for_calendar_sessions_and_providers_need_an_account(sj):
    lesson = a_lesson(sj)["id"]
    named = ok(sj.post("/ilt-sessions", json=session_body(sj, lesson=lesson, instructor_email="Ada Guest <Ada@Example.com>")), 201)
    assert named["instructor_email"] == "ada@example.com"
    listed = next(e for e in everything(sj, "/vilt-session-events") if e["vilt_session"]["id"] == named["id"])
    assert listed["vilt_session"]["instructor_name"] == "Ada Guest"
    assert sj.post("/ilt-sessions", json=session_body(sj, lesson=lesson, provider="zoom.meeting",
                                                      instructor_email="Ada Guest <ada@example.com>")).status_code == 400
    without = [i for i in everything(sj, "/ilt-instructors") if "goto.webcast" not in i["providers"]][0]
    refused = sj.post("/ilt-sessions", json=session_body(sj, lesson=lesson, provider="goto.webcast",
                                                         instructor_email=without["email"]))
    assert refused.status_code == 400 and "instructor_email" in refused.json()


def test_a_session_put_names_the_required_fields_and_is_revalidated(sj):
    created = new_session(sj)
    path = f"/ilt-sessions/{created['id']}"
    # Skilljar's docs and official schema list instructor_email, display_name, starts_at, ends_at and
    # timezone as required on this PUT; fields left out (lesson, seats...) keep their values.
    assert set(sj.put(path, json={"display_name": "Moved"}).json()) == {"instructor_email", "starts_at", "ends_at",
                                                                         "timezone"}
    updated = ok(sj.put(path, json=session_body(sj, display_name="Moved", starts_at="2026-09-02T16:00:00+02:00",
                                                ends_at="2026-09-02T18:00:00+02:00")))
    assert updated["display_name"] == "Moved" and updated["starts_at"] == "2026-09-02T14:00:00Z"
    assert updated["instructor_email"] == created["instructor_email"] and updated["lesson"] == created["lesson"]
    assert sj.put(path, json=session_body(sj, ends_at="2026-09-01T00:00:00Z")).json() == {
        "ends_at": ["The event must end after it starts."]}
    event = everything(sj, "/ilt-multi-session-events")[1]
    moved = ok(sj.put(path, json=session_body(sj, multi_session_event=event["id"])))
    assert moved["multi_session_event"] == event["id"] and moved["lesson"] == event["lesson"]
    assert sj.put("/ilt-sessions/doesnotexist", json=session_body(sj)).status_code == 404


# -- VILT session events --------------------------------------------------------------------------


def test_vilt_session_events_filter_by_course_and_time_window(sj):
    events = everything(sj, "/vilt-session-events")
    assert events and [e["starts_at"] for e in events] == sorted(e["starts_at"] for e in events)
    course = events[0]["vilt_session"]["lesson"]["course"]["id"]
    of_course = everything(sj, "/vilt-session-events", session__lesson__course__id=course)
    assert of_course and all(e["vilt_session"]["lesson"]["course"]["id"] == course for e in of_course)
    middle = events[len(events) // 2]["starts_at"]
    later = everything(sj, "/vilt-session-events", starts_at__gte=middle)
    assert later and all(e["starts_at"] >= middle for e in later) and len(later) < len(events)
    earlier = everything(sj, "/vilt-session-events", ends_at__lte=middle)
    assert all(e["ends_at"] <= middle for e in earlier) and len(earlier) < len(events)
    assert sj.get("/vilt-session-events", params={"starts_at__gte": "yesterday"}).status_code == 400


# -- VILT registrations ---------------------------------------------------------------------------


def test_registering_an_enrollment_counts_a_seat_and_raises_the_event(sj, fresh):
    receiver = Receiver([200])
    try:
        ok(sj.post("/webhooks", json={"target_url": receiver.url(), "event_type": "VILT_EVENT_REGISTRATION"}), 201)
        session = new_session(sj, seats_total=1)
        course = a_lesson(sj)["course"]["id"]
        enrollment, member = enrollment_in(sj, course)
        created = ok(sj.post("/vilt-session-registrations",
                             json={"vilt_session": {"id": session["id"]}, "enrollment_id": enrollment["id"]}), 201)
        assert created["attended"] is False and created["vilt_session"] == {"id": session["id"]}
        assert created["student_lesson_progress"]["user"]["id"] == member["id"]
        assert created["student_lesson_progress"]["lesson"]["id"] == session["lesson"]
        listed = everything(sj, "/vilt-session-registrations", session__id=session["id"])
        assert [(r["id"], r["user"]["email"]) for r in listed] == [(created["id"], member["email"])]
        event = next(e for e in everything(sj, "/vilt-session-events") if e["vilt_session"]["id"] == session["id"])
        assert event["vilt_session"]["registration_count"] == 1
        assert wait_for(lambda: receiver.requests)
        delivered = json.loads(receiver.requests[0]["body"])
        assert delivered["event_type"] == "VILT_EVENT_REGISTRATION" and delivered["id"] == created["id"]

        again = sj.post("/vilt-session-registrations", json={"vilt_session": {"id": session["id"]}, "enrollment_id": enrollment["id"]})
        assert again.status_code == 400 and "non_field_errors" in again.json()
    finally:
        receiver.close()


def test_a_full_session_refuses_more_registrations(sj):
    session = new_session(sj, seats_total=1)
    course = a_lesson(sj)["course"]["id"]
    published = next(p for p in everything(sj, f"/domains/{D}/published-courses") if p["course"]["id"] == course)
    members = everything(sj, f"/domains/{D}/users")[6:8]
    enrollments = [ok(sj.post(f"/domains/{D}/published-courses/{published['id']}/enrollments",
                              json={"user": {"id": m["user"]["id"]}}), 201) for m in members]
    ok(sj.post("/vilt-session-registrations", json={"vilt_session": {"id": session["id"]}, "enrollment_id": enrollments[0]["id"]}), 201)
    full = sj.post("/vilt-session-registrations", json={"vilt_session": {"id": session["id"]}, "enrollment_id": enrollments[1]["id"]})
    assert full.status_code == 400 and full.json() == {"vilt_session": ["This session is full."]}


def test_registrations_need_a_known_session_and_an_enrollment_in_its_course(sj):
    session = new_session(sj)
    enrollment, _ = enrollment_in(sj, a_lesson(sj)["course"]["id"])
    unknown_session = sj.post("/vilt-session-registrations", json={"vilt_session": {"id": "nosession"}, "enrollment_id": enrollment["id"]})
    assert unknown_session.json() == {"vilt_session": {"id": ['Invalid pk "nosession" - object does not exist.']}}
    unknown = sj.post("/vilt-session-registrations", json={"vilt_session": {"id": session["id"]}, "enrollment_id": "noenrollment"})
    assert unknown.status_code == 400 and unknown.json() == {"enrollment_id": ['Invalid pk "noenrollment" - object does not exist.']}
    course = a_lesson(sj)["course"]["id"]
    elsewhere = next(p for p in everything(sj, f"/domains/{D}/published-courses") if p["course"]["id"] != course)
    member = everything(sj, f"/domains/{D}/users")[9]["user"]
    wrong = ok(sj.post(f"/domains/{D}/published-courses/{elsewhere['id']}/enrollments", json={"user": {"id": member["id"]}}), 201)
    refused = sj.post("/vilt-session-registrations", json={"vilt_session": {"id": session["id"]}, "enrollment_id": wrong["id"]})
    assert refused.status_code == 400 and "enrollment_id" in refused.json()
    assert sj.post("/vilt-session-registrations", json={"vilt_session": {"id": session["id"]}}).json() == {
        "enrollment_id": ["This field is required."]}


def test_only_attendance_changes_after_registration(sj):
    registration = everything(sj, "/vilt-session-registrations")[0]
    path = f"/vilt-session-registrations/{registration['id']}"
    assert ok(sj.put(path, json={"attended": True})) == {"id": registration["id"], "attended": True}
    assert ok(sj.patch(path, json={"attended": False, "vilt_session": {"id": "elsewhere"}})) == {
        "id": registration["id"], "attended": False}
    after = next(r for r in everything(sj, "/vilt-session-registrations") if r["id"] == registration["id"])
    assert after["vilt_session"] == registration["vilt_session"] and after["attended"] is False
    assert sj.patch(path, json={"attended": "maybe"}).json() == {"attended": ["Must be a valid boolean."]}
    assert sj.put("/vilt-session-registrations/doesnotexist", json={"attended": True}).status_code == 404
    assert sj.patch("/vilt-session-registrations/doesnotexist", json={"attended": True}).status_code == 404


def test_registrations_page_250_by_default(sj):
    page = ok(sj.get("/vilt-session-registrations"))
    assert page["count"] > 0 and len(page["results"]) == min(page["count"], 250)


# -- quizzes, question banks, questions -----------------------------------------------------------


def test_a_quiz_is_created_with_defaults_and_found_by_exact_name(sj):
    created = ok(sj.post("/quizzes", json={"name": "Final Exam", "passing_percentage_correct": 75, "max_attempts": 3}), 201)
    assert created["max_attempts"] == 3 and created["limit_question_count"] == 0 and created["time_limit_seconds"] is None
    assert created["alignment"] == "left" and created["html"] == ""
    assert everything(sj, "/quizzes", name="Final Exam") == [created]
    assert everything(sj, "/quizzes", name="final exam") == []
    assert ok(sj.get("/quizzes"))["count"] == 9


def test_quizzes_validate_their_fields(sj):
    assert sj.post("/quizzes", json={}).json() == {"name": ["This field is required."]}
    assert sj.post("/quizzes", json={"name": "Q", "max_attempts": "many"}).json() == {"max_attempts": ["A valid integer is required."]}
    assert sj.post("/quizzes", json={"name": "Q", "alignment": "justify"}).status_code == 400


def test_question_banks_count_their_questions(sj):
    bank = ok(sj.post("/question-banks", json={"name": "Security"}), 201)
    assert bank == {"id": bank["id"], "name": "Security", "question_count": 0, "quiz_association_count": 0}
    question = {"quiz_question_bank": bank["id"], "html": "<p>Is MFA required?</p>", "type": "MULTIPLE_CHOICE",
                "answers": [{"answer_text": "Yes", "correct": True}, {"answer_text": "No"}]}
    created = ok(sj.post("/quiz-questions", json=question), 201)
    assert created["quiz_question_bank"] == bank["id"] and "quiz" not in created
    assert [(a["answer_text"], a["correct"], a["order"]) for a in created["answers"]] == [("Yes", True, 0), ("No", False, 1)]
    listed = next(b for b in everything(sj, "/question-banks") if b["id"] == bank["id"])
    assert listed["question_count"] == 1
    assert sj.post("/question-banks", json={"name": ""}).status_code == 400


def test_quiz_questions_belong_to_exactly_one_known_quiz_or_bank(sj):
    quiz = everything(sj, "/quizzes")[0]
    bank = everything(sj, "/question-banks")[0]
    freeform = ok(sj.post("/quiz-questions", json={"quiz": quiz["id"], "html": "<p>Explain.</p>", "type": "FREEFORM"}), 201)
    assert freeform["quiz"] == quiz["id"] and freeform["answers"] == [] and freeform["requires_manual_grading"] is False
    base = {"html": "<p>?</p>", "type": "FREEFORM"}
    assert sj.post("/quiz-questions", json={**base, "quiz": "noquiz"}).json() == {"quiz": ['Invalid pk "noquiz" - object does not exist.']}
    assert sj.post("/quiz-questions", json={**base, "quiz_question_bank": "nobank"}).json() == {
        "quiz_question_bank": ['Invalid pk "nobank" - object does not exist.']}
    assert "non_field_errors" in sj.post("/quiz-questions", json=base).json()
    assert "non_field_errors" in sj.post("/quiz-questions", json={**base, "quiz": quiz["id"], "quiz_question_bank": bank["id"]}).json()


@pytest.mark.parametrize("kind, answers", [
    ("MULTIPLE_CHOICE", []),
    ("MULTIPLE_CHOICE", [{"answer_text": "a", "correct": True}, {"answer_text": "b", "correct": True}]),
    ("MULTIPLE_ANSWER", [{"answer_text": "a"}, {"answer_text": "b"}]),
    ("FILL_IN_THE_BLANK", []),
])
def test_answered_question_types_need_sensible_answers(sj, kind, answers):
    quiz = everything(sj, "/quizzes")[0]
    response = sj.post("/quiz-questions", json={"quiz": quiz["id"], "html": "<p>?</p>", "type": kind, "answers": answers})
    assert response.status_code == 400 and "answers" in response.json()


def test_fill_in_the_blank_answers_are_all_accepted_texts(sj):
    quiz = everything(sj, "/quizzes")[0]
    created = ok(sj.post("/quiz-questions", json={"quiz": quiz["id"], "html": "<p>The ___ page</p>", "type": "FILL_IN_THE_BLANK",
                                                  "answers": [{"answer_text": "home"}, {"answer_text": "landing"}]}), 201)
    assert [a["correct"] for a in created["answers"]] == [True, True]


# -- the official contract ------------------------------------------------------------------------


@needs_oracle
def test_live_responses_match_the_official_schemas(sj):
    check(sj.get("/ilt-instructors"), "GET", "/ilt-instructors")
    check(sj.get("/ilt-multi-session-events"), "GET", "/ilt-multi-session-events")
    lesson = a_lesson(sj)
    event = sj.post("/ilt-multi-session-events", json={"lesson": lesson["id"], "display_name": "Series"})
    check(event, "POST", "/ilt-multi-session-events")
    template = "/ilt-multi-session-events/{multi_session_event_id}"
    check(sj.put(f"/ilt-multi-session-events/{event.json()['id']}",
                 json={"lesson": lesson["id"], "display_name": "Series", "seats_total": 9}), "PUT", template)
    check(sj.patch(f"/ilt-multi-session-events/{event.json()['id']}", json={"display_name": "S2"}), "PATCH", template)
    session = sj.post("/ilt-sessions", json=session_body(sj, lesson=lesson["id"], seats_total=3))
    check(session, "POST", "/ilt-sessions")
    check(sj.put(f"/ilt-sessions/{session.json()['id']}", json=session_body(sj, description="<p>Bring a laptop</p>")),
          "PUT", "/ilt-sessions/{ilt_session_id}")
    check(sj.get("/vilt-session-events"), "GET", "/vilt-session-events")
    check(sj.get("/vilt-session-registrations"), "GET", "/vilt-session-registrations")
    enrollment, _ = enrollment_in(sj, lesson["course"]["id"])
    registration = sj.post("/vilt-session-registrations",
                           json={"vilt_session": {"id": session.json()["id"]}, "enrollment_id": enrollment["id"]})
    check(registration, "POST", "/vilt-session-registrations")
    template = "/vilt-session-registrations/{vilt_session_registration_id}"
    check(sj.put(f"/vilt-session-registrations/{registration.json()['id']}", json={"attended": True}), "PUT", template)
    check(sj.patch(f"/vilt-session-registrations/{registration.json()['id']}", json={"attended": False}), "PATCH", template)
    check(sj.get("/quizzes"), "GET", "/quizzes")
    quiz = sj.post("/quizzes", json={"name": "Oracle quiz"})
    check(quiz, "POST", "/quizzes")
    check(sj.get("/question-banks"), "GET", "/question-banks")
    check(sj.post("/question-banks", json={"name": "Oracle bank"}), "POST", "/question-banks")
    check(sj.post("/quiz-questions", json={"quiz": quiz.json()["id"], "html": "<p>?</p>", "type": "MULTIPLE_CHOICE",
                                           "answers": [{"answer_text": "42", "correct": True}, {"answer_text": "33"}]}),
          "POST", "/quiz-questions")
