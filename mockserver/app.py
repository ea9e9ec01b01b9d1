"""create_app(settings) -> a Connexion app serving every selected vendor and the admin API."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import logging
import os
from pathlib import Path

import connexion
import orjson
from connexion.exceptions import InvalidSpecification, ProblemException, ResolverError
from connexion.jsonifier import Jsonifier
from connexion.lifecycle import ConnexionResponse
from connexion.spec import OpenAPISpecification
from starlette.exceptions import HTTPException

from mockserver import admin
from mockserver import vendors as registry
from mockserver.errors import SandboxError
from mockserver.faults import Faults
from mockserver.gateway import ADMIN_PREFIX, Gateway
from mockserver.journal import Journal
from mockserver.rendering import Mounts
from mockserver.resolver import SandboxResolver
from mockserver.sandbox import Sandbox
from mockserver.settings import Settings
from mockserver.specs import Bundle, SpecError, bundle
from mockserver.tenants import Tenants
from mockserver.validation import VALIDATORS, BracketQueryParser
from mockserver.vendor import Vendor
from mockserver.webhooks import WebhookDispatcher

log = logging.getLogger("mockserver")
# Connexion warns on every request to an operation that takes more than one body media type (Synap
# takes JSON:API and plain JSON, Canvas form and JSON); that is by design here, not news.
logging.getLogger("connexion.operations.openapi3").addFilter(
    lambda record: "accepts multiple content types" not in record.getMessage())


_validated_specs: set[str] = set()
_CONNEXION_VERSION = importlib.metadata.version("connexion")
_validate_spec = OpenAPISpecification._validate_spec.__func__


def _spec_cache() -> Path:
    base = os.environ.get("MOCKSERVER_CACHE_DIR") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mockserver"
    return Path(base) / "validated-specs"


def _validate_spec_once(cls, spec):
    """Connexion validates a spec against the OpenAPI schema every time an app is made: ~2 s of a
    cold start for Synap's 700 operations. A spec that passed is remembered by its hash (with the
    Connexion version), in memory and in a cache folder, so a distinct spec is validated once: a
    changed or broken spec has another hash and is validated (and refused) as ever. The cache is
    best effort: an unwritable folder only costs the time."""
    digest = hashlib.blake2b(orjson.dumps(spec, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
                             + _CONNEXION_VERSION.encode(), digest_size=20).hexdigest()
    if digest in _validated_specs:
        return
    marker = _spec_cache() / digest
    with contextlib.suppress(OSError):
        if marker.exists():
            _validated_specs.add(digest)
            return
    _validate_spec(cls, spec)
    _validated_specs.add(digest)
    with contextlib.suppress(OSError):
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()


OpenAPISpecification._validate_spec = classmethod(_validate_spec_once)


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


def vendor_bundle(vendor: Vendor, settings: Settings) -> Bundle:
    return bundle(vendor.name, with_security=not settings.no_auth)


def _add_api(app, spec: Bundle, base_path: str, handlers: str, settings: Settings, actions: str | None = None) -> None:
    # Resolved here, not lazily at the first request as Connexion would: a missing handler fails startup.
    resolver = SandboxResolver(spec, handlers, actions)
    try:
        app.add_api(
            spec.document,
            base_path=base_path,
            name=spec.name,
            resolver=resolver,
            validator_map=VALIDATORS,
            uri_parser_class=BracketQueryParser,
            validate_responses=settings.validate_responses,
            strict_validation=False,
            pythonic_params=False,
        )
    except (InvalidSpecification, ResolverError, ImportError, AttributeError) as exc:
        where = spec.file_for(exc) or spec.source
        raise SpecError(f"{where}: {exc}") from exc


def create_app(settings: Settings, sandbox: Sandbox | None = None) -> Gateway:
    vendors = registry.selected(settings.vendor)
    single = settings.vendor is not None
    sandbox = sandbox or Sandbox(settings, vendors)
    tenants = Tenants(sandbox, settings.max_tenants)

    webhooks = WebhookDispatcher(clock=sandbox.clock, backoff_base=settings.webhook_backoff)

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        yield
        webhooks.close()
        tenants.close()  # writes a --data file one last time

    flavour = connexion.AsyncApp if settings.flavour == "async" else connexion.FlaskApp
    app = flavour("mockserver", jsonifier=OrjsonJsonifier(), lifespan=lifespan)

    mounted = []
    for vendor in vendors:
        prefix = vendor.mount(single)
        _add_api(app, vendor_bundle(vendor, settings), prefix, vendor.handlers, settings, vendor.actions)
        mounted.append((prefix, vendor))
    _add_api(app, admin.spec(), ADMIN_PREFIX, "mockserver.admin.handlers", settings)

    mounts = Mounts(mounted)

    def error_handler(request, exc: Exception) -> ConnexionResponse:
        status, body, media_type, headers = mounts.render(request.url.path, exc)
        return ConnexionResponse(status_code=status, body=body, mimetype=media_type,
                                 content_type=media_type, headers=headers)

    for kind in (SandboxError, ProblemException, HTTPException, Exception):
        app.add_error_handler(kind, error_handler)
    return Gateway(app, mounts=mounts, tenants=tenants, journal=Journal(settings.journal_size, settings.journal_bytes),
                   faults=Faults(sandbox.seed, settings.latency_ms), webhooks=webhooks,
                   admin_token=settings.admin_token)
