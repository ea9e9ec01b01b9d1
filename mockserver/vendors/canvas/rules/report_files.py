"""The files a finished account report attaches: CSVs generated from the store.

The provisioning report (``provisioning_csv``) and the SIS export (``sis_export_csv``) are
Canvas's ``AccountReports::SisExporter`` (canvas-lms gems/plugins/account_reports/lib/
account_reports/sis_exporter.rb, the current one with integration ids, course formats and
blueprint columns; no pronouns column, which needs the root account's pronoun settings on): one CSV per table the run's ``parameters`` select, of users,
accounts, terms, courses, sections and enrollments (a parameter selects when Canvas's
``value_to_boolean`` reads it true: ``true``, ``"true"``, ``"1"``, ``"on"``, ``"yes"``). The
provisioning columns name Canvas ids and SIS ids side by side and end in ``created_by_sis``; the
SIS export has the SIS import format's own columns and only the rows that carry SIS ids. One
table selected: that CSV is the attachment; several: a zip of ``<table>.csv`` files
(AccountReports.message_recipient); none: the run completes without a file.
``enrollment_term_id`` limits courses, sections and enrollments to a term, ``include_deleted``
keeps deleted objects (ReportHelper#add_term_scope, #include_deleted_objects).

The files are taken when the run is requested and kept with it, so a later change to the world
does not rewrite a finished report (Canvas writes the file once, while the run runs).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from mockserver.clock import parse
from mockserver.store import Store
from mockserver.vendors.canvas import tables as t
from mockserver.vendors.canvas.rules import roles

SIS_EXPORTS = ("provisioning_csv", "sis_export_csv")
TABLES = ("users", "accounts", "terms", "courses", "sections", "enrollments")  # SIS_CSV_REPORTS we keep
_TRUE = ("true", "1", "on", "yes")
# SisExporter#courses: a course's workflow state as the provisioning report names it
COURSE_STATES = {"claimed": "unpublished", "created": "unpublished", "completed": "concluded",
                 "deleted": "deleted", "available": "active"}
# Enrollment#sis_role of the base roles: what an SIS import's enrollments.csv names them
SIS_ROLES = {"StudentEnrollment": "student", "TeacherEnrollment": "teacher", "TaEnrollment": "ta",
             "ObserverEnrollment": "observer", "DesignerEnrollment": "designer"}
# SisExporter#enrollment_query: enroll_state
ENROLLMENT_STATES = {"invited": "invited", "creation_pending": "invited", "active": "active",
                     "completed": "concluded", "inactive": "inactive", "deleted": "deleted",
                     "rejected": "rejected"}
# Course sections and enrollment rows: tables of their own once the world has them (tables.SECTIONS,
# tables.ENROLLMENTS); until then a course's enrollments are its roster, in its one default section.
_SECTIONS = getattr(t, "SECTIONS", None)
_ENROLLMENTS = getattr(t, "ENROLLMENTS", None)


def truthy(value) -> bool:
    """Canvas::Plugin.value_to_boolean."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value == 1
    return str(value).strip().lower() in _TRUE


def selected(parameters: dict) -> list[str]:
    """The tables a run's parameters select, in Canvas's order."""
    return [name for name in TABLES if truthy((parameters or {}).get(name, False))]


def _bool(value: bool) -> str:
    return "true" if value else "false"  # Ruby's CSV writes true and false as words

# ``created_by_sis`` is ``sis_batch_id?``: whether an SIS import wrote the row. The sandbox has no SIS
# imports (its objects carry SIS ids from the seed), so it is false on every row.

