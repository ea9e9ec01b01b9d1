"""Enrollment terms (rules/terms.py). The list is wrapped: ``{"enrollment_terms": [...]}``."""

from __future__ import annotations

from mockserver.sandbox import current
from mockserver.vendors.canvas import paging, serializers
from mockserver.vendors.canvas.auth import actor
from mockserver.vendors.canvas.rules import terms


def terms_api_index(account_id, workflow_state=None, include=None, term_name=None, page=None, per_page=None):
    store = current().store
    rows = terms.listing(store, actor().user, account_id, workflow_state, term_name)
    items, status, headers = paging.paged(rows, page, per_page)
    overrides = "overrides" in (include or ())
    return {"enrollment_terms": [serializers.term(x, True, overrides) for x in items]}, status, headers


def terms_api_show(account_id, id):
    store = current().store  # "Includes overrides by default" (TermsApiController#show)
    return serializers.term(terms.show(store, actor().user, account_id, id), True, overrides=True)


def terms_create(account_id, body=None):
    sandbox = current()
    return serializers.term(terms.create(sandbox.store, actor().user, account_id, body, sandbox.now()), True)


def terms_update(account_id, id, body=None):
    return serializers.term(terms.update(current().store, actor().user, account_id, id, body), True)


def terms_destroy(account_id, id):
    return serializers.term(terms.delete(current().store, actor().user, account_id, id), True)
