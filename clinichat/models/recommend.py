"""Which model to offer a clinician who has none worth using yet.

The starter model only shows how the app works; the next step must be one model that fits
this computer, not a catalog to study. The choice is data: a preference list, best first,
and the first entry that this engine can run, that this computer's memory can hold and that
the models folder has room for is the one offered. A later engine extends the list (newer
models first); nothing else changes. When none fits, the reasons say why, so the clinician
or IT knows what to change. A preferred model that is already installed ends the search:
everything after it in the list is a lesser model.
"""

from __future__ import annotations

import enum
import shutil
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from clinichat.models.catalog import CatalogEntry, find_by_filename

__all__ = [
    "DISK_MARGIN",
    "PREFERRED",
    "Misfit",
    "Reason",
    "Recommendation",
    "free_disk_bytes",
    "recommend",
]

GB: Final = 1024**3

# Best first. Llama 3.1 8B (8 GB of memory) is the strongest model the gpt4all 2.8.2 engine
# runs; Phi-3 Mini (4 GB) and Qwen2 1.5B (3 GB) are for computers with less memory.
PREFERRED: Final[tuple[str, ...]] = (
    "Meta-Llama-3.1-8B-Instruct-128k-Q4_0.gguf",
    "Phi-3-mini-4k-instruct.Q4_0.gguf",
    "qwen2-1_5b-instruct-q4_0.gguf",
)

# Room left after the download: a full disk breaks the history database and the OS.
DISK_MARGIN: Final = 2 * GB


class Reason(enum.Enum):
    """Why a preferred model does not fit."""

    ENGINE = "engine"  # this engine cannot run it (or the catalog gives no address)
    RAM_UNKNOWN = "ram unknown"  # the OS does not say how much memory there is
    RAM = "ram"  # it needs more memory than this computer has
    DISK = "disk"  # the models folder lacks room for its file plus DISK_MARGIN


@dataclass(frozen=True)
class Misfit:
    """One preferred model that does not fit, with the figures the UI shows (bytes)."""

    entry: CatalogEntry
    reason: Reason
    needed: int = 0
    have: int = 0


@dataclass(frozen=True)
class Recommendation:
    """The model to offer (None: nothing to offer) and, when none fits, why each does not."""

    entry: CatalogEntry | None
    misfits: tuple[Misfit, ...] = ()
    # A preferred model is installed already: nothing better to offer, nothing to explain.
    satisfied: bool = False


def _misfit(entry: CatalogEntry, ram: int | None, free_disk: int | None) -> Misfit | None:
    """Why `entry` does not fit this computer, or None when it does."""
    if entry.chat_problem is not None:
        return Misfit(entry, Reason.ENGINE)
    needed = (entry.ram_required_gb or 0) * GB
    if ram is None:
        return Misfit(entry, Reason.RAM_UNKNOWN, needed)
    if needed > ram:
        return Misfit(entry, Reason.RAM, needed, ram)
    room = (entry.filesize or 0) + DISK_MARGIN
    if free_disk is None or free_disk < room:
        return Misfit(entry, Reason.DISK, room, free_disk or 0)
    return None


def recommend(
    catalog: Iterable[CatalogEntry],
    installed: Collection[str],
    *,
    ram: int | None,
    free_disk: int | None,
    preferred: Sequence[str] = PREFERRED,
) -> Recommendation:
    """The first preferred catalog model that fits; `installed` holds installed file names.

    Fits: the engine can run it (no `chat_problem`), its RAM requirement is at most `ram`,
    and `free_disk` holds its file plus DISK_MARGIN. Preferred files missing from the
    catalog (IT may ship a trimmed one) are skipped; when the catalog has none of them, the
    recommendation is empty and has no misfits either.
    """
    entries = list(catalog)
    misfits: list[Misfit] = []
    for filename in preferred:
        entry = find_by_filename(entries, filename)
        if entry is None:
            continue
        if filename in installed:
            return Recommendation(None, satisfied=True)
        misfit = _misfit(entry, ram, free_disk)
        if misfit is None:
            return Recommendation(entry)
        misfits.append(misfit)
    return Recommendation(None, tuple(misfits))


def free_disk_bytes(folder: Path) -> int | None:
    """Free space where `folder` is (or will be: its nearest existing parent counts)."""
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            try:
                return shutil.disk_usage(candidate).free
            except OSError:
                return None
    return None
