"""Skilljar ids: short lowercase alphanumeric strings (``376culderht1r``), made deterministically.

Each id is a hash of the seed, the resource kind and that kind's sequence number in the store,
so the same seed (and the same requests after a reset) always makes the same ids. Base32 of the
hash, lowercased, fits Skilljar's id pattern ``^[0-9a-z]+$``.
"""

from __future__ import annotations

import base64
import hashlib

from mockserver.store import Store


def new_id(store: Store, kind: str, length: int = 13) -> str:
    n = store.sequence(f"skilljar.{kind}")
    digest = hashlib.blake2b(f"{store.meta.get('seed', 0)}:{kind}:{n}".encode(), digest_size=10).digest()
    return base64.b32encode(digest).decode()[:length].lower()
