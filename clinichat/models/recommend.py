"""Which model to offer a clinician who has none worth using yet.

The starter model only shows how the app works; the next step must be one model that fits
this computer, not a catalog to study. The choice is data: a preference list, best first,
and the first entry that this engine can run, that this computer's memory can hold and that
the models folder has room for is the one offered. A later engine extends the list (newer
models first); nothing else changes. When none fits, the reasons say why, so the clinician
or IT knows what to change. A preferred model that is already installed ends the search:
everything after it in the list is a lesser model.

Each entry names the engine meant to run it (GPT4All's own entries name none and count as
gpt4all's); a model for an engine this installation lacks is passed over without a word, as
if the catalog did not list it, so a build without llama.cpp offers what it has.
"""

from __future__ import annotations

import enum
import shutil
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from clinichat.models.catalog import ENGINES, GPT4ALL_ENGINE, CatalogEntry, find_by_filename

__all__ = [
    "DISK_MARGIN",
    "PREFERRED",
    "RAM_HEADROOM",
    "Misfit",
    "Reason",
    "Recommendation",
    "free_disk_bytes",
    "ram_required_gb",
    "recommend",
]

GB: Final = 1024**3

# Best first, for clinical work. The llama.cpp engine's current models come first:
# - MedGemma 1.5 4B, trained on medical text, for any computer with 5 GB of memory or more;
# - then general models, for a catalog IT trimmed of MedGemma (its licence has conditions) or
#   a disk too full for it: Gemma 4 E4B and Qwen3 8B (8 GB: more than an "8 GB" computer
#   reports), Gemma 4 E2B (6 GB), the 4-billion models (5 GB; Llama 3.2 3B has the smallest
#   file of them), and Qwen3 1.7B (4 GB) for weak computers.
# Then the gpt4all 2.8.2 engine's: Llama 3.1 8B (8 GB), its strongest; Phi-3 Mini (4 GB) and
# Qwen2 1.5B (3 GB) for computers with less memory.
#
# The catalog's memory figures ("ramrequired", whole GB) of the llama.cpp models follow one
# rule: the file's size in GB (1024**3 bytes), plus 1 GB for the context (ClinicChat's default
# 2,048 tokens up to about 8,000, with the engine's work buffers), plus 1.5 GB for the
# operating system and ClinicChat itself, rounded up (`ram_required_gb`). GPT4All's own
# entries keep GPT4All's figures, each within 1 GB of what the rule gives.
PREFERRED: Final[tuple[str, ...]] = (
    "medgemma-1.5-4b-it-Q4_K_M.gguf",
    "gemma-4-E4B_q4_0-it.gguf",
    "Qwen3-8B-Q4_K_M.gguf",
    "gemma-4-E2B_q4_0-it.gguf",
    "Qwen3-4B-Q4_K_M.gguf",
    "gemma-3-4b-it-Q4_K_M.gguf",
    "microsoft_Phi-4-mini-instruct-Q4_K_M.gguf",
    "Llama-3.2-3B-Instruct-Q4_K_M.gguf",
    "Qwen3-1.7B-Q4_K_M.gguf",
    "Meta-Llama-3.1-8B-Instruct-128k-Q4_0.gguf",
    "Phi-3-mini-4k-instruct.Q4_0.gguf",
    "qwen2-1_5b-instruct-q4_0.gguf",
)

# Room left after the download: a full disk breaks the history database and the OS.
DISK_MARGIN: Final = 2 * GB
# What the rule above adds to a llama.cpp model's file size: context and headroom (2.5 GB).
RAM_HEADROOM: Final = 5 * GB // 2


class Reason(enum.Enum):
    """Why a preferred model does not fit."""

    ENGINE = "engine"  # its engine cannot run it (or the catalog gives no address)
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
    engines: Collection[str] = ENGINES,
) -> Recommendation:
    """The first preferred catalog model that fits; `installed` holds installed file names.

    Fits: its engine can run it (no `chat_problem`), its RAM requirement is at most `ram`,
    and `free_disk` holds its file plus DISK_MARGIN. Preferred files missing from the
    catalog (IT may ship a trimmed one), or meant for an engine not in `engines` (those this
    installation has), are skipped; when none is left, the recommendation is empty and has
    no misfits either.
    """
    entries = list(catalog)
    misfits: list[Misfit] = []
    for filename in preferred:
        entry = find_by_filename(entries, filename)
        if entry is None or (entry.engine or GPT4ALL_ENGINE) not in engines:
            continue
        if filename in installed:
            return Recommendation(None, satisfied=True)
        misfit = _misfit(entry, ram, free_disk)
        if misfit is None:
            return Recommendation(entry)
        misfits.append(misfit)
    return Recommendation(None, tuple(misfits))


def ram_required_gb(filesize: int) -> int:
    """The memory (whole GB) a llama.cpp model file of `filesize` bytes needs, by the rule
    above PREFERRED: the catalog's figures for those models are this."""
    return -(-(filesize + RAM_HEADROOM) // GB)  # rounded up


def free_disk_bytes(folder: Path) -> int | None:
    """Free space where `folder` is (or will be: its nearest existing parent counts)."""
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            try:
                return shutil.disk_usage(candidate).free
            except OSError:
                return None
    return None
