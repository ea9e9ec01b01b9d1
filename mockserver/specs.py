"""Spec bundling: a vendor's ``openapi/<vendor>/*.yaml`` files merged into one OpenAPI document.

Each file describes one documented resource; ``_common.yaml`` carries ``openapi``, ``info``,
the security schemes and shared components. A file that does not parse, a path, operationId or
component defined twice, or a spec Connexion rejects fails startup with the file named.

Parsing ~200 YAML files takes about a second; a bundle is a pure function of its files, so it is
kept in the cache (``mockserver.cache``) under the hash of their contents, and so is its
resolved form (every ``$ref`` inlined, as the request path compiles it).
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import yaml
from mockserver import cache
from mockserver.package_data import data_dir

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
COMMON = "_common.yaml"


class SpecError(Exception):
    pass


@dataclass
class Bundle:
    name: str
    document: dict
    source: Path  # the spec folder or file, named when an error cannot be traced to one file
    origin: dict[tuple, Path] = field(default_factory=dict)  # ("paths", p) / ("operationId", id) -> file
    mock: dict[str, dict] = field(default_factory=dict)  # operationId -> its x-mock config (generic actions)
    key: str = ""  # the hash of the files it was bundled from (and whether security was kept), if known

    def operations(self):
        """(method, path, operationId, summary) for every operation, in file order."""
        for path, item in self.document["paths"].items():
            for method in METHODS:
                if method in item:
                    op = item[method]
                    yield method.upper(), path, op.get("operationId", ""), op.get("summary", "")

    def file_for(self, error: Exception) -> Path | None:
        """Which file an error from Connexion (bad schema, unresolvable operationId) came from."""
        trail = list(getattr(error, "absolute_path", None) or getattr(error, "path", None) or [])
        if len(trail) >= 2 and trail[0] == "paths":
            return self.origin.get(("paths", trail[1]))
        text = str(error)
        for (kind, key), path in self.origin.items():
            if kind == "operationId" and key in text:
                return path
        return None


def _load(path: Path) -> dict:
    try:
        doc = yaml.load(path.read_text(), Loader=yaml.CSafeLoader)
    except yaml.YAMLError as exc:
        raise SpecError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(doc, dict):
        raise SpecError(f"{path}: expected a mapping at the top level")
    return doc


def single_file(name: str, path: Path) -> Bundle:
    """A spec that is one file (the admin API), cached as a bundle is."""
    key = "single-" + cache.digest(name.encode(), cache.files_digest([(path.name, path)]).encode())
    result = cache.memo("specs", key, lambda: _single_file(name, path))
    result.key = key
    return result


def _single_file(name: str, path: Path) -> Bundle:
    document = _load(path)
    result = Bundle(name, document, path)
    for url, item in (document.get("paths") or {}).items():
        result.origin[("paths", url)] = path
        for method in METHODS:
            op_id = (item.get(method) or {}).get("operationId")
            if op_id:
                result.origin[("operationId", op_id)] = path
    return result



def bundle(name: str, *, folder: Path | None = None, with_security: bool = True) -> Bundle:
    folder = folder or data_dir("openapi") / name
    files = sorted(folder.glob("*.yaml"), key=lambda p: (p.name != COMMON, p.name))
    if not files or files[0].name != COMMON:
        raise SpecError(f"{folder}: a vendor spec folder needs {COMMON}")
    key = "bundle-" + cache.digest(name.encode(), str(folder).encode(),
                                   cache.files_digest([(path.name, path) for path in files]).encode())
    result = cache.memo("specs", key, lambda: _bundle(name, folder, files))
    result.key = key if with_security else key + "-noauth"
    if not with_security:
        # --no-auth: the same operations with no security requirement at all.
        result.document.pop("security", None)
        for item in result.document["paths"].values():
            for method in METHODS:
                if method in item:
                    item[method].pop("security", None)
    return result


def _bundle(name: str, folder: Path, files: list[Path]) -> Bundle:
    common = _load(files[0])
    document = {k: v for k, v in common.items() if k not in ("paths", "components")}
    document["paths"], document["components"] = {}, {}
    result = Bundle(name, document, folder)
    for path in files:
        part = common if path == files[0] else _load(path)
        extra = set(part) - {"paths", "components", "tags"} - (set(common) if path == files[0] else set())
        if extra:
            raise SpecError(f"{path}: only paths, components and tags belong in a resource file, not {sorted(extra)}")
        for url, item in (part.get("paths") or {}).items():
            if url in document["paths"]:
                raise SpecError(f"{path}: path {url} is already defined in {result.origin[('paths', url)]}")
            document["paths"][url] = item
            result.origin[("paths", url)] = path
            for method in METHODS:
                op_id = (item.get(method) or {}).get("operationId")
                if op_id:
                    if "x-mock" in item[method]:
                        result.mock[op_id] = item[method]["x-mock"]
                    if ("operationId", op_id) in result.origin:
                        raise SpecError(
                            f"{path}: operationId {op_id} is already used in {result.origin[('operationId', op_id)]}"
                        )
                    result.origin[("operationId", op_id)] = path
        for kind, entries in (part.get("components") or {}).items():
            merged = document["components"].setdefault(kind, {})
            for key, value in entries.items():
                if key in merged:
                    raise SpecError(
                        f"{path}: components.{kind}.{key} is already defined in {result.origin[('components', kind + '.' + key)]}"
                    )
                merged[key] = value
                result.origin[("components", f"{kind}.{key}")] = path
        if path != files[0] and part.get("tags"):
            known = {tag["name"] for tag in document.setdefault("tags", [])}
            document["tags"].extend(tag for tag in part["tags"] if tag["name"] not in known)
    return result


def checked(spec: Bundle, *, background: bool = False) -> None:
    """Connexion's check of the document against the OpenAPI schema (~2 s for Synap), once per
    distinct document: one that passed is remembered by its hash; a changed one is checked again.

    With ``background`` (a server's start), a check that is not remembered runs in a thread while
    the server starts; a spec that fails it stops the process with one line naming the file."""
    key = "valid-" + _document_key(spec)
    if key in _valid or cache.has("validated", key):
        _valid.add(key)
        return
    if background:
        def check():
            try:
                checked(spec)
            except SpecError as exc:
                print(f"mockserver: {exc}", file=sys.stderr, flush=True)
                os._exit(1)

        threading.Thread(target=check, name=f"check-{spec.name}", daemon=True).start()
        return
    from connexion.exceptions import InvalidSpecification  # Connexion is loaded only when a check runs
    from connexion.spec import Specification

    try:
        Specification.from_dict(spec.document)
    except InvalidSpecification as exc:
        raise SpecError(f"{spec.file_for(exc) or spec.source}: {exc}") from exc
    _valid.add(key)
    cache.mark("validated", key)


def _document_key(spec: Bundle) -> str:
    return spec.key or cache.digest(orjson.dumps(spec.document, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS))


_valid: set[str] = set()
def resolved(spec: Bundle) -> dict:
    """The document with every ``$ref`` inlined by Connexion's own resolver (cached by hash)."""

    def resolve():
        from connexion.json_schema import resolve_refs

        return resolve_refs(spec.document)

    return cache.memo("specs", "resolved-" + _document_key(spec), resolve)
