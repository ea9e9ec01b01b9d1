"""Seeded records of the Courses, Revision, Mobile groups: courses laid out in folders and items of
every kind; learners' studies and study items, question summaries; the mobile app's users,
sessions, spaced learning, collections, attempts and responses."""

from __future__ import annotations

from mockserver.vendors.synap.seed.core import ident

SUBJECTS = ("Biology", "Chemistry", "Physics", "Mathematics", "History", "Geography", "English Literature",
            "Computer Science", "Economics", "Psychology", "French", "Spanish")
LEVELS = ("Foundations of", "Introduction to", "Advanced", "Revision:", "Exam Skills in")
SECTIONS = ("Getting started", "Core concepts", "Worked examples", "Practice", "Review")


def _item_attributes(ctx, kind: str) -> dict:
    faker, rng = ctx.faker, ctx.rng

    def file(ext):
        name = f"{faker.slug()}.{ext}"
        return {"__type": "File", "name": name, "url": f"https://files.synap.example/course-items/{name}"}

    return {
        "audio": lambda: {"file": file("mp3"), "durationSeconds": rng.randint(60, 1800), "transcript": faker.paragraph()},
        "document": lambda: {"file": file("pdf"), "pageCount": rng.randint(1, 40), "allowDownload": rng.random() < 0.7},
        "embed": lambda: {"url": f"https://embed.example/{faker.slug()}", "embedCode": None, "height": 480},
        "note": lambda: {"content": f"<p>{faker.paragraph()}</p>"},
        "quiz": lambda: {"passMark": float(rng.choice((50, 60, 70, 80))), "attemptsAllowed": rng.choice((None, 1, 3))},
        "scorm": lambda: {"file": file("zip"), "scormVersion": rng.choice(("1.2", "2004")), "launchPath": "index.html"},
        "survey": lambda: {"anonymous": rng.random() < 0.5},
        "textEntry": lambda: {"prompt": faker.sentence().rstrip(".") + "?", "minWords": 50, "maxWords": 500},
        "upload": lambda: {"instructions": faker.sentence(), "allowedFileTypes": ["pdf", "docx"], "maxFileSizeMb": 20},
        "video": lambda: {"url": f"https://videos.example/{faker.slug()}", "file": None,
                          "provider": rng.choice(("youtube", "vimeo")), "durationSeconds": rng.randint(120, 2400)},
        "zip": lambda: {"file": file("zip"), "entryPoint": "index.html"},
    }[kind]()


def seed_courses(store, ctx, world) -> list[dict]:
    from mockserver.vendors.synap.rules.courses import TYPE_OF_KIND

    w, rng, faker = world.writer, ctx.rng, ctx.faker
    quizzes = list(store.rows("synap_quizzes"))  # the Quizzes part's table, when it has one
    courses, kinds = [], list(TYPE_OF_KIND)
    for n in range(max(6, ctx.rows // 100)):
        created = ctx.timestamp(-300, -60)
        status = "draft" if n % 5 == 4 else ("archived" if n % 7 == 6 else "published")
        course = w.add("Course", {
            "title": f"{rng.choice(LEVELS)} {SUBJECTS[n % len(SUBJECTS)]}" + (f" {n // len(SUBJECTS) + 1}" if n >= len(SUBJECTS) else ""),
            "description": faker.paragraph(), "status": status, "image": None,
            "tags": rng.sample(["gcse", "a-level", "revision", "cpd", "onboarding"], 2),
            "estimatedMinutes": rng.randint(30, 600), "language": "en",
            "publishedAt": None if status == "draft" else ctx.timestamp(-59, -30),
        }, {"owner": ident("User", rng.choice([world.admin, world.staff])),
            "subPortal": ident("SubPortal", world.sub_portals[n % len(world.sub_portals)]) if n % 3 == 0 else None},
            created)
        folders = [w.add("CourseFolder", {"title": title, "description": None, "position": p}, {
            "course": ident("Course", course)}, created) for p, title in enumerate(SECTIONS[:rng.randint(2, 3)], 1)]
        positions: dict = {}
        for _ in range(rng.randint(4, 8)):
            kind = kinds[store.count("synap_course_items") % len(kinds)]  # every kind, in turn
            folder = rng.choice([None, *folders])
            container = folder["id"] if folder else None
            positions[container] = positions.get(container, 0) + 1
            links = {"course": ident("Course", course), "folder": ident("CourseFolder", folder) if folder else None}
            if kind == "quiz":
                links["quiz"] = ident("Quiz", rng.choice(quizzes)) if quizzes else None
            w.add(TYPE_OF_KIND[kind], {
                "title": faker.sentence(nb_words=4).rstrip("."), "description": None, "itemType": kind,
                "position": positions[container], "isRequired": rng.random() < 0.8,
                "estimatedMinutes": rng.randint(5, 60), **_item_attributes(ctx, kind)}, links, created)
        courses.append(course)
    return courses


def seed(store, ctx, world) -> None:
    seed_courses(store, ctx, world)
