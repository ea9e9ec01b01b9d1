"""Account reports (canvas:app/controllers/account_reports_controller.rb, lib/api/v1/account_report.rb).

A run starts ``created``; two seconds later it is ``running`` and its progress climbs evenly to
``complete`` (progress 100, a CSV attachment and its ``file_url``) over the report's run time
(fixtures/canvas.yaml, kept on the root account with the reports it offers). Nothing runs in the background: the status is computed from the sandbox
clock whenever the report is read, so advancing the clock (PUT /__admin/clock) finishes a run.
What the run attaches (rules/report_files.py) is generated from the store when the run is
requested and kept with it; the attachment is served as a Canvas file (GET /api/v1/files/:id).
Aborting a run that has not finished makes it ``aborted`` for good, its progress frozen where the
clock had it; a finished run stays as it is. DELETE is a soft delete: the run disappears from the
index, from show and from ``last_run``.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from mockserver.clock import isoformat, parse
from mockserver.errors import NotFound
from mockserver.store import Store
from mockserver.vendors.canvas import tables as t
from mockserver.vendors.canvas.rules import accounts, integer_id, report_files

QUEUED_SECONDS = 2
ATTACHMENT_IDS = 1000  # attachments are numbered apart from reports


@dataclass(frozen=True)
class Run:
    status: str
    progress: int
    started_at: str | None
    ended_at: str | None
    run_time: float | None
    current_line: int | None


def definitions(store: Store) -> list[dict]:
    return accounts.root(store)["_reports"]


def run_seconds(store: Store, kind: str) -> int:
    return next(d["run_seconds"] for d in definitions(store) if d["report"] == kind)


def record(id_: int, account_id: int, kind: str, parameters: dict, user_id: int, created_at: str,
           seconds: int, lines: int = 250, workflow_state: str | None = None, files: dict | None = None) -> dict:
    """``files``: the attachment's CSVs by table (report_files.csvs); None for a report whose
    content the sandbox does not generate, whose run attaches a header-only CSV of its name."""
    return {"id": id_, "account_id": account_id, "report": kind, "parameters": parameters, "created_at": created_at,
            "_user_id": user_id, "_run_seconds": seconds, "_lines": lines, "_aborted_at": None,
            "_workflow_state": workflow_state, "_files": files}


def progress(report: dict, now: datetime) -> Run:
    created = parse(report["created_at"])
    started = created + timedelta(seconds=QUEUED_SECONDS)
    finished = started + timedelta(seconds=report["_run_seconds"])
    aborted = parse(report["_aborted_at"]) if report.get("_aborted_at") else None
    at = min(now, aborted) if aborted else now
    deleted = report.get("_workflow_state") == "deleted"
    if at >= finished:
        return Run("deleted" if deleted else "complete", 100, isoformat(started), isoformat(finished),
                   float(report["_run_seconds"]), report["_lines"])
    ended = isoformat(aborted) if aborted else None
    state = "deleted" if deleted else "aborted" if aborted else None
    if at < started:
        return Run(state or "created", 0, None, ended, None, None)
    done = (at - started).total_seconds() / report["_run_seconds"]
    return Run(state or "running", min(math.floor(done * 100), 99), isoformat(started), ended,
               (at - started).total_seconds() if aborted else None, math.floor(done * report["_lines"]))


def content(report: dict, run: Run) -> tuple[bytes, str, str] | None:
    """(bytes, extension, content type) of what a finished run attaches; None: no file.

    The provisioning and SIS exports attach the CSVs of the tables they selected (none selected:
    no file, as SisExporter#csv sends the report without one). The other reports attach a CSV the
    sandbox does not fill: Canvas's own header row is not reproduced for them (see README)."""
    files = report.get("_files")
    if files is None:
        return None if report["report"] in report_files.SIS_EXPORTS else (b"", "csv", "text/csv")
    return report_files.package(files, run.ended_at)


def attachment(report: dict, run: Run) -> dict | None:
    """The attachment JSON of a finished run (Api::V1::Attachment#attachment_json), without ``url``."""
    found = content(report, run)
    if found is None:
        return None
    body, extension, content_type = found
    stamp = parse(run.ended_at)
    name = f"{report['report']}_{stamp.strftime('%d_%b_')}{stamp.year:04d}_{report['id']}_.{extension}"
    return {"id": ATTACHMENT_IDS + report["id"],
            "uuid": hashlib.blake2b(f"report:{report['id']}".encode(), digest_size=20).hexdigest(),
            "folder_id": None, "display_name": name, "filename": name, "upload_status": "success",
            "content-type": content_type, "size": len(body), "created_at": run.ended_at,
            "updated_at": run.ended_at, "unlock_at": None, "locked": False, "hidden": False, "lock_at": None,
            "hidden_for_user": False, "thumbnail_url": None, "modified_at": run.ended_at,
            "mime_class": "zip" if extension == "zip" else "file", "media_entry_id": None,
            "category": "uncategorized", "locked_for_user": False}


def attached(store: Store, attachment_id, now: datetime) -> tuple[dict, Run, dict]:
    """(report, run, attachment) of the file ``attachment_id``: a finished run's attachment. The
    file outlives a deleted run, as Canvas's attachment outlives its report's soft delete."""
    number = integer_id(attachment_id)
    report = store.get(t.REPORTS, number - ATTACHMENT_IDS) if number is not None else None
    run = progress(report, now) if report is not None else None
    found = attachment(report, run) if run is not None and run.progress == 100 else None
    if found is None:
        raise NotFound(f"file {attachment_id}")
    return report, run, found


def _active(store: Store, account_id: int, kind: str | None = None) -> list[dict]:
    return [r for r in store.lookup(t.REPORTS, "account_id", account_id) if r["_workflow_state"] != "deleted"
            and (kind is None or r["report"] == kind)]


def available(store: Store, account_id: int) -> list[tuple[dict, dict | None]]:
    """(definition, its most recent run or None) for every report the account offers."""
    found = []
    for definition in definitions(store):
        runs = sorted(_active(store, account_id, definition["report"]), key=lambda r: (r["created_at"], r["id"]))
        found.append((definition, runs[-1] if runs else None))
    return found


def start(store: Store, account_id: int, kind: str, parameters: dict | None, user_id: int, now: datetime) -> dict:
    if kind not in {d["report"] for d in definitions(store)}:
        raise NotFound(f"report {kind}")
    parameters = dict(parameters or {})
    files = report_files.csvs(store, kind, parameters) if kind in report_files.SIS_EXPORTS else None
    # a header and a line per user and course for the reports whose files the sandbox does not generate
    lines = report_files.lines(files) if files is not None else 1 + store.count(t.USERS) + store.count(t.COURSES)
    with store.transaction():
        next_id = max((r["id"] for r in store.rows(t.REPORTS)), default=0) + 1
        report = record(next_id, account_id, kind, parameters, user_id, isoformat(now),
                        run_seconds(store, kind), lines, files=files)
        return store.insert(t.REPORTS, next_id, report)


def index(store: Store, account_id: int, kind: str) -> list[dict]:
    return sorted(_active(store, account_id, kind), key=lambda r: -r["id"])


def find(store: Store, account_id: int, kind: str, ref) -> dict:
    found = store.get(t.REPORTS, integer_id(ref)) if integer_id(ref) is not None else None
    if found is None or found["account_id"] != account_id or found["report"] != kind \
            or found["_workflow_state"] == "deleted":
        raise NotFound(f"report {kind} {ref}")
    return found


def delete(store: Store, account_id: int, kind: str, ref) -> dict:
    with store.transaction():
        report = find(store, account_id, kind, ref)
        return store.update(t.REPORTS, report["id"], {"_workflow_state": "deleted"})


def abort(store: Store, account_id: int, kind: str, ref, now: datetime) -> dict:
    with store.transaction():
        report = find(store, account_id, kind, ref)
        if progress(report, now).status in ("created", "running"):
            report = store.update(t.REPORTS, report["id"], {"_aborted_at": isoformat(now)})
        return report
