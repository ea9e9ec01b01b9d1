"""Skilljar live operations (see the package docstring)."""
