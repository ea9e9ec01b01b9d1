"""Client-side conformance: every response a test sees is checked against our own spec.

Connexion's response validation (on in tests) checks success bodies inside the server; this
also checks what it cannot see: error bodies rendered by the vendor renderers, that each status
is one the operation documents, and the media type.
"""

from __future__ import annotations

import re

from connexion.json_schema import Draft4ResponseValidator, resolve_refs
from jsonschema import Draft4Validator

METHODS = ("get", "put", "post", "delete", "patch")


class SpecChecker:
    def __init__(self, document: dict, mount: str):
        self.document = resolve_refs(document)
        self.mount = mount.rstrip("/")
        self.routes = []
        for path, item in self.document["paths"].items():
            pattern = re.sub(r"\{[^/}]+\}", "[^/]+", re.escape(path).replace(r"\{", "{").replace(r"\}", "}"))
            self.routes.append((re.compile("^" + re.escape(self.mount) + pattern + "/?$"), path, item))

    def operation(self, method: str, url_path: str):
        for pattern, path, item in self.routes:
            if pattern.match(url_path) and method.lower() in item:
                return path, item[method.lower()]
        return None, None

    def check(self, response) -> None:
        request = response.request
        path = request.path_url.split("?", 1)[0]
        template, operation = self.operation(request.method, path)
        if operation is None:
            return  # not a spec route (e.g. a deliberate unknown path): the test asserts the body itself
        where = f"{request.method} {template} -> {response.status_code}"
        responses = operation["responses"]
        declared = responses.get(str(response.status_code)) or responses.get("default")
        assert declared is not None, f"{where}: status not documented (documented: {sorted(responses)})"
        content = declared.get("content")
        if not content:
            assert not response.content, f"{where}: documented without a body, got {response.content[:200]!r}"
            return
        media = response.headers.get("content-type", "").split(";")[0].strip()
        assert media in content, f"{where}: content-type {media!r} not in {sorted(content)}"
        schema = content[media].get("schema")
        if schema:
            errors = sorted(
                Draft4ResponseValidator(schema, format_checker=Draft4Validator.FORMAT_CHECKER).iter_errors(
                    response.json()
                ),
                key=str,
            )
            assert not errors, f"{where}: body does not conform: {errors[0].message} at {list(errors[0].absolute_path)}"
