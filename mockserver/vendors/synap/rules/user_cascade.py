"""What deleting a User takes with it in every part of the spec. The core ``users.delete`` hook calls
``remove`` inside the delete's transaction.

The links are read from the spec's types, not listed per part, so a type that lands later is
covered as it is declared:

- a record whose to-one ``user`` (typed User) is the deleted user belongs to that user alone (their
  sessions, MFA configs, learning records, marketing consents, studies and study items, mobile
  records, attempts, assignments and their items, certificates, flags...) and is deleted. An
  Attempt goes through the Attempts part's ``discard``, which takes its responses, sittings,
  marking and proctoring with it; rows that belong to a deleted record (``relationships.<name>``
  naming it, e.g. an assignment's reattempts) go too;
- records of what happened keep their entries as they are: the action log (who did what) and the
  account closures (the closure being confirmed is what deletes the user);
- every other link that names the user (owner, createdBy, marker, reviewer... of records other
  people use) is cleared, and the user leaves every to-many list of users (markers, recipients).
"""

from __future__ import annotations

from mockserver.vendors.synap.records import linking, table
from mockserver.vendors.synap.rules import attempt_records

# the types whose rows outlive the user they name: the cascade works table by table (the types
# sharing a table share its rows), so these name their tables through records.table
KEEP = frozenset({"ActionLog", "AccountClosure"})
OWN = "user"  # the to-one relationship that makes a record the user's own


def _id(ident) -> str | None:
    return ident.get("id") if isinstance(ident, dict) else None


def _kept() -> set[str]:
    """The tables a user's deletion leaves alone: the users' own and KEEP's."""
    return {table(name) for name in (*KEEP, "User")}


def _user_links(registry) -> dict[str, tuple[set, set]]:
    """table -> (its to-one relationships typed User, its to-many ones), over the types sharing it."""
    out: dict[str, tuple[set, set]] = {}
    kept = _kept()
    for rt in registry.types.values():
        if rt.table in kept:
            continue
        one, many = out.setdefault(rt.table, (set(), set()))
        for rel in rt.relationships.values():
            if "User" in rel.types:
                (many if rel.many else one).add(rel.name)
    return {name: links for name, links in out.items() if links[0] or links[1]}


def _belonging(registry) -> dict[str, dict[str, set]]:
    """table -> to-one relationship name -> the tables its target types are stored in."""
    out: dict[str, dict[str, set]] = {}
    for rt in registry.types.values():
        for rel in rt.relationships.values():
            if rel.many or "*" in rel.types or rel.types == ("User",):
                continue
            tables = {table(name) for name in rel.types if registry.get(name)}
            out.setdefault(rt.table, {}).setdefault(rel.name, set()).update(tables)
    return out


def remove(call, user_id: str) -> None:
    store = call.store
    gone: dict[str, set] = {}  # table -> ids deleted here
    for attempt in linking(store, "Attempt", OWN, user_id):
        attempt_records.discard(call, attempt)
        store.delete(table("Attempt"), attempt["id"])
        gone.setdefault(table("Attempt"), set()).add(attempt["id"])
    for stored, (one, many) in _user_links(call.registry).items():
        for row in store.rows(stored):
            rels = row.get("relationships") or {}
            if OWN in one and _id(rels.get(OWN)) == user_id:
                store.delete(stored, row["id"])
                gone.setdefault(stored, set()).add(row["id"])
                continue
            changes = {name: None for name in one if _id(rels.get(name)) == user_id}
            changes.update({name: [i for i in rels[name] if _id(i) != user_id]
                            for name in many if any(_id(i) == user_id for i in rels.get(name) or [])})
            if changes:
                store.update(stored, row["id"], {"relationships": {**rels, **changes}})
    _sweep(call, gone)


def _sweep(call, gone: dict[str, set]) -> None:
    """Delete the rows that belong to a deleted record (a to-one link naming it), until none is left."""
    belonging, kept = _belonging(call.registry), _kept()
    while gone:
        dead = set().union(*gone.values())
        found: dict[str, set] = {}
        for stored, links in belonging.items():
            names = [name for name, targets in links.items() if targets & set(gone)]
            if stored in kept or not names:
                continue
            for row in call.store.rows(stored):
                rels = row.get("relationships") or {}
                if any(_id(rels.get(name)) in dead for name in names):
                    call.store.delete(stored, row["id"])
                    found.setdefault(stored, set()).add(row["id"])
        gone = found
