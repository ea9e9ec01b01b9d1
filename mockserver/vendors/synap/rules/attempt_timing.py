"""AttemptSchedule and AttemptTimer (with AttemptTimerReset): when an attempt may be sat and how
long the candidate has, worked out from the sandbox clock whenever it is read.

Each attempt has one schedule (``opensAt``/``closesAt`` window, ``timeLimitMinutes`` plus
``extraTimeMinutes``; null limit = untimed) and one timer. The timer starts with the first sitting,
stops at submission, can be paused (``isPaused``; a lock pauses it too) and its duration changed;
``remainingSeconds`` = duration - time run. A reset (``POST /attempt-timer-resets``) gives the full
duration back. Once the time is up the candidate's answers are refused (403) until a reset or more
time; submitting stays possible.
"""

from __future__ import annotations

from datetime import timedelta

from mockserver.clock import isoformat, parse
from mockserver.errors import Conflict, Forbidden
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import add, ident, linked_id, table
from mockserver.vendors.synap.rules.attempt_records import ByAttempt, get, require_attempt


def make(call, attempt: dict, limit: int | None) -> None:
    """A new attempt's schedule and timer (inside the transaction)."""
    schedule = add(call, "AttemptSchedule", {
        "opensAt": None, "closesAt": None, "timeLimitMinutes": limit, "extraTimeMinutes": 0,
    }, {"attempt": ident("Attempt", attempt)}, _attempt=attempt["id"])
    timer = add(call, "AttemptTimer", {
        "durationSeconds": limit * 60 if limit else None, "isPaused": False, "startedAt": None, "resetCount": 0,
    }, {"attempt": ident("Attempt", attempt)}, _attempt=attempt["id"], _elapsed=0.0, _runningSince=None,
        _pausedByLock=False)
    attempt["relationships"]["schedule"] = ident("AttemptSchedule", schedule)
    attempt["relationships"]["timer"] = ident("AttemptTimer", timer)


def timer_of(call, attempt: dict) -> dict | None:
    return call.record("AttemptTimer", linked_id(attempt, "timer") or "")


def elapsed(call, timer: dict) -> float:
    """Seconds the timer has run; whole seconds, as every stored timestamp is."""
    running = timer.get("_runningSince")
    extra = (parse(call.timestamp) - parse(running)).total_seconds() if running else 0.0
    return (timer.get("_elapsed") or 0.0) + max(0.0, extra)


def _remaining(call, timer: dict | None) -> int | None:
    if timer is None or timer["attributes"]["durationSeconds"] is None:
        return None
    return max(0, int(timer["attributes"]["durationSeconds"] - elapsed(call, timer)))


def remaining(call, attempt: dict) -> int | None:
    return _remaining(call, timer_of(call, attempt))


def expired(call, attempt: dict) -> bool:
    return remaining(call, attempt) == 0


def _write(call, timer: dict, attributes: dict | None = None, **private) -> dict:
    fields = {**private}
    if attributes is not None:
        fields["attributes"] = {**timer["attributes"], **attributes, "updatedAt": call.timestamp}
    return call.store.update(table("AttemptTimer"), timer["id"], fields)


def run(call, attempt: dict) -> None:
    """The first sitting starts the clock."""
    timer = timer_of(call, attempt)
    if timer is None or timer["attributes"]["startedAt"] is not None:
        return
    running = None if timer["attributes"]["isPaused"] or attempt["attributes"]["isLocked"] else call.timestamp
    _write(call, timer, {"startedAt": call.timestamp}, _runningSince=running)


def stop(call, attempt: dict) -> None:
    """Submission: the time used is kept, the clock no longer runs."""
    timer = timer_of(call, attempt)
    if timer is not None and timer.get("_runningSince"):
        _write(call, timer, _elapsed=elapsed(call, timer), _runningSince=None)


def hold(call, attempt: dict, held: bool) -> None:
    """A lock pauses a running timer; removing the lock lets it run again."""
    timer = timer_of(call, attempt)
    if timer is None or timer["attributes"]["startedAt"] is None or attempt["attributes"]["status"] != "started":
        return
    if held and timer.get("_runningSince"):
        _write(call, timer, _elapsed=elapsed(call, timer), _runningSince=None, _pausedByLock=True)
    elif not held and timer.get("_pausedByLock"):
        running = None if timer["attributes"]["isPaused"] else call.timestamp
        _write(call, timer, _runningSince=running, _pausedByLock=False)


# -- AttemptTimer hooks ---------------------------------------------------------------------------


