"""OPTIONS, as Django REST Framework answers it: 200 with the view's metadata.

DRF's default metadata class (``rest_framework.metadata.SimpleMetadata.determine_metadata``)
answers ``name`` (the view's name), ``description`` (its docstring), ``renders`` and ``parses``
(the renderer and parser media types); the ``Allow`` header lists the view's methods. The view
names are inferred from the path the way DRF names generic views (``Course List`` for a
collection, ``Course Instance`` for one object); the descriptions of Skilljar's views are not
published, so ``description`` is empty.
"""

from __future__ import annotations

# DRF's default renderers and parsers (api-settings DEFAULT_RENDERER_CLASSES / DEFAULT_PARSER_CLASSES).
RENDERS = ["application/json", "text/html"]
PARSES = ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"]


def options(template: str, allow: str) -> dict:
    segments = [s for s in template.strip("/").split("/") if s]
    literal = [s for s in segments if not s.startswith("{")]
    noun = (literal[-1] if literal else "api").replace("-", " ").replace("_", " ")
    if noun.endswith("ies"):
        noun = noun[:-3] + "y"
    elif noun.endswith("s") and not noun.endswith("ss"):
        noun = noun[:-1]
    kind = "Instance" if segments and segments[-1].startswith("{") else "List"
    return {"name": f"{noun.title()} {kind}", "description": "", "renders": RENDERS, "parses": PARSES}
