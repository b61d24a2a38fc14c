"""Which model is recommended, for given memory and disk figures, from the bundled catalog."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from clinichat.models.catalog import CatalogEntry, find_by_filename, load_catalog
from clinichat.models.recommend import (
    DISK_MARGIN,
    Reason,
    free_disk_bytes,
    recommend,
)
from clinichat.models.starter import STARTER_FILENAME
from clinichat.resources import bundled_catalog_path

GB = 1024**3
LLAMA = "Meta-Llama-3.1-8B-Instruct-128k-Q4_0.gguf"
PHI3 = "Phi-3-mini-4k-instruct.Q4_0.gguf"
QWEN2 = "qwen2-1_5b-instruct-q4_0.gguf"
PLENTY = 500 * GB


@pytest.fixture(scope="module")
def catalog() -> list[CatalogEntry]:
    entries, problems = load_catalog(bundled_catalog_path())
    assert problems == []
    return entries


def _size(catalog: list[CatalogEntry], filename: str) -> int:
    entry = find_by_filename(catalog, filename)
    assert entry is not None and entry.filesize is not None
    return entry.filesize


@pytest.mark.parametrize(
    ("ram_gb", "expected"),
    [
        (64, LLAMA),
        (8, LLAMA),  # exactly the 8 GB it needs
        (7.7, PHI3),  # what an "8 GB" laptop often reports: Llama would not fit
        (4, PHI3),
        (3.5, QWEN2),
        (3, QWEN2),
    ],
)
def test_picks_the_first_that_fits_memory(
    catalog: list[CatalogEntry], ram_gb: float, expected: str
) -> None:
    chosen = recommend(catalog, {STARTER_FILENAME}, ram=int(ram_gb * GB), free_disk=PLENTY)
    assert chosen.entry is not None and chosen.entry.filename == expected
    assert chosen.misfits == ()


def test_disk_space_counts_with_a_margin(catalog: list[CatalogEntry]) -> None:
    llama = _size(catalog, LLAMA)
    just_enough = llama + DISK_MARGIN
    chosen = recommend(catalog, set(), ram=64 * GB, free_disk=just_enough)
    assert chosen.entry is not None and chosen.entry.filename == LLAMA
    chosen = recommend(catalog, set(), ram=64 * GB, free_disk=just_enough - 1)
    assert chosen.entry is not None and chosen.entry.filename == PHI3, (
        "the file alone is not enough"
    )
    chosen = recommend(catalog, set(), ram=64 * GB, free_disk=_size(catalog, QWEN2) + DISK_MARGIN)
    assert chosen.entry is not None and chosen.entry.filename == QWEN2


def test_nothing_fits_says_why_for_each(catalog: list[CatalogEntry]) -> None:
    chosen = recommend(catalog, {STARTER_FILENAME}, ram=2 * GB, free_disk=PLENTY)
    assert chosen.entry is None and not chosen.satisfied
    assert [(m.entry.filename, m.reason) for m in chosen.misfits] == [
        (LLAMA, Reason.RAM),
        (PHI3, Reason.RAM),
        (QWEN2, Reason.RAM),
    ]
    assert chosen.misfits[0].needed == 8 * GB and chosen.misfits[0].have == 2 * GB
    full = recommend(catalog, set(), ram=64 * GB, free_disk=GB)
    assert full.entry is None
    assert {m.reason for m in full.misfits} == {Reason.DISK}
    assert full.misfits[2].needed == _size(catalog, QWEN2) + DISK_MARGIN
    assert full.misfits[2].have == GB


def test_unknown_memory_recommends_nothing_and_says_so(catalog: list[CatalogEntry]) -> None:
    chosen = recommend(catalog, set(), ram=None, free_disk=PLENTY)
    assert chosen.entry is None
    assert {m.reason for m in chosen.misfits} == {Reason.RAM_UNKNOWN}


def test_a_model_this_engine_cannot_run_is_never_recommended(
    catalog: list[CatalogEntry],
) -> None:
    newer = [replace(e, requires="9.0") if e.filename == LLAMA else e for e in catalog]
    chosen = recommend(newer, set(), ram=64 * GB, free_disk=PLENTY)
    assert chosen.entry is not None and chosen.entry.filename == PHI3
    nothing = recommend(newer, set(), ram=2 * GB, free_disk=PLENTY)
    assert nothing.misfits[0].reason is Reason.ENGINE


def test_an_installed_model_is_not_recommended_again(catalog: list[CatalogEntry]) -> None:
    chosen = recommend(catalog, {STARTER_FILENAME, LLAMA}, ram=64 * GB, free_disk=PLENTY)
    assert chosen.entry is None and chosen.satisfied and chosen.misfits == ()
    # A lesser model installed: the better one that fits is still worth offering.
    chosen = recommend(catalog, {QWEN2}, ram=64 * GB, free_disk=PLENTY)
    assert chosen.entry is not None and chosen.entry.filename == LLAMA
    # ...but nothing below what is installed.
    chosen = recommend(catalog, {PHI3}, ram=6 * GB, free_disk=PLENTY)
    assert chosen.entry is None and chosen.satisfied


def test_a_catalog_without_the_preferred_models_offers_nothing(
    catalog: list[CatalogEntry],
) -> None:
    trimmed = [e for e in catalog if e.filename not in (LLAMA, PHI3, QWEN2)]
    chosen = recommend(trimmed, set(), ram=64 * GB, free_disk=PLENTY)
    assert chosen.entry is None and chosen.misfits == () and not chosen.satisfied


def test_the_preference_list_is_data(catalog: list[CatalogEntry]) -> None:
    """A later engine puts its models first; the rule stays the same."""
    chosen = recommend(
        catalog, set(), ram=64 * GB, free_disk=PLENTY, preferred=("absent.gguf", QWEN2, LLAMA)
    )
    assert chosen.entry is not None and chosen.entry.filename == QWEN2


def test_free_disk_of_a_folder_not_made_yet(tmp_path: Path) -> None:
    free = free_disk_bytes(tmp_path / "models" / "deeper")
    assert free is not None and free > 0
    assert abs(free - shutil.disk_usage(tmp_path).free) < 64 * 1024**2
