"""Our Skilljar request bodies against the official v1 contract (shared/oracles, read at test time).

For every operation: the same media types (JSON, form-encoded, multipart),
the same `required` flag on the body, and, field by field through nested objects and arrays, the
same names, required fields, types, enums, lengths, bounds, patterns, formats and nullability.
"""

from __future__ import annotations

import pytest
from connexion.json_schema import resolve_refs

from mockserver.specs import bundle
from skilljar_helpers import D, demo_course, demo_user, ok
from skilljar_oracle import check, needs_oracle, operation

pytestmark = needs_oracle

# Where our request contract knowingly differs from the official one, per operation ("*": any):
# "<field path>: <keyword>" of a finding, or "body required" / "required" (the body's flag and the
# fields the body requires), each with its reason. Everything else must be the official contract.
PARTIAL_PUT = ("Skilljar's reference says PUT and PATCH both update partially; the official PUT schema "
               "requires fields a partial update does not need")
EMPTY_BODY = ("the body is required here, where the official spec leaves it optional: without one, both "
              "answer 400 naming the fields it needs")
READ_BACK = "a bound of the official read schema, so that what is written reads back valid"
DIFFERS = {
    "*": {".target_url: pattern": "DRF's URLField refuses what is not a URL (\"Enter a valid URL.\"), which "
                                  "`format: uri` alone does not check here, and a webhook is delivered over HTTP: "
                                  "^https?://",
          ".timezone: enum": "checked by the rule (rules/live.py) against pytz's common timezones, the same 433 "
                             "names as the official enum (test_timezone_choices_are_the_official_ones)"},
    **{op: {"required": PARTIAL_PUT, "body required": PARTIAL_PUT} for op in (
        "courses_update", "groups_update", "lessons_update", "lessons_content_items_update",
        "domains_published_paths_update", "promo_code_pools_update", "promo_codes_update",
        "vilt_session_registrations_update")},
    "promo_code_pools_offers_create": dict.fromkeys(
        ("body required", "required", ": type", ".id: official"),
        "seed 003 documents one {\"id\"} or a list of up to 500 of them, each naming its offer (the official "
        "schema has only the object, its id optional)"),
    "vilt_session_registrations_create": {
        "body required": EMPTY_BODY,
        "required": "a registration names the session and the enrollment it registers (Skilljar's docs for "
                    "VILT registrations); the official schema leaves both optional, but nothing is registered without them"},
    **{op: {".order: minimum": READ_BACK, ".order: maximum": READ_BACK, ".title: maxLength": READ_BACK} for op in (
        "lessons_update", "lessons_partial_update", "lessons_content_items_update",
        "lessons_content_items_partial_update")},
    **{op: {".rating_scale: enum": "the official description: \"rating scale (5 or 10)\""} for op in (
        "lessons_rating_content_blocks_create", "lessons_rating_content_blocks_update",
        "lessons_rating_content_blocks_partial_update")},
    **{op: {".max_unique_seats: maximum": READ_BACK} for op in ("license_packages_create", "license_packages_partial_update")},
    "ilt_sessions_create": {"required": "Skilljar's docs for a session list starts_at among the fields to send"},
    "ilt_sessions_update": {"required": "Skilljar's docs for a session list starts_at among the fields to send"},
}


def known(op_id: str, finding: str) -> bool:
    return any(key in (finding, " ".join(finding.split()[:2])) for scope in ("*", op_id) for key in DIFFERS.get(scope, {}))


# What a constraint is: the keywords compared; descriptions, defaults and examples are prose.
KEYWORDS = ("type", "enum", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
            "pattern", "format", "nullable", "minItems", "maxItems", "uniqueItems", "readOnly")


