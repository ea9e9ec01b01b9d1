"""Portal, sub-portals, user types, groups, users and PATs (fixtures/synap.yaml first, then Faker)."""

from __future__ import annotations

from dataclasses import dataclass, field

from mockserver.seed import SeedContext
from mockserver.store import Store
from mockserver.vendors.synap import schema
from mockserver.vendors.synap.records import blank, ident, table
from mockserver.vendors.synap.rules import personal_access_tokens, users

TIME_ZONES = ("Europe/London", "Europe/Dublin", "Europe/Paris", "America/New_York", "Asia/Singapore", "Australia/Sydney")
LOCALES = ("en", "en", "en", "fr", "de", "es")


@dataclass
class World:
    portal: dict
    sub_portals: list[dict]
    groups: dict[str, dict]  # name -> group
    admin: dict
    staff: dict
    learners: list[dict] = field(default_factory=list)
    writer: Writer | None = None  # the parts add their records with world.writer.add(type, attributes, ...)


class Writer:
    def __init__(self, store: Store, ctx: SeedContext):
        self.store, self.ctx = store, ctx
        self.registry = schema.registry()

    def add(self, type_name: str, attributes: dict, relationships: dict | None = None,
            created: str | None = None, **private) -> dict:
        rt = self.registry[type_name]
        stamp = created or self.ctx.timestamp(-400, -200)
        record = blank(rt, self.store, stamp, attributes, relationships)
        record.update(private)
        self.store.insert(rt.table, record["id"], record)
        return record


def _user(w: Writer, name: str, email: str, zone: str, role: str, sub_portal: dict | None, days=(-380, -30)) -> dict:
    first, last = users.split_name(name)
    created = w.ctx.timestamp(*days)
    return w.add("User", {
        "name": name, "firstName": first, "lastName": last, "emailAddress": email,
        "externalId": None, "profilePicture": None, "preferences": {"emailNotifications": True},
        "attr": {}, "timeZone": zone, "locale": "en", "lastSeen": w.ctx.timestamp(-20, -1),
        "emailVerified": True, "userGroupsMetadata": {},
    }, {"subPortal": ident("SubPortal", sub_portal) if sub_portal else None}, created,
        _role=role, _passwordHash=users.password_hash(f"{email}-password"))


def _join(w: Writer, user: dict, group: dict, when: str) -> dict:
    user = w.store.get(table("User"), user["id"])
    groups = [*user["relationships"]["userGroups"], ident("UserGroup", group)]
    metadata = {**user["attributes"]["userGroupsMetadata"], group["id"]: {"dateJoined": when}}
    return w.store.update(table("User"), user["id"], {"attributes": {**user["attributes"], "userGroupsMetadata": metadata},
                                                "relationships": {**user["relationships"], "userGroups": groups}})


def seed(store: Store, ctx: SeedContext) -> World:
    w, fx, rng, faker = Writer(store, ctx), ctx.fixtures, ctx.rng, ctx.faker
    portal = w.add("Portal", {**fx["portal"], "customDomain": None}, created=ctx.timestamp(-720, -700))
    subs = [w.add("SubPortal", sp, {"portal": ident("Portal", portal)}) for sp in fx["sub_portals"]]
    types = {ut["name"]: w.add("UserType", ut) for ut in fx["user_types"]}
    admin = _user(w, fx["admin"]["name"], fx["admin"]["emailAddress"], fx["admin"]["timeZone"], "admin", None, (-700, -690))
    staff = _user(w, fx["staff"]["name"], fx["staff"]["emailAddress"], fx["staff"]["timeZone"], "staff", None, (-600, -500))

    def group(name, description, user_type, **attrs):
        rels = {"owner": ident("User", admin), "userType": ident("UserType", types[user_type]),
                "subPortal": attrs.pop("sub_portal", None), "parentGroup": attrs.pop("parent", None)}
        return w.add("UserGroup", {"name": name, "description": description, "attr": {}, "isDefaultGroup": False,
                                   "defaultGroupType": None, "isArchived": False, "internal": False,
                                   "membershipExpiry": None, **attrs}, rels)

    groups = {}
    groups["Students"] = group("Students", "Everyone who learns here (the default group)", "Student",
                               isDefaultGroup=True, defaultGroupType="student")
    groups["Staff"] = group("Staff", "Authors and markers", "Staff", isDefaultGroup=True, defaultGroupType="staff")
    groups["Administrators"] = group("Administrators", "Portal administrators", "Administrator", internal=True)
    groups["Markers"] = group("Markers", "Exam markers", "Staff")
    groups["Year 10"] = group("Year 10", "Year 10 cohort", "Student", parent=ident("UserGroup", groups["Students"]))
    groups["Year 11"] = group("Year 11", "Year 11 cohort", "Student", parent=ident("UserGroup", groups["Students"]),
                              sub_portal=ident("SubPortal", subs[0]))
    groups["Class of 2024"] = group("Class of 2024", "Graduated cohort", "Student", isArchived=True)
    world = World(portal, subs, groups, admin, staff, writer=w)

    _join(w, admin, groups["Administrators"], admin["attributes"]["createdAt"])
    _join(w, admin, groups["Staff"], admin["attributes"]["createdAt"])
    _join(w, staff, groups["Staff"], staff["attributes"]["createdAt"])
    _join(w, staff, groups["Markers"], staff["attributes"]["createdAt"])

    cohorts = [groups["Year 10"], groups["Year 11"], groups["Class of 2024"]]
    for n in range(max(20, ctx.rows // 5)):
        first, last = faker.first_name(), faker.last_name()
        sub = rng.choice([None, None, *subs])
        learner = _user(w, f"{first} {last}", f"{first}.{last}.{n}@learners.example".lower(),
                        rng.choice(TIME_ZONES), "learner", sub)
        learner = w.store.update(table("User"), learner["id"], {"attributes": {**learner["attributes"],
                                                                         "locale": rng.choice(LOCALES),
                                                                         "emailVerified": rng.random() < 0.85}})
        joined = learner["attributes"]["createdAt"]
        learner = _join(w, learner, groups["Students"], joined)
        if rng.random() < 0.6:
            learner = _join(w, learner, rng.choice(cohorts), joined)
        world.learners.append(learner)

    owners = {"admin": admin, "staff": staff}
    for pat in fx["personal_access_tokens"]:
        record = w.add("PersonalAccessToken", {"label": pat["label"], "isRevoked": bool(pat.get("revoked")),
                                               "lastUsedAt": None}, created=ctx.timestamp(-100, -50),
                       _owner=owners[pat["owner"]]["id"])
        personal_access_tokens.issue(store, record["id"], pat["token"], demo=bool(pat.get("demo")))
    return world
