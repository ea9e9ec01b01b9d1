"""Hand-written operations of the Quizzes groups."""

from __future__ import annotations
