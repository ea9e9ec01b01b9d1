"""Skilljar's official v1 OpenAPI (shared/oracles), read at test time, never copied.

``check(response, method, template)`` validates a live response of ours against the official
response schema of the same operation; tests using it are skipped where the oracle is absent.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest
import yaml
from connexion.json_schema import Draft4ResponseValidator, resolve_refs
from jsonschema import Draft4Validator

# Beside the checkout (../shared/oracles), or where SKILLJAR_ORACLE says (e.g. from a git worktree).
ORACLE = Path(os.environ.get("SKILLJAR_ORACLE")
              or Path(__file__).resolve().parents[2].parent / "shared" / "oracles" / "skilljar-v1-openapi.yml")
needs_oracle = pytest.mark.skipif(not ORACLE.exists(), reason=f"Skilljar's official OpenAPI not found at {ORACLE}")


# Fields the official spec types as non-null where the live API renders null, and so do we:
# - expires_at: nullable in UpdateEnrollment but not in Enrollment/CreateEnrollment (an unset
#   expiry is null everywhere in DRF);
# - access_code: seed 003 says a domain user's access code "may be set to null", and documents an
#   access_code=null filter, while DomainUserListItem types it as a non-null object;
# - a purchase's promo_code fields: null when no code was used, after its pool was deleted (seed 003:
#   "null value for code_used"), and for the discount kind the pool does not use.
KNOWN_NULLABLE = {"expires_at", "access_code", "promo_code", "promo_code_price_cents", "promo_code_percent_off",
                  "promo_code_quantity"}


def _nullable_all_of(node, seen=None):
    # OpenAPI 3.0 writes "null, or this referenced schema" as {nullable: true, allOf: [...]}; the
    # validators honour `nullable` only next to `type`, so spell it out as anyOf [..., null].
    seen = seen if seen is not None else set()
    if id(node) in seen:
        return node
    seen.add(id(node))
    if isinstance(node, dict):
        for name in KNOWN_NULLABLE & set(node.get("properties") or {}):
            node["properties"][name]["nullable"] = True
        for value in node.values():
            _nullable_all_of(value, seen)
        if node.get("nullable") and "allOf" in node and "type" not in node:
            node["anyOf"] = [{"allOf": node.pop("allOf")}, {"type": "null"}]
    elif isinstance(node, list):
        for value in node:
            _nullable_all_of(value, seen)
    return node


@functools.cache
def official() -> dict:
    return _nullable_all_of(resolve_refs(yaml.load(ORACLE.read_text(), Loader=yaml.CSafeLoader)))


def operation(method: str, template: str) -> dict:
    """The official operation for our path template (relative to /v1, e.g. "/courses/{course_id}")."""
    item = official()["paths"].get("/v1" + template)
    assert item is not None and method.lower() in item, f"{method} /v1{template} is not in the official spec"
    return item[method.lower()]


def check(response, method: str, template: str) -> None:
    declared = operation(method, template)["responses"].get(str(response.status_code))
    assert declared is not None, f"official {method} {template} has no {response.status_code} response"
    schema = (declared.get("content") or {}).get("application/json", {}).get("schema")
    if schema is None:
        return
    errors = sorted(Draft4ResponseValidator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)
                    .iter_errors(response.json()), key=str)
    assert not errors, f"{method} {template}: {errors[0].message} at {list(errors[0].absolute_path)}"
