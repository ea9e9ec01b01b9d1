"""Billing of the portal (administrators only).

- ``Subscription``: the portal's plans, current and past (read-only here).
- ``BillingInfo`` (GET /billing-info, one per portal): who is billed and how; ``plan``, ``seats``
  and ``nextInvoiceDate`` come from the active subscription.
- ``ManageBillingSession``: a link to the billing provider's portal, valid ``SESSION_TTL``
  (``status`` open, then expired on the sandbox clock); it returns to ``returnUrl``.
- ``PortalUsage`` (GET /portal-usages/{portal id}): users, activity and seats, counted from the store.
"""

from __future__ import annotations

from datetime import timedelta

from mockserver.clock import isoformat, parse
from mockserver.vendors.synap.records import ident, table
from mockserver.vendors.synap.rules.accounts import admins_only

SESSION_TTL = timedelta(minutes=30)
ACTIVE_WITHIN = timedelta(days=30)
BILLING_HOST = "https://billing.synap.example"

allow = admins_only


def active_subscription(store) -> dict | None:
    return next((s for s in store.rows(table("Subscription")) if s["attributes"]["status"] in ("active", "trialing")), None)


class Info:
    allow = staticmethod(admins_only)

    @staticmethod
    def attributes(call, record) -> dict:
        sub = active_subscription(call.store)
        attrs = sub["attributes"] if sub else {}
        ending = attrs.get("currentPeriodEnd") if not attrs.get("cancelAtPeriodEnd") else None
        return {"plan": attrs.get("plan"), "seats": attrs.get("seats"), "nextInvoiceDate": ending}

    @staticmethod
    def relationships(call, record) -> dict:
        sub = active_subscription(call.store)
        return {"subscription": ident("Subscription", sub)}


class Sessions:
    allow = staticmethod(admins_only)

    @staticmethod
    def create(call, record, body) -> None:
        record["attributes"].update({"url": f"{BILLING_HOST}/session/{record['id']}",
                                     "expiresAt": isoformat(call.now + SESSION_TTL)})
        record["relationships"]["user"] = {"type": "User", "id": call.user_id} if call.user_id else None

    @staticmethod
    def attributes(call, record) -> dict:
        return {"status": "expired" if call.now >= parse(record["attributes"]["expiresAt"]) else "open"}


class Usage:
    allow = staticmethod(admins_only)

    @staticmethod
    def attributes(call, record) -> dict:
        people = call.store.rows(table("User"))
        roles = [u.get("_role") for u in people]
        active = sum(1 for u in people if u["attributes"].get("lastSeen")
                     and call.now - parse(u["attributes"]["lastSeen"]) <= ACTIVE_WITHIN)
        sub = active_subscription(call.store)
        seats = sub["attributes"]["seats"] if sub else None
        return {
            "totalUsers": len(people), "activeUsers": active, "learners": roles.count("learner"),
            "staff": roles.count("staff"), "administrators": roles.count("admin"),
            "botUsers": len(call.store.rows(table("BotUser"))), "userGroups": len(call.store.rows(table("UserGroup"))),
            "seatLimit": seats, "seatsRemaining": None if seats is None else max(seats - len(people), 0),
            "overSeatLimit": seats is not None and len(people) > seats,
            "periodStart": sub["attributes"]["currentPeriodStart"] if sub else None,
            "periodEnd": sub["attributes"]["currentPeriodEnd"] if sub else None,
        }

    @staticmethod
    def relationships(call, record) -> dict:
        return {"portal": ident("Portal", record)}


info, sessions, usage = Info(), Sessions(), Usage()
