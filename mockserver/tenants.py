"""Tenants: one sandbox per ``X-Sandbox-Tenant`` name, so parallel CI jobs share one container.

A tenant is created on first use as a copy of the default tenant's seeded world (restored from
its seeded snapshot, which is much cheaper than seeding again). Live tenants beyond the cap are
evicted least-recently-used first; the default tenant is never evicted.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict

from mockserver.errors import InvalidRequest, Violation
from mockserver.sandbox import Sandbox

DEFAULT = "default"
HEADER = "x-sandbox-tenant"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class Tenants:
    def __init__(self, default: Sandbox, limit: int = 16):
        self.default = default
        self.limit = limit
        self._live: OrderedDict[str, Sandbox] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, name: str | None) -> Sandbox:
        if not name or name == DEFAULT:
            return self.default
        if not NAME.match(name):
            raise InvalidRequest(
                f"invalid tenant name {name!r}",
                violations=[Violation("header", ("X-Sandbox-Tenant",), "letters, digits, '.', '_' and '-', at most 64")],
            )
        with self._lock:
            sandbox = self._live.get(name)
            if sandbox is not None:
                self._live.move_to_end(name)
                return sandbox
            sandbox = self.default.fork(name)
            self._live[name] = sandbox
            while len(self._live) > self.limit:
                _, evicted = self._live.popitem(last=False)
                evicted.close()
            return sandbox

    def names(self) -> list[str]:
        with self._lock:
            return [DEFAULT, *self._live]

    def drop(self, name: str) -> bool:
        with self._lock:
            sandbox = self._live.pop(name, None)
        if sandbox is None:
            return False
        sandbox.close()
        return True

    def close(self) -> None:
        with self._lock:
            live = list(self._live.values())
            self._live.clear()
        for sandbox in live:
            sandbox.close()
        self.default.close()
