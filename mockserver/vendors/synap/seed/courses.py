"""Seeded records of the Courses, Revision, Mobile groups: courses laid out in folders and items of
every kind; learners' studies and study items, question summaries; the mobile app's users,
sessions, spaced learning, collections, attempts and responses."""

from __future__ import annotations

from mockserver.seed import academy
from mockserver.vendors.synap.records import ident, table
from mockserver.vendors.synap.rules.courses import TYPE_OF_KIND

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
        "note": lambda: {"content": f"<p>{academy.lesson_text(faker.random_element)}</p>"},
        "quiz": lambda: {"passMark": float(rng.choice((50, 60, 70, 80))), "attemptsAllowed": rng.choice((None, 1, 3))},
        "scorm": lambda: {"file": file("zip"), "scormVersion": rng.choice(("1.2", "2004")), "launchPath": "index.html"},
        "survey": lambda: {"anonymous": rng.random() < 0.5},
        "textEntry": lambda: {"prompt": faker.random_element(academy.QUESTIONS), "minWords": 50, "maxWords": 500},
        "upload": lambda: {"instructions": faker.sentence(), "allowedFileTypes": ["pdf", "docx"], "maxFileSizeMb": 20},
        "video": lambda: {"url": f"https://videos.example/{faker.slug()}", "file": None,
                          "provider": rng.choice(("youtube", "vimeo")), "durationSeconds": rng.randint(120, 2400)},
        "zip": lambda: {"file": file("zip"), "entryPoint": "index.html"},
    }[kind]()


