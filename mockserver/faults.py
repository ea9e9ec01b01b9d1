"""Fault injection: rules that make a vendor misbehave on purpose.

A rule matches requests (vendor, method, path glob, tenant) and has one effect: latency (fixed
or uniform), an HTTP error in the vendor's own error shape, the vendor's own rate-limit answer,
or a dropped connection. ``probability`` is drawn from a generator seeded by the sandbox seed and
the rule itself, so the same rule on the same seed fails the same requests: a failing run can be
replayed. ``times`` makes a rule expire after firing N times. Faults act before the request
reaches a handler, so a failed or dropped write is never applied.
"""

from __future__ import annotations

import fnmatch
import itertools
import random
import threading
from dataclasses import dataclass, field

import orjson

from mockserver.journal import ALL_TENANTS
from mockserver.seed import derive



@dataclass
class Rule:
    id: int
    match: dict
    effect: dict
    probability: float
    times: int | None
    rng: random.Random = field(repr=False)
    fired: int = 0

    @property
    def active(self) -> bool:
        return self.times is None or self.fired < self.times

    def matches(self, vendor: str, method: str, path: str, tenant: str) -> bool:
        m = self.match
        return (
            m.get("vendor") in (None, vendor)
            and (m.get("method") or method).upper() == method
            and fnmatch.fnmatchcase(path, m.get("path") or "*")
            and m.get("tenant") in (ALL_TENANTS, tenant)
        )

    def view(self) -> dict:
        return {"id": self.id, "match": self.match, "effect": self.effect, "probability": self.probability,
                "times": self.times, "fired": self.fired, "active": self.active}


@dataclass
class Decision:
    delay_ms: float = 0.0
    terminal: dict | None = None  # the effect that answers instead of the vendor
    rules: list[int] = field(default_factory=list)  # ids of the rules that fired


class Faults:
    def __init__(self, seed: int, latency_ms: float = 0.0):
        self._seed = seed
        self._latency_ms = latency_ms  # --latency: added to every vendor request (demos)
        self._rules: list[Rule] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add(self, match: dict, effect: dict, probability: float = 1.0, times: int | None = None) -> dict:
        spec = orjson.dumps({"match": match, "effect": effect, "probability": probability},
                            option=orjson.OPT_SORT_KEYS).decode()
        with self._lock:
            rule = Rule(next(self._ids), match, effect, probability, times, random.Random(derive(self._seed, spec)))
            self._rules.append(rule)
            return rule.view()

    def rules(self, tenant: str) -> list[dict]:
        with self._lock:
            return [r.view() for r in self._rules if tenant == ALL_TENANTS or r.match["tenant"] in (tenant, ALL_TENANTS)]

    def remove(self, rule_id: int) -> bool:
        with self._lock:
            before = len(self._rules)
            self._rules = [r for r in self._rules if r.id != rule_id]
            return len(self._rules) != before

    def clear(self, tenant: str) -> None:
        with self._lock:
            self._rules = [r for r in self._rules if tenant != ALL_TENANTS and r.match["tenant"] != tenant]

    def decide(self, vendor: str, method: str, path: str, tenant: str) -> Decision:
        decision = Decision(delay_ms=self._latency_ms)
        with self._lock:
            for rule in self._rules:
                if not rule.active or not rule.matches(vendor, method, path, tenant):
                    continue
                if rule.probability < 1.0 and rule.rng.random() >= rule.probability:
                    continue
                rule.fired += 1
                decision.rules.append(rule.id)
                effect = rule.effect
                if effect["type"] == "latency":
                    if "ms" in effect:
                        decision.delay_ms += effect["ms"]
                    else:
                        decision.delay_ms += rule.rng.uniform(effect["min_ms"], effect["max_ms"])
                else:
                    decision.terminal = effect
                    break
        return decision
