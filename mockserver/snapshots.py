"""Named snapshots of one tenant's world, and the ring of automatic ones admin actions keep.

A snapshot is a ``World``: the tables it names are shared with the store it was taken from (the
store copies a table on its next write to it), so taking one costs O(tables) in memory. With a
data file they are also written beside it, one JSON state file each
(``<data>.snapshots/<tenant>/<name>.json``, the same format as the data file) plus an
``index.json`` of what each is, and are read back lazily when restored.

``reset``, ``seed`` and ``PUT /state`` keep the world they replace as ``auto-N`` (the newest
``AUTO_KEEP``), so no admin action destroys data without a way back.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
from pathlib import Path

import orjson

from mockserver.datafile import DataFileError, StateFile, parse_state
from mockserver.store import Store, World

log = logging.getLogger("mockserver.snapshots")

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
AUTO = "auto-"
AUTO_KEEP = 5


class SnapshotNameError(ValueError):
    pass


def check_name(name: str) -> str:
    if not isinstance(name, str) or not NAME.match(name) or name == "index":
        raise SnapshotNameError("a snapshot name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit")
    if name.startswith(AUTO):
        raise SnapshotNameError(f"names starting with {AUTO!r} are kept for the automatic snapshots")
    return name


class Snapshots:
    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder) if folder else None
        self._lock = threading.RLock()
        self._worlds: dict[str, World] = {}
        self._info: dict[str, dict] = {}
        if self.folder is not None:
            index = self.folder / "index.json"
            if index.exists():
                try:
                    self._info = {name: info for name, info in orjson.loads(index.read_bytes()).items()
                                  if NAME.match(name) and (self.folder / f"{name}.json").exists()}
                except (orjson.JSONDecodeError, AttributeError):
                    log.warning("%s is unreadable; the snapshots beside it are not listed", index)

    def list(self) -> list[dict]:
        with self._lock:
            return list(self._info.values())  # oldest first: saving again under a name moves it last

    def info(self, name: str) -> dict | None:
        with self._lock:
            return self._info.get(name)

    def save(self, name: str, world: World, created: str, reason: str | None = None) -> dict:
        info = {"name": name, "created": created, "automatic": name.startswith(AUTO), "rows": sum(world.counts().values())}
        if reason:
            info["reason"] = reason
        with self._lock:
            if self.folder is not None:
                StateFile(self.folder / f"{name}.json").save(world.dumps())
            self._worlds[name] = world
            self._info.pop(name, None)
            self._info[name] = info
            self._write_index()
        return info

    def keep(self, world: World, created: str, reason: str) -> dict:
        """An automatic snapshot of ``world`` (the ring keeps the newest AUTO_KEEP)."""
        with self._lock:  # one number per snapshot, even for two resets at once
            numbers = [int(n[len(AUTO):]) for n in self._info if n.startswith(AUTO) and n[len(AUTO):].isdigit()]
            info = self.save(f"{AUTO}{max(numbers, default=0) + 1}", world, created, reason)
            autos = sorted((n for n in self._info if n.startswith(AUTO)), key=lambda n: int(n[len(AUTO):]))
            for name in autos[:-AUTO_KEEP]:
                self.delete(name)
            return info

    def world(self, name: str) -> World | None:
        with self._lock:
            if name not in self._info:
                return None
            if name not in self._worlds and self.folder is not None:
                path = self.folder / f"{name}.json"
                data = StateFile(path).read()
                if data is None:
                    raise DataFileError(path, "is missing", "delete the snapshot")
                store = Store()
                store.restore(parse_state(path, data), parsed=True)
                self._worlds[name] = store.freeze()
            return self._worlds.get(name)

    def delete(self, name: str) -> bool:
        with self._lock:
            if self._info.pop(name, None) is None:
                return False
            self._worlds.pop(name, None)
            if self.folder is not None:
                with contextlib.suppress(FileNotFoundError):
                    (self.folder / f"{name}.json").unlink()
                self._write_index()
            return True

    def _write_index(self) -> None:
        if self.folder is not None:
            StateFile(self.folder / "index.json").save(orjson.dumps(self._info))
