"""Outbox and webhook deliveries through the admin API and the pytest handle.

No vendor sends mail or webhooks yet (Skilljar, Synap and Canvas will), so these tests call the
producer API in-process, the way a vendor handler does: ``sandbox.outbox.send`` for the world of
the request's tenant, ``current_gateway().webhooks.emit`` for deliveries.
"""

from __future__ import annotations


import pytest
import requests

from support import Receiver, wait_for
from mockserver.testing import SandboxServer


@pytest.fixture(scope="module")
def server():
    server = SandboxServer(webhook_backoff=0.05).start()
    yield server
    server.stop()



def test_the_outbox_lists_a_tenants_messages_and_reset_empties_it(server):
    handle = server.handle
    other = handle.tenant("mail-other")
    server.sandbox.outbox.send(vendor="synap", to="Ada@Example.com", subject="Verify your e-mail",
                               body="token abc", kind="email_verification", data={"token": "abc"})
    server.sandbox.outbox.send(vendor="skilljar", to="bob@example.com", subject="You are invited", kind="invite")
    server.app.tenants.get("mail-other").outbox.send(vendor="synap", to="ada@example.com", subject="elsewhere")
    try:
        mine = handle.outbox(to="ada@example.com")
        assert [m["subject"] for m in mine] == ["Verify your e-mail"] and mine[0]["data"] == {"token": "abc"}
        assert [m["vendor"] for m in handle.outbox()] == ["skilljar", "synap"]  # newest first
        assert handle.outbox(kind="invite")[0]["to"] == "bob@example.com"
        assert [m["subject"] for m in other.outbox()] == ["elsewhere"]
        handle.reset()
        assert handle.outbox() == [] and len(other.outbox()) == 1
        assert requests.delete(handle.origin + "/__admin/outbox", headers=other.headers).status_code == 204
        assert other.outbox() == []
    finally:
        other.drop()


def test_webhook_deliveries_retry_show_every_attempt_and_replay(server):
    receiver = Receiver([503, 500, 200])
    try:
        emitted = server.app.webhooks.emit(tenant="default", vendor="skilljar", event="COURSE_COMPLETION",
                                           target_url=receiver.url(), payload={"user": 1},
                                           basic_auth=("hook", "pw"))
        handle = server.handle
        assert wait_for(lambda: handle.webhooks(event="COURSE_COMPLETION")[0]["status"] == "delivered")
        delivery = handle.webhooks(event="COURSE_COMPLETION")[0]
        assert delivery["id"] == emitted["id"] and delivery["basic_auth"] is True
        assert [a["status_code"] for a in delivery["attempts"]] == [503, 500, 200]
        assert "pw" not in str(delivery)
        assert receiver.requests[-1]["headers"]["authorization"].startswith("Basic ")
        replayed = handle.replay(delivery["id"])
        assert replayed["id"] == delivery["id"]
        assert wait_for(lambda: len(receiver.requests) == 4)
        assert wait_for(lambda: handle.webhooks()[0]["attempt"] == 4)
        one = requests.get(f"{handle.origin}/__admin/webhooks/{delivery['id']}").json()
        assert one["status"] == "delivered" and one["attempts"][-1]["attempt"] == 4
    finally:
        receiver.close()


def test_webhook_deliveries_are_scoped_by_tenant(server):
    receiver = Receiver([200])
    try:
        server.app.webhooks.emit(tenant="hooks-a", vendor="synap", event="assignment.complete",
                                 target_url=receiver.url(), payload={})
        a, handle = server.handle.tenant("hooks-a"), server.handle
        assert wait_for(lambda: [d["status"] for d in a.webhooks()] == ["delivered"])
        theirs = a.webhooks()[0]["id"]
        assert all(d["tenant"] == "default" for d in handle.webhooks())
        assert requests.get(f"{handle.origin}/__admin/webhooks/{theirs}").status_code == 404
        assert requests.post(f"{handle.origin}/__admin/webhooks/{theirs}/replay").status_code == 404
        everyone = requests.get(f"{handle.origin}/__admin/webhooks", params={"tenant": "*"}).json()["deliveries"]
        assert theirs in [d["id"] for d in everyone]
    finally:
        receiver.close()


def test_unknown_delivery_is_404(server):
    response = requests.post(f"{server.handle.origin}/__admin/webhooks/999999/replay")
    assert response.status_code == 404 and response.json()["error"]["status"] == 404
