"""The embedding models of the bundled catalog (document search), and how an installed one
is kept apart from the chat models."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clinichat.models.catalog import LLAMACPP_ENGINE, CatalogEntry, find_by_filename, load_catalog
from clinichat.models.descriptions import model_text
from clinichat.models.licences import APACHE_2, GEMMA, MIT
from clinichat.models.registry import ModelRegistry
from clinichat.resources import bundled_catalog_path

# file, bytes, sha256, revision, repository, licence: each found alike in two public sources
# (model catalogs of other projects pinning the same revision); written out here, so the test
# needs nothing outside tests/ and a changed catalog file fails it.
FACTS = [
    (
        "Qwen3-Embedding-0.6B-Q8_0.gguf",
        639_150_592,
        "06507c7b42688469c4e7298b0a1e16deff06caf291cf0a5b278c308249c3e439",
        "370f27d7550e0def9b39c1f16d3fbaa13aa67728",
        "Qwen/Qwen3-Embedding-0.6B-GGUF",
        APACHE_2.name,
    ),
    (
        "bge-m3-q8_0.gguf",
        634_553_760,
        "aa473d51f451a22f0fcf39ba3330c14bed38a385712b1113440f69df4047a173",
        "9eba04c5d75ba5a1595e45de734d36bef4e5cb98",
        "ggml-org/bge-m3-Q8_0-GGUF",
        MIT.name,
    ),
    (
        "embeddinggemma-300m-qat-Q8_0.gguf",
        328_577_056,
        "6fa0c02a9c302be6f977521d399b4de3a46310a4f2621ee0063747881b673f67",
        "66f974f8cd48cc3b9c41c516b95508e75b4bee64",
        "ggml-org/embeddinggemma-300m-qat-q8_0-GGUF",
        GEMMA.name,
    ),
]


@pytest.fixture(scope="module")
def catalog() -> list[CatalogEntry]:
    entries, problems = load_catalog(bundled_catalog_path())
    assert problems == []
    return entries


def test_the_search_models_are_these(catalog: list[CatalogEntry]) -> None:
    assert [e.filename for e in catalog if e.embedding_model] == [f[0] for f in FACTS]


@pytest.mark.parametrize(("filename", "size", "sha256", "revision", "repository", "licence"), FACTS)
def test_a_search_model_is_its_published_file_and_never_a_chat_model(
    catalog: list[CatalogEntry],
    filename: str,
    size: int,
    sha256: str,
    revision: str,
    repository: str,
    licence: str,
) -> None:
    entry = find_by_filename(catalog, filename)
    assert entry is not None
    assert (entry.filesize, entry.sha256sum, entry.licence) == (size, sha256, licence)
    assert entry.url == f"https://huggingface.co/{repository}/resolve/{revision}/{filename}"
    assert entry.engine == LLAMACPP_ENGINE and entry.ram_required_gb == 1
    assert entry.download_problem is None, "it can be downloaded"
    assert entry.chat_problem is not None and "cannot chat" in entry.chat_problem
    text = model_text(filename)
    assert text is not None and "document search" in text.details
    assert text.licence == entry.licence_summary


def test_an_embedding_model_is_listed_apart_from_the_chat_models(
    tmp_path: Path, minilm_file: Path, starter_model: Path
) -> None:
    """Imported through the real probe (a child process loads it as an embedding model)."""
    registry = ModelRegistry(tmp_path / "models", [])
    search = registry.import_file(minilm_file)
    assert search.for_documents
    (tmp_path / "models" / starter_model.name).write_bytes(starter_model.read_bytes())
    assert [m.filename for m in registry.installed()] == [starter_model.name], "chat only"
    assert [m.filename for m in registry.document_models()] == [minilm_file.name]
    assert registry.problems == []
    assert registry.find(minilm_file.name) is None, "never offered to chat"
    assert registry.find(minilm_file.name, for_documents=True) is not None
    assert registry.find(starter_model.name, for_documents=True) is None


def test_a_catalog_embedding_model_is_one_even_if_its_header_says_nothing(
    tmp_path: Path, starter_model: Path
) -> None:
    """Official Qwen3-Embedding files leave pooling to llama.cpp: the catalog decides."""
    models = tmp_path / "models"
    models.mkdir()
    name = "Qwen3-Embedding-0.6B-Q8_0.gguf"
    shutil.copy(starter_model, models / name)
    entries, _ = load_catalog(bundled_catalog_path())
    registry = ModelRegistry(models, entries, probe=None)
    assert registry.installed() == [] and registry.problems == []
    [model] = registry.document_models()
    assert model.for_documents and model.filename == name
