"""The --data file on disk: a state file, the change log beside it, and what is wrong with either.

- ``state.json`` holds a whole state export (``Store.dumps``), written atomically (temp file +
  fsync + rename), so a crash leaves the old file or the new one, never half of one.
- ``state.json.wal.N`` are change-log segments (write-ahead): each committed store transaction
  is one record, appended before the store call that made it returns. A record is framed as
  ``<length u32><crc32 u32><crc32 of the length u32><payload>``, so a record torn by a crash
  (power loss mid-write) is recognised at load and skipped. A segment's first record is its
  header, naming the state it continues (``base``). Compaction starts segment N+1 with a new
  random base, writes the state of that instant to the state file with that base in it (``log``),
  then deletes the segments before N+1; a crash between those steps leaves segments whose base
  says whether the state file already has them. (A state file written by anything else is named
  by the hash of its bytes.)

Every way a file can be unusable is a ``DataFileError`` naming the file, what is wrong and what
to do, which the CLI prints as one line.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import struct
import threading
import zlib
from pathlib import Path

import orjson

log = logging.getLogger("mockserver.store")

# Tables are exported as ordered [key, document] pairs: a table's order is part of its state
# (lists default to it), and a JSON object with sorted keys would lose it.
STATE_FORMAT = "mockserver-state/2"
WAL_FORMAT = "mockserver-wal/1"
_FRAME = struct.Struct("<III")  # payload length, crc32 of the payload, crc32 of the length
FRESH_HINT = "start with --fresh to move it aside and begin from the seeded world"


class DataFileError(Exception):
    """A data file that cannot be used: one line naming the file, the problem and the remedy."""

    def __init__(self, path: Path, problem: str, remedy: str = FRESH_HINT):
        self.path, self.problem, self.remedy = Path(path), problem, remedy
        super().__init__(f"{path}: {problem}; {remedy}")


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def file_base(state: dict, data: bytes) -> str:
    """What a change-log segment continuing this state file names as its base: the ``log`` id
    compaction wrote into it, or for a file written by anything else, the hash of its bytes."""
    base = state.get("log")
    return base if isinstance(base, str) else digest(data)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every filesystem lets a directory be opened
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class StateFile:
    """A JSON state file written atomically."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def read(self) -> bytes | None:
        if not self.path.exists():
            return None
        try:
            return self.path.read_bytes()
        except OSError as exc:
            raise DataFileError(self.path, f"cannot be read ({exc.strerror})", "check its permissions") from exc

    def load(self):
        data = self.read()
        return None if data is None else orjson.loads(data)

    def save(self, data: bytes) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
            _fsync_dir(self.path.parent)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()


def parse_state(path: Path, data: bytes) -> dict:
    """The state document in ``data``, or a DataFileError saying why it is not one."""
    if not data.strip():
        raise DataFileError(path, "is empty (not a mockserver state file)")
    try:
        state = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise DataFileError(path, f"is not valid JSON, truncated or corrupt ({exc})") from None
    if not isinstance(state, dict) or "format" not in state:
        raise DataFileError(path, f"is JSON but not a mockserver state file (no \"format\": {STATE_FORMAT!r})")
    if state["format"] != STATE_FORMAT:
        found = state["format"]
        if isinstance(found, str) and found.startswith("mockserver-state/"):
            raise DataFileError(path, f"is in state format {found!r}, which this version ({STATE_FORMAT!r}) does not read")
        raise DataFileError(path, f"is another program's file (format {str(found)[:60]!r}, expected {STATE_FORMAT!r})")
    if not isinstance(state.get("tables"), dict) or not isinstance(state.get("meta", {}), dict):
        raise DataFileError(path, "has no valid \"tables\" object (a state file maps table names to [key, document] pairs)")
    return state


def frame(payload: bytes) -> bytes:
    length = struct.pack("<I", len(payload))
    return _FRAME.pack(len(payload), zlib.crc32(payload), zlib.crc32(length)) + payload


