"""Seeding of the Skilljar content resources, on top of the core world.

Assets and web packages (READY: made long ago); every course gets as many lessons as the core's
``_lesson_count`` says, the last ``_lesson_count - _required_lesson_count`` optional, so the
course summaries stay true; MODULAR lessons get content items. Progress is made for the demo
learner's enrollments and a few others, some lessons completed (and the course when all required
lessons are), with progress tokens on the open lessons of those learners.
"""

from __future__ import annotations

from datetime import timedelta

from mockserver.clock import isoformat
from mockserver.seed import SeedContext, academy
from mockserver.store import Store
from mockserver.vendors.skilljar import tables as t
from mockserver.vendors.skilljar.ids import new_id
from mockserver.vendors.skilljar.rules import content as c
from mockserver.vendors.skilljar.seed.core import World

FILES = ("welcome.mp4", "overview.pdf", "podcast-episode.mp3", "setup-guide.pdf", "demo-walkthrough.mp4",
         "cheat-sheet.pdf", "architecture.png", "workbook.docx", "interview.mp3", "release-notes.html")
LESSON_TOPICS = ("Introduction", "Getting Started", "Core Concepts", "Configuration", "Best Practices",
                 "Troubleshooting", "Hands-on Lab", "Case Study", "Review", "Next Steps", "Knowledge Check", "Wrap-up")


def seed(store: Store, ctx: SeedContext, world: World) -> None:
    rng, faker = ctx.rng, ctx.faker
    assets = []
    for n in range(max(ctx.rows // 15, 10)):
        name = FILES[n % len(FILES)]
        embed = n % 7 == 6
        url = None if embed else f"https://files.demo-learning.com/uploads/{n + 1}/{name}"
        assets.append({"id": new_id(store, "asset"), "name": f"{faker.random_element(academy.VIDEOS)}" if embed else name,
                       "type": c.asset_type(url), "aspect_ratio": rng.choice(("16:9", "16:9", "4:3")),
                       "sync_completion": rng.random() < 0.3,
                       "embed_link_url": f"https://player.demo-learning.com/embed/{n + 1}" if embed else None,
                       "_content_url": url, "_created_at": ctx.timestamp(-600, -60)})
    store.insert_many(c.ASSETS, ((a["id"], a) for a in assets))

    packages = []
    for n in range(max(ctx.rows // 40, 5)):
        packages.append({"id": new_id(store, "web_package"), "title": f"{rng.choice(LESSON_TOPICS)} (SCORM)",
                         "redirect_on_completion": rng.random() < 0.8, "sync_completion": rng.random() < 0.4,
                         "_content_url": f"https://files.demo-learning.com/packages/{n + 1}/"
                                         f"{rng.choice(('scorm12', 'scorm2004', 'xapi'))}-package.zip",
                         "_created_at": ctx.timestamp(-500, -30)})
    store.insert_many(c.WEB_PACKAGES, ((p["id"], p) for p in packages))

    lessons, items = [], []
    for course in world.courses:
        count, required = course["_lesson_count"], course["_required_lesson_count"]
        for n in range(count):
            kind = rng.choices(("HTML", "ASSET", "WEB_PACKAGE", "MODULAR"), (5, 3, 1, 1))[0]
            lesson = {**c.LESSON_DEFAULTS, "id": new_id(store, "lesson"), "course_id": course["id"], "order": (n + 1) * 10,
                      "title": f"{n + 1}. {rng.choice(LESSON_TOPICS)}", "type": kind, "optional": n >= required,
                      "time_seconds": rng.choice((None, 300, 420, 600, 900)),
                      "_requires_validation": rng.random() < 0.04}
            if kind == "HTML":
                lesson["content_html"] = f"<p>{academy.lesson_text(faker.random_element)}</p>"
            elif kind == "ASSET":
                lesson["content_asset_id"] = rng.choice(assets)["id"]
            elif kind == "WEB_PACKAGE":
                lesson["content_web_package_id"] = rng.choice(packages)["id"]
            else:
                for k in range(rng.randint(2, 3)):
                    item = {"id": new_id(store, "lesson_content_item"), "lesson_id": lesson["id"], "order": k + 1,
                            "header": rng.choice(("Watch", "Read", "Reference", "Summary")), "content_html": ""}
                    if k % 2:
                        item.update(type="ASSET", content_asset_id=rng.choice(assets)["id"])
                    else:
                        item.update(type="HTML", content_html=f"<p>{academy.lesson_text(faker.random_element)}</p>")
                    items.append(item)
            lessons.append(lesson)
    store.insert_many(c.LESSONS, ((lesson["id"], lesson) for lesson in lessons))
    store.insert_many(c.CONTENT_ITEMS, ((i["id"], i) for i in items))

    demo = world.users[0]["id"] if world.users else None
    chosen = [e for e in world.enrollments if e["_user"] == demo]
    others = [e for e in world.enrollments if e["_user"] != demo]
    chosen += rng.sample(others, k=min(len(others), 20))
    tokens = []
    for enrollment in chosen:
        progress = c.ensure_progress(store, enrollment["_user"], enrollment["_published_course"])
        pairs = c.lesson_progresses(store, progress)
        done = rng.randint(0, len(pairs)) if enrollment["_user"] != demo else rng.randint(0, max(0, len(pairs) - 2))
        started = ctx.moment(-20, -10)
        last = None
        for n, (lesson, record) in enumerate(pairs):
            if n < done:
                last = isoformat(started + timedelta(minutes=n * 15))
                store.update(c.LESSON_PROGRESS, record["id"], {
                    "view_count": rng.randint(1, 4), "last_viewed_on": last, "finished_at": last, "completed_at": last})
            else:
                if n == done:
                    store.update(c.LESSON_PROGRESS, record["id"], {"view_count": 1, "last_viewed_on": isoformat(started)})
                tokens.append({"id": new_id(store, "progress_token"), "_lesson_progress": record["id"],
                               "completed_at": None, "success_status": None, "score": None, "max_score": None})
        if last:
            store.update(c.COURSE_PROGRESS, progress["id"], {"latest_activity": last})
        required = [p for lesson, p in c.lesson_progresses(store, progress) if not lesson["optional"]]
        if required and all(p["completed_at"] for p in required):
            user = store.get(t.USERS, progress["_user"])
            store.update(c.COURSE_PROGRESS, progress["id"], {"completed_at": last, "success_status": "PASSED"})
            store.update(t.USERS, user["id"], {"_completions": user.get("_completions", 0) + 1})
    store.insert_many(c.PROGRESS_TOKENS, ((tk["id"], tk) for tk in tokens))
