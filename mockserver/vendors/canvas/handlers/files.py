"""Files: the attachments of finished account reports (rules/reports.py, rules/report_files.py).

``GET /files/:id`` is Canvas's Files API show (FilesController#api_show, attachment_json); the
downloads are Canvas's web routes ``/files/:id/download`` and
``/accounts/:account_id/files/:id/download`` (FilesController#show with download_frd), which the
sandbox serves below /api/v1 (serializers.FILES_ROOT). A download carrying the attachment's
``verifier`` (its uuid, as in the ``url`` Canvas hands out) needs no token; without one the
caller must be an admin of the account, as for the report itself.
"""

from __future__ import annotations

import hmac

from mockserver import context
from mockserver.errors import NotFound, Unauthenticated
from mockserver.sandbox import current
from mockserver.sandbox_warning import header
from mockserver.vendors.canvas import serializers
from mockserver.vendors.canvas.auth import actor
from mockserver.vendors.canvas.handlers.base import web_root
from mockserver.vendors.canvas.rules import accounts, permissions, report_files, reports

NOT_GENERATED = ("the sandbox does not generate the content of the {kind} report: this file is empty, "
                 "where production's has the report's columns and rows")


def _readable(report: dict) -> None:
    account = accounts.find(current().store, report["account_id"])
    permissions.allow(permissions.administers(current().store, actor().user, account))


def files_show(id, include=None):
    sandbox = current()
    report, _, attachment = reports.attached(sandbox.store, id, sandbox.now())
    _readable(report)
    return serializers.file(attachment, web_root())


def _download(id, verifier, account_id=None):
    sandbox = current()
    report, run, attachment = reports.attached(sandbox.store, id, sandbox.now())
    if account_id is not None and str(report["account_id"]) != str(account_id):
        raise NotFound(f"file {id}")
    if not (verifier and hmac.compare_digest(str(verifier), attachment["uuid"])):
        info = context.token_info()  # with the spec's optional security, no token leaves no "sub"
        if not isinstance(info, dict) or "sub" not in info:  # neither verifier nor token: log in first
            raise Unauthenticated("user authorization required")
        _readable(report)
    body, _, content_type = reports.content(report, run)
    headers = {"Content-Type": content_type,
               "Content-Disposition": f'attachment; filename="{attachment["filename"]}"'}
    if report["report"] not in report_files.SIS_EXPORTS:
        headers.update(header(NOT_GENERATED.format(kind=report["report"])))
    return body, 200, headers


def files_download(id, verifier=None, download_frd=None, download=None):
    return _download(id, verifier)


def files_account_download(account_id, id, verifier=None, download_frd=None, download=None):
    return _download(id, verifier, account_id)
