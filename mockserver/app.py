"""create_app(settings) -> the gateway in front of every selected vendor's API and the admin API.

Each spec is bundled (``specs.bundle``), checked against the OpenAPI schema once per distinct
document (``specs.checked``), resolved by Connexion's resolver (``specs.resolved``), and every
operation compiled into its request steps (``operation.Operation``) behind one router
(``router.Dispatcher``). Connexion serves each spec's Swagger UI, built on its first visit.
"""

from __future__ import annotations

import functools
import logging

import orjson

from mockserver import admin
from mockserver import vendors as registry
from mockserver.faults import Faults
from mockserver.gateway import ADMIN_PREFIX, Gateway
from mockserver.journal import Journal
from mockserver.operation import Operation
from mockserver.rendering import Mounts
from mockserver.resolver import SandboxResolver
from mockserver.router import Api, Dispatcher, lazy_ui
from mockserver.sandbox import Sandbox
from mockserver.settings import Settings
from mockserver.specs import METHODS, Bundle, SpecError, bundle, checked, resolved
from mockserver.tenants import Tenants
from mockserver.vendor import Vendor
from mockserver.webhooks import WebhookDispatcher

log = logging.getLogger("mockserver")
# Connexion warns about operations that take more than one body media type (Synap takes JSON:API
# and plain JSON, Canvas form and JSON) when it builds a Swagger UI; that is by design here.
logging.getLogger("connexion.operations.openapi3").addFilter(
    lambda record: "accepts multiple content types" not in record.getMessage())


def vendor_bundle(vendor: Vendor, settings: Settings) -> Bundle:
    return bundle(vendor.name, with_security=not settings.no_auth)


def compile_api(spec: Bundle, base_path: str, handlers: str, settings: Settings, actions: str | None = None,
                *, blocking: bool = False, eager: bool = False, options=None, background: bool = False,
                form_style: str = "rack", empty_body: dict | None = None) -> Api:
    """One spec's operations behind one router. Every handler is resolved now, so a missing one
    (or a spec Connexion refuses) fails startup naming its file; each operation's request steps
    are compiled on its first request, or now with ``eager`` (``mockserver check``)."""
    checked(spec, background=background)
    try:
        resolver = SandboxResolver(spec, handlers, actions)
    except (ImportError, AttributeError) as exc:
        raise SpecError(f"{spec.file_for(exc) or spec.source}: {exc}") from exc
    document = functools.cache(lambda: resolved(spec))  # read on the first request that needs it
    operations, security_checks = [], {}
    for path, item in spec.document["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            try:
                operations.append(Operation(
                    method=method.upper(), path=path, operation_id=item[method]["operationId"], document=document,
                    handler=resolver.functions[item[method]["operationId"]],
                    validate_responses=settings.validate_responses, blocking=blocking,
                    security_checks=security_checks, form_style=form_style, empty_body=empty_body))
                if eager:
                    operations[-1].ready()
            except (ValueError, KeyError, ImportError, AttributeError) as exc:
                where = spec.origin.get(("paths", path), spec.source)
                raise SpecError(f"{where}: {method.upper()} {path}: {exc!r}") from exc

    def swagger_ui():
        import connexion  # loaded on the first visit of a Swagger UI
        from connexion.exceptions import InvalidSpecification
        from connexion.resolver import Resolver

        app = connexion.AsyncApp("mockserver")
        try:
            app.add_api(spec.document, base_path=base_path, name=spec.name,
                        resolver=Resolver(function_resolver=resolver.functions.__getitem__))
        except InvalidSpecification as exc:
            raise SpecError(f"{spec.file_for(exc) or spec.source}: {exc}") from exc
        return app

    return Api(base_path, operations, orjson.dumps(spec.document), lazy_ui(swagger_ui), options)


def create_app(settings: Settings, sandbox: Sandbox | None = None, *, eager: bool = False,
               background: bool = False) -> Gateway:
    """``background``: specs not yet known to be valid OpenAPI are checked while the server starts
    (a first start with an empty cache); ``eager``: every operation is compiled now (``check``)."""
    vendors = registry.selected(settings.vendor)
    single = settings.vendor is not None
    sandbox = sandbox or Sandbox(settings, vendors)
    tenants = Tenants(sandbox, settings.max_tenants)
    webhooks = WebhookDispatcher(clock=sandbox.clock, backoff_base=settings.webhook_backoff)
    sandbox.webhooks = webhooks  # and every tenant forked from it

    apis, mounted = [], []
    for vendor in vendors:
        prefix = vendor.mount(single)
        apis.append(compile_api(vendor_bundle(vendor, settings), prefix, vendor.handlers, settings, vendor.actions,
                                eager=eager, options=vendor.options, background=background,
                                form_style=vendor.form_style, empty_body=vendor.empty_body))
        mounted.append((prefix, vendor))
    # Admin calls (reset, seed, state) can take a while at large scale: they run off the event loop.
    apis.append(compile_api(admin.spec(), ADMIN_PREFIX, "mockserver.admin.handlers", settings, blocking=True,
                            eager=eager, background=background))
    mounts = Mounts(mounted)

    def shutdown():
        webhooks.close()
        tenants.close()  # writes a --data file one last time

    dispatcher = Dispatcher(apis, mounts, max_body=settings.max_body, on_shutdown=shutdown)
    return Gateway(dispatcher, mounts=mounts, tenants=tenants, journal=Journal(settings.journal_size, settings.journal_bytes),
                   faults=Faults(sandbox.seed, settings.latency_ms), webhooks=webhooks,
                   admin_token=settings.admin_token)
