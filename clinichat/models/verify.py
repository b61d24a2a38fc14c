"""Whether an installed model file is the one its catalog entry describes.

A download is checked against the catalog's md5 (or sha256) while it streams. Some files are
then changed on purpose: the starter model's pre-tokenizer name is rewritten to an alias the
bundled backend knows, which changes its checksum. So each check leaves a small record next
to the model (`<file>.verified`, JSON) with the checksum the *installed* file had at that
moment; a later verification accepts the catalog's checksum, the recorded one, or the
catalog's checksum of the file read with the alias undone (an imported starter has no record). The
record also stores size and modification time, so the list can show "changed since verified"
without reading gigabytes. A file found damaged gets a record too (`"reason": "mismatch"`), so
the Models dialog, reopened, still says so until the file is replaced or verified again.

A download whose catalog entry gives no checksum proves nothing about the file: it gets a
record that says so (`"verified": false`), and is shown as "not verified (the catalog gives
no checksum)" everywhere, never as verified. Records written before that field existed are
trusted only where something could have been checked (a catalog checksum, or no catalog entry
at all, which is how the starter model, checked against its pinned hash, was recorded).
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Final

from clinichat.atomic import write_atomically
from clinichat.models.catalog import CatalogEntry
from clinichat.models.gguf import GGUFError
from clinichat.models.gguf_alias import patched, unaliased_patch

__all__ = [
    "Check",
    "Verdict",
    "describe",
    "has_checksum",
    "hash_file",
    "record_mismatch",
    "record_path",
    "record_unchecked",
    "record_verified",
    "status",
    "verify",
]

RECORD_SUFFIX: Final = ".verified"
_CHUNK: Final = 4 * 1024 * 1024

Progress = Callable[[int, int], None]


class Verdict(enum.Enum):
    VERIFIED = "verified"  # matches the catalog, or a recorded verified state
    CHANGED = "changed"  # the file differs from when it was verified
    MISMATCH = "mismatch"  # hashed now: matches neither
    UNVERIFIED = "unverified"  # never checked (an imported file, an old install)
    NO_CHECKSUM = "no-checksum"  # nothing to check against (not in the catalog, or no sum)


@dataclass(frozen=True)
class Check:
    verdict: Verdict
    algorithm: str | None = None
    digest: str | None = None
    when: str | None = None


def record_path(model_path: Path) -> Path:
    return model_path.with_name(model_path.name + RECORD_SUFFIX)


def _expected(entry: CatalogEntry | None) -> tuple[str, str] | None:
    if entry is None:
        return None
    if entry.sha256sum:
        return "sha256", entry.sha256sum
    if entry.md5sum:
        return "md5", entry.md5sum
    return None


def has_checksum(entry: CatalogEntry | None) -> bool:
    """Whether the catalog gives something to check this model's file against."""
    return _expected(entry) is not None


def describe(check: Check, entry: CatalogEntry | None) -> str:
    """A plain English phrase for scripts and logs (the window has its own, translated)."""
    verdict = check.verdict
    if verdict is Verdict.VERIFIED:
        return "verified"
    if verdict is Verdict.CHANGED:
        return "changed since it was verified"
    if verdict is Verdict.MISMATCH:
        return "checksum does not match the catalog"
    if verdict is Verdict.UNVERIFIED:
        return "not verified yet"
    if entry is not None:
        return "not verified (the catalog gives no checksum)"
    return "not verified (no published checksum)"


def hash_file(
    path: Path,
    algorithm: str,
    on_progress: Progress | None = None,
    *,
    patch: tuple[int, bytes, bytes] | None = None,
) -> str:
    """Hash a file in large chunks (hashlib releases the GIL, so the UI stays responsive).

    `patch` (offset, bytes there, bytes to hash instead) hashes the file as it was before
    ClinicChat rewrote a few bytes of it (the tokenizer alias), without writing anything.
    """
    digest = hashlib.new(algorithm)
    total = path.stat().st_size
    done = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            if patch is not None:
                chunk = patched(chunk, done, *patch)
            digest.update(chunk)
            done += len(chunk)
            if on_progress is not None:
                on_progress(done, total)
    return digest.hexdigest()


