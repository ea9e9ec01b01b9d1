"""The three confirm-by-emailed-token flows of the Users group (seed 000):

    EmailVerificationRequest -> EmailVerification   PATCH {token}           sets the user's emailVerified
    PasswordResetRequest     -> PasswordReset       PATCH {token, password} sets the password
    AccountClosureRequest    -> AccountClosure      PATCH {token}           closes (deletes) the account

``Create <Flow>`` starts a flow for a user (the caller, or ``relationships.user`` for admins) and
emails a token to the sandbox outbox; ``Create <Flow>Request`` starts it from an email address.
The seed says of account closure: "Confirm ... by patching with a confirmation token, received via
email from the create action". A token works once, only before ``expiresAt`` (sandbox clock), and
a newer flow for the same user supersedes older pending ones. A wrong or expired token is a 400
on ``/data/attributes/token``.
"""

from __future__ import annotations

from datetime import timedelta

from mockserver.clock import isoformat, parse
from mockserver.errors import Forbidden, NotFound
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.ids import secret
from mockserver.vendors.synap.records import ident, new_record, table
from mockserver.vendors.synap.rules import events, users


class Flow:
    """Hooks of one flow's main type (EmailVerification, PasswordReset, AccountClosure)."""

    def __init__(self, type_name: str, ttl: timedelta, subject: str, needs_password: bool = False):
        self.type_name, self.ttl, self.subject = type_name, ttl, subject
        self.needs_password = needs_password

    def allow(self, call, action, record) -> None:
        if record is not None and not call.is_admin and record["relationships"]["user"]["id"] != call.user_id:
            raise NotFound(f"No {self.type_name} with id {record['id']!r}")

    def start(self, call, record: dict, user: dict) -> None:
        """Fill a new flow record for ``user`` (inside the transaction) and supersede older ones."""
        for old in call.store.rows(table(self.type_name)):
            if old["relationships"]["user"]["id"] == user["id"] and old["attributes"]["status"] == "pending":
                call.store.update(table(self.type_name), old["id"], {"attributes": {**old["attributes"], "status": "superseded"}})
        record["relationships"]["user"] = ident("User", user)
        record["attributes"].update({
            "emailAddress": user["attributes"]["emailAddress"], "status": "pending",
            "expiresAt": isoformat(call.now + self.ttl), "completedAt": None,
        })
        record["attributes"].pop("token", None)
        record["attributes"].pop("password", None)
        record["_token"] = secret(call.store, self.type_name, 32)

    def create(self, call, record, body) -> None:
        target = record["relationships"].get("user")
        user_id = target["id"] if target else call.user_id
        if user_id != call.user_id and not call.is_admin:
            raise Forbidden(f"Only administrators can start a {self.type_name} for another user.")
        user = call.record("User", user_id or "")
        if user is None:
            raise invalid(("relationships", "user"), "A user is required.")
        self.start(call, record, user)

    def created(self, call, record) -> None:
        call.sandbox.outbox.send(
            vendor="synap", to=record["attributes"]["emailAddress"], kind=self.type_name, subject=self.subject,
            body=f"Your confirmation token is {record['_token']} (valid until {record['attributes']['expiresAt']}).",
            data={"type": self.type_name, "id": record["id"], "token": record["_token"]},
        )

    def update(self, call, record, changes) -> None:
        token = changes.pop("token", None)
        password = changes.pop("password", None)
        changes.clear()  # a flow changes only by being confirmed
        attrs = record["attributes"]
        if token is None:
            raise invalid(("attributes", "token"), "The confirmation token is required.")
        if attrs["status"] != "pending" or token != record.get("_token"):
            raise invalid(("attributes", "token"), "The confirmation token is invalid.")
        if call.now >= parse(attrs["expiresAt"]):
            raise invalid(("attributes", "token"), "The confirmation token has expired.")
        if self.needs_password and not password:
            raise invalid(("attributes", "password"), "A new password is required.")
        user = call.record("User", record["relationships"]["user"]["id"])
        if user is None:
            raise invalid(("attributes", "token"), "The confirmation token is invalid.")
        self.confirm(call, user, password)
        changes.update({"status": "complete", "completedAt": call.timestamp})

    def confirm(self, call, user: dict, password: str | None) -> None:
        if self.type_name == "EmailVerification":
            call.store.update(table("User"), user["id"], {"attributes": {**user["attributes"], "emailVerified": True}})
        elif self.type_name == "PasswordReset":
            call.store.update(table("User"), user["id"], {"_passwordHash": users.password_hash(password)})
        else:  # AccountClosure: the account and its memberships go; its PATs stop working
            users.delete(call, user)
            call.store.delete(table("User"), user["id"])

    def updated(self, call, before, after) -> None:
        if self.type_name == "AccountClosure":
            user_ref = after["relationships"]["user"]
            events.emit(call, "user.delete", "User", {"id": user_ref["id"], "attributes": {}, "relationships": {}})


class Request:
    """Hooks of ``<Flow>Request``: start the flow for whoever owns ``emailAddress``."""

    def __init__(self, flow: Flow, relationship: str):
        self.flow, self.relationship = flow, relationship

    def create(self, call, record, body) -> None:
        user = users.by_email(call.store, record["attributes"]["emailAddress"])
        if user is None:
            raise invalid(("attributes", "emailAddress"), "No user is registered with this email address.")
        if user["id"] != call.user_id and not call.is_admin:
            raise Forbidden(f"Only administrators can start a {self.flow.type_name} for another user.")
        started = new_record(call, call.registry[self.flow.type_name], {})
        self.flow.start(call, started, user)
        call.store.insert(table(self.flow.type_name), started["id"], started)
        record["relationships"][self.relationship] = {"type": self.flow.type_name, "id": started["id"]}

    def created(self, call, record) -> None:
        self.flow.created(call, call.store.get(table(self.flow.type_name), record["relationships"][self.relationship]["id"]))


email_verification = Flow("EmailVerification", timedelta(hours=24), "Verify your email address")
password_reset = Flow("PasswordReset", timedelta(hours=1), "Reset your password", needs_password=True)
account_closure = Flow("AccountClosure", timedelta(hours=24), "Confirm closing your account")
email_verification_request = Request(email_verification, "emailVerification")
password_reset_request = Request(password_reset, "passwordReset")
account_closure_request = Request(account_closure, "accountClosure")
