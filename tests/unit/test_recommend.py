"""Which model is recommended, for given memory and disk figures, from the bundled catalog.

Most tests here are of an installation with only the gpt4all engine (GPT4All's models); those
with the llama.cpp engine's current models as well are at the end.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from clinichat.models.catalog import (
    GPT4ALL_ENGINE,
    LLAMACPP_ENGINE,
    CatalogEntry,
    find_by_filename,
    load_catalog,
)
from clinichat.models.recommend import (
    DISK_MARGIN,
    PREFERRED,
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
GPT4ALL_ONLY = (GPT4ALL_ENGINE,)
MEDGEMMA = "medgemma-1.5-4b-it-Q4_K_M.gguf"
GEMMA4_E4B = "gemma-4-E4B_q4_0-it.gguf"
QWEN3_8B = "Qwen3-8B-Q4_K_M.gguf"
GEMMA4_E2B = "gemma-4-E2B_q4_0-it.gguf"
QWEN3_4B = "Qwen3-4B-Q4_K_M.gguf"
LLAMA32 = "Llama-3.2-3B-Instruct-Q4_K_M.gguf"
TINY = "Qwen3-1.7B-Q4_K_M.gguf"


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
    chosen = recommend(
        catalog, {STARTER_FILENAME}, ram=int(ram_gb * GB), free_disk=PLENTY, engines=GPT4ALL_ONLY
    )
    assert chosen.entry is not None and chosen.entry.filename == expected
    assert chosen.misfits == ()


def test_disk_space_counts_with_a_margin(catalog: list[CatalogEntry]) -> None:
    llama = _size(catalog, LLAMA)
    just_enough = llama + DISK_MARGIN
    chosen = recommend(catalog, set(), ram=64 * GB, free_disk=just_enough, engines=GPT4ALL_ONLY)
    assert chosen.entry is not None and chosen.entry.filename == LLAMA
    chosen = recommend(catalog, set(), ram=64 * GB, free_disk=just_enough - 1, engines=GPT4ALL_ONLY)
    assert chosen.entry is not None and chosen.entry.filename == PHI3, (
        "the file alone is not enough"
    )
    chosen = recommend(
        catalog,
        set(),
        ram=64 * GB,
        free_disk=_size(catalog, QWEN2) + DISK_MARGIN,
        engines=GPT4ALL_ONLY,
    )
    assert chosen.entry is not None and chosen.entry.filename == QWEN2


def test_nothing_fits_says_why_for_each(catalog: list[CatalogEntry]) -> None:
    chosen = recommend(
        catalog, {STARTER_FILENAME}, ram=2 * GB, free_disk=PLENTY, engines=GPT4ALL_ONLY
    )
    assert chosen.entry is None and not chosen.satisfied
    assert [(m.entry.filename, m.reason) for m in chosen.misfits] == [
        (LLAMA, Reason.RAM),
        (PHI3, Reason.RAM),
        (QWEN2, Reason.RAM),
    ]
    assert chosen.misfits[0].needed == 8 * GB and chosen.misfits[0].have == 2 * GB
    full = recommend(catalog, set(), ram=64 * GB, free_disk=GB, engines=GPT4ALL_ONLY)
    assert full.entry is None
    assert {m.reason for m in full.misfits} == {Reason.DISK}
    assert full.misfits[2].needed == _size(catalog, QWEN2) + DISK_MARGIN
    assert full.misfits[2].have == GB


def test_unknown_memory_recommends_nothing_and_says_so(catalog: list[CatalogEntry]) -> None:
    chosen = recommend(catalog, set(), ram=None, free_disk=PLENTY, engines=GPT4ALL_ONLY)
    assert chosen.entry is None
    assert {m.reason for m in chosen.misfits} == {Reason.RAM_UNKNOWN}


def test_a_model_this_engine_cannot_run_is_never_recommended(
    catalog: list[CatalogEntry],
) -> None:
    newer = [replace(e, requires="9.0") if e.filename == LLAMA else e for e in catalog]
    chosen = recommend(newer, set(), ram=64 * GB, free_disk=PLENTY, engines=GPT4ALL_ONLY)
    assert chosen.entry is not None and chosen.entry.filename == PHI3
    nothing = recommend(newer, set(), ram=2 * GB, free_disk=PLENTY, engines=GPT4ALL_ONLY)
    assert nothing.misfits[0].reason is Reason.ENGINE


def test_an_installed_model_is_not_recommended_again(catalog: list[CatalogEntry]) -> None:
    chosen = recommend(
        catalog, {STARTER_FILENAME, LLAMA}, ram=64 * GB, free_disk=PLENTY, engines=GPT4ALL_ONLY
    )
    assert chosen.entry is None and chosen.satisfied and chosen.misfits == ()
    # A lesser model installed: the better one that fits is still worth offering.
    chosen = recommend(catalog, {QWEN2}, ram=64 * GB, free_disk=PLENTY, engines=GPT4ALL_ONLY)
    assert chosen.entry is not None and chosen.entry.filename == LLAMA
    # ...but nothing below what is installed.
    chosen = recommend(catalog, {PHI3}, ram=6 * GB, free_disk=PLENTY, engines=GPT4ALL_ONLY)
    assert chosen.entry is None and chosen.satisfied


def test_a_catalog_without_the_preferred_models_offers_nothing(
    catalog: list[CatalogEntry],
) -> None:
    trimmed = [e for e in catalog if e.filename not in (LLAMA, PHI3, QWEN2)]
    chosen = recommend(trimmed, set(), ram=64 * GB, free_disk=PLENTY, engines=GPT4ALL_ONLY)
    assert chosen.entry is None and chosen.misfits == () and not chosen.satisfied


def test_the_preference_list_is_data(catalog: list[CatalogEntry]) -> None:
    """A later engine puts its models first; the rule stays the same."""
    chosen = recommend(
        catalog, set(), ram=64 * GB, free_disk=PLENTY, preferred=("absent.gguf", QWEN2, LLAMA)
    )
    assert chosen.entry is not None and chosen.entry.filename == QWEN2


# --- with the llama.cpp engine too (the default) ------------------------------------------


@pytest.mark.parametrize(
    ("ram_gb", "expected"),
    [
        (64, MEDGEMMA),
        (16, MEDGEMMA),
        (7.7, MEDGEMMA),  # an "8 GB" computer
        (5, MEDGEMMA),  # exactly the 5 GB it needs
        (4.9, TINY),
        (4, TINY),  # a weak computer: the tiny current model
        (3.9, QWEN2),  # below every current model: GPT4All's smallest
        (3, QWEN2),
    ],
)
def test_with_both_engines_the_current_models_come_first(
    catalog: list[CatalogEntry], ram_gb: float, expected: str
) -> None:
    ram = int(ram_gb * GB)
    chosen = recommend(catalog, {STARTER_FILENAME}, ram=ram, free_disk=PLENTY)
    assert chosen.entry is not None and chosen.entry.filename == expected
    both = (GPT4ALL_ENGINE, LLAMACPP_ENGINE)
    assert recommend(catalog, set(), ram=ram, free_disk=PLENTY, engines=both) == chosen


@pytest.mark.parametrize(
    ("ram_gb", "expected"),
    [(16, GEMMA4_E4B), (8, GEMMA4_E4B), (7.7, GEMMA4_E2B), (6, GEMMA4_E2B), (5.5, QWEN3_4B)],
)
def test_a_catalog_without_medgemma_offers_the_best_general_model(
    catalog: list[CatalogEntry], ram_gb: float, expected: str
) -> None:
    """IT may drop MedGemma (its licence has conditions): Gemma 4 E4B is too heavy for an
    "8 GB" computer, which gets Gemma 4 E2B."""
    trimmed = [e for e in catalog if e.filename != MEDGEMMA]
    chosen = recommend(trimmed, set(), ram=int(ram_gb * GB), free_disk=PLENTY)
    assert chosen.entry is not None and chosen.entry.filename == expected


def test_a_full_disk_gets_a_smaller_current_model(catalog: list[CatalogEntry]) -> None:
    room = _size(catalog, MEDGEMMA) + DISK_MARGIN
    assert recommend(catalog, set(), ram=16 * GB, free_disk=room).entry == find_by_filename(
        catalog, MEDGEMMA
    )
    chosen = recommend(catalog, set(), ram=16 * GB, free_disk=room - 1)
    # Gemma 3 4B's file is 137,120 bytes smaller than MedGemma's; the ones between are larger.
    assert chosen.entry is not None and chosen.entry.filename == "gemma-3-4b-it-Q4_K_M.gguf"
    chosen = recommend(catalog, set(), ram=16 * GB, free_disk=_size(catalog, TINY) + DISK_MARGIN)
    assert chosen.entry is not None and chosen.entry.filename == TINY


def test_without_the_gpt4all_engine_only_current_models_are_offered(
    catalog: list[CatalogEntry],
) -> None:
    only = (LLAMACPP_ENGINE,)
    chosen = recommend(catalog, set(), ram=16 * GB, free_disk=PLENTY, engines=only)
    assert chosen.entry is not None and chosen.entry.filename == MEDGEMMA
    nothing = recommend(catalog, set(), ram=2 * GB, free_disk=PLENTY, engines=only)
    assert nothing.entry is None
    assert [m.entry.filename for m in nothing.misfits] == list(PREFERRED[:9])
    assert {(m.entry.engine, m.reason) for m in nothing.misfits} == {(LLAMACPP_ENGINE, Reason.RAM)}


def test_without_the_llamacpp_engine_its_models_are_passed_over_silently(
    catalog: list[CatalogEntry],
) -> None:
    chosen = recommend(catalog, set(), ram=2 * GB, free_disk=PLENTY, engines=GPT4ALL_ONLY)
    assert [m.entry.filename for m in chosen.misfits] == [LLAMA, PHI3, QWEN2]
    # An installed current model does not count when its engine is missing.
    chosen = recommend(catalog, {MEDGEMMA}, ram=64 * GB, free_disk=PLENTY, engines=GPT4ALL_ONLY)
    assert chosen.entry is not None and chosen.entry.filename == LLAMA


def test_gpt4all_versions_do_not_stop_a_current_model(catalog: list[CatalogEntry]) -> None:
    """'requires' is a GPT4All desktop version; a llama.cpp entry that carries one still runs."""
    newer = [replace(e, requires="9.0") if e.filename == MEDGEMMA else e for e in catalog]
    chosen = recommend(newer, set(), ram=16 * GB, free_disk=PLENTY)
    assert chosen.entry is not None and chosen.entry.filename == MEDGEMMA


def test_installed_models_with_both_engines(catalog: list[CatalogEntry]) -> None:
    assert recommend(catalog, {MEDGEMMA}, ram=16 * GB, free_disk=PLENTY).satisfied
    # GPT4All's best installed: the current medical model is better and fits.
    chosen = recommend(catalog, {LLAMA}, ram=16 * GB, free_disk=PLENTY)
    assert chosen.entry is not None and chosen.entry.filename == MEDGEMMA
    # The tiny model installed on a weak computer: nothing better fits, GPT4All's are lesser.
    chosen = recommend(catalog, {TINY}, ram=4 * GB, free_disk=PLENTY)
    assert chosen.entry is None and chosen.satisfied


def test_the_preference_list_puts_current_models_first(catalog: list[CatalogEntry]) -> None:
    entries = [find_by_filename(catalog, f) for f in PREFERRED]
    assert None not in entries, "every preferred file is in the bundled catalog"
    engines = [e.engine for e in entries if e is not None]
    assert engines == [LLAMACPP_ENGINE] * 9 + [None] * 3
    current = [e for e in entries if e is not None and e.engine == LLAMACPP_ENGINE]
    assert current[0].filename == MEDGEMMA and current[-1].filename == TINY
    tiny = current[-1].ram_required_gb
    assert tiny is not None
    assert all((e.ram_required_gb or 0) > tiny for e in current[:-1]), (
        "the tiny model needs the least memory, or it would never be offered"
    )


def test_free_disk_of_a_folder_not_made_yet(tmp_path: Path) -> None:
    free = free_disk_bytes(tmp_path / "models" / "deeper")
    assert free is not None and free > 0
    assert abs(free - shutil.disk_usage(tmp_path).free) < 64 * 1024**2
