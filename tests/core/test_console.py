"""The console: served at / and /__admin/ (for a browser), and driven in headless Chromium.

The browser tests need Debian's chromium and chromium-driver (``.ci/run`` installs them) and
selenium; without them they skip, saying which is missing.
"""

from __future__ import annotations

import time

import pytest
import requests

import browser
from support import Receiver, wait_for
from mockserver.testing import SandboxServer

SESSIONS = "/quiz/api/v3/quiz/sessions"


@pytest.fixture(scope="module")
def server():
    server = SandboxServer(webhook_backoff=0.05).start()
    yield server
    server.stop()


# -- served without a browser ----------------------------------------------------------------


def test_the_page_is_served_at_the_root_and_at_admin_for_a_browser_only(server):
    origin = server.handle.origin
    page = requests.get(origin + "/", timeout=30)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Quiz sessions v3 (Verse)" in page.text and 'href="/quiz/api/v3/ui/"' in page.text
    assert 'data-admin-token="none"' in page.text
    browser_like = requests.get(origin + "/__admin/", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
                                timeout=30)
    assert browser_like.status_code == 200 and "<title>mockserver console</title>" in browser_like.text
    assert requests.get(origin + "/__admin/", timeout=30).headers["content-type"].startswith("application/json")
    script = requests.get(origin + "/__admin/console/console.js", timeout=30)
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert requests.get(origin + "/__admin/console/nope.js", timeout=30).status_code == 404
    assert requests.get(origin + "/__admin/console/../handlers.py", timeout=30).status_code == 404
    server.handle.clear_requests()
    requests.get(origin + "/", timeout=30)
    assert server.handle.requests() == []  # the page is not a vendor request


def test_with_an_admin_token_the_page_needs_none_but_the_api_does():
    with SandboxServer(admin_token="console-secret") as handle:
        page = requests.get(handle.origin + "/", timeout=30)
        assert page.status_code == 200 and 'data-admin-token="required"' in page.text
        assert "console-secret" not in page.text
        assert requests.get(handle.origin + "/__admin/credentials", timeout=30).status_code == 401


# -- in the browser --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def driver():
    reason = browser.missing()
    if reason:
        pytest.skip(f"no headless browser: {reason}")
    chrome = browser.chrome()
    yield chrome
    chrome.quit()


def js_errors(driver) -> list[dict]:
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def open_view(driver, origin: str, view: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{origin}/#{view}")
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return document.body.dataset.ready === 'true'"))


def until(driver, predicate, timeout: float = 20):
    from selenium.webdriver.support.ui import WebDriverWait

    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

    return WebDriverWait(driver, timeout, poll_frequency=0.1,
                         ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)).until(predicate)


def quiz_headers(handle) -> dict:
    return {"Authorization": f"Bearer {handle.credentials['quiz']['token']}"}


def test_every_view_loads_with_no_javascript_errors(server, driver):
    driver.get_log("browser")  # start from an empty log
    for view in ("overview", "requests", "unmatched", "stubs", "outbox", "webhooks", "faults", "clock",
                 "tenants", "state"):
        open_view(driver, server.handle.origin, view)
        assert driver.find_element("id", f"view-{view}").is_displayed()
    cards = driver.find_elements("css selector", ".vendor")
    assert {c.get_attribute("data-vendor") for c in cards} == set(server.handle.health()["vendors"])
    open_view(driver, server.handle.origin, "overview")
    until(driver, lambda d: "quiz-demo" in d.find_element("css selector", '.vendor[data-vendor="quiz"] .credentials').text
          or server.handle.credentials["quiz"]["token"][:8] in d.find_element(
              "css selector", '.vendor[data-vendor="quiz"] .credentials').get_attribute("innerHTML"))
    assert js_errors(driver) == []


def test_a_request_just_made_appears_in_the_journal_view_and_opens(server, driver):
    handle = server.handle
    open_view(driver, handle.origin, "requests")
    marker = f"console-{time.monotonic_ns()}"
    answer = requests.get(f"{handle.origin}{SESSIONS}?filter[name]={marker}", headers=quiz_headers(handle), timeout=30)
    assert answer.status_code == 200
    row = until(driver, lambda d: next((r.get_attribute("data-id") for r in d.find_elements(
        "css selector", "#requests-table tbody tr") if marker in r.text and "GET" in r.text and "200" in r.text),
        False))  # the view refreshes by itself
    until(driver, lambda d: d.find_element("css selector", f'#requests-table tr[data-id="{row}"]').click() or True)
    detail = until(driver, lambda d: d.find_element("id", "request-detail") if d.find_element(
        "id", "request-detail").is_displayed() else False)
    assert "response body" in detail.text.lower() and "[redacted]" in detail.text  # the token is not shown
    assert js_errors(driver) == []


