"""Speech models: installed only when every file matches the catalog, downloaded from a real
HTTP server on 127.0.0.1 (standing in for the publisher) with resume, refused when altered."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from httpserver import FileServer
from PySide6.QtNetwork import QNetworkAccessManager
from pytestqt.qtbot import QtBot
from whisper_model import base_entry

from clinichat.models.download_spec import DownloadState
from clinichat.speech.catalog import SpeechModel
from clinichat.speech.download import SpeechDownload
from clinichat.speech.installed import SpeechModels
from clinichat.speech.transcriber import SpeechModelError


@pytest.fixture
def models(tmp_path: Path) -> SpeechModels:
    return SpeechModels.beside(tmp_path / "models")


@pytest.fixture
def publisher(tmp_path: Path, whisper_dir: Path) -> Iterator[tuple[FileServer, SpeechModel]]:
    """The base model's files at the publisher's paths, and the catalog entry pointing there."""
    model = base_entry()
    root = tmp_path / "served"
    folder = root / model.repository / "resolve" / model.revision
    folder.mkdir(parents=True)
    for file in model.files:
        (folder / file.name).symlink_to(whisper_dir / file.name)
    with FileServer(root) as server:
        yield server, dataclasses.replace(model, host=f"http://127.0.0.1:{server.port}")


def test_installing_from_a_folder_checks_every_file(
    models: SpeechModels, whisper_dir: Path, tmp_path: Path
) -> None:
    model = base_entry()
    altered = tmp_path / "altered"
    shutil.copytree(whisper_dir, altered)
    config = altered / "config.json"
    config.write_bytes(config.read_bytes().replace(b"1", b"2", 1))
    with pytest.raises(SpeechModelError, match=r"config\.json of the speech model 'base'"):
        models.install_files(model, altered)
    assert not models.is_installed(model) and list(models.root.iterdir()) == []
    folder = models.install_files(model, whisper_dir)
    assert models.installed() == [model] and models.verify(model) == []
    assert models.resolve("base") == folder == models.resolve("", default=None)
    with open(folder / "model.bin", "r+b") as handle:  # one byte changed on disk
        handle.seek(50_000_000)
        byte = handle.read(1)
        handle.seek(50_000_000)
        handle.write(bytes([byte[0] ^ 1]))
    assert models.verify(model) == ["model.bin"]


def test_names_and_folders_are_resolved_with_clear_errors(
    models: SpeechModels, whisper_dir: Path, tmp_path: Path
) -> None:
    with pytest.raises(SpeechModelError, match="No speech model is installed"):
        models.resolve("")
    with pytest.raises(SpeechModelError, match="'small' is not installed"):
        models.resolve("small")
    with pytest.raises(SpeechModelError, match=r"no speech model called 'huge'.*tiny, base"):
        models.resolve("huge")
    assert models.resolve(str(whisper_dir)) == whisper_dir
    # Without tokenizer.json faster-whisper would fetch one from the internet: refused.
    partial = tmp_path / "no-tokenizer"
    partial.mkdir()
    for name in ("model.bin", "config.json", "vocabulary.txt"):
        (partial / name).symlink_to(whisper_dir / name)
    with pytest.raises(SpeechModelError, match="not a complete Whisper model"):
        models.resolve(str(partial))


def _run(qtbot: QtBot, job: SpeechDownload) -> object:
    outcome: list[object] = []
    job.finished.connect(outcome.append)
    job.failed.connect(outcome.append)
    job.start()
    qtbot.waitUntil(lambda: bool(outcome), timeout=120_000)
    return outcome[0]


@pytest.mark.slow
def test_a_download_resumes_and_installs_only_when_complete(
    qtbot: QtBot, qapp: object, models: SpeechModels, publisher: tuple[FileServer, SpeechModel]
) -> None:
    server, model = publisher
    network = QNetworkAccessManager()
    first = SpeechDownload(model, models, network)
    seen: list[int] = []

    def stop_half_way(done: int, total: int) -> None:
        seen.append(done)
        if done > total // 3 and first.state is DownloadState.RUNNING:
            first.cancel(keep_partial=True)

    first.progress.connect(stop_half_way)
    first.start()
    qtbot.waitUntil(lambda: first.state is DownloadState.CANCELLED, timeout=60_000)
    assert not models.is_installed(model) and not models.folder(model).exists()
    bin_path = f"{model.repository}/resolve/{model.revision}/model.bin"
    sent_before = server.bytes_sent(bin_path)
    assert 0 < sent_before < 145_217_532

    second = SpeechDownload(model, models, network)
    result = _run(qtbot, second)
    assert result == models.folder(model)
    assert models.is_installed(model) and models.verify(model) == []
    assert not second.staging.exists()
    # Resumed where the kept part ends, and only the rest sent again. (What the first
    # request sent beyond that part was still in the sockets' buffers when it was cancelled.)
    ranged = [r for r in server.requests_for(bin_path) if r.range]
    assert ranged, "the second download asked for the rest only"
    resumed = ranged[-1]
    start = int(resumed.range.removeprefix("bytes=").removesuffix("-"))
    assert 0 < start <= sent_before and resumed.status == 206
    assert resumed.sent == 145_217_532 - start
    assert seen == sorted(seen)


def test_an_altered_file_at_the_publisher_installs_nothing(
    qtbot: QtBot, qapp: object, models: SpeechModels, publisher: tuple[FileServer, SpeechModel]
) -> None:
    server, model = publisher
    served = server.root / model.repository / "resolve" / model.revision / "config.json"
    text = served.read_bytes()
    served.unlink()
    served.write_bytes(text.replace(b"1", b"2", 1))
    small = dataclasses.replace(model, files=tuple(f for f in model.files if f.name != "model.bin"))
    error = _run(qtbot, SpeechDownload(small, models, QNetworkAccessManager()))
    assert "'config.json' is damaged or is not the published model" in str(error)
    assert not models.is_installed(small) and not models.folder(small).exists()
