"""Seeding of the Skilljar live resources, on top of the core world: ILT instructors, live-training
lessons on the demo domain's first published courses, multi-session events (one cancelled) with their
sessions, stand-alone sessions around the sandbox epoch, registrations of world enrollments, quizzes
and question banks with questions."""

from __future__ import annotations

from datetime import timedelta

from mockserver.clock import isoformat
from mockserver.seed import SeedContext, academy
from mockserver.store import Store
from mockserver.vendors.skilljar.ids import new_id
from mockserver.vendors.skilljar.rules import content
from mockserver.vendors.skilljar.rules import live as rules
from mockserver.vendors.skilljar.seed.core import World

TIMEZONES = ("America/Los_Angeles", "America/New_York", "Europe/London", "Europe/Berlin", "Asia/Singapore")
QUIZ_TOPICS = ("Product Basics", "Admin Setup", "API Authentication", "Security Controls", "Reporting",
               "Billing", "Data Import", "Workflows")


def _answers(store: Store, kind: str, rng) -> list[dict]:
    if kind == "FREEFORM":
        return []
    texts = ["Always", "Never", "Only for admins", "Only on weekends"]
    if kind == "FILL_IN_THE_BLANK":
        return [{"id": new_id(store, "quiz_answer"), "answer_text": "dashboard", "correct": True, "order": 0}]
    correct = {0} if kind == "MULTIPLE_CHOICE" else {0, rng.randint(1, 3)}
    return [{"id": new_id(store, "quiz_answer"), "answer_text": text, "correct": n in correct, "order": n}
            for n, text in enumerate(texts)]


def _question(store: Store, ctx: SeedContext, quiz: str | None, bank: str | None) -> dict:
    kind = ctx.rng.choice(("MULTIPLE_CHOICE", "MULTIPLE_CHOICE", "MULTIPLE_ANSWER", "FILL_IN_THE_BLANK", "FREEFORM"))
    return {"id": new_id(store, "quiz_question"), "_quiz": quiz, "_question_bank": bank,
            "html": f"<p>{ctx.faker.random_element(academy.QUESTIONS)}</p>", "type": kind,
            "requires_manual_grading": kind == "FREEFORM", "case_sensitive": False,
            "correct_answer_feedback_html": "<p>Correct!</p>", "incorrect_answer_feedback_html": "<p>Not quite.</p>",
            "answers": _answers(store, kind, ctx.rng)}


