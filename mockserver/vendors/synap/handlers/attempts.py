"""Hand-written operations of the Attempts, Marking, Proctoring groups."""

from __future__ import annotations
