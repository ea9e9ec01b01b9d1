"""Request validation that reports *where* each problem is, for every vendor's renderer.

Vendors need one entry per invalid field with a pointer (Verse: ``source.pointer``, Synap: one
error object per field, Skilljar/DRF: ``{"field": ["msg"]}``). The checks here are built once per
operation (``mockserver.operation``) and collect every violation into the neutral
``InvalidRequest``. They use Connexion's own request validator class (OpenAPI's ``nullable``) and
URI parser, with two stricter rules every vendor's backend has: an integer is at most 64 bits
(the databases behind them refuse more), and a date-time is RFC 3339 with a four-digit year that
stays within years 1-9999 once its offset is applied.

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

import math
from itertools import groupby

import fastjsonschema
from jsonschema import Draft4Validator, FormatChecker
from jsonschema.validators import extend

from mockserver.clock import parse as parse_datetime

from mockserver.errors import InvalidRequest, Violation

_REQUIRED = re.compile(r"^'(?P<name>.+)' is a required property$")


_FORM_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
# Rack refuses parameters nested deeper than this (Rack::QueryParser's param_depth_limit, 32 by
# default: ParamsTooDeepError, which Rails answers as 400 Bad Request).
PARAM_DEPTH_LIMIT = 32
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
        if key.count("[") > PARAM_DEPTH_LIMIT:
            raise InvalidRequest("Parameters nested too deeply",
                                 violations=[Violation("body", (key.split("[", 1)[0],), f"nested deeper than {PARAM_DEPTH_LIMIT} levels")])
        match = _FORM_KEY.match(key)
        if not match or not values:
            result[key] = values[-1] if values else ""
            continue
        _place(result, [match.group(1), *re.findall(r"\[([^\[\]]*)\]", match.group(2))], values)
    return result


_DRF_KEY = re.compile(r"[^.\[\]]+(?:\.[^.\[\]]+|\[\d+\](?:[^.\[\]]+)?)*")
_DRF_TOKEN = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def _drf_path(key: str) -> list | None:
    """``answers[0]answer_text`` -> ``["answers", 0, "answer_text"]``, ``user.email`` -> ``["user",
    "email"]``; None for a key DRF would not nest (it stays a plain field name)."""
    if not _DRF_KEY.fullmatch(key):
        return None
    return [int(index) if index else name for index, name in _DRF_TOKEN.findall(key)]


def _schema_parts(schema) -> list[dict]:
    if not isinstance(schema, dict):
        return []
    return [schema, *(p for part in schema.get("allOf", ()) for p in _schema_parts(part))]


def _settle(node, schema):
    """Leaves (the tuple of a key's values) become one value, or all of them for an array; nodes
    keyed by index become lists in index order, as DRF's parse_html_list orders them."""
    parts = _schema_parts(schema)
    if isinstance(node, tuple):
        return list(node) if any(p.get("type") == "array" for p in parts) else node[-1]
    if node and all(isinstance(k, int) for k in node):
        items = next((p["items"] for p in parts if isinstance(p.get("items"), dict)), None)
        return [_settle(node[k], items) for k in sorted(node)]
    properties = {k: v for p in parts for k, v in (p.get("properties") or {}).items()}
    extra = next((p["additionalProperties"] for p in parts if isinstance(p.get("additionalProperties"), dict)), None)
    return {str(k): _settle(v, properties.get(str(k), extra)) for k, v in node.items()}


def nest_drf_form(fields: t.Mapping[str, list], schema) -> dict:
    """A form body as Django REST Framework's serializers read it (rest_framework/utils/html.py):
    ``user.email=..`` fills the nested ``user`` (parse_html_dict); ``answers[0]answer_text=..``
    the first item of the list ``answers`` (parse_html_list, in index order); a repeated key is a
    list where the field is one (ListField reads ``getlist``) and its last value elsewhere
    (QueryDict.get). Any other key is a plain field name; bracketed Rack keys (``user[email]``)
    are not nested, as DRF does not nest them."""
    tree: dict = {}
    for key, values in fields.items():
        values = tuple(values) if isinstance(values, (list, tuple)) else (values,)
        if not values:
            continue
        path = _drf_path(key) or [key]
        if len(path) > PARAM_DEPTH_LIMIT:
            raise InvalidRequest("Parameters nested too deeply",
                                 violations=[Violation("body", (str(path[0]),), f"nested deeper than {PARAM_DEPTH_LIMIT} levels")])
        node = tree
        for step in path[:-1]:
            child = node.get(step)
            if not isinstance(child, dict):  # a nested field wins over a plain value of the same name
                child = node[step] = {}
            node = child
        if not isinstance(node.get(path[-1]), dict):
            node[path[-1]] = values
    return _settle(tree, schema)


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


def is_nullable(definition: dict) -> bool:
    """OpenAPI 3's ``nullable`` on a parameter's or body's schema (as Connexion reads it)."""
    return bool(definition.get("schema", definition).get("nullable", False) or definition.get("x-nullable", False))


def is_null(value) -> bool:
    return value is None or (hasattr(value, "strip") and value.strip() in ("null", "None"))


def _nullable(check):
    """A keyword check that lets ``null`` through where the schema says ``nullable`` (OpenAPI 3)."""
    def checked(validator, expected, instance, schema):
        if instance is None and (schema.get("x-nullable") is True or schema.get("nullable")):
            return
        yield from check(validator, expected, instance, schema)
    return checked


_parser_class = None


def uri_parser(parameters: list[dict], body_definition: dict, form_style: str = "rack"):
    """Connexion's OpenAPI URI parser with the bracket handling below, for one operation (the
    parser class is made on first use, so a start does not load Connexion). ``form_style``: how
    the vendor's framework nests form bodies, "rack" (``a[b][]``) or "drf" (``a.b``, ``a[0]b``)."""
    global _parser_class
    if _parser_class is None:
        from connexion.uri_parsing import OpenAPIURIParser

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

            def __init__(self, param_defns, body_defn, form_style: str):
                super().__init__(param_defns, body_defn)
                self.form_style = form_style

            def resolve_form(self, form_data):
                if self.form_style == "drf":
                    return cast_form(nest_drf_form(form_data, self._body_schema), self._body_schema)
                return cast_form(nest_form(form_data), self._body_schema)

            @functools.cached_property
            def param_schemas(self):
                return super().param_schemas

            def _make_deep_object(self, k, v):
                if "[" in k and not _FORM_KEY.match(k):
                    raise InvalidRequest(f"Malformed query parameter {k[:100]!r}",
                                         violations=[Violation("query", (k[:100],), "a malformed bracketed key")])
                if k.count("[") > PARAM_DEPTH_LIMIT:
                    raise InvalidRequest("Query parameters nested too deeply",
                                         violations=[Violation("query", (k.split("[", 1)[0],), f"nested deeper than {PARAM_DEPTH_LIMIT} levels")])
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

        _parser_class = BracketQueryParser
    return _parser_class(parameters, body_definition, form_style)


# -- the stricter types and formats ------------------------------------------------------------
INT64 = (-(2**63), 2**63 - 1)


def _is_integer(checker, instance) -> bool:
    return isinstance(instance, int) and not isinstance(instance, bool) and INT64[0] <= instance <= INT64[1]


def _is_number(checker, instance) -> bool:
    if isinstance(instance, bool):
        return False
    if isinstance(instance, int):
        return INT64[0] <= instance <= INT64[1]
    return isinstance(instance, float) and math.isfinite(instance)


FORMATS = FormatChecker(list(Draft4Validator.FORMAT_CHECKER.checkers))
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


@FORMATS.checks("date-time", raises=(ValueError, OverflowError))
def _date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    if not _RFC3339.match(value):
        raise ValueError("not an RFC 3339 date-time")
    parse_datetime(value)  # years 1-9999 after the offset, or OverflowError / ValueError
    return True


_TYPES = Draft4Validator.TYPE_CHECKER.redefine_many({"integer": _is_integer, "number": _is_number})
ParameterSchemaValidator = extend(Draft4Validator, type_checker=_TYPES)
# Connexion's request validator: Draft 4 with OpenAPI's nullable (connexion.json_schema).
BodySchemaValidator = extend(Draft4Validator, {"type": _nullable(Draft4Validator.VALIDATORS["type"]),
                                               "enum": _nullable(Draft4Validator.VALIDATORS["enum"])},
                             type_checker=_TYPES)


def _fits_int64(node) -> bool:
    if isinstance(node, bool) or node is None or isinstance(node, str):
        return True
    if isinstance(node, int):
        return INT64[0] <= node <= INT64[1]
    if isinstance(node, float):
        return math.isfinite(node)
    if isinstance(node, dict):
        return all(_fits_int64(v) for v in node.values())
    if isinstance(node, list):
        return all(_fits_int64(v) for v in node)
    return True


def _date_time_ok(value) -> bool:
    try:
        return _date_time(value)
    except (ValueError, OverflowError):
        return False


class FastPath:
    """A schema compiled to Python by fastjsonschema (built on first use): ~20x faster than
    jsonschema on the valid requests that are nearly all of them. It only ever says "valid"; a
    value it refuses goes to jsonschema, which decides and words every violation, so a
    difference between the two can cost time but never changes an answer. It knows neither
    OpenAPI's ``nullable`` nor the 64-bit bound, so those are jsonschema's (the bound is also
    checked here)."""

    __slots__ = ("schema", "_check")

    def __init__(self, schema: dict):
        self.schema = schema
        self._check = None

    def valid(self, value) -> bool:
        check = self._check
        if check is None:
            try:
                check = fastjsonschema.compile(self.schema, use_default=False,
                                               formats={"date-time": _date_time_ok})
            except Exception:  # noqa: BLE001 - a schema it cannot compile just has no fast path
                check = False
            self._check = check
        if check is False:
            return False
        try:
            check(value)
        except fastjsonschema.JsonSchemaException:
            return False
        except Exception:  # noqa: BLE001 - anything odd: let jsonschema decide
            return False
        return _fits_int64(value)


def _violations(errors, location: str, prefix: tuple = ()) -> list[Violation]:
    found = []
    for error in sorted(errors, key=lambda e: [str(p) for p in e.absolute_path]):
        path = prefix + tuple(error.absolute_path)
        match = _REQUIRED.match(error.message) if error.validator == "required" else None
        if match:
            path += (match.group("name"),)
        found.append(Violation(location, path, cut(error.message)))
    return found


def cut(message: str, limit: int = 300) -> str:
    """A message quotes the offending value: a 5 MB string is not echoed back whole."""
    return message if len(message) <= limit else message[:limit] + "... (cut)"


class ParameterCheck:
    """Every parameter of one operation, each with its validator compiled once."""

    def __init__(self, parameters: list[dict]):
        by_location = sorted(parameters, key=lambda p: p["in"])
        self.parameters = {k: list(g) for k, g in groupby(by_location, key=lambda p: p["in"])}
        self._compiled = {
            (p["in"], p["name"]): ParameterSchemaValidator(p.get("schema", p), format_checker=FORMATS)
            for p in parameters
        }
        # A plain string parameter is valid whatever the client sent: no validator runs for it.
        self._free = {key for key, validator in self._compiled.items() if validator.schema in ({"type": "string"}, {})}
        self._fast = {key: FastPath(validator.schema) for key, validator in self._compiled.items()}

    def _check(self, location: str, value, param) -> list[Violation]:
        name = param["name"]
        if is_nullable(param) and is_null(value):
            return []
        if value is None:
            if param.get("required"):
                return [Violation(location, (name,), f"Missing {location} parameter '{name}'")]
            return []
        if (location, name) in self._free and isinstance(value, str):
            return []
        if self._fast[(location, name)].valid(value):
            return []
        return _violations(self._compiled[(location, name)].iter_errors(value), location, (name,))

    def validate(self, query: dict, path: dict, headers, cookies: dict) -> None:
        violations: list[Violation] = []
        sources = {
            "query": lambda p: query.get(p["name"]),
            "path": lambda p: path.get(p["name"].replace("-", "_")),
            "header": lambda p: headers.get(p["name"].lower()),
            "cookie": lambda p: cookies.get(p["name"]),
        }
        for location, read in sources.items():
            for param in self.parameters.get(location, ()):
                violations += self._check(location, read(param), param)
        if violations:
            raise InvalidRequest(violations[0].message, violations=violations)


class BodyCheck:
    """One request body media type of one operation: its schema's validator compiled once."""

    def __init__(self, schema: dict, *, nullable: bool, form: bool):
        self.schema = schema
        self.nullable = nullable
        self.form = form
        self._validator = BodySchemaValidator(schema, format_checker=FORMATS)
        self._fast = FastPath(schema)

    def validate(self, body):
        if body is None and self.nullable:
            return body
        if self.form and not isinstance(body, dict):
            raise InvalidRequest("Form body must be a mapping", violations=[Violation("body", (), "not a form")])
        if body is None:
            raise InvalidRequest("Request body must not be empty",
                                 violations=[Violation("body", (), "Request body must not be empty")])
        if self._fast.valid(body):
            return body
        violations = _violations(self._validator.iter_errors(body), "body")
        if violations:
            raise InvalidRequest(violations[0].message, violations=violations)
        return body


def malformed_json(reason: str) -> InvalidRequest:
    return InvalidRequest("Malformed JSON body", violations=[Violation("body", (), f"Malformed JSON: {cut(reason)}")])
