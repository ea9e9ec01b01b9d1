"""The README's console screenshots, taken from the real page in headless Chromium.

    python scripts/screenshots.py            # writes docs/console/*.png

Starts a sandbox on a free loopback port, drives a little traffic through the vendors' own APIs
(a Skilljar webhook subscription, a new domain user and an invite e-mail, quiz sessions, a near
miss, a stub, a fault), then photographs each view. Needs Debian's chromium and chromium-driver
and selenium, as tests/core/test_console.py does; nothing is downloaded.
"""

from __future__ import annotations

import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

import browser  # noqa: E402  (tests/browser.py: the same headless Chromium as the tests)
from mockserver.testing import SandboxServer  # noqa: E402

OUT = REPO / "docs" / "console"
DOMAIN = "academy.demo-learning.com"


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def traffic(handle, hook_url: str) -> None:
    creds = handle.credentials
    quiz = requests.Session()
    quiz.headers.update({"Authorization": f"Bearer {creds['quiz']['token']}", "Content-Type": "application/vnd.api+json"})
    sj = requests.Session()
    sj.auth = (creds["skilljar"]["api_key"], "")
    canvas = requests.Session()
    canvas.headers["Authorization"] = f"Bearer {creds['canvas']['token']}"
    q, s, c = handle.api("quiz"), handle.api("skilljar"), handle.api("canvas")

    sj.post(f"{s}/webhooks", json={"target_url": hook_url, "event_type": "DOMAIN_ENROLLMENT"}).raise_for_status()
    user = sj.post(f"{s}/domains/{DOMAIN}/users",
                   json={"user": {"email": "new.hire@example.com", "first_name": "Nadia", "last_name": "Hale"}})
    user.raise_for_status()
    sj.post(f"{s}/domains/{DOMAIN}/users/{user.json()['user']['id']}/invites", json={}).raise_for_status()
    sj.get(f"{s}/domains/{DOMAIN}/published-courses", params={"page_size": 5})
    quiz.get(f"{q}/quiz/sessions", params={"page[size]": 3, "sort": "-created_at"})
    quiz.post(f"{q}/quiz/sessions", json={"data": {"type": "quiz/sessions", "attributes": {"person_id": 7}}})
    quiz.get(f"{q}/quiz/sesions/12")  # a typo: a near miss
    canvas.get(f"{c}/courses", params={"per_page": 5})
    canvas.get(f"{c}/course/1/assignments")  # another near miss
    handle.stub({"status": 503, "body": {"errors": [{"title": "Service Unavailable"}]}},
                vendor="quiz", method="POST", path="/quiz/api/v3/quiz/sessions/*/cancel", times=3)
    quiz.post(f"{q}/quiz/sessions/1/cancel")
    handle.fault({"type": "error", "status": 503}, vendor="canvas", method="GET", path="/canvas/api/v1/users/*")
    canvas.get(f"{c}/users/self/profile")
    sj.get(f"{s}/ping")


def shoot(driver, origin: str, view: str, name: str, setup=None, height: int = 820) -> Path:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.set_window_size(1440, height)
    driver.get(f"{origin}/#{view}")
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return document.body.dataset.ready === 'true'"))
    if setup:
        setup(driver)
    time.sleep(0.6)  # the live view's next refresh, and fonts settled
    path = OUT / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def open_first_request(driver) -> None:
    driver.execute_script("""
        const row = [...document.querySelectorAll('#requests-table tbody tr')]
          .find((r) => r.textContent.includes('POST') && r.textContent.includes('/quiz/sessions'));
        (row || document.querySelector('#requests-table tbody tr')).click();""")


def main() -> int:
    reason = browser.missing()
    if reason:
        print(f"screenshots: {reason}", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    with SandboxServer(webhook_backoff=0.05) as handle:
        traffic(handle, f"http://127.0.0.1:{receiver.server_address[1]}/hooks/skilljar")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not all(d["status"] == "delivered" for d in handle.webhooks()):
            time.sleep(0.05)
        driver = browser.chrome()
        try:
            shots = [
                shoot(driver, handle.origin, "overview", "overview", height=900),
                shoot(driver, handle.origin, "requests", "requests", open_first_request, height=900),
                shoot(driver, handle.origin, "unmatched", "near-misses", height=520),
                shoot(driver, handle.origin, "stubs", "stubs", height=700),
                shoot(driver, handle.origin, "outbox", "outbox", height=560),
                shoot(driver, handle.origin, "webhooks", "webhooks", height=480),
                shoot(driver, handle.origin, "clock", "clock", height=560),
            ]
            errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        finally:
            driver.quit()
    receiver.shutdown()
    for shot in shots:
        print(shot.relative_to(REPO))
    if errors:
        print(f"screenshots: the page logged errors: {errors}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
