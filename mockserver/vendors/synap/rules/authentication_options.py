"""Sign-in options of the portal, one table for every provider (``provider``: adfs, auth0, jwt,
local, lti13, saml). Each provider is its own JSON:API type (``SAMLAuthenticationOption``...) whose
create stamps its provider (x-mock ``where``); ``List AuthenticationOptions`` shows them all as the
generic ``AuthenticationOption`` and ``List PublicAuthenticationOptions`` the enabled ones, without a
token, for a sign-in page.

Only administrators read or change the configuration; secrets (``clientSecret``, ``sharedSecret``)
are write-only and show as ``secretConfigured``. The portal always keeps one enabled option: turning
off or deleting the last one is a 409. The Local option exists once per portal (no create or delete).
"""

from __future__ import annotations

from types import SimpleNamespace

from mockserver.errors import Conflict, Forbidden
from mockserver.vendors.synap.records import table
from mockserver.vendors.synap.rules.accounts import portal_host

SECRETS = ("clientSecret", "sharedSecret")


def allow(call, action, record) -> None:
    if not call.is_admin:
        raise Forbidden("Only portal administrators can manage authentication options.")


def login_url(call, record) -> str:
    return f"https://{portal_host(call.store)}/auth/{record['attributes']['provider']}/{record['id']}"


def attributes(call, record) -> dict:
    attrs = record["attributes"]
    return {"loginUrl": login_url(call, record),
            "secretConfigured": any(bool(attrs.get(name)) for name in SECRETS)}


def _others_enabled(call, record) -> bool:
    return any(row["attributes"].get("enabled") for row in call.store.rows(table("AuthenticationOption"))
               if row["id"] != record["id"])


def update(call, record, changes) -> None:
    if changes.get("enabled") is False and record["attributes"].get("enabled") and not _others_enabled(call, record):
        raise Conflict("This is the portal's last enabled sign-in option; enable another one first.")


def delete(call, record) -> None:
    if record["attributes"].get("enabled") and not _others_enabled(call, record):
        raise Conflict("This is the portal's last enabled sign-in option; enable another one first.")


# PublicAuthenticationOption: what a sign-in page needs, for anyone (the operation has no security).
public = SimpleNamespace(attributes=lambda call, record: {"loginUrl": login_url(call, record)})
