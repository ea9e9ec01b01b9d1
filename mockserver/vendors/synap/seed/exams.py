"""Seeded records of the Exams, Assignments, Insights, Auditing groups.

Exams (more at larger scales) for the cohort groups with schedules, a sectioned exam with its
sections and an internal moderating group, question stats with tags, a closure of the archived exam,
exports, notifications and set-up validations; assignment groups for Year 10, Year 11 and Staff with
one assignment per member in every state (items of each kind, reviews, a reattempt, a reset, a
revocation); charts and custom insights for each metric; the action log of it all. Exams link the
Quizzes part's quizzes when that part has seeded some (it runs first); attempts and courses come
later, so nothing here links to them.
"""

from __future__ import annotations

from dataclasses import dataclass

from mockserver.clock import isoformat
from mockserver.vendors.synap.records import ident, table
from mockserver.vendors.synap.rules import assignments, exam_setup_validations
from mockserver.vendors.synap.rules.exams import ROLE_LABELS

EXAM = "Exam-V-2"
SUBJECTS = ("Mathematics", "Chemistry", "English", "Physics", "Biology", "History", "Geography", "French")
TAGS = {"Mathematics": ("algebra", "geometry", "statistics"), "Chemistry": ("organic", "inorganic", "calculation"),
        "English": ("comprehension", "grammar", "essay")}
REASONS = [{"slug": "illegible", "label": "Illegible answer", "description": None},
           {"slug": "suspected-misconduct", "label": "Suspected misconduct", "description": "Escalate to the exams officer."}]


@dataclass
class SeedCall:
    """What the rules read of a request, for the few rule functions the seed reuses."""
    store: object
    registry: object
    now: object

    @property
    def timestamp(self) -> str:
        return isoformat(self.now)

    def record(self, type_name: str, record_id: str):
        return self.store.get(table(type_name), record_id)


def seed(store, ctx, world) -> None:
    exams = _exams(store, ctx, world)
    _assignments(store, ctx, world)
    _insights(ctx, world)
    log = world.writer
    for exam in exams[:5]:
        log.add("ActionLog", {"action": "exam.create", "resourceType": EXAM, "resourceId": exam["id"],
                              "summary": f"Created exam {exam['attributes']['name']!r}", "changes": None},
                {"user": ident("User", world.admin)}, created=exam["attributes"]["createdAt"])


# -- exams ----------------------------------------------------------------------------------------------


