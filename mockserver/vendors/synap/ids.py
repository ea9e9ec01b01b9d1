"""Synap ids: strings (the docs' samples say ``"FID001"``); ours are 24 hex digits, made deterministically.

Each id hashes the seed, the JSON:API type and that type's sequence number in the store, so the
same seed (and the same requests after a reset) always makes the same ids.
"""

from __future__ import annotations

import hashlib

from mockserver.store import Store


def new_id(store: Store, type_name: str) -> str:
    n = store.sequence(f"synap.{type_name}")
    return hashlib.blake2b(f"{store.meta.get('seed', 0)}:{type_name}:{n}".encode(), digest_size=12).hexdigest()


def secret(store: Store, purpose: str, length: int = 40) -> str:
    """A deterministic secret (PATs, emailed tokens): hex of the seed, the purpose and a sequence."""
    n = store.sequence(f"synap.secret.{purpose}")
    digest = hashlib.blake2b(f"{store.meta.get('seed', 0)}:secret:{purpose}:{n}".encode(), digest_size=32)
    return digest.hexdigest()[:length]