def test_replay_from_the_page_redelivers_a_webhook(server, driver):
    receiver = Receiver([200])
    try:
        emitted = server.app.webhooks.emit(tenant="default", vendor="skilljar", event="COURSE_COMPLETION",
                                           target_url=receiver.url(), payload={"user": 7})
        assert wait_for(lambda: len(receiver.requests) == 1)
        open_view(driver, server.handle.origin, "webhooks")
        button = until(driver, lambda d: d.find_element("css selector", f'button[data-replay="{emitted["id"]}"]'))
        button.click()
        assert wait_for(lambda: len(receiver.requests) == 2)
        assert receiver.requests[1]["body"] == receiver.requests[0]["body"]
        until(driver, lambda d: "#2" in d.find_element("css selector", f'#webhooks-table tr[data-id="{emitted["id"]}"]').text)
    finally:
        receiver.close()
    assert js_errors(driver) == []


def test_advancing_the_clock_from_the_page_moves_the_sandbox_clock(server, driver):
    handle = server.handle
    handle.clock(now="2027-03-01T09:00:00Z", frozen=True)
    try:
        open_view(driver, handle.origin, "clock")
        until(driver, lambda d: d.find_element("id", "clock-now").text.startswith("2027-03-01 09:00:00"))
        driver.find_element("css selector", 'button[data-advance="86400"]').click()
        assert wait_for(lambda: handle.clock()["now"].startswith("2027-03-02T09:00:00"))
        form = driver.find_element("id", "clock-advance")
        form.find_element("name", "seconds").send_keys("90")
        form.find_element("css selector", "button[type=submit]").click()
        assert wait_for(lambda: handle.clock()["now"].startswith("2027-03-02T09:01:30"))
        until(driver, lambda d: d.find_element("id", "clock-now").text.startswith("2027-03-02 09:01:30"))
    finally:
        handle.clock(now=None, frozen=False)
    assert js_errors(driver) == []


def test_a_stub_added_from_the_page_answers(server, driver):
    handle = server.handle
    handle.clear_stubs()
    open_view(driver, handle.origin, "stubs")
    form = driver.find_element("id", "stub-form")
    from selenium.webdriver.support.ui import Select

    Select(form.find_element("name", "vendor")).select_by_value("quiz")
    form.find_element("name", "method").send_keys("GET")
    form.find_element("name", "path").send_keys(SESSIONS + "/from-the-page")
    status = form.find_element("name", "status")
    status.clear()
    status.send_keys("418")
    body = form.find_element("name", "body")
    body.clear()
    body.send_keys('{"teapot": true}')
    form.find_element("css selector", "button[type=submit]").click()
    assert wait_for(lambda: len(handle.stubs()) == 1)
    answer = requests.get(handle.origin + SESSIONS + "/from-the-page", headers=quiz_headers(handle), timeout=30)
    assert answer.status_code == 418 and answer.json() == {"teapot": True}
    until(driver, lambda d: "from-the-page" in d.find_element("id", "stubs-table").text)
    handle.clear_stubs()
    assert js_errors(driver) == []


def test_with_an_admin_token_the_page_asks_for_it_and_then_works(driver):
    from selenium.webdriver.common.by import By

    with SandboxServer(admin_token="console-secret") as handle:
        driver.get(handle.origin + "/#overview")
        dialog = until(driver, lambda d: d.find_element(By.ID, "token-dialog") if d.find_element(
            By.ID, "token-dialog").is_displayed() else False)
        dialog.find_element(By.NAME, "token").send_keys("console-secret")
        dialog.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        until(driver, lambda d: d.execute_script("return document.body.dataset.ready === 'true'"))
        assert driver.find_element(By.ID, "health").text  # read with the token
        assert "console-secret" not in driver.execute_script(
            "return JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie")
        assert js_errors(driver) == []


def test_a_snapshot_saved_from_the_page_can_be_restored_there(server, driver):
    handle = server.handle
    open_view(driver, handle.origin, "state")
    form = driver.find_element("id", "snapshot-form")
    form.find_element("name", "name").send_keys("from-the-console")
    form.find_element("css selector", "button[type=submit]").click()
    assert wait_for(lambda: any(s["name"] == "from-the-console" for s in handle.snapshots()))
    token = handle.credentials["quiz"]["token"]
    made = requests.post(handle.api("quiz") + "/quiz/sessions", headers={"Authorization": f"Bearer {token}"},
                         json={"data": {"type": "quiz/sessions", "attributes": {"person_id": 1001}}})
    assert made.status_code == 201
    row = until(driver, lambda d: next((r for r in d.find_elements("css selector", "#snapshots-table tbody tr")
                                        if r.text.startswith("from-the-console")), None))
    row.find_element("xpath", ".//button[text()='Restore']").click()
    assert wait_for(lambda: requests.get(handle.api("quiz") + f"/quiz/sessions/{made.json()['data']['id']}",
                                         headers={"Authorization": f"Bearer {token}"}).status_code == 404)
    handle.delete_snapshot("from-the-console")
    assert js_errors(driver) == []
