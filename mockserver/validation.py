"""Request validation that reports *where* each problem is, for every vendor's renderer.

Connexion's stock validators raise a BadRequestProblem with one pre-formatted string; vendors
need one entry per invalid field with a pointer (Verse: ``source.pointer``, Synap: one error
object per field, Skilljar/DRF: ``{"field": ["msg"]}``). These subclasses collect every
violation and raise the neutral ``InvalidRequest``; they are handed to Connexion's
``validator_map`` for every vendor API.

Form bodies (``application/x-www-form-urlencoded``, ``multipart/form-data``) with bracketed keys
(``token[purpose]=x&token[scopes][]=a``, the Rack/Rails convention that Rails-backed APIs and their
clients use) are nested into the JSON shape, and their string values cast to the types the
schema declares, before validation and before the handler sees them: a handler gets one shape
whichever way the client encoded its body.
"""

from __future__ import annotations

import functools
import json
import re
import typing as t

from connexion.datastructures import MediaTypeDict
from connexion.uri_parsing import OpenAPIURIParser
from connexion.utils import is_null, is_nullable
from connexion.validators import (
    VALIDATOR_MAP,
    FormDataValidator,
    JSONRequestBodyValidator,
    MultiPartFormDataValidator,
    ParameterValidator,
)
from jsonschema import Draft4Validator

from mockserver.errors import InvalidRequest, Violation

_REQUIRED = re.compile(r"^'(?P<name>.+)' is a required property$")


_FORM_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_TRUE = frozenset(("true", "1", "yes", "on", "t"))
_FALSE = frozenset(("false", "0", "no", "off", "f"))
_INTEGER = re.compile(r"^-?\d+$")


def _place(node: dict, path: list[str], values: list) -> None:
    head, rest = path[0], path[1:]
    if not rest:
        node[head] = values[-1]  # a repeated plain key: the last value wins, as in Rack
        return
    if rest[0] == "":  # head[] or head[][key]...
        items = node.get(head)
        if not isinstance(items, list):
            items = node[head] = []
        if len(rest) == 1:
            items.extend(values)
            return
        # head[][key]=..: the n-th value of each key goes to the n-th element. Rack decides by the
        # order of the pairs, which a form parsed into {key: [values]} no longer has; the two
        # agree whenever every element carries the same keys (what client libraries send).
        for index, value in enumerate(values):
            while len(items) <= index:
                items.append({})
            if not isinstance(items[index], dict):
                items[index] = {}
            _place(items[index], rest[1:], [value])
        return
    child = node.get(head)
    if not isinstance(child, dict):
        child = node[head] = {}
    _place(child, rest, values)


def nest_form(fields: t.Mapping[str, list]) -> dict:
    """``{"a[b][]": ["1", "2"], "c": ["x"]}`` -> ``{"a": {"b": ["1", "2"]}, "c": "x"}``."""
    result: dict = {}
    for key, values in fields.items():
        values = list(values) if isinstance(values, (list, tuple)) else [values]
        match = _FORM_KEY.match(key)
        if not match or not values:
            result[key] = values[-1] if values else ""
            continue
        _place(result, [match.group(1), *re.findall(r"\[([^\[\]]*)\]", match.group(2))], values)
    return result


def cast_form(value, schema):
    """Form values are strings: cast them to the boolean, integer or number the schema declares.
    A string that does not read as that type is left alone for validation to report."""
    if not isinstance(schema, dict):
        return value
    for part in schema.get("allOf", ()):
        value = cast_form(value, part)
    kind = schema.get("type")
    if isinstance(value, dict):
        properties = schema.get("properties") or {}
        extra = schema.get("additionalProperties")
        return {k: cast_form(v, properties.get(k, extra)) for k, v in value.items()}
    if isinstance(value, list):
        return [cast_form(v, schema.get("items")) for v in value] if kind == "array" else value
    if isinstance(value, str):
        text = value.strip().lower()
        if kind == "boolean" and (text in _TRUE or text in _FALSE):
            return text in _TRUE
        if kind == "integer" and _INTEGER.match(text):
            return int(text)
        if kind == "number":
            try:
                return float(text)
            except ValueError:
                return value
    return value


