"""Hand-written operations of the Collections, Library groups."""

from __future__ import annotations