class Timer(ByAttempt):
    @staticmethod
    def attributes(call, record) -> dict:
        left = _remaining(call, record)
        duration = record["attributes"]["durationSeconds"]
        expires = None
        if left is not None and record.get("_runningSince"):
            expires = isoformat(parse(call.timestamp) + _seconds(left))
        return {"remainingSeconds": left, "elapsedSeconds": int(elapsed(call, record)),
                "isRunning": bool(record.get("_runningSince")), "expiresAt": expires,
                "isExpired": duration is not None and left == 0}

    @staticmethod
    def update(call, record, changes) -> None:
        attempt = get(call, record["_attempt"])
        if attempt["attributes"]["status"] == "submitted":
            raise Conflict("The attempt has been submitted: its timer no longer changes.")
        if "durationSeconds" in changes:
            value = changes["durationSeconds"]
            if value is not None and (not isinstance(value, int) or value < 1):
                raise invalid(("attributes", "durationSeconds"), "durationSeconds is a whole number (>= 1), or null.")
        if "isPaused" in changes and changes["isPaused"] != record["attributes"]["isPaused"]:
            started = record["attributes"]["startedAt"] is not None and not record.get("_pausedByLock")
            if changes["isPaused"] and record.get("_runningSince"):
                _write(call, record, _elapsed=elapsed(call, record), _runningSince=None)
            elif not changes["isPaused"] and started and not attempt["attributes"]["isLocked"]:
                _write(call, record, _runningSince=call.timestamp)


def _seconds(n: int) -> timedelta:
    return timedelta(seconds=n)


# -- AttemptTimerReset ----------------------------------------------------------------------------


class TimerReset(ByAttempt):
    @staticmethod
    def create(call, record, body) -> None:
        attempt = require_attempt(call, record)
        timer = timer_of(call, attempt)
        if attempt["attributes"]["status"] == "submitted":
            raise Conflict("The attempt has been submitted: its timer cannot be reset.")
        if timer is None or timer["attributes"]["durationSeconds"] is None:
            raise Conflict("This attempt is untimed: there is no timer to reset.")
        running = timer["attributes"]["startedAt"] is not None and not timer["attributes"]["isPaused"] \
            and not timer.get("_pausedByLock")
        record["attributes"]["previousRemainingSeconds"] = _remaining(call, timer)
        record["relationships"]["timer"] = ident("AttemptTimer", timer)
        record["relationships"]["resetBy"] = {"type": "User", "id": call.user_id} if call.user_id else None
        record["_attempt"] = attempt["id"]
        _write(call, timer, {"resetCount": timer["attributes"]["resetCount"] + 1},
               _elapsed=0.0, _runningSince=call.timestamp if running else None)


# -- AttemptSchedule ------------------------------------------------------------------------------


def retime(call, attempt_id: str, schedule_attributes: dict) -> None:
    """The timer's duration follows the schedule: the limit plus extra time (null: untimed)."""
    limit, extra = schedule_attributes["timeLimitMinutes"], schedule_attributes["extraTimeMinutes"] or 0
    timer = timer_of(call, get(call, attempt_id))
    if timer is not None:
        _write(call, timer, {"durationSeconds": (limit + extra) * 60 if limit else None})


def set_time_limit(call, attempt: dict, limit: int | None) -> None:
    """The Attempt's ``timeLimitMinutes`` shortcut writes through to its schedule."""
    schedule = call.record("AttemptSchedule", linked_id(attempt, "schedule") or "")
    if schedule is None:
        return
    attributes = {**schedule["attributes"], "timeLimitMinutes": limit, "updatedAt": call.timestamp}
    call.store.update(table("AttemptSchedule"), schedule["id"], {"attributes": attributes})
    retime(call, attempt["id"], attributes)


class Schedule(ByAttempt):
    @staticmethod
    def attributes(call, record) -> dict:
        attrs = record["attributes"]
        opens, closes = attrs["opensAt"], attrs["closesAt"]
        is_open = (opens is None or parse(opens) <= call.now) and (closes is None or call.now < parse(closes))
        return {"isOpen": is_open}

    @staticmethod
    def update(call, record, changes) -> None:
        attempt = get(call, record["_attempt"])
        if attempt["attributes"]["status"] == "submitted":
            raise Conflict("The attempt has been submitted: its schedule no longer changes.")
        attrs = {**record["attributes"], **changes}
        if attrs["opensAt"] and attrs["closesAt"] and parse(attrs["closesAt"]) <= parse(attrs["opensAt"]):
            raise invalid(("attributes", "closesAt"), "closesAt must be after opensAt.")
        if attrs["extraTimeMinutes"] is None:
            changes["extraTimeMinutes"] = attrs["extraTimeMinutes"] = 0
        if {"timeLimitMinutes", "extraTimeMinutes"} & set(changes):
            retime(call, attempt["id"], attrs)


def require_open(call, attempt: dict) -> None:
    schedule = call.record("AttemptSchedule", linked_id(attempt, "schedule") or "")
    if schedule is None:
        return
    attrs = schedule["attributes"]
    if attrs["opensAt"] and call.now < parse(attrs["opensAt"]):
        raise Forbidden(f"This attempt opens at {attrs['opensAt']}.")
    if attrs["closesAt"] and call.now >= parse(attrs["closesAt"]):
        raise Forbidden(f"This attempt closed at {attrs['closesAt']}.")


timer = Timer()
timer_reset = TimerReset()
schedule = Schedule()
