"""Submissions (canvas:app/controllers/submissions_api_controller.rb, submissions_controller.rb,
app/models/submission.rb).

- Every student of the course has a submission for every published or unpublished assignment,
  ``unsubmitted`` until they hand something in (Assignment#submissions are made for all students).
- A student submits (``POST .../submissions``) with a submission type the assignment takes; the
  submission becomes ``submitted`` (``pending_review`` for a quiz that needs a grader's review),
  ``submitted_at`` is the sandbox clock, the attempt counts up, and a resubmission after grading
  no longer matches the grade (``grade_matches_current_submission`` false).
- Graders (teachers, TAs, admins) post a grade (rules/grading.py reads its form), excuse, or
  comment; students may only comment on their own.
- ``late``: handed in after the due date; ``missing``: past due on the sandbox clock, nothing
  handed in, not excused, not graded, and the assignment expects an online submission;
  ``seconds_late`` how far past due either is. ``late_policy_status`` overrides both.
- The bulk ``update_grades`` answers a Progress (rules/progress.py) and applies the grades when the
  job finishes on the sandbox clock; a bad grade fails the whole job, as the job's error would.
"""

from __future__ import annotations

from datetime import datetime

from mockserver.clock import isoformat, parse
from mockserver.errors import NotFound
from mockserver.store import Store
from mockserver.vendors.canvas import forms
from mockserver.vendors.canvas import tables as t
from mockserver.vendors.canvas.errors import CanvasError, GradeError, MessageError
from mockserver.vendors.canvas.rules import grading, permissions, progress

NO_SUBMISSION = ("none", "on_paper", "not_graded", "external_tool")
# SubmissionsController::API_SUBMISSION_TYPES: what each submission type takes, and needs.
NEEDS = {"online_text_entry": ("body",), "online_url": ("url",), "online_upload": ("file_ids",),
         "media_recording": ("media_comment_id", "media_comment_type"), "basic_lti_launch": ("url",),
         "student_annotation": ("annotatable_attachment_id",)}
SUBMITTABLE = tuple(NEEDS)
NO_FILES = "No valid file ids given"  # the sandbox keeps no uploaded files a submission could name
INVALID_TYPE = "Invalid submission[submission_type] given"
LATE_POLICY_STATUSES = ("late", "missing", "extended", "none")
JOB_TAG = "submissions_update"


def record(assignment: dict, user_id: int, **fields) -> dict:
    return {"assignment_id": assignment["id"], "course_id": assignment["course_id"], "user_id": user_id,
            "body": None, "url": None, "submission_type": None, "submitted_at": None, "score": None, "grade": None,
            "entered_score": None, "entered_grade": None, "workflow_state": "unsubmitted", "graded_at": None,
            "grader_id": None, "attempt": None, "excused": False, "late_policy_status": None, "posted_at": None,
            "grade_matches_current_submission": True, "extra_attempts": None, "seconds_late_override": None,
            "_comments": [], **fields}


def expects_submission(assignment: dict) -> bool:
    return not set(assignment["submission_types"]) <= set(NO_SUBMISSION) and assignment["grading_type"] != "not_graded"


def students(store: Store, course_id: int) -> list[int]:
    course = store.get(t.COURSES, course_id)
    return list(course["_roster"].get("StudentEnrollment", []))


def find(store: Store, assignment_id: int, user_id: int) -> dict | None:
    return store.find_one(t.SUBMISSIONS, assignment_id=assignment_id, user_id=user_id)


def ensure(store: Store, assignment: dict, user_id: int) -> dict:
    return find(store, assignment["id"], user_id) or store.insert_auto(t.SUBMISSIONS, record(assignment, user_id))


def ensure_for_assignment(store: Store, assignment: dict) -> None:
    if assignment["workflow_state"] == "deleted":
        return
    have = {s["user_id"] for s in store.find(t.SUBMISSIONS, assignment_id=assignment["id"])}
    for user_id in students(store, assignment["course_id"]):
        if user_id not in have:
            store.insert_auto(t.SUBMISSIONS, record(assignment, user_id))


def ensure_for_student(store: Store, course_id: int, user_id: int, now: datetime) -> None:
    for assignment in store.find(t.ASSIGNMENTS, course_id=course_id):
        if assignment["workflow_state"] != "deleted":
            ensure(store, assignment, user_id)


def has_student_submissions(store: Store, assignment_id: int) -> bool:
    return any(s["submitted_at"] for s in store.find(t.SUBMISSIONS, assignment_id=assignment_id))


