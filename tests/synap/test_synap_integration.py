"""Synap across its parts: every stored link names a type its relationship allows, and deleting a
user takes what belonged to that user alone from every part while every list still renders."""

from __future__ import annotations

import json
from collections import Counter

import requests

from mockserver.vendors.synap.records import table
from mockserver.vendors.synap.rules.user_cascade import KEEP
from synap_helpers import everything, group_named


def stored(fresh) -> dict[str, list[dict]]:
    return {table: [doc for _, doc in rows] for table, rows in json.loads(fresh.state())["tables"].items()}


def relationship_types(document: dict) -> dict[str, dict[str, tuple]]:
    """table -> relationship name -> the types its x-type allows (the union over the table's types)."""
    out: dict[str, dict[str, set]] = {}
    for schema in document["components"]["schemas"].values():
        table = (schema.get("x-resource") or {}).get("table")
        rels = ((schema.get("properties") or {}).get("relationships") or {}).get("properties") or {}
        for name, prop in rels.items() if table else ():
            declared = prop.get("x-type")
            out.setdefault(table, {}).setdefault(name, set()).update(declared if isinstance(declared, list) else [declared])
    return {table: {name: tuple(types) for name, types in rels.items()} for table, rels in out.items()}


def links(doc: dict):
    for name, value in (doc.get("relationships") or {}).items():
        for ident in value if isinstance(value, list) else [value]:
            if isinstance(ident, dict):
                yield name, ident


def test_every_seeded_link_names_a_type_its_relationship_allows(synap, fresh):
    allowed = relationship_types(requests.get(synap.root + "/openapi.json", timeout=30).json())
    wrong = Counter()
    for table, rows in stored(fresh).items():
        for doc in rows:
            for name, ident in links(doc):
                types = allowed.get(table, {}).get(name)
                if types is not None and "*" not in types and ident["type"] not in types:
                    wrong[(table, name, ident["type"])] += 1
    assert dict(wrong) == {}


def list_calls(document: dict) -> list[tuple[str, dict]]:
    """Every GET without a path parameter (the lists and the singletons) with the query it needs:
    a page, each required parameter, and every relationship of the listed type included."""
    parameters = document["components"].get("parameters", {})
    schemas = document["components"]["schemas"]
    out = []
    for path, item in sorted(document["paths"].items()):
        operation = item.get("get")
        if operation is None or "{" in path:
            continue
        query = {}
        for p in operation.get("parameters", []):
            p = parameters[p["$ref"].rsplit("/", 1)[-1]] if "$ref" in p else p
            if p["name"] in ("limit", "offset"):
                query.update(limit=1000, offset=0)
            elif p.get("required"):
                query[p["name"]] = "a"
            elif p["name"] == "include":
                listed = (operation.get("x-mock") or {}).get("type")
                rels = ((schemas.get(listed, {}).get("properties") or {}).get("relationships") or {}).get("properties") or {}
                if rels:
                    query["include"] = ",".join(rels)
        out.append((path, query))
    return out


def test_deleting_a_learner_takes_their_own_records_from_every_part_and_every_list_still_renders(synap, fresh):
    before = stored(fresh)
    students = {u["id"] for u in everything(synap, "/users", **{"filter[userGroups]": group_named(synap, "Students")["id"]})}

    def owned_by(user_id: str, tables: dict) -> Counter:
        """Rows per table whose ``user`` is this user: what belongs to them alone."""
        return Counter(table for table, rows in tables.items() if table != "synap_users"
                       for doc in rows if ((doc.get("relationships") or {}).get("user") or {}).get("id") == user_id)

    learner = max(sorted(students), key=lambda user_id: sum(owned_by(user_id, before).values()))
    theirs = owned_by(learner, before)
    assert len(theirs) >= 8 and {"synap_attempts", "synap_learning_records", "synap_user_sessions"} <= set(theirs), theirs
    attempt_ids = {doc["id"] for doc in before["synap_attempts"] if doc["relationships"]["user"]["id"] == learner}

    assert synap.delete(f"/users/{learner}").status_code == 204

    after = stored(fresh)
    assert owned_by(learner, after) == Counter()
    left = [(table, doc["id"]) for table, rows in after.items() for doc in rows
            if doc.get("_attempt") in attempt_ids or any(i["id"] in attempt_ids for _, i in links(doc))]
    assert left == []  # an attempt goes with its responses, sittings, marking and proctoring
    mentions = [(table, name) for table, rows in after.items() for doc in rows
                for name, ident in links(doc) if ident["id"] == learner and ident["type"] == "User"]
    assert {name for name, _ in mentions} <= {table(kept) for kept in KEEP}  # the action log keeps who did what
    assert every_list_renders(synap)
    assert learner not in json.dumps(everything(synap, "/users"))  # nor in anyone's group metadata


def test_deleting_a_marker_clears_their_links_and_keeps_what_others_use(synap, fresh):
    marker = everything(synap, "/users", **{"filter[emailAddress]": "marker@demo-academy.synap.example"})[0]["id"]
    sessions = [doc["id"] for doc in stored(fresh)["synap_marking_sessions"] if doc["relationships"]["marker"]["id"] == marker]
    assert sessions
    assert synap.delete(f"/users/{marker}").status_code == 204
    after = stored(fresh)
    kept = {doc["id"]: doc for doc in after["synap_marking_sessions"]}
    assert all(kept[s]["relationships"]["marker"] is None for s in sessions)  # the marks given stay
    mentions = {(table, name) for table, rows in after.items() for doc in rows
                for name, ident in links(doc) if ident["id"] == marker}
    assert {name for name, _ in mentions} <= {table(kept) for kept in KEEP}
    assert every_list_renders(synap)


def every_list_renders(synap) -> bool:
    document = requests.get(synap.root + "/openapi.json", timeout=30).json()
    failures = []
    for path, query in list_calls(document):
        response = synap.get(path, params=query)  # the client checks the document against the spec
        if response.status_code != 200 or "data" not in response.json():
            failures.append((path, response.status_code, response.text[:200]))
    assert failures == []
    return True
