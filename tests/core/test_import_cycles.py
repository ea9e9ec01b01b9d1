"""No import cycle among mockserver's modules, counting imports inside functions.

A function-level import hides a cycle from Python (the module is complete by the time the function
runs) but not from a reader: two modules that need each other are one module in two files. This
walks every module under mockserver/ with ``ast``, resolves relative imports, and fails naming the
cycle it finds.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import mockserver

ROOT = Path(mockserver.__file__).parent

# Cycles outside this pass's files, kept visible until their owners untangle them: the frozenset
# of the component's modules -> why it is still allowed.
KNOWN: dict[frozenset[str], str] = {}


def _modules(root: Path) -> dict[str, Path]:
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The mockserver modules ``name`` imports anywhere in its body (``from pkg import mod`` counts
    as importing ``pkg.mod`` when that is a module, else ``pkg``)."""
    is_package = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".") if is_package else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:  # import a.b.c where c is a name: a.b
                target = target.rpartition(".")[0]
            if target and target != name:
                out.add(target)
    return out


def graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports."""
    modules = _modules(root)
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each as one cycle
    through its first module; the rest of the component's modules, if any, follow after a ``|``."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                path = _path(edges, set(component))
                rest = sorted(set(component) - set(path))
                found.append(path + (["|", *rest] if rest else []))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def _path(edges: dict[str, set[str]], component: set[str]) -> list[str]:
    """One cycle through the component's first module, to name in the failure."""
    start = min(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(edges[node] & component):
            if nxt == start:
                return paths[node] + [start]
            if nxt not in paths:
                paths[nxt] = paths[node] + [nxt]
                queue.append(nxt)
    return sorted(component)


def _members(cycle: list[str]) -> frozenset[str]:
    return frozenset(m for m in cycle if m != "|")


def _describe(cycle: list[str]) -> str:
    path, _, rest = " -> ".join(cycle).partition(" -> | -> ")
    return path + (f" (the same cycle also holds {rest.replace(' -> ', ', ')})" if rest else "")


def test_the_walk_sees_function_level_and_relative_imports(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("from . import b\n")
    (package / "a.py").write_text("import os\nfrom pkg.sub.b import thing\n")
    (package / "sub" / "b.py").write_text("def thing():\n    from ..a import x\n    from .. import c\n")
    (package / "c.py").write_text("")
    edges = graph(package)
    assert edges["pkg.a"] == {"pkg.sub.b"}
    assert edges["pkg.sub.b"] == {"pkg.a", "pkg.c"}
    assert edges["pkg.sub"] == {"pkg.sub.b"}
    assert cycles(edges) == [["pkg.a", "pkg.sub.b", "pkg.a"]]


def test_no_import_cycle_among_mockserver_modules():
    found = [c for c in cycles(graph()) if _members(c) not in KNOWN]
    assert not found, "import cycles (function-level imports count):\n" + "\n".join(map(_describe, found))


def test_known_cycles_are_still_cycles():
    # a known exception that no longer exists must leave the list
    components = [_members(c) for c in cycles(graph())]
    stale = [sorted(k) for k in KNOWN if k not in components]
    assert not stale, f"no longer cycles, remove from KNOWN: {stale}"


@pytest.mark.parametrize("vendor", ["synap", "skilljar", "canvas", "quiz"])
def test_rules_import_neither_the_controller_nor_handlers_nor_the_gateway_nor_connexion(vendor):
    # STYLE.md: rules never import the HTTP layer; what they share lives in the vendor's records
    # module, and the events they raise leave through the sandbox's webhook worker
    package = ROOT / "vendors" / vendor
    prefix = f"mockserver.vendors.{vendor}"
    http = {f"{prefix}.resources", f"{prefix}.handlers", "mockserver.gateway", "mockserver.router",
            "mockserver.operation"}
    edges = graph()
    rules = sorted((package / "rules").glob("*.py")) if (package / "rules").is_dir() else []
    assert rules, f"{vendor} has no rules package"
    for path in rules:
        name = f"{prefix}.rules" + ("" if path.stem == "__init__" else f".{path.stem}")
        wrong = sorted(m for m in edges[name] if m in http or m.startswith(f"{prefix}.handlers."))
        for node in ast.walk(ast.parse(path.read_text())):
            modules = ([a.name for a in node.names] if isinstance(node, ast.Import)
                       else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            wrong += [f"{m} (line {node.lineno})" for m in modules if m.split(".")[0] == "connexion"]
        assert not wrong, f"{path.name} imports the HTTP layer: {wrong}"
