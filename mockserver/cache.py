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
import json
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


_index: dict[str, list] | None = None  # path -> [size, mtime_ns, inode, content hash]


def files_digest(named: list[tuple[str, Path]]) -> str:
    """A hash of the files' names and contents. The hash of each file's content is remembered by
    its size, modification time and inode (as git's index does), so a start reads only the files
    that changed since the last one."""
    global _index
    if _index is None:
        try:
            _index = json.loads((folder() / "files.json").read_bytes())
        except (OSError, ValueError):
            _index = {}
    h = hashlib.blake2b(versions(), digest_size=20)
    changed = False
    for name, path in named:
        stat = path.stat()
        entry = _index.get(str(path))
        if entry is None or entry[:3] != [stat.st_size, stat.st_mtime_ns, stat.st_ino]:
            entry = [stat.st_size, stat.st_mtime_ns, stat.st_ino,
                     hashlib.blake2b(path.read_bytes(), digest_size=20).hexdigest()]
            _index[str(path)] = entry
            changed = True
        h.update(name.encode() + b"\0" + entry[3].encode())
    if changed:
        write("", "files.json", json.dumps(_index).encode())
    return h.hexdigest()


@cache
def code_digest() -> str:
    """A hash of the package's own Python files and fixtures: a seeded world depends on them."""
    package = Path(__file__).resolve().parent
    from mockserver.package_data import data_dir

    roots = [package]
    with contextlib.suppress(FileNotFoundError):
        roots.append(data_dir("fixtures"))
    named = []
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".yaml", ".yml", ".json") and "__pycache__" not in path.parts:
                named.append((str(path.relative_to(root)), path))
    return files_digest(named)


# Bytes kept per kind, the most recently used entries first: every code change makes new seeded
# worlds (a scale-large one is ~40 MB), so without a bound the folder grows by gigabytes.
KEEP = {"worlds": 256 << 20}


def read(kind: str, key: str) -> bytes | None:
    path = folder() / kind / key
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if kind in KEEP:
        with contextlib.suppress(OSError):
            os.utime(path)  # used now: the last to be pruned
    return data


def write(kind: str, key: str, data: bytes) -> None:
    path = folder() / kind / key if kind else folder() / key
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        if kind in KEEP:
            _prune(path.parent, KEEP[kind])


def _prune(directory: Path, budget: int) -> None:
    entries = []
    for entry in directory.iterdir():
        with contextlib.suppress(OSError):
            if not entry.name.startswith("."):
                stat = entry.stat()
                entries.append((stat.st_mtime, stat.st_size, entry))
    kept = 0
    for n, (_, size, entry) in enumerate(sorted(entries, reverse=True)):
        kept += size
        if kept > budget and n:  # the newest entry stays whatever its size
            with contextlib.suppress(OSError):
                entry.unlink()


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


_memory: dict[tuple[str, str], bytes] = {}  # (kind, key) -> pickled value, for the many apps a process makes


def memo(kind: str, key: str, build):
    """A fresh copy of the cached value of ``key``: from memory, else from the cache folder, else
    ``build()`` (then kept in both). Each call unpickles its own copy, so a caller may change it."""
    data = _memory.get((kind, key)) or read(kind, key)
    found = unpickle(data)
    if found is None:
        found = build()
        data = pickled(found)
        write(kind, key, data)
    _memory[(kind, key)] = data
    return found
