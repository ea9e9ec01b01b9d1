"""Accounts made or changed for users by other means than registration.

- ``GeneratedAccount``: an administrator generates a ready-to-use account; name and email address
  are made up when not given, the password is generated and shown once, in the create response.
  The user joins ``relationships.userGroup`` (or the default Students group).
- ``UserImport``: an administrator imports users from ``rows`` (name, emailAddress,
  externalId); each new address becomes a user in the import's group, a taken or repeated one is
  skipped and listed in ``errors``. The import's report file completes on the clock (rules/jobs).
- ``UserPassword``: sets a password. Users set their own and must give ``currentPassword``;
  administrators set anyone's. Every signed-in session of that user ends.
"""

from __future__ import annotations

from mockserver.errors import Forbidden, NotFound
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.ids import secret
from mockserver.vendors.synap.records import insert, linking, new_record, table
from mockserver.vendors.synap.rules import events, jobs, user_groups, users
from mockserver.vendors.synap.rules.ownership import acting_for, owner_id


def portal_host(store) -> str:
    """The portal's web host (``<subdomain>.synap.example``): sign-in, join and generated addresses."""
    portal = next(iter(store.rows(table("Portal"))), None)
    return f"{(portal or {}).get('attributes', {}).get('subdomain') or 'portal'}.synap.example"


def admins_only(call, action, record) -> None:
    if not call.is_admin:
        raise Forbidden("Only portal administrators can do this.")


def make_user(call, name: str, email: str, group: dict, password: str | None = None, **attributes) -> dict:
    """A learner in ``group`` (inside a transaction), as registration makes one."""
    first, last = users.split_name(name)
    user = new_record(call, call.registry["User"], {
        "name": name, "firstName": first, "lastName": last, "emailAddress": email, "locale": "en",
        "timeZone": "UTC", "emailVerified": False, "preferences": {}, "attr": {}, "userGroupsMetadata": {},
        **attributes})
    user["_role"] = "learner"
    user["_passwordHash"] = users.password_hash(password) if password else None
    insert(call, call.registry["User"], user)
    user_groups.add(call, group, [user["id"]])
    return call.record("User", user["id"])


def group_for(call, record: dict, rel: str = "userGroup") -> dict:
    linked = record["relationships"].get(rel)
    group = call.record("UserGroup", linked["id"]) if linked else user_groups.default_group(call.store)
    if group is None:
        raise NotFound("The portal has no default Students group.")
    user_groups.require_open(group)
    record["relationships"][rel] = {"type": "UserGroup", "id": group["id"]}
    return group


class GeneratedAccounts:
    allow = staticmethod(admins_only)

    @staticmethod
    def create(call, record, body) -> dict:
        attrs = record["attributes"]
        n = call.store.sequence("synap.generated-account")
        domain = portal_host(call.store)
        attrs["name"] = attrs.get("name") or f"Generated User {n}"
        attrs["emailAddress"] = attrs.get("emailAddress") or f"generated-{n}@{domain}"
        users.require_unique_email(call.store, attrs["emailAddress"], ("attributes", "emailAddress"))
        password = secret(call.store, "generated-password", 16)
        user = make_user(call, attrs["name"], attrs["emailAddress"], group_for(call, record), password)
        record["relationships"]["user"] = {"type": "User", "id": user["id"]}
        return {"password": password}

    @staticmethod
    def created(call, record) -> None:
        events.emit(call, "user.create", "User", call.record("User", owner_id(record)))


class UserImports:
    allow = staticmethod(admins_only)

    @staticmethod
    def create(call, record, body) -> None:
        jobs.create(call, record, body, f"user-import-{record['id']}-report.csv")
        attrs = record["attributes"]
        rows, attrs["rows"] = attrs.get("rows") or [], None  # write-only: not kept
        group = group_for(call, record)
        made, skipped = [], []
        for n, row in enumerate(rows):
            email = row["emailAddress"]
            if users.by_email(call.store, email) is not None:
                skipped.append({"row": n, "emailAddress": email, "detail": "A user with this email address already exists."})
                continue
            made.append(make_user(call, row["name"], email, group, externalId=row.get("externalId")))
        attrs.update({"importedCount": len(made), "skippedCount": len(skipped), "errors": skipped})
        record["relationships"]["users"] = [{"type": "User", "id": u["id"]} for u in made]

    @staticmethod
    def created(call, record) -> None:
        welcome = record["attributes"].get("sendWelcomeEmail")
        for ident in record["relationships"]["users"]:
            user = call.record("User", ident["id"])
            if welcome:
                attrs = user["attributes"]
                call.sandbox.outbox.send(vendor="synap", to=attrs["emailAddress"], kind="welcome", data={"userId": user["id"]},
                                         subject="Welcome to the portal", body=f"Hello {attrs['name']}, your account is ready.")
            events.emit(call, "user.create", "User", user)

    attributes = staticmethod(jobs.attributes)


class UserPasswords:
    @staticmethod
    def create(call, record, body) -> None:
        user = acting_for(call, record, "UserPassword")
        attrs = record["attributes"]
        password, current = attrs.pop("password"), attrs.pop("currentPassword", None)
        attrs["password"] = attrs["currentPassword"] = None  # write-only: never kept
        if user["id"] == call.user_id and user.get("_passwordHash"):
            if not current or users.password_hash(current) != user["_passwordHash"]:
                raise invalid(("attributes", "currentPassword"), "The current password is wrong.")
        call.store.update(table("User"), user["id"], {"_passwordHash": users.password_hash(password)})
        ended = linking(call.store, "UserSession", "user", user["id"])
        for session in ended:
            call.store.delete(table("UserSession"), session["id"])
        attrs["signedOutSessions"] = len(ended)
        record["relationships"]["setBy"] = {"type": "User", "id": call.user_id} if call.user_id else None

    @staticmethod
    def created(call, record) -> None:
        user = call.record("User", owner_id(record))
        call.sandbox.outbox.send(vendor="synap", to=user["attributes"]["emailAddress"], kind="password-changed",
                                 subject="Your password was changed",
                                 body="The password of your account was changed. If this was not you, reset it now.",
                                 data={"userId": user["id"]})


generated_accounts, user_imports, user_passwords = GeneratedAccounts(), UserImports(), UserPasswords()
