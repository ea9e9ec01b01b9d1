"""One spec operation compiled at startup into the steps every request to it takes.

Connexion loads and resolves the specs; what it would redo for every request (introspect the
handler, build the security check, the URI parser and the parameter and body validators) is done
here once per operation. A request then runs: security (the vendor's token check) -> parameters
(deepObject and bracket keys parsed, validated) -> media type and body (parsed, validated) ->
the handler, called on the event loop with the keyword arguments Connexion would pass it, inside
one store transaction -> the response serialized (and, in tests, validated against the spec).

Precedence of failures is Connexion's: 401/403 before 400, 415 before a body check, and the
messages are the ones Connexion's own layers use, so every vendor renders what it did before.
"""

from __future__ import annotations

import base64
import binascii
import collections.abc
import copy
import inspect
import json
import re
import threading
import types
from dataclasses import dataclass
from urllib.parse import parse_qsl

import importlib
from fnmatch import fnmatch

import orjson
from jsonschema import Draft4Validator

from mockserver.context import Request
from mockserver.errors import Internal, InvalidRequest, SandboxError, Unauthenticated, UnsupportedMediaType, Violation
from mockserver.responses import NoContent
from mockserver.validation import BodyCheck, ParameterCheck, cut, is_nullable, malformed_json, uri_parser

FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
_NO_VALUE = object()  # a security scheme that found no credentials of its kind


class NonConforming(Internal):
    """A response our own spec refuses (response validation, on in the test suite)."""


class MediaTypes(dict):
    """Media type -> value, where a key may be a range (``application/*``, ``*/*json``): the most
    specific key that matches wins, as OpenAPI prescribes (Connexion's MediaTypeDict does the same)."""

    def __getitem__(self, item):
        for key in sorted(self, key=lambda k: ("*" not in k, k), reverse=True):
            if fnmatch(item, key):
                return super().__getitem__(key)
        raise KeyError(item)

    def get(self, item, default=None):
        try:
            return self[item]
        except KeyError:
            return default

    def __contains__(self, item):
        return self.get(item, _ABSENT) is not _ABSENT


_ABSENT = object()


def is_json_mimetype(mime: str | None) -> bool:
    if not mime or "/" not in mime:
        return False
    major, _, minor = mime.split(";", 1)[0].strip().partition("/")
    return major == "application" and (minor == "json" or minor.endswith("+json"))


