"""Every vendor writes date-times as RFC 3339, with a four-digit year (issue 15 §6): a sandbox
clock in the year 937 gives ``0937-03-15T01:06:51Z``, never ``937-03-15T01:06:51Z`` (glibc's
``strftime("%Y")`` does not pad). The spec checker validates each ``format: date-time`` too."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from mockserver.clock import isoformat, parse

EARLY = "0937-03-15T01:06:51Z"
HOUR_LATER = "0937-03-15T02:06:51Z"


@pytest.mark.parametrize("moment, text", [
    (datetime(937, 3, 15, 1, 6, 51, tzinfo=timezone.utc), EARLY),
    (datetime(9, 1, 2, 3, 4, 5, 678, tzinfo=timezone.utc), "0009-01-02T03:04:05Z"),
    (datetime(2026, 12, 7, 2, 0, 0), "2026-12-07T02:00:00Z"),
])
def test_isoformat_always_writes_four_year_digits(moment, text):
    assert isoformat(moment) == text
    assert isoformat(parse(text)) == text


@pytest.fixture
def early(fresh):
    assert fresh.clock(now=EARLY, frozen=True)["now"] == EARLY
    return fresh


def test_quiz_session_times(quiz, early):
    created = quiz.post("/quiz/sessions", json={"data": {"type": "quiz/sessions", "attributes": {"person_id": 9}}})
    assert created.status_code == 201, created.text
    attributes = created.json()["data"]["attributes"]
    assert (attributes["created_at"], attributes["expires_at"]) == (EARLY, HOUR_LATER)


def test_synap_resource_times(synap, early):
    created = synap.post("/tag-sets", json={"data": {"type": "TagSet", "attributes": {"name": "Early"}}})
    assert created.status_code == 201, created.text
    attributes = created.json()["data"]["attributes"]
    assert (attributes["createdAt"], attributes["updatedAt"]) == (EARLY, EARLY)


def test_skilljar_course_times(sj, early):
    created = sj.post("/courses", json={"title": "Early", "short_description": "x", "enforce_sequential_navigation": False})
    assert created.status_code == 201, created.text
    assert (created.json()["created_at"], created.json()["modified_at"]) == (EARLY, EARLY)


def test_canvas_token_and_report_times(cv, early):
    token = cv.post("/users/self/tokens", data={"token[purpose]": "Early"})
    assert token.status_code == 200, token.text
    assert token.json()["created_at"] == EARLY
    early.advance_clock(3600)
    report = cv.post("/accounts/1/reports/provisioning_csv", data={"parameters[users]": "true"}).json()
    early.advance_clock(600)
    done = cv.get(f"/accounts/1/reports/provisioning_csv/{report['id']}").json()
    assert done["ended_at"] == "0937-03-15T02:07:53Z" and done["attachment"]["created_at"] == done["ended_at"]
    assert f"_15_Mar_0937_{report['id']}_" in done["attachment"]["filename"]
    assert cv.get(done["file_url"]).status_code == 200


def test_the_journal_and_the_admin_clock(early):
    assert early.clock()["now"] == EARLY