def _text(rows: Iterable[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow(["" if v is None else _bool(v) if isinstance(v, bool) else v for v in row])
    return out.getvalue()


class _World:
    """The store as the exporter reads it, with the run's parameters."""

    def __init__(self, store: Store, parameters: dict):
        self.store = store
        self.include_deleted = truthy((parameters or {}).get("include_deleted", False))
        term = (parameters or {}).get("enrollment_term_id")
        self.term = int(term) if str(term or "").strip().isdecimal() else None
        self.accounts = {a["id"]: a for a in store.rows(t.ACCOUNTS)}
        root = next(a for a in self.accounts.values() if a["parent_account_id"] is None)
        self.zone = ZoneInfo(root["default_time_zone"])
        self.terms = {term["id"]: term for term in store.rows(t.TERMS)}
        self.courses = {c["id"]: c for c in store.rows(t.COURSES)}

    def in_term(self, course: dict) -> bool:
        return self.term is None or course["enrollment_term_id"] == self.term

    def course_listed(self, course: dict) -> bool:
        """The courses file leaves out deleted and concluded courses unless include_deleted."""
        return self.in_term(course) and (self.include_deleted or course["_state"] not in ("deleted", "completed"))

    def local(self, stamp: str | None) -> str | None:
        """default_timezone_format: ISO 8601 in the root account's time zone, as Ruby writes it."""
        if not stamp:
            return None
        return parse(stamp).astimezone(self.zone).isoformat()

    def sections(self) -> list[dict]:
        if _SECTIONS is not None:
            return self.store.rows(_SECTIONS)
        return [{"id": c["id"], "course_id": c["id"], "name": c["name"], "sis_section_id": None,
                 "workflow_state": "active", "start_at": None, "end_at": None,
                 "restrict_enrollments_to_section_dates": False} for c in self.courses.values()]

    def enrollments(self) -> list[dict]:
        if _ENROLLMENTS is not None:
            return self.store.rows(_ENROLLMENTS)
        rows = []
        for course in self.courses.values():
            for kind, user_ids in course.get("_roster", {}).items():
                rows += [{"course_id": course["id"], "user_id": user_id, "type": kind, "role_id": roles.role_id(kind),
                          "course_section_id": course["id"], "workflow_state": "active",
                          "associated_user_id": None} for user_id in user_ids]
        return rows


def _users(world: _World, sis: bool) -> list[list]:
    rows = [["user_id", "integration_id", "authentication_provider_id", "login_id", "password", "first_name",
             "last_name", "full_name", "sortable_name", "short_name", "email", "status"] if sis else
            ["canvas_user_id", "user_id", "integration_id", "authentication_provider_id", "login_id", "first_name",
             "last_name", "full_name", "sortable_name", "short_name", "email", "status", "created_by_sis"]]
    for u in world.store.rows(t.USERS):
        state = u.get("workflow_state", "active")  # the login's (pseudonym's) state
        if (sis and not u.get("sis_user_id")) or (state == "deleted" and not world.include_deleted):
            continue
        ids = [u["sis_user_id"], u.get("integration_id"), None, u["login_id"]]
        names = [u["first_name"], u["last_name"], u["name"], u["sortable_name"], u["short_name"], u["email"], state]
        rows.append([*ids, None, *names] if sis else [u["id"], *ids, *names, False])
    return rows


def _accounts(world: _World, sis: bool) -> list[list]:
    rows = [["account_id", "parent_account_id", "name", "status"] if sis else
            ["canvas_account_id", "account_id", "canvas_parent_id", "parent_account_id", "name", "status",
             "created_by_sis"]]
    for a in world.accounts.values():
        if a["parent_account_id"] is None:  # the root account has no parent: the report's inner join leaves it out
            continue
        if (a["workflow_state"] == "deleted" and not world.include_deleted) or (sis and not a.get("sis_account_id")):
            continue
        parent = world.accounts.get(a["parent_account_id"]) or {}
        rows.append([a["sis_account_id"], parent.get("sis_account_id"), a["name"], a["workflow_state"]] if sis else
                    [a["id"], a["sis_account_id"], parent.get("id"), parent.get("sis_account_id"), a["name"],
                     a["workflow_state"], False])
    return rows


def _terms(world: _World, sis: bool) -> list[list]:
    rows = [["term_id", "name", "status", "start_date", "end_date"] if sis else
            ["canvas_term_id", "term_id", "name", "status", "start_date", "end_date", "created_by_sis"]]
    for term in world.terms.values():
        if (term["workflow_state"] == "deleted" and not world.include_deleted) or (sis and not term.get("sis_term_id")):
            continue
        row = [term["sis_term_id"], term["name"], term["workflow_state"], world.local(term["start_at"]),
               world.local(term["end_at"])]
        rows.append(row if sis else [term["id"], *row, False])
    return rows


def _course_dates(world: _World, c: dict) -> list:
    if not c.get("restrict_enrollments_to_course_dates"):
        return [None, None]
    return [world.local(c["start_at"]), world.local(c["end_at"])]


def _courses(world: _World, sis: bool) -> list[list]:
    rows = [["course_id", "integration_id", "short_name", "long_name", "account_id", "term_id", "status",
             "start_date", "end_date", "course_format", "blueprint_course_id"] if sis else
            ["canvas_course_id", "course_id", "integration_id", "short_name", "long_name", "canvas_account_id",
             "account_id", "canvas_term_id", "term_id", "status", "start_date", "end_date", "course_format",
             "canvas_blueprint_course_id", "blueprint_course_id", "created_by_sis"]]
    for c in world.courses.values():
        if not world.course_listed(c) or (sis and not c.get("sis_course_id")):
            continue
        account = world.accounts.get(c["account_id"]) or {}
        term = world.terms.get(c["enrollment_term_id"]) or {}
        # no course of the sandbox is a blueprint's child (MasterCourses::ChildSubscription): both blueprint ids are empty
        if sis:
            status = c["_state"] if c["_state"] in ("deleted", "completed") else "active"
            rows.append([c["sis_course_id"], c.get("integration_id"), c["course_code"], c["name"],
                         account.get("sis_account_id"), term.get("sis_term_id"), status, *_course_dates(world, c),
                         c.get("course_format"), None])
        else:
            rows.append([c["id"], c["sis_course_id"], c.get("integration_id"), c["course_code"], c["name"],
                         c["account_id"], account.get("sis_account_id"), c["enrollment_term_id"],
                         term.get("sis_term_id"), COURSE_STATES.get(c["_state"], c["_state"]),
                         *_course_dates(world, c), c.get("course_format"), None, None, False])
    return rows


def _sections(world: _World, sis: bool) -> list[list]:
    rows = [["section_id", "course_id", "integration_id", "name", "status", "start_date", "end_date"] if sis else
            ["canvas_section_id", "section_id", "canvas_course_id", "course_id", "integration_id", "name", "status",
             "start_date", "end_date", "canvas_account_id", "account_id", "created_by_sis"]]
    for s in world.sections():
        course = world.courses.get(s["course_id"])
        if course is None or not world.in_term(course):
            continue
        if not world.include_deleted and "deleted" in (s["workflow_state"], course["_state"]):
            continue
        if sis and not (s.get("sis_section_id") and course.get("sis_course_id")):
            continue
        dates = ([world.local(s["start_at"]), world.local(s["end_at"])]
                 if s.get("restrict_enrollments_to_section_dates") else [None, None])
        row = [s.get("sis_section_id"), course["sis_course_id"], s.get("integration_id"), s["name"],
               s["workflow_state"], *dates]
        if sis:
            rows.append(row)
        else:
            account = world.accounts.get(course["account_id"]) or {}
            rows.append([s["id"], row[0], course["id"], *row[1:], course["account_id"], account.get("sis_account_id"),
                         False])
    return rows


def _enrollments(world: _World, sis: bool) -> list[list]:
    rows = [["course_id", "user_id", "role", "role_id", "section_id", "status", "associated_user_id",
             "limit_section_privileges"] if sis else
            ["canvas_course_id", "course_id", "canvas_user_id", "user_id", "role", "role_id", "canvas_section_id",
             "section_id", "status", "canvas_associated_user_id", "associated_user_id", "created_by_sis",
             "base_role_type", "limit_section_privileges", "canvas_enrollment_id"]]
    users = {u["id"]: u for u in world.store.rows(t.USERS)}
    sections = {s["id"]: s for s in world.sections()}
    for e in world.enrollments():
        course, user = world.courses.get(e["course_id"]), users.get(e["user_id"])
        if course is None or user is None or not world.in_term(course):
            continue
        if e["workflow_state"] == "deleted" or (e["workflow_state"] == "completed" and not world.include_deleted):
            continue
        section = sections.get(e["course_section_id"]) or {}
        if sis and (e["workflow_state"] in ("rejected", "invited", "creation_pending")
                    or not (course.get("sis_course_id") or section.get("sis_section_id"))):
            continue
        deleted = "deleted" in (section.get("workflow_state"), course["_state"])
        state = "deleted" if deleted else ENROLLMENT_STATES.get(e["workflow_state"], e["workflow_state"])
        observed = users.get(e.get("associated_user_id")) or {}
        role = SIS_ROLES.get(e["type"], e["type"])
        limit = bool(e.get("limit_privileges_to_course_section", False))
        if sis:
            rows.append([course["sis_course_id"], user["sis_user_id"], role, e.get("role_id"),
                         section.get("sis_section_id"), state, observed.get("sis_user_id"), limit])
        else:
            rows.append([course["id"], course["sis_course_id"], user["id"], user["sis_user_id"], role, e.get("role_id"),
                         e["course_section_id"], section.get("sis_section_id"), state, e.get("associated_user_id"),
                         observed.get("sis_user_id"), False, e["type"], limit, e.get("id")])
    return rows


_EXPORTERS = {"users": _users, "accounts": _accounts, "terms": _terms, "courses": _courses,
              "sections": _sections, "enrollments": _enrollments}


def csvs(store: Store, kind: str, parameters: dict) -> dict[str, str]:
    """table name -> CSV text, for the tables the run selects (empty for other reports)."""
    if kind not in SIS_EXPORTS:
        return {}
    world = _World(store, parameters)
    return {name: _text(_EXPORTERS[name](world, kind == "sis_export_csv")) for name in selected(parameters)}


def lines(files: dict[str, str]) -> int:
    return sum(text.count("\n") for text in files.values())


def package(files: dict[str, str], stamp: str) -> tuple[bytes, str, str] | None:
    """(content, extension, content type) of the attachment, or None when the run has no file.
    The zip's entries carry the run's end time, so the same world gives the same bytes."""
    if not files:
        return None
    if len(files) == 1:
        return next(iter(files.values())).encode(), "csv", "text/csv"
    when = max(parse(stamp).timetuple()[:6], (1980, 1, 1, 0, 0, 0))  # zip times start in 1980
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files, key=TABLES.index):  # Canvas's order (a stored dict may come back sorted)
            text = files[name]
            archive.writestr(zipfile.ZipInfo(f"{name}.csv", date_time=when), text)
    return out.getvalue(), "zip", "application/zip"
