"""Users (admins, teachers, students, a few TAs, designers and observers), courses across the
account tree and terms, each course's default section (and the named ones' extra sections), and
enrollments, with the fixtures' pending invitations. Named people and courses come first (fixtures); some
courses are left without enrollments, some unpublished, completed or deleted, so every filter
of the course list selects something."""

from __future__ import annotations

from mockserver.seed import SeedContext
from mockserver.store import Store
from mockserver.vendors.canvas import tables as t
from mockserver.vendors.canvas.rules import enrollments
from mockserver.vendors.canvas.seed.accounts import make_uuid

SUBJECTS = (("CHEM", "Chemistry", 5), ("HIST", "History", 6), ("CS", "Computer Science", 7),
            ("ENGR", "Engineering Design", 3), ("BIO", "Biology", 2), ("MATH", "Mathematics", 2),
            ("ENGL", "English Composition", 2), ("CE", "Professional Development", 4), ("GEN", "General Studies", 1))
LEVELS = ("Introduction to", "Principles of", "Topics in", "Advanced", "Seminar in", "Foundations of")
STATES = ("available",) * 7 + ("created", "claimed", "completed", "deleted")
MIN_COURSES = 40


def user_record(id_: int, first: str, last: str, email: str, created_at: str, **extra) -> dict:
    return {"id": id_, "name": f"{first} {last}", "sortable_name": f"{last}, {first}", "short_name": f"{first} {last}",
            "first_name": first, "last_name": last, "login_id": email, "email": email,
            "sis_user_id": f"U{id_:06d}", "integration_id": None, "created_at": created_at,
            "locale": None, "time_zone": "America/Denver",
            "avatar_url": "https://canvas.instructure.com/images/messages/avatar-50.png",
            "_admin_of": extra.pop("admin_of", []), "_enrollments": [], "_closed_notifications": [],
            "_bio": None, "_title": None, "_pronouns": None, **extra}


def course_record(ctx: SeedContext, id_: int, name: str, code: str, account: int, term: int, state: str, **extra) -> dict:
    return {
        "id": id_, "name": name, "course_code": code, "original_name": None, "uuid": make_uuid(ctx),
        "account_id": account, "root_account_id": 1, "enrollment_term_id": term,
        "sis_course_id": f"{code.replace(' ', '')}-{id_}", "sis_import_id": None, "integration_id": None,
        "created_at": ctx.timestamp(-500, -60), "start_at": None, "end_at": None,
        "grading_standard_id": None, "is_public": ctx.rng.random() < 0.15, "is_public_to_auth_users": False,
        "public_syllabus": False, "public_syllabus_to_auth": False, "license": "private",
        "default_view": ctx.rng.choice(("modules", "feed", "wiki", "syllabus")), "storage_quota_mb": 500,
        "apply_assignment_group_weights": False, "time_zone": "America/Denver", "hide_final_grades": False,
        "restrict_enrollments_to_course_dates": False, "grade_passback_setting": None, "homeroom_course": False,
        "course_color": None, "friendly_name": None, "template": False,
        "blueprint": extra.pop("blueprint", False), "_blueprint_associated": False,
        "syllabus_body": f"<p>{ctx.faker.paragraph(nb_sentences=2)}</p>",
        "_storage_quota_used_mb": round(ctx.rng.uniform(0, 120), 2), "_post_manually": ctx.rng.random() < 0.2,
        "_state": state, "_roster": {}, **extra,
    }


def enroll(user: dict, course: dict, kind: str) -> None:
    """An active enrollment in the course's default section (rows are written once all are known)."""
    course["_roster"].setdefault(kind, []).append(user["id"])
    course.setdefault("_seeded", []).append((user["id"], kind, "active"))


