"""Seeded records of the Attempts, Marking, Proctoring groups.

Every attempt is made and moved along by the same rules the API runs (create, sittings, answers,
submission, marker entries, marks submissions, locks, revocations, overrides, proctoring), each
at a seeded moment, so the seeded world is one the API could have made: learners' attempts in
every state, the marker (Sam Marker, the staff PAT's owner) assigned to some, a few proctored.
Exams, quizzes and assignments are other parts' types: attempts link to them when those parts
seeded any (looked up through the spec's registry, so the link follows the merged types).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from mockserver.clock import isoformat
from mockserver.vendors.synap.records import apply, insert, new_record, table
from mockserver.vendors.synap.rules import attempt_records, attempts, exams as exam_rules, player

TAGS = ("mock exam", "resit", "term 1", "term 2", "access arrangements")
# the story of each seeded attempt, cycled: how far it got
STORIES = ("created", "started", "awaiting", "marked", "awaiting-moderated", "revoked", "locked", "auto-marked",
           "marked-overridden", "started-proctored", "awaiting", "marked")


class SeedCall:
    """What the rules read of a request (documents.Call), for rules run by the seed at a set moment."""

    def __init__(self, registry, store, user_id: str, admin: bool = True):
        self.registry, self.store, self.user_id, self.is_admin = registry, store, user_id, admin
        self.caller = {"sub": user_id, "admin": admin}
        self.now: datetime | None = None

        class _Sandbox:
            tenant = "default"
        self.sandbox = _Sandbox()

    @property
    def timestamp(self) -> str:
        return isoformat(self.now)

    def record(self, type_name: str, record_id: str):
        return self.store.get(table(type_name), record_id)


def _others(store, registry, type_name: str) -> list[dict]:
    rt = registry.get(type_name)
    return store.rows(rt.table)[:20] if rt else []


def seed(store, ctx, world) -> None:
    registry = world.writer.registry
    admin = SeedCall(registry, store, world.admin["id"])
    marker = SeedCall(registry, store, world.staff["id"], admin=False)
    rng = ctx.rng
    exams, quizzes, assignments = (_others(store, registry, n) for n in ("Exam-V-2", "Quiz", "Assignment"))
    exams = [e for e in exams if exam_rules.is_published(e)]  # a draft exam's attempts cannot be marked

    def act(call, type_name: str, attributes: dict | None = None, relationships: dict | None = None) -> dict:
        rt = registry[type_name]
        record = new_record(call, rt, attributes or {}, relationships or {})
        insert(call, rt, record, {"attributes": attributes or {}})
        return record

    def at(moment: datetime) -> None:
        admin.now = marker.now = moment

    learners = list(world.learners)
    rng.shuffle(learners)
    count = max(12, ctx.rows // 25)
    for n in range(count):
        story = STORIES[n % len(STORIES)]
        learner = learners[n % len(learners)]
        at(ctx.moment(-90, -10))
        rels = {"user": {"type": "User", "id": learner["id"]}}
        if exams:
            rels["examV2"] = {"type": "Exam-V-2", "id": rng.choice(exams)["id"]}
        if quizzes and rng.random() < 0.5:
            rels["quiz"] = {"type": "Quiz", "id": rng.choice(quizzes)["id"]}
        if assignments and rng.random() < 0.4:
            rels["assignment"] = {"type": "Assignment", "id": rng.choice(assignments)["id"]}
        labels = rng.sample(TAGS, rng.randint(0, 2))
        attempt = act(admin, "Attempt", {"tagLabels": labels, "timeLimitMinutes": rng.choice((45, 60, 90))}, rels)
        if story == "created":
            continue
        at(admin.now + timedelta(hours=rng.randint(1, 48)))
        proctored = story in ("started-proctored", "revoked")
        if proctored:
            act(admin, "ProctorSession", {"provider": "synap"}, {"attempt": {"type": "Attempt", "id": attempt["id"]}})
        act(admin, "AttemptSitting", {"ipAddress": ctx.faker.ipv4_public(), "userAgent": "Mozilla/5.0 (SynapPlayer)"},
            {"attempt": {"type": "Attempt", "id": attempt["id"]}})
        _answer(admin, rng, attempt, written=story != "auto-marked", at=at)
        if story in ("started", "started-proctored"):
            continue
        if story == "locked":
            act(admin, "AttemptLock", {"reason": "Suspected second device"}, {"attempt": {"type": "Attempt", "id": attempt["id"]}})
            continue
        at(admin.now + timedelta(minutes=rng.randint(5, 30)))
        act(admin, "AttemptSubmission", {}, {"attempt": {"type": "Attempt", "id": attempt["id"]}})
        if story == "revoked":
            session = store.find(table("ProctorSession"), _attempt=attempt["id"])[0]
            at(admin.now + timedelta(days=1))
            act(admin, "ProctorReview", {"verdict": "breach", "notes": "Another person visible on camera."},
                {"proctorSession": {"type": "ProctorSession", "id": session["id"]}})
            continue
        if story == "auto-marked":
            continue
        _assign(admin, attempt["id"], "moderatingMarkers" if story == "awaiting-moderated" else "markers", world.staff["id"])
        if story.startswith("awaiting"):
            if story == "awaiting":
                waiting = _waiting(store, attempt["id"])
                if waiting:
                    act(marker, "MarkingState", {"flag": "review", "note": "Check against the rubric."},
                        {"response": _ident(waiting[0])})
            continue
        at(admin.now + timedelta(days=rng.randint(1, 5)))
        for response in _waiting(store, attempt["id"]):
            points = rng.randint(0, int(response["attributes"]["maxPoints"]))
            act(marker, "AttemptMarkerEntry", {"points": points, "feedback": rng.choice(
                ("Clear and well argued.", "Good start; develop the second point.", "Meets the criteria."))},
                {"attempt": {"type": "Attempt", "id": attempt["id"]}, "response": _ident(response)})
        # an attempt whose answers needed no marker (none written) was marked when it was submitted
        if store.get(table("Attempt"), attempt["id"])["attributes"]["resultsMarkingStatus"] != "marked":
            act(marker, "AttemptMarksSubmission", {}, {"attempt": {"type": "Attempt", "id": attempt["id"]}})
        if story == "marked-overridden":
            done = store.get(table("Attempt"), attempt["id"])
            at(admin.now + timedelta(days=2))
            act(admin, "AttemptOverride", {"points": min(done["attributes"]["marks"]["maxPoints"],
                                                         done["attributes"]["marks"]["points"] + 3),
                                           "reason": "Appeal upheld: question 10 remarked."},
                {"attempt": {"type": "Attempt", "id": attempt["id"]}})
    at(ctx.moment(-5, -1))
    act(admin, "ExamPreview", {}, {"examV2": {"type": "Exam-V-2", "id": exams[0]["id"]}} if exams else {})
    act(admin, "ExportEnrichedAttempt", {"format": "csv", "filter": {"status": "submitted"}})


def _ident(response: dict) -> dict:
    return {"type": player.TYPES[response["attributes"]["responseType"]], "id": response["id"]}


def _waiting(store, attempt_id: str) -> list[dict]:
    return [r for r in attempt_records.responses(store, attempt_id) if r["attributes"]["markingStatus"] == "awaitingMarking"]


def _assign(call, attempt_id: str, name: str, user_id: str) -> None:
    attempt = call.store.get(table("Attempt"), attempt_id)
    linked = [*(attempt["relationships"].get(name) or []), {"type": "User", "id": user_id}]
    attempts.relink(call, attempt, name, linked)
    call.store.update(table("Attempt"), attempt_id, {"relationships": {**attempt["relationships"], name: linked}})


def _answer(call, rng, attempt: dict, written: bool, at) -> None:
    """The candidate answers most questions, right more often than not."""
    rt_of = call.registry
    for response in attempt_records.responses(call.store, attempt["id"]):
        attrs = response["attributes"]
        kind, key, options = attrs["responseType"], response.get("_key"), attrs["options"] or []
        if rng.random() < 0.1 or (kind in player.MANUAL and not written):
            continue
        right = rng.random() < 0.7
        if kind == "singleChoice":
            answer = {"choice": key if right else rng.choice([o for o in options if o != key])}
        elif kind == "multipleChoice":
            answer = {"choices": list(key) if right else rng.sample(options, 2)}
        elif kind == "shortAnswer":
            answer = {"text": key[0] if right else "Mg"}
        elif kind.startswith("cloze"):
            answer = {"gaps": list(key) if right else list(reversed(key))}
        elif kind == "ranked":
            answer = {"order": list(key) if right else sorted(options)}
        elif kind == "informational":
            answer = {"viewed": True}
        elif kind == "freeText":
            answer = {"text": "The alliance system, militarism, imperial rivalry and nationalism ..."}
        else:
            extension = {"fileUpload": "pdf", "audio": "m4a", "video": "mp4"}[kind]
            answer = {"file": {"name": f"{kind}.{extension}",
                               "url": f"https://files.synap.example/default/uploads/{response['id']}.{extension}"}}
        at(call.now + timedelta(seconds=rng.randint(20, 120)))
        rt = rt_of[player.TYPES[kind]]
        changes = {"answer": answer, "flagged": rng.random() < 0.1}
        rt.hook("update")(call, response, changes)
        apply(call, rt, response, changes)
