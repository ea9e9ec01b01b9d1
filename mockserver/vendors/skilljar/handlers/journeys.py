"""Skilljar journeys operations (see the package docstring)."""
