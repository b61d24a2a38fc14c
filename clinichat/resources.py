"""Where the app's bundled files (catalog, icons, translations) live.

From a source checkout they sit in the top-level resources/ folder; in a PyInstaller build
they are unpacked under sys._MEIPASS. Every lookup goes through here so the two cases can
never drift apart.
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["bundled_catalog_path", "resource_path", "resources_dir"]


def resources_dir() -> Path:
    """The resources/ folder for this run (source checkout or frozen build)."""
    frozen_base = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and isinstance(frozen_base, str):
        return Path(frozen_base) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """A path inside resources/; it may not exist (callers decide how to react)."""
    return resources_dir().joinpath(*parts)


def bundled_catalog_path() -> Path:
    """The catalog shipped with the app, used when no other catalog is configured."""
    return resource_path("catalog.json")
