"""Skilljar ids: short lowercase alphanumeric strings (``376culderht1r``), made deterministically.

Each id is a hash of the seed, the resource kind and that kind's sequence number in the store,
so the same seed (and the same requests after a reset) always makes the same ids.
"""

from __future__ import annotations

import hashlib

from mockserver.store import Store

ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def new_id(store: Store, kind: str, length: int = 13) -> str:
    n = store.sequence(f"skilljar.{kind}")
    digest = int.from_bytes(hashlib.blake2b(f"{store.meta.get('seed', 0)}:{kind}:{n}".encode(), digest_size=12).digest(), "big")
    chars = []
    for _ in range(length):
        digest, r = divmod(digest, 36)
        chars.append(ALPHABET[r])
    return "".join(chars)