def record_verified(model_path: Path, algorithm: str, installed_digest: str) -> None:
    """Remember that this file, as it is now, was verified."""
    _write_record(model_path, verified=True, algorithm=algorithm, digest=installed_digest)


def record_mismatch(model_path: Path, algorithm: str, digest: str) -> None:
    """Remember that this file, as it is now, failed its check (never a verified state)."""
    _write_record(model_path, verified=False, reason="mismatch", algorithm=algorithm, digest=digest)


def _write_record(model_path: Path, **fields: object) -> None:
    """A check's outcome with the file's size and modification time at that moment."""
    stat = model_path.stat()
    record = {
        **fields,
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    write_atomically(record_path(model_path), json.dumps(record).encode("utf-8"))


def record_unchecked(model_path: Path) -> None:
    """Remember that this file was installed without anything to check it against.

    Replaces any earlier record, so an old "verified" one cannot outlive the file it was for.
    """
    record = {
        "verified": False,
        "reason": "no-checksum",
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    write_atomically(record_path(model_path), json.dumps(record).encode("utf-8"))


def _trusted(record: dict[str, object] | None, entry: CatalogEntry | None) -> bool:
    """Whether a record says the file was checked against something (see the module doc)."""
    if record is None:
        return False
    flag = record.get("verified")
    if flag is None:  # an older record: written unchecked for catalog entries without a sum
        return entry is None or has_checksum(entry)
    return flag is True


def _record(model_path: Path) -> dict[str, object] | None:
    try:
        data = json.loads(record_path(model_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _unchanged(model_path: Path, record: dict[str, object]) -> bool:
    """Whether the file still has the size and modification time the record saw."""
    try:
        stat = model_path.stat()
    except OSError:
        return False
    return record.get("size") == stat.st_size and record.get("mtime_ns") == stat.st_mtime_ns


def status(model_path: Path, entry: CatalogEntry | None) -> Check:
    """The cheap answer for a list: from the record, without reading the file."""
    expected = _expected(entry)
    record = _record(model_path)
    if record is not None and record.get("reason") == "mismatch":
        if _unchanged(model_path, record):
            return Check(
                Verdict.MISMATCH,
                str(record.get("algorithm")),
                str(record.get("digest")),
                str(record.get("when")),
            )
        return Check(Verdict.UNVERIFIED)  # replaced since: nothing known about the new file
    if not _trusted(record, entry):
        return Check(Verdict.UNVERIFIED if expected else Verdict.NO_CHECKSUM)
    assert record is not None
    if not _unchanged(model_path, record):
        return Check(Verdict.CHANGED)
    return Check(
        Verdict.VERIFIED,
        str(record.get("algorithm")),
        str(record.get("digest")),
        str(record.get("when")),
    )


def verify(
    model_path: Path, entry: CatalogEntry | None, on_progress: Progress | None = None
) -> Check:
    """Hash the file now and compare it with the catalog and with the record."""
    expected = _expected(entry)
    record = _record(model_path)
    if not _trusted(record, entry):
        record = None
    algorithm = expected[0] if expected else str((record or {}).get("algorithm") or "sha256")
    if algorithm not in ("md5", "sha256"):
        algorithm = "sha256"
    digest = hash_file(model_path, algorithm, on_progress)
    accepted = {expected[1]} if expected else set()
    if record is not None and record.get("algorithm") == algorithm:
        accepted.add(str(record.get("digest")))
    if digest in accepted or (expected and _published_digest(model_path, algorithm) == expected[1]):
        record_verified(model_path, algorithm, digest)
        return status(model_path, entry)
    if not accepted:
        return Check(Verdict.NO_CHECKSUM, algorithm, digest)
    record_mismatch(model_path, algorithm, digest)
    return status(model_path, entry)


def _published_digest(model_path: Path, algorithm: str) -> str | None:
    """The checksum of the file as published, if ClinicChat's tokenizer alias is in it.

    An imported or downloaded starter carries `refact` where the published file says
    `smollm`; that working file is not damaged, and must never be reported as such.
    """
    try:
        patch = unaliased_patch(model_path)
    except GGUFError:
        return None
    return hash_file(model_path, algorithm, patch=patch) if patch is not None else None


def remove_record(model_path: Path) -> None:
    record_path(model_path).unlink(missing_ok=True)
