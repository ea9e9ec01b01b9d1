"""Where the specs and named fixtures are: inside an installed wheel, or at the repository top."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """``openapi`` or ``fixtures``: the wheel carries them under mockserver/_data/."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"cannot find the {name}/ folder next to the mockserver package")
