"""operationId -> handler: the vendor's own function of that name, else the vendor's generic
action that the operation's ``x-mock`` extension names.

A vendor whose API is generic (plain CRUD over many resources) describes each operation in its
spec (``x-mock: {action: list, table: ..., lookup: ...}``; the vendor's actions module maps action names
to functions in ``ACTIONS``) instead of writing one function per
operation; an operation with rules of its own gets a hand-written function in ``handlers``.
If the actions module has ``prepare(op_id, config, spec)``, each x-mock config passes through it
once at startup, so the vendor can bind it to what it names (and refuse a name it does not know).
Every operation is resolved when the API is added, so a missing handler fails startup.
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

from mockserver.specs import Bundle, SpecError


class SandboxResolver:
    def __init__(self, spec: Bundle, handlers: str, actions: str | None = None):
        self.spec = spec
        self.handlers = importlib.import_module(handlers)
        self.actions = importlib.import_module(actions) if actions else None
        self.code: dict[str, tuple] = {}  # operationId -> (handler, or action, x-mock action, rule hooks)
        self.functions = {op_id: self._function(op_id) for _m, _p, op_id, _s in spec.operations()}

    def _function(self, op_id: str):
        where = self.spec.origin.get(("operationId", op_id), self.spec.source)
        own = getattr(self.handlers, op_id, None)
        if callable(own):
            self.code[op_id] = (own, None, None)
            return own
        config = self.spec.mock.get(op_id)
        if config is None:
            raise SpecError(f"{where}: operationId {op_id} has no handler {self.handlers.__name__}.{op_id}")
        action = getattr(self.actions, "ACTIONS", {}).get(config.get("action")) if self.actions else None
        if not callable(action):
            raise SpecError(f"{where}: {op_id}: x-mock action {config.get('action')!r} is not a generic action")
        prepare = getattr(self.actions, "prepare", None)
        if prepare is not None:  # the vendor binds the config to what it names (types, tables) once
            try:
                config = prepare(op_id, config, self.spec)
            except SpecError as exc:
                raise SpecError(f"{where}: {exc}") from exc

        # the rule hooks the vendor's prepare names for the action (``hooks``), for `mockserver routes`
        self.code[op_id] = (action, config.get("action"), config.get("hooks"))

        def generic(**kwargs):
            return action(config, **kwargs)

        generic.__name__ = generic.__qualname__ = op_id
        return generic


_PACKAGE = Path(__file__).resolve().parent


def where(code: tuple) -> str:
    """Where an operation's code lives: ``vendors/quiz/handlers.py:33 sessions_index``, or
    ``x-mock update -> vendors/synap/resources.py:222 update + vendors/synap/rules/portals.py``."""
    function, action, hooks = code
    text = location(function) if action is None else f"x-mock {action} -> {location(function)}"
    return text + (f" + {location(hooks)}" if hooks is not None else "")


def location(thing) -> str:
    """A function or class (file and first line) or a module (file), relative to the package; a
    hook object (Synap's ``rules: module:object``) by its class, which holds the hooks."""
    if not (inspect.ismodule(thing) or inspect.isroutine(thing) or inspect.isclass(thing)):
        thing = type(thing)
    try:
        path = Path(inspect.getsourcefile(thing)).resolve()
        place = str(path.relative_to(_PACKAGE))
    except (TypeError, ValueError):
        return getattr(thing, "__qualname__", repr(thing))
    if inspect.ismodule(thing):
        return place
    line = thing.__code__.co_firstlineno if hasattr(thing, "__code__") else inspect.getsourcelines(thing)[1]
    return f"{place}:{line} {thing.__qualname__}"
