"""Register User (``POST /user-registrations``, add-users-1227733m0): makes a user with a password.

At most one ``userGroups`` member is accepted; without one the user joins the default Students
group. A taken email address is a 400 on ``emailAddress``. A welcome email goes to the sandbox
outbox unless ``welcomeEmailDisabled``; ``user.create`` is raised for webhook subscribers.
"""

from __future__ import annotations

from mockserver.errors import NotFound
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import ident, insert, new_record
from mockserver.vendors.synap.rules import events, user_groups, users


def create(call, record, body) -> None:
    attrs = record["attributes"]
    password = attrs.pop("password", None)
    users.require_unique_email(call.store, attrs["emailAddress"], ("attributes", "emailAddress"))
    given = record["relationships"].get("userGroups") or []
    if len(given) > 1:
        raise invalid(("relationships", "userGroups", "data"), "Only one user group can be given when registering a user.")
    group = call.record("UserGroup", given[0]["id"]) if given else user_groups.default_group(call.store)
    if group is None:
        raise NotFound("The portal has no default Students group.")
    first, last = users.split_name(attrs["name"])
    user = new_record(call, call.registry["User"], {
        "name": attrs["name"], "firstName": first, "lastName": last, "emailAddress": attrs["emailAddress"],
        "locale": attrs.get("locale") or "en", "timeZone": attrs.get("timeZone") or "UTC",
        "emailVerified": False, "preferences": {}, "attr": {}, "userGroupsMetadata": {},
    }, {"subPortal": record["relationships"].get("subPortal")})
    user["_role"] = "learner"
    user["_passwordHash"] = users.password_hash(password) if password else None
    insert(call, call.registry["User"], user)
    user_groups.add(call, group, [user["id"]])
    record["relationships"]["user"] = ident("User", user)
    record["relationships"]["userGroups"] = [ident("UserGroup", group)]


def created(call, record) -> None:
    user = call.record("User", record["relationships"]["user"]["id"])
    if not record["attributes"].get("welcomeEmailDisabled"):
        call.sandbox.outbox.send(vendor="synap", to=user["attributes"]["emailAddress"], kind="welcome",
                                 subject="Welcome to the portal",
                                 body=f"Hello {user['attributes']['name']}, your account is ready.",
                                 data={"userId": user["id"]})
    events.emit(call, "user.create", "User", user)
