"""Speech models on this computer: one folder per model under the models folder.

A model counts as installed when its folder holds every file of its catalog entry at the
catalog's size; `verify` reads them all against their sha256, which takes seconds, so it is
done after a download and when asked, not at every start. Files are only ever placed by
`install_files` (from a finished download or a folder on disk), which checks each checksum
first, so a half-copied or altered model never counts as installed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from clinichat.messages import QT_TRANSLATE_NOOP
from clinichat.speech.catalog import SPEECH_MODELS, SpeechFile, SpeechModel, find_speech_model
from clinichat.speech.speed import SpeedLog
from clinichat.speech.transcriber import SpeechModelError, check_model_folder

#: Called with (bytes checked so far, bytes to check in all).
Progress = Callable[[int, int], None]


def sha256_of(path: Path, progress: Callable[[int], None] | None = None) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            if progress is not None:
                progress(len(chunk))
    return digest.hexdigest()


class SpeechModels:
    """The speech models folder (`<models>/speech`)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.speeds = SpeedLog(root / "speeds.json")

    @classmethod
    def beside(cls, models_dir: Path) -> SpeechModels:
        """The speech models of the app whose language models are in `models_dir`."""
        return cls(models_dir / "speech")

    def record_speed(self, folder: Path, audio_s: float, work_s: float) -> None:
        """Note how fast the model in `folder` worked here (one outside this folder is not)."""
        if folder.parent == self.root:
            self.speeds.record(folder.name, audio_s, work_s)

    def folder(self, model: SpeechModel) -> Path:
        return self.root / model.name

    def is_installed(self, model: SpeechModel) -> bool:
        folder = self.folder(model)
        return all(_has_size(folder / file.name, file.size) for file in model.files)

    def installed(self) -> list[SpeechModel]:
        return [model for model in SPEECH_MODELS if self.is_installed(model)]

    def resolve(self, name_or_folder: str, default: str | None = None) -> Path:
        """The model folder for a catalog name, an installed model, or a folder on disk."""
        choice = name_or_folder or default or ""
        model = find_speech_model(choice)
        if model is not None:
            if not self.is_installed(model):
                raise SpeechModelError(
                    QT_TRANSLATE_NOOP(
                        "Speech",
                        "The speech model '{name}' is not installed. Download it in the model"
                        " manager, or with 'clinichat speech download {name}'.",
                    ),
                    name=model.name,
                )
            return self.folder(model)
        if not name_or_folder:
            installed = self.installed()
            if not installed:
                raise SpeechModelError(
                    QT_TRANSLATE_NOOP(
                        "Speech",
                        "No speech model is installed. Download one in the model manager, or"
                        " with 'clinichat speech download base'.",
                    )
                )
            return self.folder(installed[0])
        folder = Path(name_or_folder).expanduser()
        if not folder.exists() and os.sep not in name_or_folder and "/" not in name_or_folder:
            names = ", ".join(model.name for model in SPEECH_MODELS)
            raise SpeechModelError(
                QT_TRANSLATE_NOOP(
                    "Speech", "There is no speech model called '{name}'. The catalog has: {names}."
                ),
                name=name_or_folder,
                names=names,
            )
        check_model_folder(folder)
        return folder

    def verify(self, model: SpeechModel, progress: Progress | None = None) -> list[str]:
        """The names of the model's files that are missing or differ from the catalog."""
        folder = self.folder(model)
        done = 0

        def step(count: int) -> None:
            nonlocal done
            done += count
            if progress is not None:
                progress(done, model.size)

        bad = []
        for file in model.files:
            path = folder / file.name
            if not _has_size(path, file.size) or sha256_of(path, step) != file.sha256:
                bad.append(file.name)
        return bad

    def install_files(
        self, model: SpeechModel, source: Path, progress: Progress | None = None
    ) -> Path:
        """Copy the model's files from `source` into place, checking each as it is copied."""
        staging = self.root / f".{model.name}.installing"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        done = 0
        try:
            for file in model.files:
                digest = hashlib.sha256()
                try:
                    with (
                        open(source / file.name, "rb") as src,
                        open(staging / file.name, "wb") as dst,
                    ):
                        while chunk := src.read(1 << 20):
                            digest.update(chunk)
                            dst.write(chunk)
                            done += len(chunk)
                            if progress is not None:
                                progress(done, model.size)
                except FileNotFoundError:
                    raise _damaged(model, file) from None
                if digest.hexdigest() != file.sha256 or not _has_size(
                    staging / file.name, file.size
                ):
                    raise _damaged(model, file)
            self.remove(model)
            os.replace(staging, self.folder(model))
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return self.folder(model)

    def remove(self, model: SpeechModel) -> None:
        shutil.rmtree(self.folder(model), ignore_errors=True)


def _has_size(path: Path, size: int) -> bool:
    try:
        return path.is_file() and path.stat().st_size == size
    except OSError:
        return False


def _damaged(model: SpeechModel, file: SpeechFile) -> SpeechModelError:
    return SpeechModelError(
        QT_TRANSLATE_NOOP(
            "Speech",
            "{file} of the speech model '{name}' is not the published file (its size or"
            " checksum differs), so it was not installed.",
        ),
        file=file.name,
        name=model.name,
    )