def seed(store: Store, ctx: SeedContext, world: World) -> None:
    rng, faker = ctx.rng, ctx.faker

    instructors = []
    for _ in range(6):
        first, last = faker.first_name(), faker.last_name()
        providers = ["calendar", *sorted(rng.sample(rules.PROVIDERS[1:], rng.randint(0, 2)))]
        # "A unique integer value identifying this vilt account" (official path parameter)
        instructors.append({"_id": rules.instructor_pk(store), "email": f"{first}.{last}@demo-learning.com".lower(),
                            "name": f"{first} {last}", "providers": providers})
    store.insert_many(rules.INSTRUCTORS, ((i["_id"], i) for i in instructors))

    titles = {c["id"]: c["title"] for c in world.courses}
    on_demo = [p for p in world.published_courses if p["_domain"] == world.demo_domain]
    # Live workshops are VILT lessons of their courses, after the lessons they have (optional, so
    # completion rules are unchanged).
    last_order: dict[str, int] = {}
    for lesson in store.rows(content.LESSONS):
        last_order[lesson["course_id"]] = max(last_order.get(lesson["course_id"], 0), lesson["order"])
    lessons = [{**content.LESSON_DEFAULTS, "id": new_id(store, "lesson"), "course_id": p["_course"],
                "order": last_order.get(p["_course"], 0) + 10, "title": f"Live Workshop: {titles[p['_course']]}",
                "type": "VILT", "optional": True}
               for p in on_demo[:6]]
    store.insert_many(content.LESSONS, ((lesson["id"], lesson) for lesson in lessons))
    for lesson in lessons:
        content.recount(store, lesson["course_id"])

    events, sessions = [], []

    def session(lesson: dict, event: dict | None, seats, day: float) -> dict:
        teacher = rng.choice(instructors)
        provider = rng.choice(teacher["providers"])
        starts = ctx.moment(day, day + 1)
        return {"id": new_id(store, "vilt_session"), "_event_id": new_id(store, "vilt_session_event"),
                "instructor_email": teacher["email"], "_instructor": teacher["email"], "_instructor_name": teacher["name"],
                "provider": provider, "lesson": lesson["id"], "multi_session_event": event["id"] if event else None,
                "display_name": f"{lesson['title']} ({starts:%b %d})", "starts_at": isoformat(starts),
                "ends_at": isoformat(starts + timedelta(hours=rng.choice((1, 2, 3)))), "timezone": rng.choice(TIMEZONES),
                "description": f"<p>{academy.blurb(faker.random_element, lesson['title'].split('. ', 1)[-1])}</p>",
                "seats_total": seats,
                "location": f"{faker.city()} Training Center" if provider == "calendar" else "",
                "post_registration_instructions": "<p>A calendar invite is on its way.</p>",
                "event_link": "https://meet.demo-learning.com/" + new_id(store, "meeting", 8) if provider == "calendar" else None,
                "tags": [] if event else rng.sample(["workshop", "live", "onboarding", "advanced"], 2)}

    for n, lesson in enumerate(lessons[:4]):
        event = {"id": new_id(store, "ilt_multi_session_event"), "lesson": lesson["id"],
                 "display_name": f"{lesson['title']} series", "seats_total": rng.choice((15, 25, 40))}
        if n == 3:
            event["_cancelled"] = True
        events.append(event)
        first_day = rng.randint(-20, 40)
        sessions += [session(lesson, event, None, first_day + 7 * k) for k in range(rng.randint(2, 3))]
    for lesson in lessons:
        sessions += [session(lesson, None, rng.choice((None, 30, 50)), rng.randint(-30, 60)) for _ in range(2)]
    store.insert_many(rules.MULTI_SESSION_EVENTS, ((e["id"], e) for e in events))
    store.insert_many(rules.SESSIONS, ((s["id"], s) for s in sessions))

    by_course: dict[str, list[dict]] = {}
    lesson_course = {lesson["id"]: lesson["course_id"] for lesson in lessons}
    for s in sessions:
        if not s["multi_session_event"]:
            by_course.setdefault(lesson_course[s["lesson"]], []).append(s)
    published_course = {p["id"]: p["_course"] for p in world.published_courses}
    registrations, epoch = [], isoformat(ctx.moment(0, 0))
    for enrollment in world.enrollments:
        choices = by_course.get(published_course[enrollment["_published_course"]])
        if not choices or rng.random() < 0.4:
            continue
        chosen = rng.choice(choices)
        registrations.append({"id": new_id(store, "vilt_session_registration"),
                              "attended": chosen["ends_at"] < epoch and rng.random() < 0.8,
                              "_session": chosen["id"], "_enrollment": enrollment["id"], "_user": enrollment["_user"],
                              "_progress": new_id(store, "lesson_progress"), "_registered_at": enrollment["enrolled_at"]})
    store.insert_many(rules.REGISTRATIONS, ((r["id"], r) for r in registrations))

    quizzes = []
    for topic in QUIZ_TOPICS:
        quizzes.append({"id": new_id(store, "quiz"), "name": f"{topic} Check", "html": f"<p>{academy.blurb(faker.random_element, topic)}</p>",
                        "passing_percentage_correct": rng.choice((60, 70, 80)), "show_results_on_failure": rng.random() < 0.5,
                        "max_attempts": rng.choice((0, 1, 3)), "require_correct_response": False,
                        "randomize_questions": rng.random() < 0.5, "limit_question_count": 0,
                        "randomize_answers": rng.random() < 0.5, "time_limit_seconds": rng.choice((None, 600, 1800)),
                        "show_question_feedback": True, "alignment": "left"})
    store.insert_many(rules.QUIZZES, ((q["id"], q) for q in quizzes))
    banks = [{"id": new_id(store, "question_bank"), "name": f"{topic} Question Bank",
              "_quizzes": [q["id"] for q in rng.sample(quizzes, rng.randint(0, 3))]} for topic in QUIZ_TOPICS[:4]]
    store.insert_many(rules.QUESTION_BANKS, ((b["id"], b) for b in banks))
    questions = [_question(store, ctx, q["id"], None) for q in quizzes for _ in range(3)]
    questions += [_question(store, ctx, None, b["id"]) for b in banks for _ in range(5)]
    store.insert_many(rules.QUESTIONS, ((q["id"], q) for q in questions))