def timing(submission: dict, assignment: dict, now: datetime) -> dict:
    """late, missing and seconds_late as Submission#late?, #missing? and #seconds_late compute them."""
    due = parse(assignment["due_at"]) if assignment["due_at"] else None
    status = submission["late_policy_status"]
    submitted = parse(submission["submitted_at"]) if submission["submitted_at"] else None
    late = status == "late" or (status is None and bool(due and submitted and submitted > due))
    missing = status == "missing" or (
        status is None and due is not None and submitted is None and due < now and not submission["excused"]
        and submission["workflow_state"] != "graded" and expects_submission(assignment))
    seconds = 0
    if submission["seconds_late_override"] is not None and status == "late":
        seconds = submission["seconds_late_override"]
    elif late and due and submitted:
        seconds = int((submitted - due).total_seconds())
    elif missing and due:
        seconds = int((now - due).total_seconds())
    return {"late": late, "missing": missing, "seconds_late": max(seconds, 0)}


def _course_student(store: Store, course: dict, user: dict | None, ref) -> dict:
    if user is None or not any(e["type"] == "StudentEnrollment" and e["workflow_state"] not in ("deleted", "rejected")
                               for e in store.find(t.ENROLLMENTS, course_id=course["id"], user_id=user["id"])):
        raise NotFound(f"user {ref}")
    return user


def listing(store: Store, viewer: dict, course: dict, assignment: dict, now: datetime) -> list[dict]:
    """SubmissionsApiController#index: graders only (manage_grades / view_all_grades)."""
    settle(store, now)
    access = permissions.course_access(store, viewer, course)
    permissions.allow(access.grader)
    ensure_for_assignment(store, assignment)
    rows = store.find(t.SUBMISSIONS, assignment_id=assignment["id"])
    current = set(students(store, course["id"]))
    if access.sections is not None and not access.admin:
        current &= _section_students(store, course, access.sections)
    return sorted((s for s in rows if s["user_id"] in current), key=lambda s: s["user_id"])


def _section_students(store: Store, course: dict, sections) -> set[int]:
    return {e["user_id"] for e in store.find(t.ENROLLMENTS, course_id=course["id"]) if e["course_section_id"] in sections}


def show(store: Store, viewer: dict, course: dict, assignment: dict, student: dict | None, ref, now: datetime) -> dict:
    settle(store, now)
    access = permissions.read_course(store, viewer, course)
    student = _course_student(store, course, student, ref)
    permissions.allow(access.grader or student["id"] == viewer["id"])
    return ensure(store, assignment, student["id"])


def _comment(store: Store, author: dict, text: str, attempt, now: datetime) -> dict:
    return {"id": store.sequence("canvas_submission_comments"), "author_id": author["id"], "author_name": author["name"],
            "comment": text, "created_at": isoformat(now), "edited_at": None, "attempt": attempt}


def _grade_fields(assignment: dict, submission: dict, grader: dict, posted, excuse, now: datetime) -> dict:
    fields: dict = {}
    if excuse is not None:
        if excuse:
            fields.update(excused=True, score=None, grade=None, entered_score=None, entered_grade=None,
                          workflow_state="graded", graded_at=isoformat(now), grader_id=grader["id"],
                          posted_at=isoformat(now))
        else:
            fields.update(excused=False, workflow_state="submitted" if submission["submitted_at"] else "unsubmitted")
    if posted is not None:
        score, grade = grading.interpret(assignment, posted)
        if score is None:
            fields.update(score=None, grade=None, entered_score=None, entered_grade=None, graded_at=None,
                          grader_id=None, workflow_state="submitted" if submission["submitted_at"] else "unsubmitted")
        else:
            fields.update(score=score, grade=grade, entered_score=score, entered_grade=grade, excused=False,
                          workflow_state="graded", graded_at=isoformat(now), grader_id=grader["id"],
                          posted_at=isoformat(now), grade_matches_current_submission=True)
    return fields