def function_arguments(function) -> tuple[list[str], bool]:
    """The argument names a function takes, and whether it takes **kwargs."""
    parameters = inspect.signature(function).parameters
    names = [n for n, p in parameters.items() if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    return names, any(p.kind == p.VAR_KEYWORD for p in parameters.values())


def function_named(dotted: str):
    """``package.module.function`` -> the function (a spec's x-...InfoFunc)."""
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def sanitized(name: str) -> str:
    """Connexion's parameter name -> Python argument (``pythonic_params`` off)."""
    return name and re.sub("^[^a-zA-Z_]+", "", re.sub("[^0-9a-zA-Z_]", "", re.sub(r"\[(?!])", "_", name)))


def _make_type(value, schema: dict):
    kind = schema.get("type")
    if value is None or kind is None:
        return value
    if kind == "array":
        item = (schema.get("items") or {}).get("type")
        return [_scalar(part, item) for part in value] if isinstance(value, list) else value
    return _scalar(value, kind)


def _scalar(value, kind):
    try:
        if kind == "integer" and not isinstance(value, int):
            return int(value)
        if kind == "number" and not isinstance(value, (int, float)):
            return float(value)
        if kind == "boolean" and isinstance(value, str):
            return value.lower() in ("true", "1", "yes", "on", "t")
        if kind == "object" and isinstance(value, dict):
            return dict(value)
        if kind == "string" and not isinstance(value, str) and not isinstance(value, (dict, list)):
            return str(value)
    except (TypeError, ValueError):
        return value
    return value


def _deep_merge(a: dict, b: dict) -> dict:
    for key, value in b.items():
        if key in a and isinstance(a[key], dict) and isinstance(value, dict):
            _deep_merge(a[key], value)
        else:
            a[key] = value
    return a


def _copy(value):
    """A copy of plain JSON data (defaults from the spec), cheaper than copy.deepcopy."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _query_default(param: dict):
    if "default" in param:
        return True, param["default"]
    schema = param.get("schema") or {}
    if "default" in schema:
        return True, schema["default"]
    if schema.get("type") == "object":
        return True, _default_object(schema.get("properties") or {})
    return False, None


def _default_object(properties: dict) -> dict:
    result = {}
    for name, prop in properties.items():
        if "default" in prop:
            result[name] = copy.copy(prop["default"])
        elif prop.get("type") == "object" and "properties" in prop:
            result[name] = _default_object(prop["properties"])
    return result


# -- security ---------------------------------------------------------------------------------
def _authorization(headers) -> tuple[str | None, str | None]:
    value = headers.get("authorization")
    if not value:
        return None, None
    parts = value.split(maxsplit=1)
    if len(parts) != 2:
        raise Unauthenticated("Invalid authorization header")
    return parts[0].lower(), parts[1]


def _checked(func, message: str):
    arguments, has_kwargs = function_arguments(func)
    takes_scopes = has_kwargs or "required_scopes" in arguments

    def call(*args, scopes):
        info = func(*args, required_scopes=scopes) if takes_scopes else func(*args)
        if info is None:
            raise Unauthenticated(message)
        return info

    return call


def _scheme_check(scheme: dict, scopes: list):
    kind = scheme.get("type")
    if kind == "http" and scheme.get("scheme", "").lower() == "bearer":
        call = _checked(function_named(scheme["x-bearerInfoFunc"]), "Provided token is not valid")

        def bearer(request):
            auth_type, token = _authorization(request.headers)
            return call(token, scopes=scopes) if auth_type == "bearer" else _NO_VALUE

        return bearer
    if kind == "http" and scheme.get("scheme", "").lower() == "basic":
        call = _checked(function_named(scheme["x-basicInfoFunc"]), "Provided authorization is not valid")

        def basic(request):
            auth_type, value = _authorization(request.headers)
            if auth_type != "basic":
                return _NO_VALUE
            try:
                username, password = base64.b64decode(value).decode("latin1").split(":", 1)
            except (ValueError, binascii.Error):
                raise Unauthenticated("Invalid authorization header") from None
            return call(username, password, scopes=scopes)

        return basic
    if kind == "apiKey":
        call = _checked(function_named(scheme["x-apikeyInfoFunc"]), "Provided apikey is not valid")
        name, where = scheme["name"], scheme["in"]

        def api_key(request):
            if where == "query":
                value = request.query_params.get(name)
            elif where == "header":
                value = request.headers.get(name.lower())
            else:
                value = request.cookies.get(name)
            return _NO_VALUE if value is None else call(value, scopes=scopes)

        return api_key
    raise ValueError(f"security scheme type {kind!r} is not supported")


def compile_security(requirements: list | None, schemes: dict):
    """Connexion's semantics: alternatives tried in order, the first that finds credentials wins;
    if none does, the most specific failure (403, then 401, then the lowest status)."""
    if not requirements:
        return None
    alternatives = []
    for requirement in requirements:
        if not requirement:
            alternatives.append(lambda request: {})
            continue
        checks = {name: _scheme_check(schemes[name], scopes) for name, scopes in requirement.items()}
        if len(checks) == 1:
            alternatives.append(next(iter(checks.values())))
        else:
            def every(request, checks=checks):
                found = {}
                for name, check in checks.items():
                    result = check(request)
                    if result is _NO_VALUE:
                        return _NO_VALUE
                    found[name] = result
                return found
            alternatives.append(every)

    def verify(request) -> dict:
        errors = []
        for alternative in alternatives:
            try:
                info = alternative(request)
            except SandboxError as exc:
                errors.append(exc)
                continue
            if info is not _NO_VALUE:
                return info
        if errors:
            by_status = {exc.status: exc for exc in errors}
            raise by_status.get(403) or by_status.get(401) or by_status[min(by_status)]
        raise Unauthenticated("No authorization token provided")

    return verify


@dataclass
class Outgoing:
    status: int
    body: bytes
    headers: list[tuple[bytes, bytes]]


def _content_type(headers: dict) -> tuple[str | None, str]:
    value = headers.get("content-type")
    if not value:
        return None, "utf-8"
    mime, _, params = value.partition(";")
    encoding = "utf-8"
    for part in params.split(";"):
        key, _, found = part.strip().partition("=")
        if key.lower() == "charset" and found:
            encoding = found.strip('"')
    return mime.strip().lower(), encoding


class Operation:
    def __init__(self, *, method: str, path: str, operation_id: str, document, handler,
                 validate_responses: bool, blocking: bool = False, security_checks: dict | None = None,
                 form_style: str = "rack", empty_body: dict | None = None):
        self.method = method
        self.form_style = form_style  # how form bodies nest (validation.uri_parser)
        self.empty_body = empty_body  # what an empty body reads as (vendor.Vendor.empty_body)
        self.path = path
        self.operation_id = operation_id
        self.handler = handler
        self.blocking = blocking  # run in a worker thread (slow admin actions), not on the event loop
        self.validate_responses = validate_responses
        self._document = document  # () -> the resolved spec, read when the first operation compiles
        self._security_checks = {} if security_checks is None else security_checks  # shared per spec
        self._compiled = False
        self._lock = threading.Lock()

    def ready(self) -> Operation:
        """Compiled on first use (a few hundred of ~900 operations are called in a typical run), so a
        start does not pay for all of them; ``mockserver check`` compiles every one."""
        if not self._compiled:
            with self._lock:
                if not self._compiled:
                    document = self._document()
                    item = document["paths"][self.path]
                    self._compile(item[self.method.lower()], item, document)
                    self._compiled = True
        return self

    def _compile(self, op: dict, path_item: dict, document: dict) -> None:
        merged = {(p["in"], p["name"]): p for p in path_item.get("parameters", ())}
        merged.update({(p["in"], p["name"]): p for p in op.get("parameters", ())})
        self.parameters = list(merged.values())
        security = op["security"] if "security" in op else document.get("security")
        key = orjson.dumps(security, option=orjson.OPT_SORT_KEYS)
        if key not in self._security_checks:
            self._security_checks[key] = compile_security(
                security, document.get("components", {}).get("securitySchemes", {}))
        self.verify = self._security_checks[key]

        request_body = op.get("requestBody") or {}
        content = request_body.get("content") or {}
        self.consumes = list(content)
        self.body_required = bool(request_body.get("required", False))
        self._media = MediaTypes([(c.lower(), None) for c in self.consumes]) if self.consumes else None
        first = content[self.consumes[0]] if self.consumes else {}
        has_form = any(m.lower() in (FORM, MULTIPART) for m in content)
        self.uri_parser = uri_parser(self.parameters, first, self.form_style) if self.parameters or has_form else None
        self.params = ParameterCheck(self.parameters)
        self.bodies = MediaTypes()
        self.body_schemas = {}
        for media, definition in content.items():
            schema = definition.get("schema")
            self.body_schemas[media.lower()] = schema or {}
            if schema:
                form = media.lower() in (FORM, MULTIPART)
                self.bodies[media.lower()] = BodyCheck(schema, nullable=is_nullable(definition), form=form)
        self.body_name = sanitized((first.get("schema") or {}).get("x-body-name", "body")) if self.consumes else "body"

        self.query_defs = {p["name"]: p for p in self.parameters if p["in"] == "query"}
        self.path_defs = {p["name"]: p for p in self.parameters if p["in"] == "path"}
        self.query_defaults = {}
        for name, param in self.query_defs.items():
            has, value = _query_default(param)
            if has:
                self.query_defaults[name] = value
        self.names = {p["name"]: sanitized(p["name"]) for p in self.parameters}  # spec name -> argument
        arguments, self.has_kwargs = function_arguments(self.handler)
        self.arguments = set(arguments)

        self.responses = op.get("responses") or {}
        self.produces = sorted({media for r in self.responses.values() for media in (r.get("content") or {})})
        self._response_validators: dict[tuple[str, str], object] = {}

    def wants(self, name: str) -> bool:
        return self.has_kwargs or name in self.arguments

    # -- parameters and body ------------------------------------------------------------------
    def parameters_of(self, request: Request, path_params: dict) -> tuple[dict, dict]:
        if self.uri_parser is None:  # no parameters: what the query holds is nobody's business
            query, path = {}, dict(path_params)
        else:
            query = self.uri_parser.resolve_query(request.multi_query) if request.multi_query else {}
            path = self.uri_parser.resolve_path(path_params) if path_params else {}
        self.params.validate(query, path, request.headers, request.cookies if self._has_cookies else {})
        return query, path

    @property
    def _has_cookies(self) -> bool:
        return "cookie" in self.params.parameters

    def media_type(self, request: Request) -> tuple[str, str]:
        mime, encoding = _content_type(request.headers)
        if mime is None:
            mime = self.consumes[0].lower() if self.consumes else "application/octet-stream"
        if self._media is not None and mime not in self._media:
            raise UnsupportedMediaType(f"Invalid Content-type ({mime}), expected {self.consumes}")
        return mime, encoding

    async def body_of(self, mime: str, encoding: str, raw: bytes, receive_form):
        check = self.bodies.get(mime) if self.consumes else None
        if check is None:
            return None
        if not raw and self.empty_body is not None:
            return check.validate(copy.deepcopy(self.empty_body))
        if not raw:
            default = check.schema.get("default")
            if default is None and self.body_required:
                raise InvalidRequest("RequestBody is required", violations=[Violation("request", (), "RequestBody is required")])
            body = copy.deepcopy(default)
            if body is None:
                return check.validate(None) if not check.form else None
            return check.validate(body)
        if check.form:
            if mime == FORM:
                fields: dict[str, list[str]] = {}
                try:
                    text = raw.decode(encoding)
                except (LookupError, UnicodeDecodeError):
                    raise InvalidRequest("Malformed form body", violations=[Violation("body", (), "not decodable")]) from None
                for key, value in parse_qsl(text, keep_blank_values=True):
                    fields.setdefault(key, []).append(value)
            else:
                fields = await receive_form()
            body = self.uri_parser.resolve_form(fields)
            return check.validate(body)
        body = parse_json(raw, encoding)
        return check.validate(body)

    def arguments_for(self, query: dict, path: dict, body, mime: str, token_info) -> dict:
        kwargs = {}
        names = self.names
        for name, value in path.items():
            definition = self.path_defs.get(name)
            kwargs[names.get(name) or sanitized(name)] = (
                _make_type(value, definition.get("schema", definition)) if definition else value)
        if self.query_defaults:
            merged = _deep_merge(_copy(self.query_defaults), query)
        else:
            merged = query
        for name, value in merged.items():
            key = names.get(name)
            if key is not None and (self.has_kwargs or key in self.arguments) and name in self.query_defs:
                definition = self.query_defs[name]
                kwargs[key] = _make_type(value, definition.get("schema", definition))
        if self.consumes and (self.arguments or self.has_kwargs) and self.method != "TRACE":
            if self.wants(self.body_name):
                kwargs[self.body_name] = self._body_argument(body, mime)
        if token_info is not None:
            context = {"user": token_info.get("sub", token_info.get("uid")), "token_info": token_info}
            for key, value in context.items():
                if self.wants(key):
                    kwargs[key] = value
        return kwargs

    def _body_argument(self, body, mime: str):
        schema = self.body_schemas.get(mime) or (self.body_schemas.get(self.consumes[0].lower()) if self.consumes else {}) or {}
        if mime in (FORM, MULTIPART):
            result = copy.deepcopy(schema.get("default", {}))
            result.update(body or {})
            properties = schema.get("properties") or {}
            extra = schema.get("additionalProperties", True)
            if not (properties or extra):
                return {}
            typed = {}
            for key, value in result.items():
                if key in properties:
                    typed[key] = _make_type(value, properties[key])
                elif extra:
                    typed[key] = _make_type(value, extra) if isinstance(extra, dict) else value
            return typed
        if body is None:
            if is_nullable(schema):
                return None
            return copy.deepcopy(schema.get("default", {}))
        return body

    # -- response -----------------------------------------------------------------------------
    def response(self, result) -> Outgoing:
        if isinstance(result, tuple):
            if len(result) == 1:
                data, status, headers = result[0], None, {}
            elif len(result) == 2:
                data, second = result
                status, headers = (second, {}) if isinstance(second, int) else (None, second)
            elif len(result) == 3:
                data, status, headers = result
            else:
                raise TypeError("a handler returns (body), (body, status), (body, headers) or (body, status, headers)")
        else:
            data, status, headers = result, None, {}
        headers = dict(headers or {})
        content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), None)
        if data is NoContent:
            data = None
        if content_type is None:
            content_type = self._infer_content_type(data)
            if content_type:
                headers["Content-Type"] = content_type
        if data is None:
            body = b""
        elif isinstance(data, bytes):
            body = data
        elif isinstance(data, str):
            body = data.encode()
        elif content_type and is_json_mimetype(content_type.split(";")[0].strip()):
            body = orjson.dumps(data)
        else:
            body = orjson.dumps(data) if isinstance(data, (dict, list)) else str(data).encode()
        status = int(status) if status is not None else (204 if data is None else 200)
        if self.validate_responses:
            self._validate_response(status, content_type, headers, data, body)
        raw = [(k.lower().encode("latin-1"), str(v).encode("latin-1")) for k, v in headers.items()]
        return Outgoing(status, body, raw)

    def _infer_content_type(self, data) -> str | None:
        produces = self.produces or (["application/json"] if data is not None else [])
        if not produces:
            return None
        if len(produces) == 1:
            return produces[0]
        if isinstance(data, str):
            found = [p for p in produces if "text/plain" in p]
        elif isinstance(data, (bytes, types.GeneratorType, collections.abc.Iterator)):
            found = [p for p in produces if "application/octet-stream" in p]
        else:
            found = []
        if found:
            return found[-1]
        raise NonConforming("Multiple response content types are defined in the operation spec, "
                            "but the handler response did not specify which one to return.")

    def _validate_response(self, status: int, content_type: str | None, headers: dict, data, body: bytes) -> None:
        declared = self.responses.get(str(status)) or self.responses.get("default")
        if declared is None:
            return
        required = [name for name, h in (declared.get("headers") or {}).items() if h.get("required")]
        present = {k.lower() for k in headers}
        missing = [name for name in required if name.lower() not in present]
        if missing:
            raise NonConforming(f"Response does not conform to the spec: headers missing: {missing}")
        content = declared.get("content") or {}
        mime = (content_type or "").split(";")[0].strip()
        if not body or not content:
            return
        media = MediaTypes(content)
        if mime not in media:
            raise NonConforming(f"Response does not conform to the spec: content type {mime} not in {sorted(content)}")
        schema = media[mime].get("schema")
        if not schema or not is_json_mimetype(mime):
            return
        key = (str(status), mime)
        validator = self._response_validators.get(key)
        if validator is None:
            from connexion.json_schema import Draft4ResponseValidator  # the suite's response check

            validator = self._response_validators[key] = Draft4ResponseValidator(
                schema, format_checker=Draft4Validator.FORMAT_CHECKER)
        instance = orjson.loads(body)
        error = next(iter(validator.iter_errors(instance)), None)
        if error is not None:
            where = ".".join(str(p) for p in error.absolute_path)
            raise NonConforming(f"Response does not conform to the spec: {error.message}" + (f" - '{where}'" if where else ""))


_LONG_NUMBER = re.compile(rb"\d{19}")  # 2**63 has 19 digits


def parse_json(raw: bytes, encoding: str = "utf-8"):
    """orjson, which refuses NaN and nesting deeper than 1024 and reads an integer past 64 bits
    as a float. An integer literal past 64 bits is refused at the offending value (the databases
    behind every vendor refuse it too); only a body with a 19-digit run is read twice to find it."""
    try:
        document = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        reason = str(exc)
    else:
        if _LONG_NUMBER.search(raw) is None:
            return document
        try:
            place = _too_large(json.loads(raw))
        except (RecursionError, ValueError):
            place = None
        if place is None:
            return document
        message = f"{place[1]} is out of range (at most 64-bit integers)"
        raise InvalidRequest(message, violations=[Violation("body", place[0], cut(message))])
    try:
        text = raw.decode(encoding) if encoding.lower().replace("-", "") != "utf8" else raw.decode()
    except (LookupError, UnicodeDecodeError):
        raise malformed_json(reason) from None
    try:
        document = json.loads(text, parse_constant=lambda name: _refuse(f"{name} is not a JSON number"))
    except RecursionError:
        raise malformed_json("nested too deeply") from None
    except (ValueError, TypeError):
        raise malformed_json(reason) from None
    place = _too_large(document)
    if place is not None:
        message = f"{place[1]} is out of range (at most 64-bit integers)"
        raise InvalidRequest(message, violations=[Violation("body", place[0], cut(message))])
    raise malformed_json(reason)


def _refuse(message: str):
    raise ValueError(message)


def _too_large(node, path=()):
    if isinstance(node, bool):
        return None
    if isinstance(node, int):
        return (path, node) if not -(2**63) <= node < 2**63 else None
    if isinstance(node, dict):
        for key, value in node.items():
            found = _too_large(value, (*path, key))
            if found:
                return found
    if isinstance(node, list):
        for index, value in enumerate(node):
            found = _too_large(value, (*path, index))
            if found:
                return found
    return None
