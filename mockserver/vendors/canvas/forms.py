"""How Canvas reads request values, once for every handler.

Bracketed form keys (``token[purpose]``, ``token[scopes][]``, ``_json[][id]``) are already nested
into the JSON shape, and form strings cast to the schema's types, by the core form parser
(mockserver/validation.py); what is left is Canvas's own reading: dates as Rails' ``Time.zone.parse``
takes them, booleans as ``value_to_boolean`` takes them (query strings and JSON alike), and the
``_json`` wrapper Rails gives a JSON array body.
"""

from __future__ import annotations

from datetime import datetime

from mockserver.clock import isoformat, parse


def date(value) -> datetime | None:
    """An ISO 8601 date-time (``2014-01-01T01:00Z``, as Canvas's docs write them, too; no zone
    means UTC); None when absent or blank. Raises ValueError for text that is not a date."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse(str(value))


def timestamp(value) -> str | None:
    parsed = date(value)
    return isoformat(parsed) if parsed else None


def boolean(value) -> bool | None:
    """Canvas's value_to_boolean: yes/true/on/1 and no/false/off/0; anything else is None."""
    if isinstance(value, bool) or value is None:
        return value
    text = str(value).strip().lower()
    if text in ("yes", "true", "on", "1", "t"):
        return True
    if text in ("no", "false", "off", "0", "f", ""):
        return False
    return None


def json_array(body):
    """A JSON array body as Rails hands it to a controller (``params[:_json]``); a form body
    sends the same thing as ``_json[][id]=...``."""
    if isinstance(body, list):
        return body
    if isinstance(body, dict):
        return body.get("_json")
    return None


def read_timestamps(given: dict, keys: tuple[str, ...], fields: dict, errors: dict) -> None:
    """Each of ``keys`` that ``given`` has, as a UTC timestamp into ``fields``; one that does not
    read as a date is an ActiveRecord-style error under its key (Canvas's 400 errors object)."""
    for key in keys:
        if key in given:
            try:
                fields[key] = timestamp(given[key])
            except ValueError:
                errors.setdefault(key, []).append(("invalid", f"Invalid datetime for {key}"))


def require_name(fields: dict, errors: dict) -> None:
    """A ``name`` given blank is ActiveRecord's presence error."""
    if "name" in fields and not str(fields["name"] or "").strip():
        errors.setdefault("name", []).append(("blank", "Name can't be blank"))
