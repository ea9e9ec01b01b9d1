"""Multi-factor authentication with a TOTP app (RFC 6238: SHA-1, 30-second steps, 6 digits).

``Create MFAConfig`` starts enrolment for the caller (or, for admins, ``relationships.user``): the
response shows the base32 ``secret`` and its ``otpauthUrl`` once; the config is ``pending`` and a
newer one supersedes it. ``Activate MFA`` (POST /mfa-configs/{id}/activation) takes a ``code``
from the app, checked against the sandbox clock (one step either side); a right code makes the
config ``active`` and the user's account ``mfaEnabled``. ``Create MfaDeactivation`` turns it off:
the user gives a current code, an administrator may do it for anyone without one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
from datetime import datetime

from mockserver.errors import Conflict
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.ids import secret
from mockserver.vendors.synap.records import ident, table
from mockserver.vendors.synap.rules.ownership import Owned, acting_for

STEP = 30
ISSUER = "Synap"

_owned = Owned("MfaConfig")
allow = _owned.allow


def totp(secret_b32: str, at: datetime, offset: int = 0) -> str:
    counter = int(at.timestamp()) // STEP + offset
    digest = hmac.new(base64.b32decode(secret_b32), struct.pack(">Q", counter), hashlib.sha1).digest()
    start = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[start:start + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def code_matches(call, config: dict, code: str | None) -> bool:
    return bool(code) and any(hmac.compare_digest(totp(config["_secret"], call.now, d), code) for d in (-1, 0, 1))


def active_config(store, user_id: str) -> dict | None:
    return next((c for c in store.rows(table("MfaConfig"))
                 if c["relationships"]["user"]["id"] == user_id and c["attributes"]["status"] == "active"), None)


def _set_enabled(call, user: dict, enabled: bool) -> None:
    call.store.update(table("User"), user["id"], {"_mfaEnabled": enabled})


def create(call, record, body) -> dict:
    user = acting_for(call, record, "MfaConfig")
    if active_config(call.store, user["id"]):
        raise Conflict("Multi-factor authentication is already active for this user; deactivate it first.")
    for old in call.store.rows(table("MfaConfig")):
        if old["relationships"]["user"]["id"] == user["id"] and old["attributes"]["status"] == "pending":
            call.store.update(table("MfaConfig"), old["id"], {"attributes": {**old["attributes"], "status": "superseded"}})
    key = base64.b32encode(bytes.fromhex(secret(call.store, "mfa", 40))).decode()
    record["_secret"] = key
    record["attributes"].update({"method": "totp", "status": "pending", "activatedAt": None, "deactivatedAt": None})
    label = user["attributes"].get("emailAddress") or user["id"]
    return {"secret": key, "otpauthUrl": f"otpauth://totp/{ISSUER}:{label}?secret={key}&issuer={ISSUER}&digits=6&period={STEP}"}


def activate(call, config: dict, code: str | None) -> dict:
    """Activate MFA (inside a transaction): the config with its new state."""
    if config["attributes"]["status"] != "pending":
        raise Conflict(f"This MfaConfig is {config['attributes']['status']}; only a pending one can be activated.")
    if not code_matches(call, config, code):
        raise invalid(("attributes", "code"), "The code does not match the authenticator app's current code.")
    user = call.record("User", config["relationships"]["user"]["id"])
    if user is None:
        raise invalid(("attributes", "code"), "The user of this MfaConfig no longer exists.")
    _set_enabled(call, user, True)
    return call.store.update(table("MfaConfig"), config["id"], {"attributes": {
        **config["attributes"], "status": "active", "activatedAt": call.timestamp, "updatedAt": call.timestamp}})


class Deactivation:
    """Hooks of MfaDeactivation."""

    allow = staticmethod(_owned.allow)

    @staticmethod
    def create(call, record, body) -> None:
        user = acting_for(call, record, "MfaDeactivation")
        config = active_config(call.store, user["id"])
        if config is None:
            raise Conflict("Multi-factor authentication is not active for this user.")
        code = record["attributes"].pop("code", None)
        if not call.is_admin and not code_matches(call, config, code):
            raise invalid(("attributes", "code"), "A current code from the authenticator app is required.")
        call.store.update(table("MfaConfig"), config["id"], {"attributes": {
            **config["attributes"], "status": "deactivated", "deactivatedAt": call.timestamp, "updatedAt": call.timestamp}})
        _set_enabled(call, user, False)
        record["relationships"]["mfaConfig"] = ident("MfaConfig", config)


deactivation = Deactivation()
