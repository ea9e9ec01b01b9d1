"""Hand-written operations of the Courses, Revision, Mobile groups."""

from __future__ import annotations