def update(store: Store, viewer: dict, course: dict, assignment: dict, student: dict | None, ref, body,
           now: datetime) -> dict:
    """SubmissionsApiController#update: grade, excuse, late policy status, comment."""
    settle(store, now)
    with store.transaction():
        access = permissions.read_course(store, viewer, course)
        student = _course_student(store, course, student, ref)
        given = (body or {}).get("submission") or {}
        comment = ((body or {}).get("comment") or {}).get("text_comment")
        grading_now = any(k in given for k in ("posted_grade", "excuse", "late_policy_status", "seconds_late_override"))
        permissions.allow(access.grader if grading_now else (access.grader or student["id"] == viewer["id"]))
        submission = ensure(store, assignment, student["id"])
        fields = _grade_fields(assignment, submission, viewer, given.get("posted_grade"),
                               forms.boolean(given["excuse"]) if "excuse" in given else None, now)
        if "late_policy_status" in given:
            status = given["late_policy_status"] or None
            if status is not None and status not in LATE_POLICY_STATUSES:
                raise GradeError(f'"{status}" is not a valid late policy status')
            fields["late_policy_status"] = None if status == "none" else status
        if "seconds_late_override" in given:
            fields["seconds_late_override"] = int(given["seconds_late_override"] or 0)
        if comment:
            fields["_comments"] = submission["_comments"] + [_comment(store, viewer, comment, submission["attempt"], now)]
        return store.update(t.SUBMISSIONS, submission["id"], fields) if fields else submission


def submit(store: Store, viewer: dict, course: dict, assignment: dict, body, now: datetime) -> dict:
    """SubmissionsController#create (API): the student's own submission."""
    settle(store, now)
    with store.transaction():
        access = permissions.read_course(store, viewer, course)
        permissions.allow(access.student)
        if assignment["workflow_state"] != "published":
            permissions.allow(False)
        if assignment["lock_at"] and parse(assignment["lock_at"]) < now or \
                assignment["unlock_at"] and parse(assignment["unlock_at"]) > now:
            permissions.allow(False)  # a locked assignment takes nothing (render_unauthorized_action)
        given = (body or {}).get("submission") or {}
        kind = given.get("submission_type")
        if kind not in SUBMITTABLE or kind not in assignment["submission_types"]:
            raise MessageError(INVALID_TYPE)
        needed = NEEDS[kind]
        if any(given.get(k) in (None, "", []) for k in needed):
            raise MessageError(f"Invalid parameters for submission_type {kind}. "
                               f"Required: {', '.join(f'submission[{k}]' for k in needed)}")
        if kind == "online_upload":
            raise MessageError(NO_FILES)
        submission = ensure(store, assignment, viewer["id"])
        regraded = submission["workflow_state"] == "graded"
        fields = {"submission_type": kind, "body": given.get("body") if kind == "online_text_entry" else None,
                  "url": given.get("url") if kind == "online_url" else None, "submitted_at": isoformat(now),
                  "attempt": (submission["attempt"] or 0) + 1,
                  "workflow_state": "submitted", "grade_matches_current_submission": not regraded}
        comment = ((body or {}).get("comment") or {}).get("text_comment")
        if comment:
            fields["_comments"] = submission["_comments"] + [_comment(store, viewer, comment, fields["attempt"], now)]
        return store.update(t.SUBMISSIONS, submission["id"], fields)


def for_students(store: Store, viewer: dict, course: dict, params: dict, now: datetime) -> list[dict]:
    """SubmissionsApiController#for_students: ``student_ids[]`` (ids or "all"; students only
    themselves), ``assignment_ids[]``, ``workflow_state``."""
    settle(store, now)
    access = permissions.read_course(store, viewer, course)
    wanted = [str(s) for s in params.get("student_ids") or []]
    roster = set(students(store, course["id"]))
    if not wanted:
        ids = {viewer["id"]}
    elif "all" in wanted:
        permissions.allow(access.grader)
        ids = roster
    else:
        ids = {int(s) for s in wanted if s.isdecimal()}
        permissions.allow(access.grader or ids <= {viewer["id"]})
    ids &= roster
    assignments = {a["id"]: a for a in store.find(t.ASSIGNMENTS, course_id=course["id"])
                   if a["workflow_state"] == "published" or (a["workflow_state"] == "unpublished" and access.staff)}
    chosen = {str(a) for a in params.get("assignment_ids") or []}
    if chosen:
        assignments = {k: v for k, v in assignments.items() if str(k) in chosen}
    for user_id in ids:
        for assignment in assignments.values():
            ensure(store, assignment, user_id)
    rows = [s for assignment_id in assignments for s in store.lookup(t.SUBMISSIONS, "assignment_id", assignment_id)
            if s["user_id"] in ids]
    if params.get("workflow_state"):
        rows = [s for s in rows if s["workflow_state"] == params["workflow_state"]]
    return sorted(rows, key=lambda s: (s["user_id"], s["assignment_id"]))


