"""Personal access tokens: ``Authorization: Bearer p:<token>`` (api-docs.synap.ac/authentication).

PATs never expire; a missing, unknown or revoked one is a 401 at once. A request runs with the
privileges of the user who owns the PAT (an admin's PAT may do everything). Each use records
``lastUsedAt``.
"""

from __future__ import annotations

from mockserver.clock import isoformat
from mockserver.errors import Unauthenticated
from mockserver.sandbox import current
from mockserver.vendors.synap import tables as t
from mockserver.vendors.synap.records import table


def token_info(token: str) -> dict:
    sandbox = current()
    store = sandbox.store
    entry = store.get(t.PAT_SECRETS, token)
    pat = store.get(table("PersonalAccessToken"), entry["pat"]) if entry else None
    if pat is None:
        raise Unauthenticated("The personal access token is missing or invalid.")
    if pat["attributes"]["isRevoked"]:
        raise Unauthenticated("The personal access token has been revoked.")
    owner = store.get(table("User"), pat["_owner"]) or {}
    store.update(table("PersonalAccessToken"), pat["id"],
                 {"attributes": {**pat["attributes"], "lastUsedAt": isoformat(sandbox.now())}})
    return {"sub": pat["_owner"], "pat": pat["id"], "admin": owner.get("_role") == "admin", "scope": []}


def credentials(store) -> dict:
    demo = store.find_one(t.PAT_SECRETS, demo=True)
    return {"token": demo["token"]} if demo else {}
