"""Skilljar business rules (no HTTP here)."""
