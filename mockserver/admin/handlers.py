"""Handlers of openapi/admin.yaml (operationIds resolve here)."""

from __future__ import annotations

from mockserver.clock import isoformat, parse
from mockserver.errors import InvalidRequest, NotFound, Violation
from mockserver.gateway import current_gateway
from mockserver.journal import ALL_TENANTS
from mockserver.responses import NoContent
from mockserver.sandbox import current
from mockserver.snapshots import NAME, SnapshotNameError, check_name


def get_health():
    return current().health()


def post_reset():
    sandbox = current()
    sandbox.reset()
    return sandbox.health()


def post_seed(body):
    sandbox = current()
    sandbox.reseed(int(body.get("seed", sandbox.seed)), body.get("scale", sandbox.scale))
    return sandbox.health()


def get_state():
    return current().store.dumps(), 200, {"Content-Type": "application/json"}


def put_state(body):
    sandbox = current()
    try:
        sandbox.restore(body)
    except (ValueError, TypeError, AttributeError) as exc:
        raise InvalidRequest(str(exc), violations=[Violation("body", (), str(exc))]) from exc
    return sandbox.health()


# -- snapshots ---------------------------------------------------------------------------------


def _snapshot_name(name) -> str:
    try:
        return check_name(name)
    except SnapshotNameError as exc:
        raise InvalidRequest(f"invalid snapshot name {name!r}: {exc}",
                             violations=[Violation("path", ("name",), str(exc))]) from None


def get_snapshots():
    return {"snapshots": current().snapshots.list()}


def post_snapshot(body):
    try:
        name = check_name(body["name"])
    except SnapshotNameError as exc:
        raise InvalidRequest(f"invalid snapshot name {body['name']!r}: {exc}",
                             violations=[Violation("body", ("name",), str(exc))]) from None
    return current().snapshot(name), 201


def restore_snapshot(name):
    sandbox = current()
    if sandbox.snapshots.info(name) is None:  # automatic ones (auto-N) are restored too
        if not NAME.match(name):
            _snapshot_name(name)
        raise NotFound(f"no snapshot {name!r}")
    sandbox.restore_snapshot(name)
    return sandbox.health()


def delete_snapshot(name):
    sandbox = current()
    if not NAME.match(name):
        _snapshot_name(name)
    if not sandbox.snapshots.delete(name):
        raise NotFound(f"no snapshot {name!r}")
    return NoContent, 204


def get_clock():
    return current().clock.state()


def put_clock(body):
    clock = current().clock
    if "now" in body:
        try:
            at = parse(body["now"]) if body["now"] is not None else None
        except ValueError as exc:
            raise InvalidRequest(
                f"now: {exc}", violations=[Violation("body", ("now",), "not an ISO 8601 date-time")]
            ) from exc
        clock.set(at)
    if "advance" in body:
        clock.advance(float(body["advance"]))
    if "frozen" in body:
        clock.freeze(bool(body["frozen"]))
    return clock.state()


def get_credentials():
    return current().credentials()


# -- request journal ---------------------------------------------------------------------------


def _criteria(**given) -> dict:
    criteria = {k: v for k, v in given.items() if v is not None}
    if "since" in criteria:
        try:
            criteria["since"] = isoformat(parse(criteria["since"]))
        except ValueError as exc:
            raise InvalidRequest(
                "since is not an ISO 8601 instant", violations=[Violation("query", ("since",), str(exc))]
            ) from exc
    return criteria


def get_requests(vendor=None, method=None, path=None, status=None, since=None, tenant=None, limit=None):
    criteria = _criteria(vendor=vendor, method=method, path=path, status=status, since=since, tenant=tenant, limit=limit)
    return {"requests": current_gateway().journal.query(criteria, current().tenant)}


def delete_requests(tenant=None):
    current_gateway().journal.clear(tenant or current().tenant)
    return NoContent, 204


def count_requests(body):
    criteria = _criteria(**body)
    criteria.pop("limit", None)
    return {"count": len(current_gateway().journal.query(criteria, current().tenant))}


# -- faults ------------------------------------------------------------------------------------


def get_faults(tenant=None):
    return {"faults": current_gateway().faults.rules(tenant or current().tenant)}


