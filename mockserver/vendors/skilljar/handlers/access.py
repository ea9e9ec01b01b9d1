"""Skilljar access operations (see the package docstring)."""