def flat(schema: dict) -> dict:
    """One schema out of an allOf chain (how both specs wrap an enum or add required fields), and
    out of skilljar_oracle's spelling of a nullable allOf (anyOf [the schema, null])."""
    for word in ("anyOf", "oneOf"):  # the official spec writes a nullable enum as oneOf [the enum, [null]]
        options = schema.get(word) or []
        nulls = [o for o in options if o in ({"type": "null"}, {"enum": [None]})]
        if len(options) == 2 and len(nulls) == 1:
            rest = {k: v for k, v in schema.items() if k != word}
            return flat({**rest, **next(o for o in options if o not in nulls), "nullable": True})
    merged = {k: v for k, v in schema.items() if k != "allOf"}
    for part in schema.get("allOf", []):
        part = flat(part)
        for key, value in part.items():
            if key == "properties":
                merged["properties"] = {**merged.get("properties", {}), **value}
            elif key == "required":
                merged["required"] = sorted(set(merged.get("required", [])) | set(value))
            else:
                merged.setdefault(key, value)
    return merged


def differences(ours: dict, theirs: dict, where: str) -> list[str]:
    ours, theirs = flat(ours), flat(theirs)
    found = []
    for key in KEYWORDS:
        a, b = ours.get(key), theirs.get(key)
        if key == "enum":  # null among the values is how our specs spell a nullable enum
            a, b = sorted(str(v) for v in a or [] if v is not None), sorted(str(v) for v in b or [] if v is not None)
        if key in ("nullable", "readOnly"):
            a, b = bool(a), bool(b)
        if a != b:
            found.append(f"{where}: {key} {a!r}, officially {b!r}")
    if sorted(ours.get("required", [])) != sorted(theirs.get("required", [])):
        found.append(f"{where}: required {sorted(ours.get('required', []))}, officially {sorted(theirs.get('required', []))}")
    mine, official = ours.get("properties", {}), theirs.get("properties", {})
    for name in sorted(set(mine) | set(official)):
        if name not in official:
            found.append(f"{where}.{name}: not an official field")
        elif name not in mine:
            found.append(f"{where}.{name}: official field missing")
        else:
            found += differences(mine[name], official[name], f"{where}.{name}")
    if "items" in ours or "items" in theirs:
        found += differences(ours.get("items", {}), theirs.get("items", {}), f"{where}[]")
    return found


def our_operations():
    spec = bundle("skilljar")
    resolved = resolve_refs(spec.document)
    for path, item in resolved["paths"].items():
        for method, op in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield pytest.param(method, path, op, id=op["operationId"])


@pytest.mark.parametrize(("method", "path", "ours"), list(our_operations()))
def test_request_body_is_the_official_one(method, path, ours):
    op_id = ours["operationId"]
    theirs = operation(method, path).get("requestBody")
    mine = ours.get("requestBody")
    assert bool(mine) == bool(theirs), "a body where the official spec has none, or none where it has one"
    if not theirs:
        return
    assert sorted(mine["content"]) == sorted(theirs["content"]), "media types"
    if not known(op_id, "body required"):
        assert bool(mine.get("required")) == bool(theirs.get("required")), "the body's required flag"
    found = [f"{media}{finding}" for media, content in theirs["content"].items()
             for finding in differences(mine["content"][media]["schema"], content["schema"], "")
             if not known(op_id, finding) and not (finding.startswith(": required") and known(op_id, "required"))]
    assert not found, "\n".join(found)


def test_every_operation_named_in_differs_is_served():
    served = {p.id for p in our_operations()}
    assert set(DIFFERS) - {"*"} <= served


def test_timezone_choices_are_the_official_ones():
    """The rule's list (pytz's common timezones) is the official enum, name for name."""
    from pytz import common_timezones

    body = operation("post", "/ilt-sessions")["requestBody"]["content"]["application/json"]["schema"]
    official = flat(flat(body)["properties"]["timezone"])
    assert {name for name in official["enum"] if name} == set(common_timezones)


@pytest.mark.parametrize(("method", "path", "ours"), list(our_operations()))
def test_official_query_parameters_are_read_with_their_constraints(method, path, ours):
    """`page` and `page_size` are strings in _common.yaml, read leniently as DRF's paginator does."""
    theirs = {p["name"]: p for p in operation(method, path).get("parameters", []) if p["in"] == "query"}
    mine = {p["name"]: p for p in ours.get("parameters", []) if p["in"] == "query"}
    assert not set(theirs) - set(mine), "official query parameters we do not read"
    found = [finding for name in set(theirs) - {"page", "page_size"}
             for finding in differences(mine[name].get("schema", {}), theirs[name].get("schema", {}), name)]
    assert not found, "\n".join(found)