# -- the bulk grade update, a background job ---------------------------------------------------------

def bulk_update(store: Store, viewer: dict, course: dict, assignment: dict | None, grade_data, now: datetime) -> dict:
    """SubmissionsApiController#bulk_update: ``grade_data[<student_id>][...]`` for one assignment, or
    ``grade_data[<assignment_id>][<student_id>][...]`` for the course; answers the job's Progress.
    Without grade_data: 400 with a bare JSON string; an assignment that is not the course's: 404;
    an unpublished one, or no manage_grades: 403. Students are checked when the job runs."""
    with store.transaction():
        if not isinstance(grade_data, dict) or not grade_data:
            raise CanvasError("'grade_data' parameter required")
        data = {str(assignment["id"]): grade_data} if assignment else grade_data
        chosen = []
        for ref in data:
            found = store.get(t.ASSIGNMENTS, int(ref)) if str(ref).isdecimal() else None
            if found is None or found["course_id"] != course["id"] or found["workflow_state"] == "deleted":
                raise NotFound(f"assignment {ref}")
            chosen.append(found)
        permissions.allow(all(a["workflow_state"] == "published" for a in chosen)
                          and permissions.course_access(store, viewer, course).grader)
        updates = []
        for assignment_id, by_student in data.items():
            if not isinstance(by_student, dict):
                raise CanvasError("'grade_data' parameter required")
            for student_id, change in by_student.items():
                updates.append({"assignment_id": str(assignment_id), "student_id": str(student_id),
                                **(change if isinstance(change, dict) else {})})
        return progress.start(store, course, viewer, JOB_TAG, {"updates": updates}, len(updates), now)


def _apply(store: Store, job: dict, now: datetime) -> None:
    grader = store.get(t.USERS, job["user_id"])
    course = store.get(t.COURSES, job["context_id"])
    for change in job["_job"]["updates"]:
        assignment = store.get(t.ASSIGNMENTS, int(change["assignment_id"])) if change["assignment_id"].isdecimal() else None
        if assignment is None or assignment["course_id"] != course["id"] or assignment["workflow_state"] == "deleted":
            raise GradeError(f"Couldn't find Assignment with 'id'={change['assignment_id']}")
        student_id = int(change["student_id"]) if change["student_id"].isdecimal() else None
        if student_id not in students(store, course["id"]):
            raise GradeError(f"Couldn't find User with 'id'={change['student_id']}")
        submission = ensure(store, assignment, student_id)
        excuse = forms.boolean(change["excuse"]) if "excuse" in change else None
        fields = _grade_fields(assignment, submission, grader, change.get("posted_grade"), excuse, now)
        if change.get("text_comment"):
            fields["_comments"] = submission["_comments"] + [
                _comment(store, grader, change["text_comment"], submission["attempt"], now)]
        if fields:
            store.update(t.SUBMISSIONS, submission["id"], fields)


def settle(store: Store, now: datetime) -> None:
    """Finish every grading job whose time has come on the sandbox clock (each in its own
    transaction: a job that fails changes nothing and is marked failed)."""
    for job in progress.due(store, JOB_TAG, now):
        try:
            with store.transaction():
                _apply(store, job, now)
                progress.finish(store, job, now)
        except GradeError as error:
            progress.fail(store, job, error.detail, now)


def scores(store: Store, course_id: int, user_id: int) -> dict:
    """The enrollment's grades (Enrollment#computed_current_score / #computed_final_score): current
    counts graded work only, final counts every published assignment (ungraded as zero); excused
    ones count in neither. Letters come from the default grading scheme."""
    published = {a["id"]: a for a in store.find(t.ASSIGNMENTS, course_id=course_id)
                 if a["workflow_state"] == "published" and not a["omit_from_final_grade"]
                 and a["grading_type"] != "not_graded"}
    earned = graded_points = all_points = 0.0
    for sub in store.find(t.SUBMISSIONS, user_id=user_id, course_id=course_id):
        assignment = published.get(sub["assignment_id"])
        if assignment is None or sub["excused"]:
            continue
        points = assignment["points_possible"] or 0
        all_points += points
        if sub["score"] is not None:
            earned += sub["score"]
            graded_points += points
    current = round(earned / graded_points * 100, 2) if graded_points else None
    final = round(earned / all_points * 100, 2) if all_points else None
    return {"current_score": current, "final_score": final,
            "current_grade": grading.score_to_letter(current) if current is not None else None,
            "final_grade": grading.score_to_letter(final) if final is not None else None}