def _sections_and_enrollments(store: Store, courses: list[dict], users: dict, fixtures: dict) -> None:
    """Sections and enrollment rows, ids in course order; then the copies (tables.py) from the rows.
    No random draws here: the rest of the world stays as it was drawn."""
    extra = {}
    for named in fixtures.get("sections", []):
        extra.setdefault(named["course"], []).append(named)
    sections, rows = [], []
    for course in courses:
        default_id = len(sections) + 1
        sections.append({"id": default_id, **enrollments.section_record(course, course["name"], course["created_at"],
                                                                      default=True)})
        named_ids = {}
        for named in extra.get(course["id"], []):
            named_ids[named["name"]] = len(sections) + 1
            sections.append({"id": len(sections) + 1, **enrollments.section_record(
                course, named["name"], course["created_at"], sis_section_id=named.get("sis_section_id"))})
        for user_id, kind, state in course.pop("_seeded", []):
            rows.append({"id": len(rows) + 1,
                         **enrollments.record(user_id, course, default_id, kind, state, course["created_at"])})
        for invite in fixtures.get("invitations", []):
            if invite["course"] == course["id"]:
                section = named_ids.get(invite.get("section"), default_id)
                rows.append({"id": len(rows) + 1, **enrollments.record(invite["user"], course, section, invite["type"],
                                                                       "invited", course["created_at"])})
    rosters, pairs = enrollments.copies(rows)
    for course in courses:
        course["_roster"] = rosters.get(course["id"], {})
    for user in users.values():
        user["_enrollments"] = pairs.get(user["id"], [])
    store.insert_many(t.SECTIONS, ((s["id"], s) for s in sections))
    store.insert_many(t.ENROLLMENTS, ((e["id"], e) for e in rows))


def seed(store: Store, ctx: SeedContext) -> None:
    rng, faker, fixtures = ctx.rng, ctx.faker, ctx.fixtures
    users = {}
    for named in fixtures["users"]:
        first, last = named["name"].split(" ", 1)
        extra = {"demo": True} if named.get("demo") else {}
        users[named["id"]] = user_record(named["id"], first, last, named["email"], "2025-06-01T00:00:00Z",
                                         admin_of=list(named.get("admin_of", [])), **extra)

    pool = min(ctx.rows, 1000)  # Faker is slow per call: draw names from pools it fills once
    first_names = [faker.first_name() for _ in range(pool)]
    last_names = [faker.last_name() for _ in range(pool)]
    teacher_count = max(8, ctx.rows // 25)
    next_id = max(users) + 1
    teachers, students, others = [users[3]], [users[4]], []
    for n in range(ctx.rows):
        first, last = rng.choice(first_names), rng.choice(last_names)
        user = user_record(next_id, first, last, f"{first}.{last}.{next_id}@demo-university.edu".lower(),
                           ctx.timestamp(-700, -30))
        users[next_id] = user
        (teachers if n < teacher_count else others if n % 40 == 0 else students).append(user)
        next_id += 1

    courses = []
    for n, named in enumerate(fixtures["courses"], 1):
        course = course_record(ctx, n, named["name"], named["course_code"], named["account"], named["term"],
                               named["state"], blueprint=named.get("blueprint", False))
        for uid in named["teachers"]:
            enroll(users[uid], course, "TeacherEnrollment")
        for uid in named["students"]:
            enroll(users[uid], course, "StudentEnrollment")
        courses.append(course)
    named_count = len(courses)
    for id_ in range(named_count + 1, max(MIN_COURSES, ctx.rows // 8) + 1):
        prefix, subject, account = rng.choice(SUBJECTS)
        if rng.random() < 0.1:
            account = 8  # the Manually-Created Courses account
        number = rng.randint(100, 499)
        course = course_record(ctx, id_, f"{rng.choice(LEVELS)} {subject} {number}", f"{prefix} {number}", account,
                               rng.choice((1, 2, 3, 4, 4, 4)), rng.choice(STATES))
        if rng.random() < 0.15:  # no enrollments at all (with_enrollments=false finds them)
            courses.append(course)
            continue
        for teacher in rng.sample(teachers, k=rng.choice((1, 1, 2))):
            enroll(teacher, course, "TeacherEnrollment")
        if others and rng.random() < 0.3:
            enroll(rng.choice(others), course, rng.choice(("TaEnrollment", "DesignerEnrollment", "ObserverEnrollment")))
        courses.append(course)
    open_courses = [c for c in courses[named_count:] if c["_roster"]]
    for student in students[1:]:
        for course in rng.sample(open_courses, k=min(len(open_courses), rng.randint(1, 4))):
            enroll(student, course, "StudentEnrollment")

    _sections_and_enrollments(store, courses, users, fixtures)
    store.insert_many(t.USERS, ((u["id"], u) for u in users.values()))
    store.insert_many(t.COURSES, ((c["id"], c) for c in courses))
