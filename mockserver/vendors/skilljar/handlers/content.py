"""Skilljar content operations (see the package docstring)."""
