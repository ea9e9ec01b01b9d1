"""Skilljar webhook events, handed to the shared delivery worker.

Skilljar's webhook docs (support.skilljar.com, "Webhooks API"): "When an event occurs on the
course platform, Skilljar attempts an HTTP POST to the URL endpoint of all active webhooks", the
body "a JSON object" flat at the top level: ``event_type``, ``timestamp``, then the objects the
event is about (``user``, ``course``, ``domain`` as ``{"id", "name"}``, ...). Seed 003: a null
``event_type`` subscribes to every event, and "if multiple webhooks qualify for an event and have
the same URL, the event will be sent to the URL only once".

The ``sample-<event>`` operations answer "a single-item list containing either the most recent
... event for your organization, or a generated sample event if no [such events] exist" (official
spec): the latest payload of each type is kept in the world (``EVENTS``), whether or not a webhook
was listening. ``ping`` sends one PING event, never retried (official spec).
"""

from __future__ import annotations

from mockserver.clock import isoformat
from mockserver.sandbox import current
from mockserver.store import Store
from mockserver.vendors.skilljar.serializers.core import event_course
from mockserver.vendors.skilljar import tables as t
from mockserver.vendors.skilljar.rules.content import LESSONS
from mockserver.vendors.skilljar.rules.journeys import PUBLISHED_PATHS
from mockserver.vendors.skilljar.rules.live import SESSIONS as ILT_SESSIONS

EVENTS = "skilljar_webhook_events"  # event type -> the latest payload of that type
PING_TIMEOUT = 10.0  # seconds the ping operation waits for the target's answer


def _domain(store: Store, value):
    if isinstance(value, str):
        record = store.get(t.DOMAINS, value) or {}
        return {"id": record.get("id", ""), "name": value}
    return value


def payload(store: Store, event: str, data: dict, at: str) -> dict:
    body = {"event_type": event, "timestamp": at, **data}
    if "domain" in body:
        body["domain"] = _domain(store, body["domain"])
    return body


def _auth(hook: dict):
    return (hook["basic_auth_username"], hook.get("basic_auth_password") or "") if hook.get("basic_auth_username") else None


def _headers(hook: dict) -> dict:
    # The official WebHookRequest lets `additional_headers` be any JSON: only an object adds headers.
    extra = hook.get("additional_headers")
    return {str(k): str(v) for k, v in extra.items()} if isinstance(extra, dict) else {}


def emit(event: str, data: dict) -> int:
    sandbox = current()
    store = sandbox.store
    body = payload(store, event, data, isoformat(sandbox.now()))
    with store.transaction():
        if store.update(EVENTS, event, {"payload": body}) is None:
            store.insert(EVENTS, event, {"payload": body})
    targets: dict[str, dict] = {}
    for hook in store.rows(t.WEBHOOKS):
        if hook.get("active", True) and hook.get("event_type") in (None, event):
            targets.setdefault(hook["target_url"], hook)
    for url, hook in targets.items():
        sandbox.webhooks.emit(tenant=sandbox.tenant, vendor="skilljar", event=event, target_url=url,
                              payload=body, basic_auth=_auth(hook), headers=_headers(hook))
    return len(targets)


def ping(hook: dict) -> dict:
    """One PING to the hook's target, whatever its ``active`` flag; the answer reports the outcome."""
    sandbox = current()
    webhooks = sandbox.webhooks
    body = {"event_type": "PING", "timestamp": isoformat(sandbox.now())}
    sent = webhooks.emit(tenant=sandbox.tenant, vendor="skilljar", event="PING", target_url=hook["target_url"],
                         payload=body, basic_auth=_auth(hook), headers=_headers(hook), max_attempts=1)
    record = webhooks.wait_attempted(sent["id"], PING_TIMEOUT) or sent
    attempt = record["attempts"][0] if record["attempts"] else None
    if attempt is None:
        return {"succeeded": False, "message": "The target did not answer in time."}
    code = attempt["status_code"]
    if code is None:
        return {"succeeded": False, "message": f"Could not reach the target: {attempt['error']}"}
    succeeded = 200 <= code < 300
    return {"succeeded": succeeded, "http_status_code": code,
            "message": "Ping delivered." if succeeded else f"The target answered HTTP {code}."}


# -- samples -----------------------------------------------------------------------------------


def _first(store: Store, table: str) -> dict:
    rows = store.rows(table)
    return rows[0] if rows else {}


def _user(store: Store) -> dict:
    user = _first(store, t.USERS)
    return {k: user.get(k, "") for k in ("id", "email", "first_name", "last_name")}


def _course(store: Store) -> dict:
    return event_course(_first(store, t.PUBLISHED_COURSES), store)


def generated(store: Store, event: str, at: str) -> dict:
    """A sample of ``event`` made from the world's first records, for a type that never happened.

    Course and domain enrollments follow Skilljar's documented payloads (user, course, domain);
    the other types carry the same objects plus the one they are about, as the sandbox delivers
    them (the lesson, path, purchase, session or task) [inferred].
    """
    published = _first(store, t.PUBLISHED_COURSES)
    data: dict = {"user": _user(store), "domain": published.get("_domain") or _first(store, t.DOMAINS).get("name", "")}
    if event not in ("DOMAIN_ENROLLMENT", "PATH_ENROLLMENT", "PATH_COMPLETION", "VILT_EVENT_REGISTRATION",
                     "DASHBOARD_TASK_CREATED"):
        data["course"] = _course(store)
        data["published_course_id"] = published.get("id", "")
    if event in ("COURSE_COMPLETION", "LESSON_COMPLETION", "QUIZ_COMPLETION"):
        data["completed_at"] = at
    if event in ("LESSON_COMPLETION", "QUIZ_COMPLETION"):
        lessons = [row for row in store.rows(LESSONS) if row["course_id"] == published.get("_course")]
        lesson = next((row for row in lessons if event != "QUIZ_COMPLETION" or row.get("content_quiz_id")), None) or {}
        data["lesson"] = {"id": lesson.get("id", ""), "title": lesson.get("title", "")}
    if event == "QUIZ_COMPLETION":
        data.update({"quiz_id": lesson.get("content_quiz_id") or "", "score": 1, "max_score": 1,
                     "success_status": "PASSED"})
    if event in ("PATH_ENROLLMENT", "PATH_COMPLETION"):
        path = _first(store, PUBLISHED_PATHS)
        data["published_path_id"] = path.get("id", "")
        data["domain"] = path.get("_domain", data["domain"])
    if event == "PURCHASE_FULFILLMENT":
        data["purchase"] = {"order_id": "SAMPLE", "original_price": "0.00", "purchase_price": "0.00",
                            "currency_code": "USD", "payment_processor": "NONE"}
    if event == "VILT_EVENT_REGISTRATION":
        session = _first(store, ILT_SESSIONS)
        data["vilt_session"] = {"id": session.get("id", ""), "display_name": session.get("display_name", "")}
    if event == "DASHBOARD_TASK_CREATED":
        data["task"] = {"id": "", "title": "Review new enrollments", "created_at": at}
    return payload(store, event, data, at)


def sample(event: str) -> dict:
    sandbox = current()
    store = sandbox.store
    latest = store.get(EVENTS, event)
    return {"results": [latest["payload"] if latest else generated(store, event, isoformat(sandbox.now()))]}
