"""`clinichat speech download NAME --mirror URL` as a user runs it, against a real server on
127.0.0.1 that holds Whisper base's files the way Hugging Face lays them out."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli import clinichat
from httpserver import FileServer
from whisper_model import base_entry, lay_out_as_published

from clinichat.paths import AppPaths
from clinichat.speech.catalog import SpeechModel
from clinichat.speech.installed import SpeechModels

pytestmark = pytest.mark.slow


def _served_path(model: SpeechModel, name: str) -> str:
    return f"{model.repository}/resolve/{model.revision}/{name}"


@pytest.fixture
def mirror(tmp_path: Path, whisper_dir: Path) -> Iterator[FileServer]:
    """A clinic's mirror of the catalog's 'base' files."""
    lay_out_as_published(tmp_path / "served", whisper_dir)
    with FileServer(tmp_path / "served") as server:
        yield server


def _installed(base: Path) -> dict[str, bool]:
    listing = clinichat("--basedir", base, "speech", "list", "--json")
    assert listing.returncode == 0, listing.stderr
    return {row["name"]: row["installed"] for row in json.loads(listing.stdout)}


def test_a_model_comes_from_the_clinics_mirror_verified(tmp_path: Path, mirror: FileServer) -> None:
    base = tmp_path / "base"
    address = f"http://127.0.0.1:{mirror.port}/"
    run = clinichat("--basedir", base, "speech", "download", "base", "--mirror", address)
    assert run.returncode == 0, run.stderr
    folder = SpeechModels.beside(AppPaths.under(base).models).folder(base_entry())
    assert Path(run.stdout.strip()) == folder
    assert "Downloading Whisper base (147 MB)" in run.stderr and "(100%)" in run.stderr
    assert _installed(base)["base"]
    verified = clinichat("--basedir", base, "speech", "verify", "base")
    assert verified.stdout == "base\tok\n", verified.stderr
    served = {file.name for file in base_entry().files}
    assert {r.path.rsplit("/", 1)[-1] for r in mirror.requests} == served
    again = clinichat("--basedir", base, "speech", "download", "base", "--mirror", address)
    assert again.returncode == 0 and "already installed" in again.stderr


def test_a_tampered_file_on_the_mirror_installs_nothing(tmp_path: Path, mirror: FileServer) -> None:
    model = base_entry()
    config = mirror.root / _served_path(model, "config.json")
    data = bytearray(config.read_bytes())
    data[10] ^= 0x01  # the same size: only the checksum can tell
    config.write_bytes(bytes(data))
    base = tmp_path / "base"
    address = f"http://127.0.0.1:{mirror.port}"
    run = clinichat("--basedir", base, "speech", "download", "base", "--mirror", address)
    assert run.returncode == 1
    assert "config.json" in run.stderr and "checksum" in run.stderr.lower()
    assert not _installed(base)["base"]
    assert not SpeechModels.beside(AppPaths.under(base).models).folder(model).exists()


def test_a_mirror_over_plain_http_elsewhere_is_refused_before_connecting(tmp_path: Path) -> None:
    base = tmp_path / "base"
    run = clinichat(
        "--basedir", base, "speech", "download", "base", "--mirror", "http://mirror.example"
    )  # fmt: skip
    assert run.returncode == 1
    assert "secure connection" in run.stderr and "http://mirror.example/" in run.stderr
    assert not _installed(base)["base"]


def test_ctrl_c_keeps_what_came_and_the_next_run_resumes(
    tmp_path: Path, mirror: FileServer
) -> None:
    model = base_entry()
    weights = _served_path(model, "model.bin")
    mirror.stall_after(8 << 20, 60.0, path=weights)  # 8 MB of the weights, then a dead line
    base = tmp_path / "base"
    address = f"http://127.0.0.1:{mirror.port}"
    command = ["--basedir", str(base), "speech", "download", "base", "--mirror", address]
    running = subprocess.Popen(
        [sys.executable, "-m", "clinichat", *command],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert running.stderr is not None
    for line in running.stderr:  # progress lines until some of the weights are in
        if (done := re.search(r"(\d+) MB of", line)) and int(done[1]) >= 4:
            break
    running.send_signal(signal.SIGINT)
    _, rest = running.communicate(timeout=60)
    assert running.returncode == 130, rest
    assert "run the same command to resume" in rest
    assert not _installed(base)["base"]
    done = clinichat("--basedir", base, "speech", "download", "base", "--mirror", address)
    assert done.returncode == 0, done.stderr
    resumed = mirror.requests_for(weights)[-1]
    assert (resumed.range or "").startswith("bytes=") and resumed.range != "bytes=0-"
    size = next(file.size for file in model.files if file.name == "model.bin")
    assert mirror.bytes_sent(weights) < size + (8 << 20), "the first 8 MB were not sent again"
    assert clinichat("--basedir", base, "speech", "verify", "base").stdout == "base\tok\n"
