"""Hand-written operations of the Authentication, Users, User Groups, Access Policies, Billing groups:
the ones that are not one type's CRUD (the rest are the generic controller's, by ``x-mock``)."""

from __future__ import annotations

from datetime import timedelta

from mockserver.errors import Forbidden, NotFound
from mockserver.vendors.synap import schema
from mockserver.vendors.synap.documents import Call
from mockserver.vendors.synap.records import ident, insert, new_record, table
from mockserver.vendors.synap.resources import require, respond
from mockserver.vendors.synap.rules import billing, jobs, mfa, sessions

APP_LOGIN_TTL = timedelta(minutes=5)


def mfa_configs_activate(id: str, body: dict):
    """Activate MFA: POST /mfa-configs/{id}/activation with the authenticator app's ``code``."""
    call = Call(schema.registry())
    with call.store.transaction():
        config = require(call, call.registry["MfaConfig"], id)
        mfa.allow(call, "update", config)
        activated = mfa.activate(call, config, body["data"]["attributes"].get("code"))
    return respond(call, call.registry["MfaConfig"], activated)


def users_app_login_qr_code(id: str, include=None, fields=None):
    """Get App Login QR Code: GET /users/{id}/app-login-qr-code issues a new five-minute app-login
    token for the user (an older unused one is revoked) and the QR code that carries it."""
    call = Call(schema.registry())
    user = require(call, call.registry["User"], id)
    if not call.is_admin and user["id"] != call.user_id:
        raise Forbidden("You can only get your own app login QR code.")
    code_type = call.registry["AppLoginQrCode"]
    with call.store.transaction():
        sessions.revoke_tokens(call, "app-login", user["id"])
        token, value = sessions.issue_token(call, "app-login", ident("User", user), APP_LOGIN_TTL)
        code = new_record(call, code_type, {
            "loginUrl": f"synap://login?token={value}",
            "qrCodeUrl": f"{jobs.FILES}/{call.sandbox.tenant}/qr/{token['id']}.png",
            "expiresAt": token["attributes"]["expiresAt"],
        }, {"user": ident("User", user), "token": ident("Token", token)})
        insert(call, code_type, code)
    return respond(call, code_type, code, include=include, fields=fields)


def session_context_show(include=None, fields=None):
    """Get Session Context: GET /session-context, the caller."""
    call = Call(schema.registry())
    user = call.record("User", call.user_id or "")
    if user is None:
        raise NotFound("There is no signed-in user (the sandbox runs without authentication).")
    return respond(call, call.registry["SessionContext"], user, include=include, fields=fields)


def billing_info_show(include=None, fields=None):
    """Get Billing Info: GET /billing-info, the portal's one billing record."""
    call = Call(schema.registry())
    billing.allow(call, "show", None)
    record = next(iter(call.store.rows(table("BillingInfo"))), None)
    if record is None:
        raise NotFound("The portal has no billing information.")
    return respond(call, call.registry["BillingInfo"], record, include=include, fields=fields)