class BracketQueryParser(OpenAPIURIParser):
    """deepObject parsing that keeps every value of a ``key[]`` array, and Rack-style form bodies.

    Connexion keeps only the first value of ``filter[status__in][]=a&filter[status__in][]=b``
    (and turns it into ``{"": "a"}``); Verse and Rails-style clients send arrays exactly so.
    Its form handling is flat (``token[purpose]`` stays one key) and joins repeated values with
    commas; ``resolve_form`` nests bracketed keys instead (see the module docstring). Connexion
    hands the parser the body definition of the operation's first content type, so an operation
    whose form body differs from its JSON body lists the form content type first.
    The parameter definitions are fixed per operation, so they are computed once, not per access.
    """

    def resolve_form(self, form_data):
        return cast_form(nest_form(form_data), self._body_schema)

    @functools.cached_property
    def param_schemas(self):
        return super().param_schemas

    def _make_deep_object(self, k, v):
        if k.endswith("[]") and k.count("[") > 1:
            root_key, nested, is_deep = super()._make_deep_object(k[:-2], v)
            if is_deep:
                node = nested[0]
                keys = re.findall(r"\[([^\[\]]*)\]", k[:-2])
                for key in keys[:-1]:
                    node = node[key]
                node[keys[-1]] = list(v)
            return root_key, nested, is_deep
        return super()._make_deep_object(k, v)


def _violations(errors, location: str, prefix: tuple = ()) -> list[Violation]:
    found = []
    for error in sorted(errors, key=lambda e: [str(p) for p in e.absolute_path]):
        path = prefix + tuple(error.absolute_path)
        match = _REQUIRED.match(error.message) if error.validator == "required" else None
        if match:
            path += (match.group("name"),)
        found.append(Violation(location, path, error.message))
    return found


class CollectingParameterValidator(ParameterValidator):
    def __init__(self, parameters, uri_parser, strict_validation=False, security_query_params=None):
        super().__init__(parameters, uri_parser, strict_validation, security_query_params)
        # One compiled validator per parameter (Connexion builds one per request: ~110 µs).
        self._compiled = {
            (p["in"], p["name"]): Draft4Validator(
                p.get("schema", p), format_checker=Draft4Validator.FORMAT_CHECKER
            )
            for p in parameters
        }

    def _check(self, location: str, value, param) -> list[Violation]:
        name = param["name"]
        if is_nullable(param) and is_null(value):
            return []
        if value is None:
            if param.get("required"):
                return [Violation(location, (name,), f"Missing {location} parameter '{name}'")]
            return []
        return _violations(self._compiled[(location, name)].iter_errors(value), location, (name,))

    def validate_request(self, request):
        violations: list[Violation] = []
        if self.strict_validation:
            extra = self.validate_query_parameter_list(request, self.security_query_params)
            violations += [Violation("query", (p,), "Extra query parameter") for p in sorted(extra)]
        sources: dict[str, t.Callable[[dict], t.Any]] = {
            "query": lambda p: request.query_params.get(p["name"]),
            "path": lambda p: request.path_params.get(p["name"].replace("-", "_")),
            "header": lambda p: request.headers.get(p["name"]),
            "cookie": lambda p: request.cookies.get(p["name"]),
        }
        for location, read in sources.items():
            for param in self.parameters.get(location, []):
                violations += self._check(location, read(param), param)
        if violations:
            raise InvalidRequest(violations[0].message, violations=violations)


class CollectingJSONBodyValidator(JSONRequestBodyValidator):
    async def _parse(self, stream, scope):
        bytes_body = b"".join([message async for message in stream])
        if not bytes_body:
            return None
        try:
            return json.loads(bytes_body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise InvalidRequest(
                "Malformed JSON body", violations=[Violation("body", (), f"Malformed JSON: {exc}")]
            ) from exc

    def _validate(self, body):
        if not self._nullable and body is None:
            raise InvalidRequest(
                "Request body must not be empty",
                violations=[Violation("body", (), "Request body must not be empty")],
            )
        violations = _violations(self._validator.iter_errors(body), "body")
        if violations:
            raise InvalidRequest(violations[0].message, violations=violations)
        return body


class _CollectingFormBody:
    def _validate(self, body):
        if not isinstance(body, dict):
            raise InvalidRequest("Form body must be a mapping", violations=[Violation("body", (), "not a form")])
        violations = _violations(self._validator.iter_errors(body), "body")
        if violations:
            raise InvalidRequest(violations[0].message, violations=violations)
        return body


class CollectingFormDataValidator(_CollectingFormBody, FormDataValidator):
    pass


class CollectingMultiPartFormDataValidator(_CollectingFormBody, MultiPartFormDataValidator):
    pass


VALIDATORS = {
    **VALIDATOR_MAP,
    "parameter": CollectingParameterValidator,
    "body": MediaTypeDict({
        **VALIDATOR_MAP["body"],
        "*/*json": CollectingJSONBodyValidator,
        "application/x-www-form-urlencoded": CollectingFormDataValidator,
        "multipart/form-data": CollectingMultiPartFormDataValidator,
    }),
}
