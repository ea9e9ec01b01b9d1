"""Skilljar commerce operations (see the package docstring)."""
