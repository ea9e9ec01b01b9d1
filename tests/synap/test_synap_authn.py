"""Synap Authentication group beyond PATs: sign-in options per provider (one table), the public
list without a token, Zapier keys shown once, TOTP multi-factor, bot sessions and their tokens,
app-login QR codes, and signing out of one's own session."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
from datetime import datetime

import requests

from synap_helpers import body, errors, everything, group_named, ok, one

STAFF = {"Authorization": "Bearer p:synap-staff-2b8f6c1e9a4d7035"}
SAML = {"name": "Azure AD", "entityId": "https://sts.windows.net/abc/", "ssoUrl": "https://login.microsoftonline.com/abc/saml2",
        "certificate": "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----"}


def totp(secret: str, at: datetime, digits: int = 6) -> str:
    """RFC 6238 (SHA-1, 30 s), written here independently of the server's."""
    counter = struct.pack(">Q", int(at.timestamp()) // 30)
    digest = hmac.new(base64.b32decode(secret), counter, hashlib.sha1).digest()
    offset = digest[19] & 15
    return str((int.from_bytes(digest[offset:offset + 4], "big") & 0x7FFFFFFF) % 10 ** digits).zfill(digits)


def test_our_totp_matches_the_rfc_6238_vector():
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp(secret, datetime.fromtimestamp(59), 8) == "94287082"


def me(synap, headers=None) -> dict:
    return ok(synap.get("/session-context", headers=headers or {}))["data"]


# -- authentication options ------------------------------------------------------------------------


def test_each_provider_is_its_own_type_on_one_table_listed_together(synap):
    made = ok(synap.post("/saml-authentication-options", json=body("SAMLAuthenticationOption", SAML)), 201)["data"]
    assert made["type"] == "SAMLAuthenticationOption" and made["attributes"]["provider"] == "saml"
    assert made["attributes"]["enabled"] is True and made["attributes"]["loginUrl"].endswith(f"/auth/saml/{made['id']}")
    auth0 = ok(synap.post("/auth0-authentication-options", json=body("Auth0AuthenticationOption", {
        "name": "Auth0", "domain": "demo.eu.auth0.com", "clientId": "abc", "clientSecret": "s3cret"})), 201)["data"]
    assert "clientSecret" not in auth0["attributes"] and auth0["attributes"]["secretConfigured"] is True
    listed = everything(synap, "/authentication-options")
    assert {o["type"] for o in listed} == {"AuthenticationOption"}
    assert {made["id"], auth0["id"]} <= {o["id"] for o in listed}
    assert {o["attributes"]["provider"] for o in listed} >= {"local", "saml", "auth0", "lti13", "adfs", "jwt"}
    saml_only = everything(synap, "/authentication-options", **{"filter[provider]": "saml"})
    assert {o["attributes"]["provider"] for o in saml_only} == {"saml"} and len(saml_only) == 2
    # a SAML id is not an Auth0 option, and the Local option is not deleted through another provider's path
    errors(synap.get(f"/auth0-authentication-options/{made['id']}"), 404)
    local = next(o for o in listed if o["attributes"]["provider"] == "local")
    errors(synap.delete(f"/saml-authentication-options/{local['id']}"), 404)
    ok(synap.get(f"/local-authentication-options/{local['id']}"))


def test_a_patch_leaving_the_secret_out_keeps_it_and_deleting_an_option_removes_it(synap):
    jwt = ok(synap.post("/jwt-authentication-options", json=body("JWTAuthenticationOption", {
        "name": "Intranet", "remoteLoginUrl": "https://intranet.example/login", "sharedSecret": "0123456789abcdef0123"})), 201)["data"]
    url = f"/jwt-authentication-options/{jwt['id']}"
    changed = ok(synap.patch(url, json=body("JWTAuthenticationOption", {"name": "Intranet SSO"}, id=jwt["id"])))
    assert changed["data"]["attributes"]["name"] == "Intranet SSO" and changed["data"]["attributes"]["secretConfigured"] is True
    assert synap.delete(url).status_code == 204
    errors(synap.get(url), 404)


def test_the_portal_keeps_one_enabled_sign_in_option(synap):
    enabled = [o for o in everything(synap, "/authentication-options") if o["attributes"]["enabled"]]
    *others, last = enabled
    paths = {"local": "/local-authentication-options", "saml": "/saml-authentication-options", "lti13": "/lti13-authentication-options"}
    typed = {"local": "LocalAuthenticationOption", "saml": "SAMLAuthenticationOption", "lti13": "LTI13AuthenticationOption"}
    for option in others:
        provider = option["attributes"]["provider"]
        ok(synap.patch(f"{paths[provider]}/{option['id']}", json=body(typed[provider], {"enabled": False}, id=option["id"])))
    provider = last["attributes"]["provider"]
    errs = errors(synap.patch(f"{paths[provider]}/{last['id']}", json=body(typed[provider], {"enabled": False}, id=last["id"])), 409)
    assert "last enabled" in errs[0]["detail"]
    if provider != "local":
        errors(synap.delete(f"{paths[provider]}/{last['id']}"), 409)


def test_public_options_need_no_token_and_show_only_enabled_ones(synap, fresh):
    public = requests.get(fresh.api("synap") + "/public-authentication-options", params={"limit": 50, "offset": 0}, timeout=30)
    assert public.status_code == 200, public.text
    shown = public.json()["data"]
    assert shown and {o["type"] for o in shown} == {"PublicAuthenticationOption"}
    admin_view = {o["id"]: o for o in everything(synap, "/authentication-options")}
    assert all(admin_view[o["id"]]["attributes"]["enabled"] for o in shown)
    assert {i for i, o in admin_view.items() if o["attributes"]["enabled"]} == {o["id"] for o in shown}
    assert set(shown[0]["attributes"]) == {"provider", "name", "buttonLabel", "loginUrl"}


def test_only_admins_see_or_change_authentication_options(synap):
    errors(synap.get("/authentication-options", params={"limit": 5, "offset": 0}, headers=STAFF), 403)
    errors(synap.post("/saml-authentication-options", json=body("SAMLAuthenticationOption", SAML), headers=STAFF), 403)


# -- Zapier keys -------------------------------------------------------------------------------------


def test_a_zapier_key_is_shown_once_then_only_its_preview(synap):
    made = ok(synap.post("/zapier-api-keys", json=body("ZapierApiKey", {"label": "CRM zap"})), 201)["data"]
    key = made["attributes"]["apiKey"]
    assert key.startswith("z:") and made["attributes"]["keyPreview"] == key[-4:]
    listed = next(k for k in everything(synap, "/zapier-api-keys") if k["id"] == made["id"])
    assert "apiKey" not in listed["attributes"] and listed["attributes"]["keyPreview"] == key[-4:]
    url = f"/zapier-api-keys/{made['id']}"
    assert ok(synap.patch(url, json=body("ZapierApiKey", {"isRevoked": True}, id=made["id"])))["data"]["attributes"]["isRevoked"]
    errs = errors(synap.patch(url, json=body("ZapierApiKey", {"isRevoked": False}, id=made["id"])), 400)
    assert errs[0]["source"] == {"pointer": "/data/attributes/isRevoked"}
    assert synap.delete(url).status_code == 204
    errors(synap.get("/zapier-api-keys", params={"limit": 5, "offset": 0}, headers=STAFF), 403)


# -- MFA ---------------------------------------------------------------------------------------------


def test_mfa_enrolment_activates_with_the_apps_current_code(synap, fresh):
    fresh.clock(now="2026-03-01T09:00:00Z", frozen=True)
    admin = me(synap)
    config = ok(synap.post("/mfa-configs", json=body("MfaConfig", {})), 201)["data"]
    secret = config["attributes"]["secret"]
    assert config["attributes"]["status"] == "pending" and f"secret={secret}" in config["attributes"]["otpauthUrl"]
    shown = ok(synap.get(f"/mfa-configs/{config['id']}"))["data"]
    assert "secret" not in shown["attributes"] and shown["relationships"]["user"]["data"]["id"] == admin["id"]
    url = f"/mfa-configs/{config['id']}/activation"
    wrong = str((int(totp(secret, datetime.fromisoformat("2026-03-01T09:00:00+00:00"))) + 1) % 1_000_000).zfill(6)
    errs = errors(synap.post(url, json=body("MfaActivation", {"code": wrong})), 400)
    assert errs[0]["source"] == {"pointer": "/data/attributes/code"}
    assert ok(synap.get(f"/user-accounts/{admin['id']}"))["data"]["attributes"]["mfaEnabled"] is False
    code = totp(secret, datetime.fromisoformat("2026-03-01T09:00:00+00:00"))
    active = ok(synap.post(url, json=body("MfaActivation", {"code": code})))["data"]
    assert active["attributes"]["status"] == "active" and active["attributes"]["activatedAt"] == "2026-03-01T09:00:00Z"
    assert ok(synap.get(f"/user-accounts/{admin['id']}"))["data"]["attributes"]["mfaEnabled"] is True
    assert me(synap)["attributes"]["mfaEnabled"] is True
    errors(synap.post(url, json=body("MfaActivation", {"code": code})), 409)  # already active
    errors(synap.post("/mfa-configs", json=body("MfaConfig", {})), 409)  # one active set-up at a time


def test_a_code_from_long_ago_no_longer_works_and_a_newer_enrolment_supersedes(synap, fresh):
    fresh.clock(now="2026-03-01T09:00:00Z", frozen=True)
    first = ok(synap.post("/mfa-configs", json=body("MfaConfig", {})), 201)["data"]
    old_code = totp(first["attributes"]["secret"], datetime.fromisoformat("2026-03-01T09:00:00+00:00"))
    fresh.advance_clock(120)
    errors(synap.post(f"/mfa-configs/{first['id']}/activation", json=body("MfaActivation", {"code": old_code})), 400)
    ok(synap.post("/mfa-configs", json=body("MfaConfig", {})), 201)
    assert ok(synap.get(f"/mfa-configs/{first['id']}"))["data"]["attributes"]["status"] == "superseded"


def test_deactivation_needs_the_users_code_but_not_an_admins(synap, fresh):
    fresh.clock(now="2026-03-01T09:00:00Z", frozen=True)
    staff = me(synap, STAFF)
    assert staff["attributes"]["mfaEnabled"] is True  # seeded: the marker uses an authenticator app
    errs = errors(synap.post("/mfa-deactivations", json=body("MfaDeactivation", {"code": "000000"}), headers=STAFF), 400)
    assert errs[0]["source"] == {"pointer": "/data/attributes/code"}
    staff_config = ok(synap.post("/mfa-deactivations", json=body("MfaDeactivation", {"reason": "lost phone"},
                                                                  {"user": one("User", staff["id"])})), 201)["data"]
    config = ok(synap.get(f"/mfa-configs/{staff_config['relationships']['mfaConfig']['data']['id']}"))["data"]
    assert config["attributes"]["status"] == "deactivated"
    assert ok(synap.get(f"/user-accounts/{staff['id']}"))["data"]["attributes"]["mfaEnabled"] is False
    errors(synap.post("/mfa-deactivations", json=body("MfaDeactivation", {}, {"user": one("User", staff["id"])})), 409)
    # the user enrols again and turns it off with their own code
    mine = ok(synap.post("/mfa-configs", json=body("MfaConfig", {}), headers=STAFF), 201)["data"]
    now = datetime.fromisoformat("2026-03-01T09:00:00+00:00")
    ok(synap.post(f"/mfa-configs/{mine['id']}/activation", json=body("MfaActivation", {"code": totp(mine["attributes"]["secret"], now)}),
                  headers=STAFF))
    ok(synap.post("/mfa-deactivations", json=body("MfaDeactivation", {"code": totp(mine["attributes"]["secret"], now)}),
                  headers=STAFF), 201)
    # another user's MFA set-up is not even visible to a non-admin
    admin_config = ok(synap.post("/mfa-configs", json=body("MfaConfig", {})), 201)["data"]
    errors(synap.get(f"/mfa-configs/{admin_config['id']}", headers=STAFF), 404)
    errors(synap.post("/mfa-configs", json=body("MfaConfig", {}, {"user": one("User", me(synap)["id"])}), headers=STAFF), 403)


# -- bots, sessions, tokens ------------------------------------------------------------------------------


def test_a_bot_session_token_is_shown_once_and_expires_on_the_clock(synap, fresh):
    fresh.clock(now="2026-04-01T10:00:00Z", frozen=True)
    staff_group = group_named(synap, "Staff")
    bot = ok(synap.post("/bot-users", json=body("BotUser", {"name": "Sync bot"}, {"userGroups": {"data": [
        {"type": "UserGroup", "id": staff_group["id"]}]}})), 201)["data"]
    assert bot["relationships"]["owner"]["data"]["id"] == me(synap)["id"] and bot["attributes"]["lastSessionAt"] is None
    session = ok(synap.post("/bot-sessions", json=body("BotSession", {}, {"botUser": one("BotUser", bot["id"])})), 201)["data"]
    assert len(session["attributes"]["accessToken"]) == 48
    assert session["attributes"]["expiresAt"] == "2026-04-01T11:00:00Z" and session["attributes"]["status"] == "active"
    token_url = f"/tokens/{session['relationships']['token']['data']['id']}"
    token = ok(synap.get(token_url))["data"]
    assert token["attributes"] == {**token["attributes"], "purpose": "bot-session", "status": "active"}
    assert token["relationships"]["subject"]["data"] == {"type": "BotUser", "id": bot["id"]}
    assert "accessToken" not in str(token)
    listed = next(b for b in everything(synap, "/bot-users") if b["id"] == bot["id"])
    assert listed["attributes"]["lastSessionAt"] == "2026-04-01T10:00:00Z"
    fresh.advance_clock(3600)
    assert ok(synap.get(token_url))["data"]["attributes"]["status"] == "expired"


def test_inactive_bots_get_no_session_and_bots_are_for_admins(synap):
    bot = ok(synap.post("/bot-users", json=body("BotUser", {"name": "Parked", "isActive": False})), 201)["data"]
    errors(synap.post("/bot-sessions", json=body("BotSession", {}, {"botUser": one("BotUser", bot["id"])})), 403)
    errs = errors(synap.post("/bot-sessions", json=body("BotSession", {})), 400)
    assert errs[0]["source"] == {"pointer": "/data/relationships/botUser"}
    errors(synap.get("/bot-users", params={"limit": 5, "offset": 0}, headers=STAFF), 403)


def test_a_new_app_login_qr_code_revokes_the_previous_token(synap, fresh):
    fresh.clock(now="2026-04-01T10:00:00Z", frozen=True)
    staff = me(synap, STAFF)
    first = ok(synap.get(f"/users/{staff['id']}/app-login-qr-code", headers=STAFF))["data"]
    assert first["attributes"]["loginUrl"].startswith("synap://login?token=")
    assert first["attributes"]["expiresAt"] == "2026-04-01T10:05:00Z"
    first_token = f"/tokens/{first['relationships']['token']['data']['id']}"
    assert ok(synap.get(first_token, headers=STAFF))["data"]["attributes"]["status"] == "active"
    second = ok(synap.get(f"/users/{staff['id']}/app-login-qr-code", params={"include": "token"}))
    assert second["included"][0]["type"] == "Token" and second["data"]["attributes"]["loginUrl"] != first["attributes"]["loginUrl"]
    assert ok(synap.get(first_token, headers=STAFF))["data"]["attributes"]["status"] == "revoked"
    fresh.advance_clock(301)
    assert ok(synap.get(f"/tokens/{second['included'][0]['id']}"))["data"]["attributes"]["status"] == "expired"
    admin = me(synap)
    errors(synap.get(f"/users/{admin['id']}/app-login-qr-code", headers=STAFF), 403)
    admin_code = ok(synap.get(f"/users/{admin['id']}/app-login-qr-code"))["data"]
    errors(synap.get(f"/tokens/{admin_code['relationships']['token']['data']['id']}", headers=STAFF), 404)


def test_users_sign_out_of_their_own_sessions_only(synap):
    admin_sessions = me(synap)["relationships"]["userSessions"]["data"]
    staff_sessions = me(synap, STAFF)["relationships"]["userSessions"]["data"]
    assert len(admin_sessions) == 2 and len(staff_sessions) == 1
    errs = errors(synap.delete(f"/user-sessions/{staff_sessions[0]['id']}"), 403)
    assert "own" in errs[0]["detail"]
    assert synap.delete(f"/user-sessions/{admin_sessions[0]['id']}").status_code == 204
    assert me(synap)["relationships"]["userSessions"]["data"] == admin_sessions[1:]
    errors(synap.delete(f"/user-sessions/{admin_sessions[0]['id']}"), 404)
    assert synap.delete(f"/user-sessions/{staff_sessions[0]['id']}", headers=STAFF).status_code == 204