def seed_courses(store, ctx, world) -> list[dict]:
    w, rng, faker = world.writer, ctx.rng, ctx.faker
    quizzes = list(store.rows(table("Quiz")))  # the Quizzes part's table, when it has one
    courses, kinds = [], list(TYPE_OF_KIND)
    for n in range(max(6, ctx.rows // 100)):
        created = ctx.timestamp(-300, -60)
        status = "draft" if n % 5 == 4 else ("archived" if n % 7 == 6 else "published")
        course = w.add("Course", {
            "title": f"{rng.choice(LEVELS)} {SUBJECTS[n % len(SUBJECTS)]}" + (f" {n // len(SUBJECTS) + 1}" if n >= len(SUBJECTS) else ""),
            "description": academy.description(faker.random_element, SUBJECTS[n % len(SUBJECTS)]),
            "status": status, "image": None,
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
            kind = kinds[store.count(table("CourseItem")) % len(kinds)]  # every kind, in turn
            folder = rng.choice([None, *folders])
            container = folder["id"] if folder else None
            positions[container] = positions.get(container, 0) + 1
            links = {"course": ident("Course", course), "folder": ident("CourseFolder", folder) if folder else None}
            if kind == "quiz":
                links["quiz"] = ident("Quiz", rng.choice(quizzes)) if quizzes else None
            w.add(TYPE_OF_KIND[kind], {
                "title": faker.random_element(academy.ITEM_TITLES), "description": None, "itemType": kind,
                "position": positions[container], "isRequired": rng.random() < 0.8,
                "estimatedMinutes": rng.randint(5, 60), **_item_attributes(ctx, kind)}, links, created)
        courses.append(course)
    return courses


def seed_revision(store, ctx, world, courses: list[dict]) -> dict[str, list[dict]]:
    """Study items, studies and question summaries of the staff member and some learners; returns
    each user's study items."""
    w, rng, faker = world.writer, ctx.rng, ctx.faker
    live = {c["id"] for c in courses if c["attributes"]["status"] == "published"}
    course_items = [i for i in store.rows(table("CourseItem")) if i["relationships"]["course"]["id"] in live]
    kept: dict[str, list[dict]] = {}
    for user in [world.staff, *world.learners[: max(6, ctx.rows // 50)]]:
        owner = ident("User", user)
        items = []
        for _ in range(rng.randint(3, 6)):
            source = rng.choice(course_items) if course_items and rng.random() < 0.7 else None
            reviewed = rng.randint(0, 6)
            items.append(w.add("StudyItem", {
                "title": source["attributes"]["title"] if source else faker.sentence(nb_words=5).rstrip("."),
                "note": rng.choice([None, faker.sentence()]), "dueAt": ctx.timestamp(-20, 40),
                "timesReviewed": reviewed, "lastReviewedAt": ctx.timestamp(-40, -21) if reviewed else None,
            }, {"user": owner, "courseItem": {"type": TYPE_OF_KIND[source["attributes"]["itemType"]], "id": source["id"]}
                if source else None}, ctx.timestamp(-60, -41)))
        kept[user["id"]] = items
        studies = []
        for k in range(rng.randint(1, 2)):
            status = "completed" if k == 1 else "active"
            studies.append(w.add("Study", {
                "title": f"{rng.choice(SUBJECTS)} revision", "description": rng.choice([None, faker.sentence()]),
                "status": status, "completedAt": ctx.timestamp(-10, -1) if status == "completed" else None,
            }, {"user": owner, "studyItems": [ident("StudyItem", i) for i in rng.sample(items, rng.randint(1, len(items)))]},
                ctx.timestamp(-40, -11)))
        for _ in range(rng.randint(2, 5)):
            answered = rng.randint(1, 12)
            w.add("QuestionSummary", {
                "questionText": faker.random_element(academy.QUESTIONS),
                "questionType": rng.choice(["singleCorrect", "multipleCorrect", "shortAnswer", "freeText"]),
                "timesAnswered": answered, "timesCorrect": rng.randint(0, answered),
                "lastAnsweredAt": ctx.timestamp(-30, -1), "tags": rng.sample(["recall", "exam-style", "core", "stretch"], 1),
            }, {"user": owner, "study": ident("Study", rng.choice(studies))}, ctx.timestamp(-60, -31))
    return kept


def seed_mobile(store, ctx, world, study_items: dict[str, list[dict]]) -> None:
    """The app: learners signed up (sessions, spaced learning), their collections and attempts; the
    staff member has collections but has not signed up yet."""
    w, rng, faker = world.writer, ctx.rng, ctx.faker
    collections = list(store.rows(table("Collection")))  # the Collections part's table, when it has one
    kinds = list(TYPE_OF_KIND)
    users = [u for u in [world.staff, *world.learners] if u["id"] in study_items]
    for user in users:
        owner = ident("User", user)
        if user is not world.staff:
            platform = rng.choice(["ios", "android"])
            started = ctx.timestamp(-40, -1)
            mobile_user = w.add("MobileUser", {
                "name": user["attributes"]["name"], "emailAddress": user["attributes"]["emailAddress"],
                "platform": platform, "appVersion": rng.choice(["4.2.0", "4.3.1", "4.4.0"]),
                "deviceName": rng.choice(["iPhone 15", "Pixel 8", "Galaxy S23", "iPad Air"]), "pushToken": None,
                "pushEnabled": rng.random() < 0.8}, {"user": owner}, started)
            session = w.add("MobileSession", {"platform": platform, "appVersion": mobile_user["attributes"]["appVersion"],
                                              "startedAt": started, "expiresAt": ctx.timestamp(-5, 30)},
                            {"user": owner, "mobileUser": ident("MobileUser", mobile_user)}, started)
            spaced = w.add("MobileSpacedLearning", {"enabled": True, "dailyGoal": rng.choice([10, 20, 30]),
                                                    "reminderTime": rng.choice([None, "07:30", "18:00"])}, {
                "user": owner, "studyItems": [ident("StudyItem", i) for i in study_items[user["id"]][:3]]}, started)
            store.update(table("MobileUser"), mobile_user["id"], {"relationships": {
                **mobile_user["relationships"], "session": ident("MobileSession", session),
                "spacedLearning": ident("MobileSpacedLearning", spaced)}})
        for _ in range(rng.randint(1, 2)):
            source = rng.choice(collections) if collections else None
            collection = w.add("MobileCollection", {
                "title": f"{rng.choice(SUBJECTS)} on the go", "description": faker.sentence(), "image": None,
                "lastOpenedAt": ctx.timestamp(-10, -1)},
                {"user": owner, "collection": {"type": "Collection", "id": source["id"]} if source else None})
            items = []
            for p in range(1, rng.randint(3, 5) + 1):
                progress = rng.choice([0, 0, 40, 100])
                items.append(w.add("MobileCollectionItem", {
                    "title": faker.sentence(nb_words=4).rstrip("."), "itemType": rng.choice(kinds), "position": p,
                    "isDownloaded": rng.random() < 0.4, "progress": progress,
                    "completedAt": ctx.timestamp(-9, -1) if progress == 100 else None,
                    "lastOpenedAt": ctx.timestamp(-9, -1) if progress else None,
                }, {"user": owner, "mobileCollection": ident("MobileCollection", collection)}))
            submitted = rng.random() < 0.5
            count = rng.randint(3, 6)
            attempt = w.add("MobileAttempt", {
                "status": "submitted" if submitted else "inProgress", "questionCount": count,
                "startedAt": ctx.timestamp(-8, -2), "submittedAt": ctx.timestamp(-1, 0) if submitted else None,
                "timeSpentSeconds": rng.randint(60, 900), "score": None, "maxScore": count if submitted else None,
            }, {"user": owner, "mobileCollectionItem": ident("MobileCollectionItem", rng.choice(items))})
            correct = 0
            for p in range(1, count + 1):
                answered = submitted or rng.random() < 0.5
                right = rng.random() < 0.6 if answered else None
                correct += bool(right)
                w.add("MobileResponse", {
                    "position": p, "answer": {"choice": rng.choice("ABCD")} if answered else None, "isCorrect": right,
                    "confidence": rng.randint(1, 5) if answered else None, "flagged": rng.random() < 0.1,
                    "answeredAt": ctx.timestamp(-2, -1) if answered else None,
                }, {"user": owner, "mobileAttempt": ident("MobileAttempt", attempt)})
            if submitted:
                store.update(table("MobileAttempt"), attempt["id"],
                             {"attributes": {**attempt["attributes"], "score": correct}})


def seed(store, ctx, world) -> None:
    courses = seed_courses(store, ctx, world)
    seed_mobile(store, ctx, world, seed_revision(store, ctx, world, courses))