# -- the same contract, live ------------------------------------------------------------------------


def test_the_seeds_operations_take_form_encoded_and_multipart_bodies(sj):
    hook = sj.post("/webhooks", data={"target_url": "https://hooks.example.com/formed", "active": "false",
                                      "event_type": "DASHBOARD_TASK_CREATED"})
    check(hook, "POST", "/webhooks")
    assert ok(hook, 201)["active"] is False
    patched = sj.patch(f"/webhooks/{hook.json()['id']}", files={"basic_auth_username": (None, "bot")})
    assert ok(patched)["basic_auth_username"] == "bot"
    member = sj.post(f"/domains/{D}/users", files={"user.email": (None, "multipart@example.com"),
                                                  "user.first_name": (None, "M" * 50)})
    check(member, "POST", "/domains/{domain_name}/users")
    assert ok(member, 201)["user"]["first_name"] == "M" * 50  # the official 50, not 30
    user = member.json()["user"]["id"]
    changed = sj.put(f"/domains/{D}/users/{user}", data={"active": "false"})
    assert ok(changed)["active"] is False
    domain = sj.patch(f"/domains/{D}", data={"catalog_title": "<h1>Formed</h1>"})
    check(domain, "PATCH", "/domains/{domain_name}")
    assert ok(domain)["catalog_title"] == "<h1>Formed</h1>"
    published = demo_course(sj)
    enrolled = sj.post(f"/domains/{D}/published-courses/{published['id']}/enrollments",
                       data={"user.id": demo_user(sj)["id"], "active": "true"})
    assert ok(enrolled, 201)["user"]["id"] == demo_user(sj)["id"]


def test_the_official_constraints_refuse_and_change_nothing(sj):
    before = ok(sj.get(f"/domains/{D}"))
    for body in ({"catalog_title": ""}, {"access_code_message_html": ""}, {"access": "OPEN"}):
        assert sj.patch(f"/domains/{D}", json=body).status_code == 400, body
    assert ok(sj.get(f"/domains/{D}")) == before
    assert sj.post(f"/domains/{D}/users", json={"user": {"email": "long@example.com", "first_name": "x" * 51}}).json() \
        == {"user": {"first_name": [f"'{'x' * 51}' is too long"]}}
    user = demo_user(sj)
    refused = sj.patch(f"/domains/{D}/users/{user['id']}", json={"access_code": {}})
    assert refused.status_code == 400 and refused.json() == {"access_code": {"id": ["This field is required."]}}
    published = demo_course(sj)
    enrollments = f"/domains/{D}/published-courses/{published['id']}/enrollments"
    too_much = {"user": {"id": user["id"]}, "purchase": {"tax_price_cents": 2 ** 31}}
    assert list(sj.post(enrollments, json=too_much).json()) == ["purchase"]
    no_amount = {"user": {"id": user["id"]}, "purchase": {"purchase_price": {"amount": ""}}}
    assert sj.post(enrollments, json=no_amount).status_code == 400


def test_a_webhook_keeps_any_json_as_additional_headers_and_still_delivers(sj):
    """The official WebHookRequest types additional_headers as any JSON: a list is stored, adds no header,
    and a ping still answers (here: the target cannot be reached)."""
    hook = sj.post("/webhooks", json={"target_url": "http://127.0.0.1:9/none", "additional_headers": ["x"],
                                      "event_type": "DASHBOARD_TASK_CREATED"})
    check(hook, "POST", "/webhooks")
    assert ok(hook, 201)["additional_headers"] == ["x"]
    pinged = sj.post(f"/webhooks/{hook.json()['id']}/ping")
    assert ok(pinged)["succeeded"] is False
    assert sj.post("/webhooks", json={"target_url": "not a url"}).status_code == 400


def test_include_searchable_content_is_read_and_the_items_keep_the_official_schema(sj):
    for template in ("/domains/{domain_name}/published-courses", "/domains/{domain_name}/published-paths"):
        listed = sj.get(template.replace("{domain_name}", D), params={"include_searchable_content": "true"})
        check(listed, "GET", template)
        assert ok(listed)["results"]
