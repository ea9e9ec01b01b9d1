"""create_app(settings) -> a Connexion app serving every selected vendor and the admin API."""

from __future__ import annotations

import contextlib
import importlib
import json
import logging

import connexion
import orjson
from connexion.exceptions import (
    InvalidSpecification,
    NonConformingResponse,
    ProblemException,
    ResolverError,
)
from connexion.jsonifier import Jsonifier
from connexion.lifecycle import ConnexionResponse
from connexion.middleware import MiddlewarePosition
from connexion.resolver import RelativeResolver
from starlette.exceptions import HTTPException

from mockserver import admin
from mockserver import vendors as registry
from mockserver.errors import (
    Forbidden,
    Internal,
    InvalidRequest,
    MethodNotAllowed,
    RouteNotFound,
    SandboxError,
    Unauthenticated,
    UnsupportedMediaType,
    Violation,
)
from mockserver.sandbox import Sandbox, SandboxMiddleware
from mockserver.settings import Settings
from mockserver.specs import Bundle, SpecError, bundle
from mockserver.validation import VALIDATORS, BracketQueryParser
from mockserver.vendor import Vendor

log = logging.getLogger("mockserver")

ADMIN_PREFIX = "/__admin"


class OrjsonJsonifier(Jsonifier):
    """orjson for every JSON body Connexion writes (compact; the stock one pretty-prints).

    ``bytes`` are JSON already encoded by the handler (the canonical state export) and pass as they are.
    """

    def __init__(self):
        super().__init__(json)

    def dumps(self, data, **kwargs):
        if isinstance(data, bytes):
            return data.decode()
        return orjson.dumps(data).decode()

    def loads(self, data):
        return orjson.loads(data)


_STATUS_KINDS = {
    400: InvalidRequest,
    401: Unauthenticated,
    403: Forbidden,
    404: RouteNotFound,
    405: MethodNotAllowed,
    415: UnsupportedMediaType,
}


def translate(exc: Exception) -> SandboxError:
    """Any exception raised while serving -> the neutral error kind a vendor renders."""
    if isinstance(exc, SandboxError):
        return exc
    if isinstance(exc, NonConformingResponse):
        log.error("response does not conform to the spec: %s", exc.detail)
        return Internal(f"Response does not conform to the spec: {exc.detail}")
    if isinstance(exc, HTTPException):  # Connexion's problems are Starlette HTTPExceptions too
        detail = getattr(exc, "detail", "") or ""
        kind = _STATUS_KINDS.get(exc.status_code)
        if kind is InvalidRequest:
            return InvalidRequest(detail, violations=[Violation("request", (), detail)])
        if kind is not None:
            return kind(detail)
        error = SandboxError(detail)
        error.status = exc.status_code
        return error
    log.exception("unhandled error", exc_info=exc)
    return Internal("An unexpected error occurred.")


class _Mounts:
    """Which renderer answers for a path: the vendor mounted there, else the admin renderer."""

    def __init__(self, mounts: list[tuple[str, Vendor]]):
        self._mounts = sorted(mounts, key=lambda m: -len(m[0]))

    def vendor_for(self, path: str) -> Vendor | None:
        for prefix, vendor in self._mounts:
            if path == prefix or path.startswith(prefix + "/"):
                return vendor
        return None

    def error_handler(self, request, exc: Exception) -> ConnexionResponse:
        error = translate(exc)
        vendor = self.vendor_for(request.url.path)
        rendered = (vendor.render_error if vendor else admin.render_error)(error)
        body = rendered.body
        if not isinstance(body, (bytes, str)):
            body = orjson.dumps(body)
        return ConnexionResponse(
            status_code=rendered.status,
            body=body,
            mimetype=rendered.media_type,
            content_type=rendered.media_type,
            headers={**error.headers, **rendered.headers},
        )


def vendor_bundle(vendor: Vendor, settings: Settings) -> Bundle:
    return bundle(vendor.name, with_security=not settings.no_auth)


def _check_handlers(spec: Bundle, module_name: str) -> None:
    """Connexion resolves handlers lazily (at the first request); fail at startup instead."""
    module = importlib.import_module(module_name)
    for _method, _path, op_id, _summary in spec.operations():
        if not callable(getattr(module, op_id, None)):
            where = spec.origin.get(("operationId", op_id), spec.source)
            raise SpecError(f"{where}: operationId {op_id} has no handler {module_name}.{op_id}")


def _add_api(app, spec: Bundle, base_path: str, handlers: str, settings: Settings) -> None:
    _check_handlers(spec, handlers)
    try:
        app.add_api(
            spec.document,
            base_path=base_path,
            name=spec.name,
            resolver=RelativeResolver(handlers),
            validator_map=VALIDATORS,
            uri_parser_class=BracketQueryParser,
            validate_responses=settings.validate_responses,
            strict_validation=False,
            pythonic_params=False,
        )
    except (InvalidSpecification, ResolverError, ImportError, AttributeError) as exc:
        where = spec.file_for(exc) or spec.source
        raise SpecError(f"{where}: {exc}") from exc


def create_app(settings: Settings, sandbox: Sandbox | None = None):
    vendors = registry.selected(settings.vendor)
    single = settings.vendor is not None
    sandbox = sandbox or Sandbox(settings, vendors)

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        yield
        sandbox.close()  # writes a --data file one last time

    flavour = connexion.AsyncApp if settings.flavour == "async" else connexion.FlaskApp
    app = flavour("mockserver", jsonifier=OrjsonJsonifier(), lifespan=lifespan)

    mounts = []
    for vendor in vendors:
        prefix = vendor.mount(single)
        _add_api(app, vendor_bundle(vendor, settings), prefix, vendor.handlers, settings)
        mounts.append((prefix, vendor))
    _add_api(app, admin.spec(), ADMIN_PREFIX, "mockserver.admin.handlers", settings)

    router = _Mounts(mounts)
    for kind in (SandboxError, ProblemException, HTTPException, Exception):
        app.add_error_handler(kind, router.error_handler)
    app.add_middleware(SandboxMiddleware, position=MiddlewarePosition.BEFORE_EXCEPTION, sandbox=sandbox)
    app.sandbox = sandbox
    app.mounts = mounts
    return app
