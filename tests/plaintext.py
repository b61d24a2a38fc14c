"""Find a sentinel word in files on disk, as an attacker with the disk would: in UTF-8 and
UTF-16 either way round, in any letter case."""

from __future__ import annotations

from pathlib import Path


def files_holding(root: Path, word: str, skip: tuple[Path, ...] = ()) -> list[Path]:
    """The files under `root` (but not under `skip`) where `word` can be read in the clear."""
    needles = {
        form.encode(encoding)
        for form in (word, word.lower(), word.upper())
        for encoding in ("utf-8", "utf-16-le", "utf-16-be")
    }
    return [
        path
        for path in root.rglob("*")
        if path.is_file()
        and not any(path.is_relative_to(s) for s in skip)
        and any(needle in path.read_bytes() for needle in needles)
    ]