class Segment:
    """One change-log file: its header's base and its records, as read at load."""

    def __init__(self, path: Path, number: int):
        self.path, self.number = path, number
        self.base: str | None = None
        self.records: list[bytes] = []
        self.torn: str | None = None  # why reading stopped early, if it did

    def read(self) -> Segment:
        data = self.path.read_bytes()
        at = 0
        payloads = []
        while at < len(data):
            if len(data) - at < _FRAME.size:
                self.torn = f"a torn record header at byte {at}"
                break
            length, crc, length_crc = _FRAME.unpack_from(data, at)
            if zlib.crc32(data[at:at + 4]) != length_crc:
                raise DataFileError(self.path, f"has a corrupt record header at byte {at}",
                                    "move it aside to start from the state file alone, or " + FRESH_HINT)
            end = at + _FRAME.size + length
            if end > len(data):
                self.torn = f"a torn record at byte {at} ({length} bytes announced, {len(data) - at - _FRAME.size} written)"
                break
            payload = data[at + _FRAME.size:end]
            if zlib.crc32(payload) != crc:
                if end == len(data):
                    self.torn = f"a last record at byte {at} whose checksum does not match"
                    break
                raise DataFileError(self.path, f"has a corrupt record at byte {at} with more records after it",
                                    "move it aside to start from the state file alone, or " + FRESH_HINT)
            payloads.append(payload)
            at = end
        if not payloads:
            if self.torn is None and not data:
                self.torn = "no header"
            return self
        try:
            header = orjson.loads(payloads[0])
            assert header["format"] == WAL_FORMAT
            self.base = header["base"]
        except Exception:
            raise DataFileError(self.path, f"is not a mockserver change log (no {WAL_FORMAT} header)") from None
        self.records = payloads[1:]
        return self


class ChangeLog:
    """The change-log segments beside a state file, and the one being appended to."""

    def __init__(self, state_path: Path, fsync: bool = False):
        self.state_path = Path(state_path)
        self.fsync = fsync
        self._fd: int | None = None
        self.number = 0
        self.size = 0  # bytes in the current segment

    def _path(self, number: int) -> Path:
        return self.state_path.with_name(f"{self.state_path.name}.wal.{number}")

    def segments(self) -> list[Segment]:
        prefix = f"{self.state_path.name}.wal."
        found = []
        if self.state_path.parent.is_dir():
            for path in self.state_path.parent.iterdir():
                if path.name.startswith(prefix) and path.name[len(prefix):].isdigit():
                    found.append(Segment(path, int(path.name[len(prefix):])))
        return sorted(found, key=lambda s: s.number)

    def start(self, base: str) -> int:
        """Close the current segment and begin the next one, continuing from state ``base``."""
        self._close_segment()
        existing = self.segments()
        self.number = max([self.number, *(s.number for s in existing)]) + 1
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self._path(self.number), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        self.size = 0
        self.append(orjson.dumps({"format": WAL_FORMAT, "base": base}))
        if self.fsync:
            _fsync_dir(self.state_path.parent)
        return self.number

    def append(self, payload: bytes) -> None:
        """One record, handed to the OS before returning (and to the disk with fsync on).

        If that fails (disk full, an I/O error), what was written of it is cut off again: the
        caller undoes the write, and the next record must not follow a half one."""
        record = memoryview(frame(payload))
        try:
            written = 0
            while written < len(record):
                written += os.write(self._fd, record[written:])
            if self.fsync:
                os.fsync(self._fd)
        except OSError:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, self.size)
                os.lseek(self._fd, self.size, os.SEEK_SET)
            raise
        self.size += len(record)

    def drop_before(self, number: int) -> None:
        for segment in self.segments():
            if segment.number < number:
                with contextlib.suppress(FileNotFoundError):
                    segment.path.unlink()

    def _close_segment(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def close(self) -> None:
        self._close_segment()
        self.unlock()

    # -- one process per data file -------------------------------------------------------------
    _lock_fd: int | None = None

    def lock(self) -> None:
        """Hold ``<name>.lock`` for as long as this process uses the data file: a second server
        on the same file would interleave two change logs and overwrite the other's state."""
        path = self.state_path.with_name(f"{self.state_path.name}.lock")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise DataFileError(self.state_path, f"is in use by another mockserver (pid {holder})",
                                "stop that server, or give this one another --data file") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._lock_fd = fd

    def unlock(self) -> None:
        if self._lock_fd is not None:
            with contextlib.suppress(FileNotFoundError):
                self.state_path.with_name(f"{self.state_path.name}.lock").unlink()
            os.close(self._lock_fd)  # closing the descriptor releases the lock
            self._lock_fd = None


def move_aside(path: Path, stamp: str) -> list[Path]:
    """Rename a data file and its change log to ``<name>.<stamp>.bak...`` (for --fresh); returns the new names."""
    path = Path(path)
    moved = []
    for source in [path, *ChangeLog(path).segments()]:
        source_path = source if isinstance(source, Path) else source.path
        if source_path.exists():
            target = source_path.with_name(source_path.name.replace(path.name, f"{path.name}.{stamp}.bak", 1))
            os.replace(source_path, target)
            moved.append(target)
    return moved
