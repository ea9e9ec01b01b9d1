"""The fixture store: TinyDB tables behind one lock, the single source of truth.

Two TinyDB costs are designed out (see shared/reference/performance.md):
- TinyDB rebuilds a whole table dict on every write (``Table._update_table``): 36 ms per
  insert at 100k rows. ``_LiveTable`` applies TinyDB's own updaters to the stored dict in place.
- ``all()``/``search()`` copy every document. ``Store.rows`` hands out the stored documents
  themselves; that is safe because every write *replaces* a document (copy-on-write), so a
  document a reader holds never changes under it. Callers must treat rows as read-only.

Documents are keyed by the vendor's own id (as a string), so ``get`` is a dict lookup.
With a data file the state is written behind (temp file + rename, so a crash never leaves a
truncated file) at most every ``flush_interval`` seconds after a change, and on close.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import orjson
from tinydb import TinyDB
from tinydb.storages import MemoryStorage
from tinydb.table import Document, Table

# Tables are exported as ordered [key, document] pairs: a table's order is part of its state
# (lists default to it), and a JSON object with sorted keys would lose it.
STATE_FORMAT = "mockserver-state/2"


class _LiveTable(Table):
    document_id_class = str

    def _update_table(self, updater):
        tables = self._storage.read()
        updater(tables.setdefault(self.name, {}))
        self.clear_cache()


class _LiveStorage(MemoryStorage):
    def read(self):
        if self.memory is None:
            self.memory = {}
        return self.memory


class _Database(TinyDB):
    table_class = _LiveTable


class StateFile:
    """A JSON state file written atomically."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def load(self) -> dict | None:
        if not self.path.exists():
            return None
        return orjson.loads(self.path.read_bytes())

    def save(self, data: bytes) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()