def _exams(store, ctx, world) -> list[dict]:
    w, rng, groups = world.writer, ctx.rng, world.groups
    quiz_type = w.registry.get("Quiz")
    quizzes = store.rows(quiz_type.table) if quiz_type else []
    admin = ident("User", world.admin)

    def exam(name, group, created, quiz=None, schedule=(), **attrs):
        version = ident("Quiz", quiz) if quiz else None
        record = w.add(EXAM, {"name": name, "shortDescription": f"{name} ({group['attributes']['name']})",
                              "preExamInstructions": "Read every question carefully. Calculators are allowed.",
                              "versionNumber": 1 if quiz else 0, "publishedAt": created if quiz else None, **attrs},
                       {"owner": admin, "userGroup": ident("UserGroup", group), "markers": ident("UserGroup", groups["Markers"]),
                        "publishedVersion": version, "currentVersion": version}, created=created)
        starts, ends = schedule or (None, None)
        plan = w.add("ExamSchedule", {"startsAt": starts, "endsAt": ends, "timeLimitMinutes": rng.choice((45, 60, 90, 120)),
                                      "lateStartMinutes": 15, "resultsReleaseAt": None},
                     {"examV2": ident(EXAM, record)}, created=created)
        return store.update(table(EXAM), record["id"], {
            "relationships": {**record["relationships"], "schedule": ident("ExamSchedule", plan)}})

    def quiz(n):
        return quizzes[n % len(quizzes)] if quizzes else None

    made = [
        exam("Year 10 Mathematics Mock", groups["Year 10"], ctx.timestamp(-120, -100), quiz(0),
             (ctx.timestamp(-30, -29), ctx.timestamp(-29, -28)), resumeAllowed=True),
        exam("Year 11 Chemistry Final", groups["Year 11"], ctx.timestamp(-90, -80), quiz(1),
             (ctx.timestamp(20, 21), ctx.timestamp(21, 22)), isSectioned=True, markingDoubleEnabled=True,
             markingDoubleMinMarkers=2, markingDoubleSequence="sequential", lockedByDefault=True),
        exam("Staff Compliance Assessment", groups["Staff"], ctx.timestamp(-60, -50), None, (), hideFromCandidateList=True),
        exam("Year 10 English Essay", groups["Year 10"], ctx.timestamp(-70, -60), quiz(2),
             (ctx.timestamp(-10, -9), ctx.timestamp(40, 41)), markingEscalationEnabled=True,
             markingEscalationReasons=REASONS, markingBackReadingEnabled=True),
        exam("2024 Physics Final", groups["Class of 2024"], ctx.timestamp(-390, -380), quiz(3),
             (ctx.timestamp(-370, -369), ctx.timestamp(-369, -368)), isArchived=True),
    ]
    cohorts = [groups["Year 10"], groups["Year 11"], groups["Students"]]
    for n in range(max(6, ctx.rows // 50) - len(made)):
        subject = SUBJECTS[n % len(SUBJECTS)]
        made.append(exam(f"{subject} Unit Test {n + 1}", rng.choice(cohorts), ctx.timestamp(-300, -201), quiz(n + 4),
                         (ctx.timestamp(-200, 120), None), isDynamic=rng.random() < 0.2))
    exams_table = table(EXAM)

    # the sectioned exam: three sections and an internal moderating markers group
    chemistry = made[1]
    for position, name in enumerate(("Section A: Multiple choice", "Section B: Short answers", "Section C: Extended response"), 1):
        w.add("ExamSection", {"name": name, "position": position, "timeLimitMinutes": 30 + 15 * position,
                              "instructions": f"Answer every question in {name.split(':')[0]}.", "isLocked": position == 1},
              {"examV2": ident(EXAM, chemistry)}, created=chemistry["attributes"]["createdAt"])
    moderators = w.add("UserGroup", {"name": f"{chemistry['attributes']['name']}: {ROLE_LABELS['moderatingMarkers']}",
                                     "description": "Internal moderating markers", "attr": {}, "isDefaultGroup": False,
                                     "defaultGroupType": None, "isArchived": False, "internal": True, "membershipExpiry": None},
                       {"owner": ident("User", world.admin)}, _examRole={"exam": chemistry["id"], "role": "moderatingMarkers"})
    staff = store.get(table("User"), world.staff["id"])
    store.update(table("User"), staff["id"], {
        "attributes": {**staff["attributes"], "userGroupsMetadata": {**staff["attributes"]["userGroupsMetadata"],
                                                                     moderators["id"]: {"dateJoined": moderators["attributes"]["createdAt"]}}},
        "relationships": {**staff["relationships"], "userGroups": [*staff["relationships"]["userGroups"], ident("UserGroup", moderators)]}})
    chemistry = store.update(exams_table, chemistry["id"], {"relationships": {**chemistry["relationships"],
                                                                              "moderatingMarkers": ident("UserGroup", moderators)}})
    english = made[3]
    store.update(exams_table, english["id"], {"relationships": {**english["relationships"],
                                                                "escalatingMarkers": ident("UserGroup", groups["Staff"])}})

    w.add("ExamClosure", {"closesAt": ctx.timestamp(-360, -359), "reason": "Cohort graduated",
                          "message": "This exam is closed."}, {"examV2": ident(EXAM, made[4]), "createdBy": ident("User", world.admin)})

    for exam_record, subject in zip((made[0], made[1], made[3]), ("Mathematics", "Chemistry", "English")):
        for number in range(1, rng.randint(5, 8) + 1):
            attempts = rng.randint(15, 40)
            w.add("ExamQuestionStats", {
                "questionNumber": number, "title": f"{subject} question {number}",
                "questionType": rng.choice(("multipleChoice", "shortAnswer", "essay", "numeric")),
                "tags": rng.sample(TAGS[subject], rng.randint(1, 2)), "maxPoints": float(rng.choice((1, 2, 4, 10))),
                "attemptCount": attempts, "averagePercentage": round(rng.uniform(35, 92), 1),
                "facilityIndex": round(rng.uniform(0.3, 0.95), 2), "discriminationIndex": round(rng.uniform(-0.1, 0.7), 2),
                "averageTimeSeconds": rng.randint(30, 600),
            }, {"examV2": ident(EXAM, exam_record)}, created=ctx.timestamp(-20, -1))

    requested = {"examV2": ident(EXAM, made[0]), "requestedBy": ident("User", world.admin)}
    for export_type, slug in (("ExamCandidateExport", "exam-candidates"), ("ExamQuestionStatsExport", "exam-question-stats")):
        job = w.add(export_type, {"format": "csv"}, requested, created=ctx.timestamp(-15, -5))
        store.update(table(export_type), job["id"], {"_fileName": f"{slug}-{made[0]['id']}-{job['id']}.csv"})

    year10 = [u for u in world.learners if any(g["id"] == groups["Year 10"]["id"] for g in
                                                store.get(table("User"), u["id"])["relationships"]["userGroups"])]
    for subject, when in (("Mock exam next week", (-37, -36)), ("Results are out", (-20, -19))):
        note = w.add("ExamineeNotification", {"subject": subject, "message": f"{subject}: see the exam page for details.",
                                              "recipientCount": len(year10), "sentAt": ctx.timestamp(*when)},
                     {"examV2": ident(EXAM, made[0]), "sentBy": ident("User", world.admin)}, created=ctx.timestamp(*when))
        store.update(table("ExamineeNotification"), note["id"], {"_recipients": [u["id"] for u in year10]})

    check = SeedCall(store, w.registry, ctx.moment(-5, -4))
    for exam_record in (made[0], made[1], made[2]):
        exam_record = store.get(exams_table, exam_record["id"])
        version = exam_record["relationships"]["currentVersion"]
        found = exam_setup_validations.problems(check, exam_record, version)
        w.add("ExamTargetQuizSetupValidation", {"isValid": not any(p["severity"] == "error" for p in found), "problems": found},
              {"examV2": ident(EXAM, exam_record), "targetQuiz": version}, created=check.timestamp)
    return made


# -- assignments ----------------------------------------------------------------------------------------


OUTLINES = {
    "Year 10 Induction": [
        ("Welcome", "note", "Welcome to Year 10"), ("Welcome", "video", "A tour of the school"),
        ("Welcome", "document", "Student handbook"), ("Getting started", "survey", "About you"),
        ("Getting started", "quiz", "Baseline quiz"), ("Getting started", "textEntry", "Your goals for the year"),
    ],
    "Year 11 Revision Programme": [
        ("Mathematics", "video", "Quadratics in 10 minutes"), ("Mathematics", "quiz", "Quadratics practice"),
        ("Chemistry", "scorm", "Bonding simulation"), ("Chemistry", "audio", "Revision podcast: rates"),
        ("Chemistry", "embed", "Periodic table explorer"), ("Coursework", "upload", "Practical write-up"),
        ("Coursework", "zip", "Project files"),
    ],
    "Staff Safeguarding Training": [
        (None, "video", "Safeguarding essentials"), (None, "document", "Policy 2026"),
        (None, "quiz", "Safeguarding check"), (None, "textEntry", "Reflection"),
    ],
}
GROUPS = (("Year 10 Induction", "Year 10", True), ("Year 11 Revision Programme", "Year 11", False),
          ("Staff Safeguarding Training", "Staff", True))
CONTENT = {"textEntry": ("text", "My answer, in my own words."),
           "upload": ("file", {"__type": "File", "name": "write-up.pdf", "url": "https://files.synap.example/write-up.pdf"}),
           "zip": ("file", {"__type": "File", "name": "project.zip", "url": "https://files.synap.example/project.zip"})}


def _assignments(store, ctx, world) -> None:
    w, rng = world.writer, ctx.rng
    table_name = table("Assignment")
    items_table = table("AssignmentItemNote")
    admin = ident("User", world.admin)
    finished = []
    for name, group_name, reattempts in GROUPS:
        created = ctx.timestamp(-150, -120)
        outline = [{"itemType": kind, "title": title, "folder": folder} for folder, kind, title in OUTLINES[name]]
        group = w.add("AssignmentGroup", {"name": name, "description": f"{name} for {group_name}",
                                          "startsAt": created, "dueAt": ctx.timestamp(-10, 60), "allowReattempts": reattempts},
                      {"userGroup": ident("UserGroup", world.groups[group_name]), "owner": admin}, created=created)
        version = w.add("AssignmentGroupCourseVersion", {"versionNumber": 1, "outline": outline, "upgradeAssignments": True,
                                                         "upgradedCount": 0},
                        {"assignmentGroup": ident("AssignmentGroup", group), "createdBy": admin}, created=created)
        store.update(table("AssignmentGroup"), group["id"], {
            "relationships": {**group["relationships"], "courseVersion": ident("AssignmentGroupCourseVersion", version)}})
        members = [u for u in store.rows(table("User"))
                   if any(g["id"] == world.groups[group_name]["id"] for g in u["relationships"]["userGroups"])]

        made_items: list[dict] = []

        def make(type_name, attributes, relationships, created=created, made_items=made_items):
            record = w.add(type_name, attributes, relationships, created=created)
            if type_name in assignments.KIND_TYPES.values():
                made_items.append(record)
            return record

        for user in members:
            assignment = make("Assignment", {"dueAt": group["attributes"]["dueAt"]}, {
                "user": ident("User", user), "assignmentGroup": ident("AssignmentGroup", group),
                "courseVersion": ident("AssignmentGroupCourseVersion", version)})
            made_items.clear()
            assignments.build(make, assignment, user["id"], outline)
            done = rng.choice((0, 0, 1, 2, 3, len(outline), len(outline)))  # items finished, in course order
            now = ctx.timestamp(-20, -1)
            settled = [_progress(store, items_table, item, n, done, now, rng) for n, item in enumerate(made_items)]
            summary = assignments.summary(settled, assignment["attributes"], now)
            store.update(table_name, assignment["id"], {"attributes": {**assignment["attributes"], **summary, "updatedAt": now}})
            if summary["status"] == "complete":
                finished.append(assignment)
    _assignment_records(store, ctx, world, finished)


def _progress(store, items_table, item, n, done, now, rng) -> dict:
    """Move the n-th item of an assignment on as far as ``done`` says; its attributes after."""
    attrs = item["attributes"]
    kind = attrs["itemType"]
    if n < done:
        change = {"status": "complete", "progress": 100, "startedAt": now, "completedAt": now, "lastActivityAt": now,
                  "timeSpentSeconds": rng.randint(60, 1800)}
        if kind in CONTENT:
            change[CONTENT[kind][0]] = CONTENT[kind][1]
            change.update(score=float(rng.randint(50, 100)), feedback="Good work.")
        elif kind in ("quiz", "scorm"):
            change["score"] = float(rng.randint(40, 100))
            if kind == "quiz":
                change["attemptCount"] = 1
    elif n == done:
        change = {"status": "inProgress", "progress": rng.randint(10, 80), "startedAt": now, "lastActivityAt": now,
                  "timeSpentSeconds": rng.randint(30, 600)}
        if kind in CONTENT and rng.random() < 0.5:
            change.update({CONTENT[kind][0]: CONTENT[kind][1], "status": "awaitingReview", "progress": 100})
        if kind == "scorm":
            change["cmi"] = {"cmi.location": "page-3", "cmi.suspend_data": "a=1;b=2"}
    else:
        return attrs
    return store.update(items_table, item["id"], {"attributes": {**attrs, **change, "updatedAt": now}})["attributes"]


def _assignment_records(store, ctx, world, finished) -> None:
    w = world.writer
    admin = ident("User", world.admin)
    table_name = table("Assignment")
    every = store.rows(table_name)
    items = store.rows(table("AssignmentItemNote"))
    reviewed = [i for i in items if i["attributes"]["itemType"] in CONTENT and i["attributes"]["status"] == "complete"][:3]
    for item in reviewed:
        w.add("AssignmentManualReview", {"outcome": "pass", "score": item["attributes"]["score"], "feedback": "Good work."},
              {"assignmentItem": {"type": assignments.KIND_TYPES[item["attributes"]["itemType"]], "id": item["id"]},
               "reviewer": ident("User", world.staff)}, created=item["attributes"]["completedAt"])
    if finished:
        again = finished[0]
        w.add("AssignmentReattempt", {"reason": "Wants a better score", "attemptNumber": 2},
              {"assignment": ident("Assignment", again), "createdBy": admin}, created=ctx.timestamp(-30, -25))
        store.update(table_name, again["id"], {"attributes": {**store.get(table_name, again["id"])["attributes"], "attemptNumber": 2}})
    started = [a for a in every if a["attributes"]["status"] == "inProgress"]
    if started:
        w.add("AssignmentReset", {"reason": "Enrolled in the wrong set"},
              {"assignment": ident("Assignment", started[-1]), "createdBy": admin}, created=ctx.timestamp(-40, -35))
    if len(started) > 1:
        revoked = store.get(table_name, started[0]["id"])
        when = ctx.timestamp(-8, -2)
        w.add("AssignmentRevocation", {"reason": "Left the school"},
              {"assignment": ident("Assignment", revoked), "revokedBy": admin}, created=when)
        store.update(table_name, revoked["id"], {"attributes": {**revoked["attributes"], "isRevoked": True, "revokedAt": when}})
    group = store.rows(table("AssignmentGroup"))[0]
    job = w.add("AssignmentGroupDataExport", {"format": "xlsx"},
                {"assignmentGroup": ident("AssignmentGroup", group), "requestedBy": admin}, created=ctx.timestamp(-12, -11))
    store.update(table("AssignmentGroupDataExport"), job["id"],
                 {"_fileName": f"assignment-group-data-{group['id']}-{job['id']}.xlsx"})


# -- insights -------------------------------------------------------------------------------------------


def _insights(ctx, world) -> None:
    w = world.writer
    admin = ident("User", world.admin)
    for title, kind, metric, description in (
        ("Assignments by status", "doughnut", "assignmentStatus", "Completion of every assignment (%)."),
        ("Exam attempts by status", "bar", "examAttemptStatus", "How many exam attempts there are."),
        ("Members per group", "bar", "usersByGroup", "Everyone registered on the portal."),
        ("Completion by assignment group", "bar", "assignmentCompletionByGroup", "Mean completion of the groups (%)."),
    ):
        created = ctx.timestamp(-100, -50)
        chart = w.add("Chart", {"title": title, "chartType": kind, "metric": metric,
                                "options": {"plugins": {"legend": {"position": "bottom"}}}}, {"owner": admin}, created=created)
        w.add("CustomInsight", {"name": title, "description": description, "metric": metric},
              {"owner": admin, "chart": ident("Chart", chart)}, created=created)
