"""The on-disk cache of what is a pure function of the package's files: parsed spec bundles, their
resolved form, specs that passed the OpenAPI schema check, and seeded worlds.

Every entry is keyed by a hash of its inputs (file contents, seed and scale) and of the versions
of the code that made it, so a changed file or an upgraded library is a miss, never a stale hit.
The folder is ``MOCKSERVER_CACHE_DIR``, else ``$XDG_CACHE_HOME/mockserver`` or
``~/.cache/mockserver``. The cache is best effort: an unwritable or corrupt entry only costs time.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import os
import pickle
from functools import cache
from pathlib import Path

from mockserver import __version__


def folder() -> Path:
    base = os.environ.get("MOCKSERVER_CACHE_DIR")
    if base:
        return Path(base)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mockserver"


@cache
def versions() -> bytes:
    """The versions of everything whose behaviour a cached entry depends on."""
    names = ("connexion", "pyyaml", "jsonschema", "faker", "orjson", "tinydb")
    found = []
    for name in names:
        try:
            found.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name}=?")
    return (f"mockserver={__version__};" + ";".join(found)).encode()


def digest(*parts: bytes) -> str:
    h = hashlib.blake2b(versions(), digest_size=20)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


@cache
def code_digest() -> str:
    """A hash of the package's own Python files and fixtures: a seeded world depends on them."""
    package = Path(__file__).resolve().parent
    from mockserver.resources import data_dir

    h = hashlib.blake2b(digest_size=20)
    roots = [package]
    with contextlib.suppress(FileNotFoundError):
        roots.append(data_dir("fixtures"))
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".yaml", ".yml", ".json") and "__pycache__" not in path.parts:
                h.update(str(path.relative_to(root)).encode())
                h.update(path.read_bytes())
    return h.hexdigest()


def read(kind: str, key: str) -> bytes | None:
    try:
        return (folder() / kind / key).read_bytes()
    except OSError:
        return None


def write(kind: str, key: str, data: bytes) -> None:
    path = folder() / kind / key
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)


def unpickle(data: bytes | None):
    """A cached object, or None if there is none or it cannot be read (a stale or torn entry)."""
    if data is None:
        return None
    try:
        return pickle.loads(data)
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError, IndexError):
        return None


def pickled(value) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def has(kind: str, key: str) -> bool:
    return (folder() / kind / key).exists()


def mark(kind: str, key: str) -> None:
    path = folder() / kind / key
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