class Store:
    def __init__(self, state_file: StateFile | None = None, flush_interval: float = 0.25):
        self._lock = threading.RLock()
        self._db = _Database(storage=_LiveStorage)
        self._file = state_file
        self._interval = flush_interval
        self._dirty = False
        self._wake = threading.Event()
        self._closed = False
        self.meta: dict = {}
        self._next_ids: dict[str, int] = {}  # per-table counter for insert_auto, rebuilt lazily
        self._undo: list | None = None  # inside a transaction: (table, key, document before, position)
        self._flusher = None
        if state_file is not None:
            self._flusher = threading.Thread(target=self._flush_loop, name="store-flush", daemon=True)
            self._flusher.start()

    # -- transactions ------------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """Hold the store for a multi-step rule (check-then-insert): no other request interleaves,
        and if the rule raises, every write it made is undone (a refused request loses nothing
        and leaves nothing half-done). A nested transaction is a savepoint of the outer one: if it
        raises, its own writes are undone (a rule that catches the failure keeps the rest)."""
        with self._lock:
            if self._undo is not None:
                mark = len(self._undo)
                sequences = dict(self.meta.get("sequences", {}))
                try:
                    yield self
                except BaseException:
                    self._rollback(sequences, None, mark)
                    raise
                return
            self._undo = []
            sequences = dict(self.meta.get("sequences", {}))
            tables = set(self._db.storage.read())
            try:
                yield self
            except BaseException:
                self._rollback(sequences, tables)
                raise
            finally:
                self._undo = None

    def _remember(self, table: str, key: str, before: dict) -> None:
        if self._undo is not None:
            self._undo.append((table, key, before, list(self._raw(table)).index(key)))

    def _rollback(self, sequences: dict, tables: set[str] | None, mark: int = 0) -> None:
        for table, key, before, position in reversed(self._undo[mark:]):
            docs = self._db.storage.read().setdefault(table, {})
            if before is None:
                docs.pop(key, None)
            elif key in docs:
                docs[key] = before
            else:  # undo a delete: back in its place, so table order (and exports) stay as they were
                items = list(docs.items())
                items.insert(position, (key, before))
                docs.clear()
                docs.update(items)
            self._db.table(table).clear_cache()
            self._next_ids.pop(table, None)
        del self._undo[mark:]
        if tables is not None:
            for name in set(self._db.storage.read()) - tables:
                self._db.drop_table(name)
        self.meta["sequences"] = sequences
        self._changed()

    # -- reads -------------------------------------------------------------------------------
    def _raw(self, table: str) -> dict:
        return self._db.storage.read().get(table, {})

    def get(self, table: str, doc_id: str | int) -> dict | None:
        with self._lock:
            doc = self._raw(table).get(str(doc_id))
            return dict(doc) if doc is not None else None

    def rows(self, table: str) -> list[dict]:
        """Every document of ``table`` in insertion order (read-only: see the module docstring)."""
        with self._lock:
            return list(self._raw(table).values())

    def find(self, table: str, **equal) -> list[dict]:
        with self._lock:
            return [
                dict(doc)
                for doc in self._raw(table).values()
                if all(doc.get(k) == v for k, v in equal.items())
            ]

    def find_one(self, table: str, **equal) -> dict | None:
        found = self.find(table, **equal)
        return found[0] if found else None

    def count(self, table: str) -> int:
        with self._lock:
            return len(self._raw(table))

    def counts(self) -> dict[str, int]:
        with self._lock:
            return {name: len(docs) for name, docs in sorted(self._db.storage.read().items())}


    def sequence(self, name: str) -> int:
        """The next number of a named counter (1, 2, ...), kept in the state so reset and
        restore rewind it: the same requests after a reset make the same ids."""
        with self._lock:
            counters = self.meta.setdefault("sequences", {})
            counters[name] = counters.get(name, 0) + 1
            self._changed()
            return counters[name]

    # -- writes ------------------------------------------------------------------------------
    def insert(self, table: str, doc_id: str | int, doc: Mapping) -> dict:
        with self._lock:
            self._db.table(table).insert(Document(doc, doc_id=str(doc_id)))
            if self._undo is not None:
                self._undo.append((table, str(doc_id), None, -1))
            self._changed()
            return dict(doc)

    def insert_auto(self, table: str, doc: Mapping, first_id: int = 1) -> dict:
        """Insert with the next integer id (``doc["id"]``), as a database sequence would assign it."""
        with self._lock:
            if table not in self._next_ids:
                self._next_ids[table] = max((int(k) for k in self._raw(table)), default=first_id - 1) + 1
            doc_id = self._next_ids[table]
            self._next_ids[table] += 1
            return self.insert(table, doc_id, {"id": doc_id, **doc})

    def insert_many(self, table: str, docs: Iterable[tuple[str | int, Mapping]]) -> int:
        with self._lock:
            self._next_ids.pop(table, None)
            docs = [(str(doc_id), doc) for doc_id, doc in docs]
            ids = self._db.table(table).insert_multiple(Document(doc, doc_id=doc_id) for doc_id, doc in docs)
            if self._undo is not None:
                self._undo.extend((table, doc_id, None, -1) for doc_id, _ in docs)
            self._changed()
            return len(ids)

    def update(self, table: str, doc_id: str | int, fields: Mapping) -> dict | None:
        """Replace the document with a merged copy; returns the new document, or None if absent."""
        key = str(doc_id)
        result = []

        def replace(docs: dict):
            if key in docs:
                if self._undo is not None:
                    self._undo.append((table, key, docs[key], -1))
                docs[key] = {**docs[key], **fields}
                result.append(docs[key])

        with self._lock:
            self._db.table(table)._update_table(replace)
            if not result:
                return None
            self._changed()
            return dict(result[0])

    def delete(self, table: str, doc_id: str | int) -> bool:
        with self._lock:
            if str(doc_id) not in self._raw(table):
                return False
            self._remember(table, str(doc_id), self._raw(table)[str(doc_id)])
            self._db.table(table).remove(doc_ids=[str(doc_id)])
            self._changed()
            return True

    # -- whole state -------------------------------------------------------------------------
    def export(self) -> dict:
        with self._lock:
            return {
                "format": STATE_FORMAT,
                "meta": dict(self.meta),
                "tables": {name: [[key, doc] for key, doc in docs.items()] for name, docs in self._db.storage.read().items()},
            }

    def dumps(self) -> bytes:
        """The whole state as canonical JSON: same state, same bytes."""
        with self._lock:
            return orjson.dumps(self.export(), option=orjson.OPT_SORT_KEYS)

    def restore(self, state: Mapping) -> None:
        """Replace the whole state with an export (``dumps``/``export`` output)."""
        if state.get("format") != STATE_FORMAT or not isinstance(state.get("tables"), Mapping):
            raise ValueError(f"not a {STATE_FORMAT} document")
        try:
            tables = {
                str(name): {str(key): dict(doc) for key, doc in pairs if isinstance(doc, Mapping)}
                for name, pairs in state["tables"].items()
            }
        except (TypeError, ValueError) as exc:
            raise ValueError(f"tables must map a table name to [key, document] pairs: {exc}") from exc
        with self._lock:
            self._db.drop_tables()
            self._db.storage.write(tables)
            self._db.clear_cache()
            self._next_ids.clear()
            self.meta = dict(state.get("meta") or {})
            self._changed()

    def clear(self) -> None:
        with self._lock:
            self._db.drop_tables()
            self._db.storage.write({})
            self._next_ids.clear()
            self.meta = {}
            self._changed()

    # -- persistence -------------------------------------------------------------------------
    def _changed(self) -> None:
        self._dirty = True
        if self._file is not None:
            self._wake.set()

    def flush(self) -> None:
        if self._file is None:
            return
        with self._lock:
            if not self._dirty:
                return
            data = self.dumps()
            self._dirty = False
        self._file.save(data)

    def _flush_loop(self) -> None:
        while not self._closed:
            self._wake.wait()
            self._wake.clear()
            if self._closed:
                break
            self.flush()
            time.sleep(self._interval)  # coalesce a burst of writes into one file write

    def close(self) -> None:
        self._closed = True
        self._wake.set()
        if self._flusher is not None:
            self._flusher.join(timeout=5)
        self.flush()
