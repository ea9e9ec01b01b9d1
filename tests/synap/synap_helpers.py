"""Small helpers shared by the Synap tests."""

from __future__ import annotations


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, (response.status_code, response.text[:2000])
    assert response.headers["Content-Type"].startswith("application/vnd.api+json")
    return response.json()


def body(type_name: str, attributes: dict | None = None, relationships: dict | None = None, id: str | None = None) -> dict:
    data: dict = {"type": type_name}
    if id is not None:
        data["id"] = id
    if attributes is not None:
        data["attributes"] = attributes
    if relationships is not None:
        data["relationships"] = relationships
    return {"data": data}


def one(type_name: str, id: str) -> dict:
    return {"data": {"type": type_name, "id": id}}


def many(type_name: str, *ids: str) -> dict:
    return {"data": [{"type": type_name, "id": i} for i in ids]}


def everything(client, path: str, headers: dict | None = None, **params) -> list[dict]:
    """Every row of a list (query parameters as keywords; ``headers`` for another caller)."""
    return ok(client.get(path, params={"limit": 1000, "offset": 0, **params}, headers=headers))["data"]


def group_named(client, name: str) -> dict:
    return next(g for g in everything(client, "/user-groups") if g["attributes"]["name"] == name)


def errors(response, status: int) -> list[dict]:
    assert response.status_code == status, (response.status_code, response.text[:2000])
    document = response.json()
    assert all(e["status"] == str(status) for e in document["errors"])
    return document["errors"]


def register(client, name: str, email: str, **extra) -> dict:
    relationships = extra.pop("relationships", None)
    attributes = {"name": name, "emailAddress": email, "password": "correct horse", **extra}
    return ok(client.post("/user-registrations", json=body("UserRegistration", attributes, relationships)), 201)["data"]