def post_fault(body):
    effect = body["effect"]
    needs = {"error": ("status",), "latency": ()}.get(effect["type"], ())
    missing = [name for name in needs if name not in effect]
    if effect["type"] == "latency" and "ms" not in effect and not {"min_ms", "max_ms"} <= set(effect):
        missing.append("ms")
    if effect["type"] == "latency" and "ms" not in effect and effect.get("min_ms", 0) > effect.get("max_ms", 0):
        raise InvalidRequest("min_ms exceeds max_ms", violations=[Violation("body", ("effect", "min_ms"), "greater than max_ms")])
    if missing:
        raise InvalidRequest(
            f"a {effect['type']} effect needs {', '.join(missing)}",
            violations=[Violation("body", ("effect", name), "required for this effect") for name in missing],
        )
    match = {"tenant": current().tenant, **(body.get("match") or {})}
    rule = current_gateway().faults.add(match, effect, body.get("probability", 1.0), body.get("times"))
    return rule, 201


def delete_faults(tenant=None):
    current_gateway().faults.clear(tenant or current().tenant)
    return NoContent, 204


def delete_fault(fault_id):
    if not current_gateway().faults.remove(fault_id):
        raise NotFound(f"no fault rule {fault_id}")
    return NoContent, 204


# -- tenants -----------------------------------------------------------------------------------


def get_tenants():
    tenants = current_gateway().tenants
    return {"tenants": tenants.names(), "limit": tenants.limit}


def delete_tenant(tenant):
    if not current_gateway().tenants.drop(tenant):
        raise NotFound(f"no live tenant {tenant!r}")
    return NoContent, 204


# -- outbox and webhook deliveries -------------------------------------------------------------


def get_outbox(to=None, vendor=None, kind=None, limit=None):
    return {"messages": current().outbox.messages(to=to, vendor=vendor, kind=kind, limit=limit)}


def delete_outbox():
    current().outbox.clear()
    return NoContent, 204


def get_webhooks(vendor=None, event=None, status=None, tenant=None, limit=None):
    scope = tenant or current().tenant
    deliveries = current_gateway().webhooks.deliveries(
        tenant=None if scope == ALL_TENANTS else scope, vendor=vendor, event=event, status=status, limit=limit
    )
    return {"deliveries": deliveries}


def _delivery(delivery_id: int) -> dict:
    delivery = current_gateway().webhooks.get(delivery_id)
    if delivery is None or delivery["tenant"] != current().tenant:
        raise NotFound(f"no webhook delivery {delivery_id}")
    return delivery


def get_webhook(delivery_id):
    return _delivery(delivery_id)


def replay_webhook(delivery_id):
    _delivery(delivery_id)
    return current_gateway().webhooks.replay(delivery_id)


# -- vendor actions ----------------------------------------------------------------------------


def post_vendor_action(vendor, action, body=None):
    served = {v.name: v for v in current().vendors}
    actions = served[vendor].admin_actions if vendor in served else {}
    if action not in actions:
        raise NotFound(f"no action {action!r} for vendor {vendor!r}" if vendor in served else f"no vendor {vendor!r}")
    return actions[action](body or {})


# -- stubs -------------------------------------------------------------------------------------


def get_stubs():
    return {"stubs": current_gateway().stubs.stubs(current().tenant)}


def post_stub(body):
    match, response = body["match"], body["response"]
    served = {v.name for v in current().vendors}
    if "vendor" in match and match["vendor"] not in served:
        raise InvalidRequest(f"match.vendor: no served vendor {match['vendor']!r}",
                             violations=[Violation("body", ("match", "vendor"), f"not one of {sorted(served)}")])
    wanted = match.get("body") or {}
    if ("pointer" in wanted) != ("equals" in wanted):
        name = "equals" if "pointer" in wanted else "pointer"
        raise InvalidRequest(f"match.body.{name}: pointer and equals go together",
                             violations=[Violation("body", ("match", "body", name), "required with the other")])
    stub = current_gateway().stubs.add(current().tenant, match, response, body.get("priority"), body.get("times"))
    return stub, 201


def delete_stubs():
    current_gateway().stubs.clear(current().tenant)
    return NoContent, 204


def delete_stub(stub_id):
    if not current_gateway().stubs.remove(current().tenant, stub_id):
        raise NotFound(f"no stub {stub_id}")
    return NoContent, 204


# -- near misses -------------------------------------------------------------------------------


def get_unmatched_requests(vendor=None, tenant=None, limit=None):
    criteria = _criteria(vendor=vendor, tenant=tenant, status=404)
    found = [e for e in current_gateway().journal.query(criteria, current().tenant) if "near_misses" in e]
    return {"requests": found[:limit] if limit else found}
