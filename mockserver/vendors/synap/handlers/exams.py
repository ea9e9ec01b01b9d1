"""Hand-written operations of the Exams, Assignments, Insights, Auditing groups."""

from __future__ import annotations
