"""The fixture store: TinyDB tables behind one lock, the single source of truth.

Two TinyDB costs are designed out (see shared/reference/performance.md):
- TinyDB rebuilds a whole table dict on every write (``Table._update_table``): 36 ms per
  insert at 100k rows. ``_LiveTable`` applies TinyDB's own updaters to the stored dict in place.
- ``all()``/``search()`` copy every document. ``Store.rows`` hands out the stored documents
  themselves; that is safe because every write *replaces* a document (copy-on-write), so a
  document a reader holds never changes under it. Callers must treat rows as read-only.

Because documents are never mutated, whole tables can be shared too: a ``World`` (the seeded
world, a named snapshot) is a set of table dicts, and a store built from one shares them until
its first write to a table, which copies that table's dict (not its documents). A tenant, a reset
or a snapshot costs what it changes, not a copy of the world.

Documents are keyed by the vendor's own id (as a string), so ``get`` is a dict lookup.

A World read from the seeded-world cache holds each table *packed*: its documents as compressed
JSON pages of PAGE documents, with each key's hash and page. At scale large the world is 285 MB
of JSON, about 1.8 GB as Python objects, and a session reads a few of its ~200 tables, so it
costs the ~45 MB of pages plus what it reads: ``get`` decodes one page, a list or an index the
whole table. What is decoded is shared by every store of the World and bounded per process
(``POOL``, ``--table-bytes``): past the budget the least recently read tables go back to their
pages (readers keep what they hold; the next read decodes again). A table a store writes to is
copied into a dict of its own, outside the budget: it is that store's state.

Every write is checked before it lands: a value that cannot be written out as JSON and read back
the same (an integer past 64 bits, NaN, a datetime) raises ``UnstorableValue`` and changes
nothing. Each committed transaction (or lone write) is one record of the change log when a data
file is attached (see ``mockserver.datafile``), appended before the call returns.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import itertools
import logging
import math
import secrets
import sys
import threading
import time
import weakref
import zlib
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import orjson
from tinydb import TinyDB
from tinydb.storages import MemoryStorage
from tinydb.table import Document, Table

from mockserver.datafile import STATE_FORMAT, ChangeLog, DataFileError, StateFile, file_base, parse_state

__all__ = ["STATE_FORMAT", "Packed", "StateFile", "Store", "UnstorableValue", "World", "pack_world", "unpack_world"]

log = logging.getLogger("mockserver.store")

_INT_MIN, _INT_MAX = -(2**63), 2**64 - 1  # what orjson writes (and so what a data file can hold)


class UnstorableValue(ValueError):
    """A document or meta value that cannot be written out and read back as the same JSON."""


def _check(value, path: str) -> None:
    if isinstance(value, str) or value is None or isinstance(value, bool):
        return
    if isinstance(value, int):
        if not _INT_MIN <= value <= _INT_MAX:
            raise UnstorableValue(f"{path}: the integer {value} is past 64 bits")
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise UnstorableValue(f"{path}: {value} is not a JSON number")
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise UnstorableValue(f"{path}: the key {key!r} is not a string")
            _check(item, f"{path}/{key}")
        return
    if isinstance(value, (list, tuple)):
        for n, item in enumerate(value):
            _check(item, f"{path}/{n}")
        return
    raise UnstorableValue(f"{path}: a {type(value).__name__} is not JSON")


def encode(value, path: str = "") -> bytes:
    """``value`` as JSON, or UnstorableValue: the one check every write passes.

    The fast path is orjson both ways (it refuses integers past 64 bits; NaN comes back as null
    and a datetime as a string, so they compare unequal); only then does ``_check`` walk the
    value, to name what is wrong (or to let a tuple through, which comes back as a list)."""
    try:
        data = orjson.dumps(value)
    except (orjson.JSONEncodeError, TypeError) as exc:
        _check(value, path)
        raise UnstorableValue(f"{path}: {exc}") from None
    if orjson.loads(data) != value:
        _check(value, path)
    return data


INDEX_FROM = 128  # rows from which find() looks values up in an index rather than scanning


def _indexable(value) -> bool:
    """A value an index can hold: one that hashes as it compares (1 == 1.0 == True, as in a scan)."""
    return value is None or isinstance(value, (str, int, float))


def _value_at(doc: Mapping, field: str | tuple[str, ...]):
    """``doc[field]``, or along a path of names into nested objects (None where one is missing)."""
    if isinstance(field, str):
        return doc.get(field)
    for name in field:
        if not isinstance(doc, Mapping):
            return None
        doc = doc.get(name)
    return doc


_unpacking = threading.RLock()  # packed tables are shared by every store of a World

PAGE = 128  # documents per page of a packed table


def _hash(key: str) -> int:
    return zlib.crc32(key.encode())


def _deep_size(value) -> int:
    """Roughly what a decoded JSON value holds in memory (keys are not counted: orjson shares them)."""
    if value is None or value is True or value is False or (type(value) is int and -5 <= value <= 256):
        return 0
    size = sys.getsizeof(value)
    if type(value) is dict:
        return size + sum(_deep_size(item) for item in value.values())
    if type(value) is list:
        return size + sum(_deep_size(item) for item in value)
    return size


def _estimate(page: dict[str, dict]) -> int:
    """The memory a page's documents take once decoded: a few of them measured, times their count
    (each one also costs its key and its entry in the table's dict)."""
    sample = list(page.items())[:: max(1, len(page) // 3)]
    return sum(_deep_size(doc) + len(key) + 120 for key, doc in sample) * len(page) // max(1, len(sample))


def _build_index(docs: Mapping[str, dict], field: str | tuple[str, ...]) -> dict[object, dict[str, dict]]:
    index: dict[object, dict[str, dict]] = {}
    for key, doc in docs.items():
        value = _value_at(doc, field)
        if _indexable(value):
            index.setdefault(value, {})[key] = doc
    return index


def _build_text(docs: Mapping[str, dict], field: str) -> tuple[str, list[int], list[dict]]:
    rows = list(docs.values())
    texts = ["" if d.get(field) is None else str(d[field]).lower() for d in rows]
    starts, at = [], 0
    for value in texts:
        starts.append(at)
        at += len(value) + 1
    return "\0".join(texts), starts, rows


class _Pool:
    """Every packed table's decoded part (pages, whole tables and their indexes), bounded: past
    ``limit`` bytes (an estimate), the least recently read tables are dropped back to their
    packed pages, to be decoded again when something reads them. The pool is per process: packed
    tables are shared by every store and tenant."""

    def __init__(self):
        self.limit = sys.maxsize  # unbounded until a Sandbox sets it (Settings.table_bytes)
        self.tables: weakref.WeakSet[Packed] = weakref.WeakSet()
        self.clock = itertools.count(1)

    def used(self) -> int:
        return sum(table._size for table in list(self.tables))

    def grew(self, table: Packed, size: int) -> None:
        """``table`` decoded ``size`` more bytes (caller holds ``_unpacking``)."""
        table._size += size
        table._used = next(self.clock)
        self.tables.add(table)
        used = self.used()
        while used > self.limit:
            others = [t for t in list(self.tables) if t is not table]
            if not others:
                break  # a table bigger than the limit is kept while it is read
            oldest = min(others, key=lambda t: t._used)
            used -= oldest._size
            oldest._drop()
            self.tables.discard(oldest)


POOL = _Pool()


class Packed:
    """A table's documents as compressed JSON pages, decoded as they are read, never changed.

    Pages hold PAGE documents each, in table order; ``keys`` (each key's hash and page, sorted)
    finds a document's page, so ``get`` decodes one page, not the table. ``docs`` (every document,
    in table order) decodes them all. What is decoded, and the indexes made on it, count in ``POOL``."""

    __slots__ = ("_pages", "_keys", "_count", "_docs", "_loaded", "_size", "_used", "derived", "__weakref__")

    def __init__(self, pages: list[bytes], keys: array, count: int):
        self._pages = pages  # each: zlib(JSON {key: document, ...})
        self._keys = keys  # hash(key) << 32 | page, sorted
        self._count = count
        self._docs: dict[str, dict] | None = None  # every document, once something read them all
        self._loaded: dict[int, dict[str, dict]] = {}  # before that: the pages get() decoded
        self._size = 0  # estimated bytes of what is decoded
        self._used = 0  # POOL.clock at the last read
        self.derived: dict[tuple[str, object], object] = {}  # indexes and text searches made on the docs

    @classmethod
    def pack(cls, docs: Mapping[str, dict]) -> Packed:
        items = list(docs.items())
        pages = [zlib.compress(orjson.dumps(dict(items[at:at + PAGE])), 1) for at in range(0, max(1, len(items)), PAGE)]
        keys = array("Q", sorted(_hash(key) << 32 | n // PAGE for n, (key, _) in enumerate(items)))
        return cls(pages, keys, len(items))

    def __len__(self) -> int:
        return self._count

    def pages(self) -> list[bytes]:
        return self._pages

    def keys(self) -> array:
        return self._keys

    def get(self, key: str) -> dict | None:
        """One document, decoding only its page."""
        docs = self._docs
        if docs is None:
            found = None
            h = _hash(key)
            keys = self._keys
            at = bisect.bisect_left(keys, h << 32)
            while at < len(keys) and keys[at] >> 32 == h and found is None:
                found = self._page(keys[at] & 0xFFFFFFFF).get(key)
                at += 1
            self._used = next(POOL.clock)
            return found
        self._used = next(POOL.clock)
        return docs.get(key)

    def _page(self, n: int) -> dict[str, dict]:
        page = self._loaded.get(n)
        if page is None:
            with _unpacking:
                page = self._loaded.get(n)
                if page is None:
                    page = orjson.loads(zlib.decompress(self._pages[n]))
                    self._loaded[n] = page
                    POOL.grew(self, _estimate(page))
        return page

    def docs(self) -> dict[str, dict]:
        """Every document, in table order."""
        docs = self._docs
        if docs is None:
            with _unpacking:
                docs = self._docs
                if docs is None:
                    self._drop()  # the pages get() decoded: decoded again below, in table order
                    docs = {}
                    for data in self._pages:
                        page = orjson.loads(zlib.decompress(data))
                        docs.update(page)
                        POOL.grew(self, _estimate(page))  # others make room as this one grows
                    self._docs = docs
                    if self._count >= INDEX_FROM:
                        # Documents are never mutated, so the collector need not walk them again:
                        # like the world loaded at start (cli.py), they move to the permanent
                        # generation (a scale-large table is ~100k objects a full collection would
                        # otherwise scan).
                        gc.freeze()
        self._used = next(POOL.clock)
        return docs

    def index(self, field: str | tuple[str, ...]) -> dict[object, dict[str, dict]]:
        return self._derived("index", field, _build_index, lambda index: 100 * self._count + 250 * len(index))

    def text(self, field: str) -> tuple[str, list[int], list[dict]]:
        return self._derived("text", field, _build_text, lambda text: len(text[0]) + 44 * self._count)

    def _derived(self, kind: str, field, build, cost):
        """What ``build`` makes of the decoded documents for ``field``: made once, kept while they
        are (its ``cost`` in bytes counts in POOL) and shared by every store on this table."""
        made = self.derived.get((kind, field))
        if made is None:
            docs = self.docs()
            with _unpacking:
                made = self.derived.get((kind, field))
                if made is None:
                    made = build(docs, field)
                    if self._docs is docs:  # not dropped meanwhile
                        self.derived[kind, field] = made
                        POOL.grew(self, cost(made))
        return made

    def _drop(self) -> None:
        """Forget what is decoded (the pool's doing; readers keep what they hold)."""
        self._docs, self._loaded, self._size = None, {}, 0
        self.derived = {}


def _docs(table: dict | Packed) -> dict[str, dict]:
    return table.docs() if type(table) is Packed else table


WORLD_MAGIC = b"mockserver-world 3\n"


def pack_world(world: World) -> bytes:
    """A World as the seeded-world cache keeps it: a header line, then each table's pages."""
    packed = [(name, table if type(table) is Packed else Packed.pack(table)) for name, table in world.tables.items()]
    header = {"format": STATE_FORMAT, "meta": world.meta,
              "tables": [[name, len(table), [len(page) for page in table.pages()]] for name, table in packed]}
    blobs = (blob for _, table in packed for blob in (table.keys().tobytes(), *table.pages()))
    return b"".join([WORLD_MAGIC, orjson.dumps(header), b"\n", *blobs])


def unpack_world(data: bytes | None) -> World | None:
    """The World ``pack_world`` wrote, its tables left packed; None for anything else (a torn or
    older cache entry, which is then seeded again)."""
    if not data or not data.startswith(WORLD_MAGIC):
        return None
    try:
        end = data.index(b"\n", len(WORLD_MAGIC))
        header = orjson.loads(data[len(WORLD_MAGIC):end])
        if header.get("format") != STATE_FORMAT:
            return None
        tables, at = {}, end + 1
        for name, count, sizes in header["tables"]:
            keys = array("Q", data[at:at + 8 * count])
            at += 8 * count
            pages = []
            for size in sizes:
                pages.append(data[at:at + size])
                at += size
            tables[name] = Packed(pages, keys, count)
        if at != len(data):
            return None
        return World(tables, header["meta"])
    except (ValueError, KeyError, TypeError):
        return None


@dataclass(frozen=True)
class World:
    """A whole state held in memory, never changed: its table dicts are shared, not copied."""

    tables: dict[str, dict[str, dict] | Packed]
    meta: dict

    def counts(self) -> dict[str, int]:
        return {name: len(docs) for name, docs in sorted(self.tables.items())}

    def export(self) -> dict:
        return {"format": STATE_FORMAT, "meta": self.meta,
                "tables": {name: [[key, doc] for key, doc in _docs(docs).items()] for name, docs in self.tables.items()}}

    def dumps(self, log: str | None = None) -> bytes:
        """The state export; ``log``: as a data file, naming the change-log segment that continues it."""
        document = self.export() if log is None else {**self.export(), "log": log}
        return orjson.dumps(document, option=orjson.OPT_SORT_KEYS)


class _LiveTable(Table):
    document_id_class = str

    def _update_table(self, updater):
        updater(self._storage.writable(self.name))
        self.clear_cache()


class _LiveStorage(MemoryStorage):
    """The tables dict; tables named in ``shared`` belong to a World too and are copied on first write."""

    def __init__(self):
        super().__init__()
        self.shared: set[str] = set()

    def read(self):
        if self.memory is None:
            self.memory = {}
        return self.memory

    def table(self, name: str) -> dict:
        """A table's documents for reading (a packed table is decoded, and stays shared)."""
        docs = self.read().get(name)
        if docs is None:
            return {}
        return docs.docs() if type(docs) is Packed else docs

    def doc(self, name: str, key: str) -> dict | None:
        """One document (of a packed table, only its page is decoded)."""
        docs = self.read().get(name)
        return None if docs is None else docs.get(key)

    def writable(self, name: str) -> dict:
        """A table's documents to change: a packed table, or one shared with a World, is copied first."""
        tables = self.read()
        docs = tables.get(name)
        if docs is None:
            return tables.setdefault(name, {})
        if type(docs) is Packed or name in self.shared:
            self.shared.discard(name)
            docs = tables[name] = dict(_docs(docs))
        return docs


class _Database(TinyDB):
    table_class = _LiveTable


class Store:
    def __init__(self, world: World | None = None):
        self._lock = threading.RLock()
        self._db = _Database(storage=_LiveStorage)
        self._meta: dict = {}
        self._next_ids: dict[str, int] = {}  # per-table counter for insert_auto, rebuilt lazily
        self._undo: list | None = None  # inside a transaction: how to take back each write
        self._pending: list[bytes] = []  # the open transaction's change-log entries
        self._pending_world = False  # ... or: it replaced the whole state (logged as one "w" entry)
        self.writes = 0  # committed writes so far (tells whether the world changed since a point)
        # Every write is checked storable (see encode) unless this is off: seeding turns it off
        # for its own, generated documents (at scale large the check would cost seconds).
        self.checking = True
        # table -> field -> value -> {key: document} in table order: built on first use, kept on write
        self._indexes: dict[str, dict[str | tuple[str, ...], dict[object, dict[str, dict]]]] = {}
        # table -> field -> (its values lowercased, joined by NUL; where each starts; the documents):
        # built by contains() on first use, dropped by any write to the table
        self._texts: dict[str, dict[str, tuple[str, list[int], list[dict]]]] = {}
        # persistence (attach())
        self._file: StateFile | None = None
        self._log: ChangeLog | None = None
        self._compacting = threading.Lock()
        self._wake = threading.Event()
        self._closed = False
        self._flusher: threading.Thread | None = None
        self._compact_interval = 5.0
        self._compact_bytes = 8 << 20
        self._since: float | None = None  # when the first record after the last compaction was logged
        if world is not None:
            self.restore_world(world)

    # -- meta --------------------------------------------------------------------------------
    @property
    def meta(self) -> dict:
        """Seed, scale, vendors and named sequences. Read-only: assign a new dict to change it."""
        return self._meta

    @meta.setter
    def meta(self, value: Mapping) -> None:
        data = encode(dict(value), "meta")
        value = orjson.loads(data)  # its own copy: sequence() counts in it in place
        with self.transaction():
            self._remember(("meta", self._meta))
            self._meta = value
            self._log_entry(b'["m",' + data + b"]")

    # -- transactions ------------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """Hold the store for a multi-step rule (check-then-insert): no other request interleaves,
        and if the rule raises, every write it made is undone (a refused request loses nothing
        and leaves nothing half-done). A nested transaction is a savepoint: if it raises, its own
        writes are undone and the outer one goes on (or not) as its caller decides.

        The outermost transaction commits as one change-log record, written (and with fsync on,
        synced) before it returns; if that fails, everything is undone and the error raised."""
        with self._lock:
            if self._undo is not None:
                mark, pending, world = len(self._undo), len(self._pending), self._pending_world
                try:
                    yield self
                except BaseException:
                    self._rollback(mark)
                    del self._pending[pending:]
                    self._pending_world = world
                    raise
                return
            self._undo, self._pending, self._pending_world = [], [], False
            try:
                yield self
                self._commit()
            except BaseException:
                self._rollback(0)
                raise
            finally:
                self._undo, self._pending, self._pending_world = None, [], False

    def _remember(self, entry: tuple) -> None:
        self._undo.append(entry)

    def _rollback(self, mark: int) -> None:
        storage = self._db.storage
        for entry in reversed(self._undo[mark:]):
            kind = entry[0]
            if kind == "doc":
                _, table, key, before, position = entry
                docs = storage.writable(table)
                if before is None:
                    docs.pop(key, None)
                    if not docs and position == -2:  # the write made the table: take it away again
                        self._db.drop_table(table)
                elif key in docs:
                    docs[key] = before
                else:  # undo a delete: back in its place, so table order (and exports) stay as they were
                    items = list(docs.items())
                    items.insert(position, (key, before))
                    docs.clear()
                    docs.update(items)
                self._db.table(table).clear_cache()
                self._next_ids.pop(table, None)
                self._indexes.pop(table, None)
                self._texts.pop(table, None)
            elif kind == "sequence":
                _, name, before = entry
                counters = self._meta.setdefault("sequences", {})
                if before is None:
                    counters.pop(name, None)
                    if not counters:
                        del self._meta["sequences"]
                else:
                    counters[name] = before
            elif kind == "meta":
                self._meta = entry[1]
            elif kind == "world":
                _, tables, shared, meta = entry
                self._db.drop_tables()
                storage.memory, storage.shared = tables, shared
                self._meta = meta
                self._next_ids.clear()
                self._indexes.clear()
                self._texts.clear()
        del self._undo[mark:]

    def _log_entry(self, entry: bytes) -> None:
        if self._log is not None and not self._pending_world:
            self._pending.append(entry)

    def _commit(self) -> None:
        if self._undo:
            self.writes += 1
        if self._log is None or not (self._pending or self._pending_world):
            return
        if self._pending_world:  # a restore/reset: the whole state, as one record
            payload = b'[["w",' + self.dumps() + b"]]"
        else:
            payload = b"[" + b",".join(self._pending) + b"]"
        self._log.append(payload)
        if self._since is None:
            self._since = time.monotonic()
        if self._pending_world or self._log.size > self._compact_bytes:
            self._wake.set()

    # -- reads -------------------------------------------------------------------------------
    def _raw(self, table: str) -> dict:
        return self._db.storage.table(table)

    def get(self, table: str, doc_id: str | int) -> dict | None:
        with self._lock:
            doc = self._db.storage.doc(table, str(doc_id))
            return dict(doc) if doc is not None else None

    def rows(self, table: str) -> list[dict]:
        """Every document of ``table`` in insertion order (read-only: see the module docstring)."""
        with self._lock:
            return list(self._raw(table).values())

    def lookup(self, table: str, field: str | tuple[str, ...], value) -> list[dict]:
        """The documents whose ``field`` (a name, or a path of names into nested objects) equals
        ``value``, in table order, read-only as ``rows`` hands them out. On a table of more than
        INDEX_FROM rows the value is looked up in an index (made on first use, kept up to date by
        every write) instead of scanning the table."""
        with self._lock:
            return self._lookup(table, field, value)

    def _lookup(self, table: str, field: str | tuple[str, ...], value) -> list[dict]:
        docs = self._raw(table)
        if len(docs) >= INDEX_FROM and _indexable(value):
            return list(self._index(table, field).get(value, {}).values())
        return [doc for doc in docs.values() if _value_at(doc, field) == value]

    def contains(self, table: str, field: str, text: str) -> list[dict]:
        """The documents whose ``field``, as lowercase text, contains ``text`` lowercased (a case-
        insensitive substring match; a missing or null value never matches), in table order,
        read-only as ``rows`` hands them out. On a table of more than INDEX_FROM rows the field's
        values are searched as one string (kept until the table's next write), not row by row."""
        needle = text.lower()
        with self._lock:
            docs = self._raw(table)
            if len(docs) < INDEX_FROM or not needle or "\0" in needle:
                return [d for d in docs.values() if d.get(field) is not None and needle in str(d[field]).lower()]
            joined, starts, rows = self._text(table, field, docs)
            found, at, last = [], joined.find(needle), -1
            while at != -1:
                n = bisect.bisect_right(starts, at) - 1
                if n != last and rows[n].get(field) is not None:
                    found.append(rows[n])
                    last = n
                at = joined.find(needle, starts[n + 1] if n + 1 < len(starts) else len(joined))
            return found

    def _text(self, table: str, field: str, docs: dict) -> tuple[str, list[int], list[dict]]:
        packed = self._db.storage.read().get(table)
        if type(packed) is Packed:  # shared by every store of its World, kept in the pool
            return packed.text(field)
        fields = self._texts.setdefault(table, {})
        if field not in fields:
            fields[field] = _build_text(docs, field)
        return fields[field]

    def find(self, table: str, **equal) -> list[dict]:
        """Copies of the documents whose fields equal ``equal``, in table order: the first field
        with a scalar value narrows them as ``lookup`` does (by the index on a large table)."""
        with self._lock:
            first = next(((f, v) for f, v in equal.items() if _indexable(v)), None)
            rows = self._lookup(table, *first) if first else self._raw(table).values()
            return [dict(doc) for doc in rows if all(doc.get(f) == v for f, v in equal.items())]

    def _index(self, table: str, field: str | tuple[str, ...]) -> dict[object, dict[str, dict]]:
        packed = self._db.storage.read().get(table)
        if type(packed) is Packed:  # shared by every store of its World, kept in the pool
            return packed.index(field)
        fields = self._indexes.setdefault(table, {})
        index = fields.get(field)
        if index is None:
            index = fields[field] = _build_index(self._raw(table), field)
        return index

    def _indexed_insert(self, table: str, key: str) -> None:
        self._texts.pop(table, None)
        fields = self._indexes.get(table)
        if fields:
            doc = self._raw(table)[key]  # the stored document (TinyDB stores a copy)
            for field, index in fields.items():
                value = _value_at(doc, field)
                if _indexable(value):
                    index.setdefault(value, {})[key] = doc

    def _indexed_replace(self, table: str, key: str, before: Mapping, after: dict) -> None:
        self._texts.pop(table, None)
        fields = self._indexes.get(table)
        if fields:
            for field in list(fields):
                value = _value_at(after, field)
                if value != _value_at(before, field) or type(value) is not type(_value_at(before, field)):
                    # A document that changes an indexed value keeps its place in the table, which
                    # the value's bucket cannot tell: that index is made again on its next use.
                    del fields[field]
                elif _indexable(value):
                    fields[field][value][key] = after

    def _indexed_delete(self, table: str, key: str, doc: Mapping) -> None:
        self._texts.pop(table, None)
        for field, index in self._indexes.get(table, {}).items():
            value = _value_at(doc, field)
            if _indexable(value) and value in index:
                index[value].pop(key, None)
                if not index[value]:
                    del index[value]

    def find_one(self, table: str, **equal) -> dict | None:
        found = self.find(table, **equal)
        return found[0] if found else None

    def count(self, table: str) -> int:
        with self._lock:
            return len(self._db.storage.read().get(table, ()))  # a packed table knows its count

    def counts(self) -> dict[str, int]:
        with self._lock:
            return {name: len(docs) for name, docs in sorted(self._db.storage.read().items())}

    def sequence(self, name: str) -> int:
        """The next number of a named counter (1, 2, ...), kept in the state so reset and
        restore rewind it: the same requests after a reset make the same ids."""
        return self._atomic(self._next_in_sequence, name)

    def _next_in_sequence(self, name: str) -> int:
        counters = self._meta.setdefault("sequences", {})
        value = counters.get(name, 0) + 1
        self._remember(("sequence", name, counters.get(name)))
        counters[name] = value
        self._log_entry(b'["s",' + orjson.dumps(name) + b"," + orjson.dumps(value) + b"]")
        return value

    # -- writes ------------------------------------------------------------------------------
    def _atomic(self, write, *args):
        """Run one write in the open transaction (a lone write changes nothing before it can
        fail, so it needs no savepoint of its own), or else in a transaction of its own."""
        with self._lock:
            if self._undo is not None:
                return write(*args)
            with self.transaction():
                return write(*args)

    def _encode(self, doc: Mapping, table: str, key: str) -> bytes | None:
        return encode(doc, f"{table}/{key}") if self.checking else None

    def _doc_entry(self, op: bytes, table: str, key: str, doc: Mapping | None = None, data: bytes | None = None) -> None:
        if self._log is not None and not self._pending_world:
            entry = b'["' + op + b'",' + orjson.dumps(table) + b"," + orjson.dumps(key)
            if doc is not None:
                entry += b"," + (data if data is not None else orjson.dumps(doc))
            self._log_entry(entry + b"]")

    def insert(self, table: str, doc_id: str | int, doc: Mapping) -> dict:
        key = str(doc_id)
        return self._atomic(self._insert, table, key, doc, self._encode(doc, table, key))

    def _insert(self, table: str, key: str, doc: Mapping, data: bytes | None) -> dict:
        new_table = table not in self._db.storage.read()
        self._db.table(table).insert(Document(doc, doc_id=key))
        self._remember(("doc", table, key, None, -2 if new_table else -1))
        self._indexed_insert(table, key)
        self._doc_entry(b"i", table, key, doc, data)
        return dict(doc)

    def insert_auto(self, table: str, doc: Mapping, first_id: int = 1) -> dict:
        """Insert with the next integer id (``doc["id"]``), as a database sequence would assign it."""
        return self._atomic(self._insert_auto, table, doc, first_id)

    def _insert_auto(self, table: str, doc: Mapping, first_id: int) -> dict:
        if table not in self._next_ids:
            self._next_ids[table] = max((int(k) for k in self._raw(table)), default=first_id - 1) + 1
        doc_id = self._next_ids[table]
        doc = {"id": doc_id, **doc}
        inserted = self._insert(table, str(doc_id), doc, self._encode(doc, table, str(doc_id)))
        self._next_ids[table] = doc_id + 1
        return inserted

    def insert_many(self, table: str, docs: Iterable[tuple[str | int, Mapping]]) -> int:
        docs = [(str(doc_id), doc) for doc_id, doc in docs]
        if self.checking:
            for key, doc in docs:
                encode(doc, f"{table}/{key}")
        return self._atomic(self._insert_many, table, docs)

    def _insert_many(self, table: str, docs: list[tuple[str, Mapping]]) -> int:
        self._next_ids.pop(table, None)
        new_table = table not in self._db.storage.read()
        if not docs:
            return 0
        ids = self._db.table(table).insert_multiple(Document(doc, doc_id=key) for key, doc in docs)
        self._undo.extend(("doc", table, key, None, -2 if new_table else -1) for key, _ in docs)
        self._texts.pop(table, None)
        if table in self._indexes:
            for key, _ in docs:
                self._indexed_insert(table, key)
        for key, doc in docs:
            self._doc_entry(b"i", table, key, doc)
        return len(ids)

    def update(self, table: str, doc_id: str | int, fields: Mapping) -> dict | None:
        """Replace the document with a merged copy; returns the new document, or None if absent."""
        return self._atomic(self._update, table, str(doc_id), fields)

    def _update(self, table: str, key: str, fields: Mapping) -> dict | None:
        before = self._db.storage.doc(table, key)
        if before is None:
            return None
        merged = {**before, **fields}
        self._replace(table, key, merged, self._encode(merged, table, key))
        return dict(merged)

    def _replace(self, table: str, key: str, doc: dict, data: bytes | None) -> None:
        docs = self._db.storage.writable(table)
        self._remember(("doc", table, key, docs[key], -1))
        self._indexed_replace(table, key, docs[key], doc)
        docs[key] = doc
        self._db.table(table).clear_cache()
        self._doc_entry(b"u", table, key, doc, data)

    def delete(self, table: str, doc_id: str | int) -> bool:
        return self._atomic(self._delete, table, str(doc_id))

    def _delete(self, table: str, key: str) -> bool:
        docs = self._raw(table)
        if key not in docs:
            return False
        self._remember(("doc", table, key, docs[key], list(docs).index(key)))
        self._indexed_delete(table, key, docs[key])
        self._db.table(table).remove(doc_ids=[key])
        self._doc_entry(b"d", table, key)
        return True

    # -- whole state -------------------------------------------------------------------------
    def export(self) -> dict:
        with self._lock:
            return {
                "format": STATE_FORMAT,
                "meta": dict(self._meta),
                "tables": {name: [[key, doc] for key, doc in _docs(docs).items()]
                           for name, docs in self._db.storage.read().items()},
            }

    def dumps(self) -> bytes:
        """The whole state as canonical JSON: same state, same bytes."""
        with self._lock:
            return orjson.dumps(self.export(), option=orjson.OPT_SORT_KEYS)

    def pack(self, names: Iterable[str]) -> None:
        """Keep these tables packed until something reads them again (seeding packs what each
        vendor seeded once it is done, so it holds one vendor's documents at a time, not the world's)."""
        with self._lock:
            tables = self._db.storage.read()
            for name in names:
                if isinstance(tables.get(name), dict):
                    tables[name] = Packed.pack(tables[name])
                    self._indexes.pop(name, None)
                    self._texts.pop(name, None)

    def freeze(self) -> World:
        """The current state as a World, in O(tables): its table dicts are shared from now on,
        so this store's next write to a table copies it first."""
        with self._lock:
            storage = self._db.storage
            tables = dict(storage.read())
            storage.shared = set(tables)
            return World(tables, orjson.loads(orjson.dumps(self._meta)))

    def _replace_world(self, tables: dict, shared: set[str], meta: dict) -> None:
        with self.transaction():
            storage = self._db.storage
            self._remember(("world", storage.read(), storage.shared, self._meta))
            self._db.drop_tables()  # TinyDB's cached tables; the old dict itself is left as it was
            storage.memory, storage.shared = tables, shared
            self._meta = meta
            self._next_ids.clear()
            self._indexes.clear()
            self._texts.clear()
            self._pending_world = True

    def restore_world(self, world: World) -> None:
        """Replace the whole state with a World (sharing its tables: nothing is copied)."""
        self._replace_world(dict(world.tables), set(world.tables), orjson.loads(orjson.dumps(world.meta)))

    def restore(self, state: Mapping, *, parsed: bool = False) -> None:
        """Replace the whole state with an export (``dumps``/``export`` output).

        ``parsed``: the state was just parsed from JSON by orjson (a data file, the world cache),
        so every value is storable and every document a fresh dict: neither is checked or copied."""
        if state.get("format") != STATE_FORMAT or not isinstance(state.get("tables"), Mapping):
            raise ValueError(f"not a {STATE_FORMAT} document")
        try:
            tables = {
                str(name): {str(key): doc if parsed else dict(doc) for key, doc in pairs if isinstance(doc, Mapping)}
                for name, pairs in state["tables"].items()
            }
        except (TypeError, ValueError) as exc:
            raise ValueError(f"tables must map a table name to [key, document] pairs: {exc}") from exc
        if not isinstance(state.get("meta") or {}, Mapping):
            raise ValueError("meta must be an object")
        meta = orjson.loads(orjson.dumps(dict(state.get("meta") or {})))  # its own copy (see meta)
        if not parsed:
            encode(meta, "meta")
            encode(tables, "tables")
        self._replace_world(tables, set(), meta)

    def clear(self) -> None:
        self._replace_world({}, set(), {})

    # -- persistence -------------------------------------------------------------------------
    def attach(self, path: Path, *, fsync: bool = False, compact_interval: float = 5.0,
               compact_bytes: int = 8 << 20) -> bool:
        """Persist to the data file ``path`` from now on: True if it existed and was loaded (with
        its change log replayed), False if this store's state was written there as its start.

        Raises DataFileError (one line: the file, the problem, the remedy) for a file that cannot
        be used; nothing on disk is changed then."""
        state_file, changelog = StateFile(path), ChangeLog(path, fsync)
        changelog.lock()
        try:
            loaded = self._load(state_file, changelog)
        except BaseException:
            changelog.unlock()
            raise
        self._compact_interval, self._compact_bytes = compact_interval, compact_bytes
        self._flusher = threading.Thread(target=self._flush_loop, name="store-compact", daemon=True)
        self._flusher.start()
        return loaded

    def _load(self, state_file: StateFile, changelog: ChangeLog) -> bool:
        data = state_file.read()
        segments = [segment.read() for segment in changelog.segments()]
        with self._lock:
            if data is None:
                stray = [s for s in segments if s.records]
                if stray:
                    raise DataFileError(stray[0].path,
                                        f"is a change log without its state file {state_file.path.name}",
                                        "restore the state file, or move the .wal files aside")
                loaded = False
                replayed = 0
            else:
                state = parse_state(state_file.path, data)
                try:
                    self.restore(state, parsed=True)
                except ValueError as exc:
                    raise DataFileError(state_file.path, f"has tables that cannot be loaded ({exc})") from None
                replayed = self._replay(file_base(state, data), segments)
                loaded = True
            self._file, self._log = state_file, changelog
        if not loaded or replayed or any(s.torn for s in segments):
            self.compact(force=True)  # the loaded state becomes the state file; old segments go
        else:
            with self._lock:
                changelog.drop_before(changelog.start(file_base(state, data)))
        return loaded

    def _replay(self, base: str, segments: list) -> int:
        """Apply the change-log segments that continue the state file (hash ``base``)."""
        matching = [n for n, s in enumerate(segments) if s.base == base]
        if not matching:
            stray = [s for s in segments if s.records]
            if stray:
                raise DataFileError(stray[-1].path, f"does not continue the state file {self._file_name(stray[-1])} "
                                    "(it belongs to another state)", "move the .wal files aside to use the state file as it is")
            return 0
        replayed = 0
        for segment in segments[matching[-1]:]:
            for n, payload in enumerate(segment.records):
                try:
                    entries = orjson.loads(payload)
                    self._apply(entries)
                except (orjson.JSONDecodeError, ValueError, KeyError, TypeError, IndexError) as exc:
                    raise DataFileError(segment.path, f"record {n + 1} cannot be applied ({exc})") from None
                replayed += 1
            if segment.torn:
                log.warning("%s: skipped %s (a write cut short by a crash; it was never acknowledged)",
                            segment.path, segment.torn)
        return replayed

    @staticmethod
    def _file_name(segment) -> str:
        return segment.path.name.rsplit(".wal.", 1)[0]

    def _apply(self, entries: list) -> None:
        with self.transaction():
            for entry in entries:
                op = entry[0]
                if op == "i":
                    self.insert(entry[1], entry[2], entry[3])
                elif op == "u":
                    self._replace(entry[1], entry[2], entry[3], None)  # a whole document, as logged
                elif op == "d":
                    self.delete(entry[1], entry[2])
                elif op == "m":
                    self.meta = entry[1]
                elif op == "s":
                    counters = self._meta.setdefault("sequences", {})
                    self._remember(("sequence", entry[1], counters.get(entry[1])))
                    counters[entry[1]] = entry[2]
                elif op == "w":
                    self.restore(entry[1], parsed=True)
                else:
                    raise ValueError(f"unknown entry {op!r}")

    def compact(self, force: bool = False) -> bool:
        """Fold the change log into the state file: start a new segment from the current state,
        write that state atomically, then delete the older segments. A failure (disk full) is
        logged and leaves every segment in place, so nothing is lost; the next compaction retries."""
        if self._log is None:
            return False
        with self._compacting:
            with self._lock:
                if self._since is None and not force:
                    return False
                world = self.freeze()  # O(tables): writers go on while it is serialised
                base = secrets.token_hex(12)
                number = self._log.start(base)
                self._since = None
            try:
                data = world.dumps(log=base)
            except (orjson.JSONEncodeError, TypeError) as exc:
                log.error("the state cannot be written out (%s); the change log keeps every write", exc)
                return False
            try:
                self._file.save(data)
            except OSError as exc:
                log.error("%s: cannot write the state file (%s); the change log keeps every write", self._file.path, exc)
                return False
            self._log.drop_before(number)
            return True

    def flush(self) -> None:
        self.compact()

    def _flush_loop(self) -> None:
        while not self._closed:
            woken = self._wake.wait(timeout=max(self._compact_interval / 4, 0.05))
            self._wake.clear()
            if self._closed:
                break
            due = self._since is not None and (
                woken or time.monotonic() - self._since >= self._compact_interval)
            try:
                if due:
                    self.compact()
            except Exception:  # the compactor never dies: the change log still holds every write
                log.exception("compaction failed; the change log keeps every write")

    def close(self) -> None:
        self._closed = True
        self._wake.set()
        if self._flusher is not None:
            self._flusher.join(timeout=30)
            self._flusher = None
        if self._log is not None:
            self.compact()
            self._log.close()
