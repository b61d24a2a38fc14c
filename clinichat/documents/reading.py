"""Reading one document file: its text, page by page, cut into passages, and what identifies it.

Slow (a large PDF) and free of any database, so it runs on any thread; the library stores
what it returns on the main thread, in one transaction.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from clinichat.documents.chunking import Chunk, passages
from clinichat.documents.extract import SUFFIXES, DocumentError, Page, extract, unreadable


@dataclass(frozen=True)
class Read:
    """One file read and cut into passages, not stored yet; `digest` None: not readable."""

    path: Path
    size: int = 0
    mtime: float = 0.0
    digest: str | None = None
    page_count: int | None = None
    passages: tuple[Chunk, ...] = ()
    pages: tuple[Page, ...] = ()
    problem: DocumentError | None = None


def read(path: Path) -> Read:
    """Read `path` (slow: safe on any thread, touches no database)."""
    path = path.resolve()
    try:
        stat = path.stat()
        digest = _sha256(path)
    except OSError as error:
        return Read(path, problem=unreadable(path, error))
    try:
        extracted = extract(path)
    except DocumentError as error:
        return Read(path, stat.st_size, stat.st_mtime, digest, problem=error)
    numbers = [p.number for p in extracted if p.number is not None]
    return Read(
        path,
        stat.st_size,
        stat.st_mtime,
        digest,
        max(numbers) if numbers else None,
        tuple(passages(extracted)),
        tuple(extracted),
    )


def files_in(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given, and the readable files under folders (sorted, hidden ones skipped)."""
    for path in paths:
        if path.is_dir():
            for _folder, files in folders_in(path):
                yield from files
        else:
            yield path


def folders_in(folder: Path) -> Iterator[tuple[Path, list[Path]]]:
    """`folder` and each folder under it (sorted, hidden ones skipped), with the readable
    files each holds."""
    for root, folders, names in os.walk(folder):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        readable = [
            Path(root) / name
            for name in sorted(names)
            if not name.startswith(".") and Path(name).suffix.lower() in SUFFIXES
        ]
        yield Path(root), readable


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
