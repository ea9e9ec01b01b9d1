"""Account reports (rules/reports.py)."""

from __future__ import annotations

from mockserver.sandbox import current
from mockserver.vendors.canvas import paging, serializers
from mockserver.vendors.canvas.auth import actor
from mockserver.vendors.canvas.handlers.base import web_root
from mockserver.vendors.canvas.rules import accounts, permissions, reports


def _readable(store, account_id) -> dict:
    account = accounts.find(store, account_id)
    permissions.allow(permissions.administers(store, actor().user, account))  # read_reports
    return account


def account_reports_available_reports(account_id, page=None, per_page=None):
    sandbox = current()
    account = _readable(sandbox.store, account_id)
    rows = reports.available(sandbox.store, account["id"])
    items, status, headers = paging.paged(rows, page, per_page)
    root = web_root()
    return [serializers.available_report(definition, serializers.report(run, sandbox.now(), root) if run else None)
            for definition, run in items], status, headers


def account_reports_create(account_id, report, body=None):
    sandbox = current()
    account = _readable(sandbox.store, account_id)
    run = reports.start(sandbox.store, account["id"], report, (body or {}).get("parameters"),
                        actor().user["id"], sandbox.now())
    return serializers.report(run, sandbox.now(), web_root())


def account_reports_index(account_id, report, page=None, per_page=None):
    sandbox = current()
    account = _readable(sandbox.store, account_id)
    items, status, headers = paging.paged(reports.index(sandbox.store, account["id"], report), page, per_page)
    root = web_root()
    return [serializers.report(r, sandbox.now(), root) for r in items], status, headers


def account_reports_show(account_id, report, id):
    sandbox = current()
    account = _readable(sandbox.store, account_id)
    return serializers.report(reports.find(sandbox.store, account["id"], report, id), sandbox.now(), web_root())


def account_reports_destroy(account_id, report, id):
    sandbox = current()
    account = _readable(sandbox.store, account_id)
    return serializers.report(reports.delete(sandbox.store, account["id"], report, id), sandbox.now(), web_root())


def account_reports_abort(account_id, report, id):
    sandbox = current()
    account = _readable(sandbox.store, account_id)
    return serializers.report(reports.abort(sandbox.store, account["id"], report, id, sandbox.now()), sandbox.now(),
                              web_root())
