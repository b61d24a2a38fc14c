"""Search by meaning: a real embedding model (all-MiniLM-L6-v2 on llama.cpp) over passages
in a real encrypted library, fused with the text ranking."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from document_files import ASTHMA_SECTIONS, PROTOCOL_PAGES, write_docx, write_pdf
from PySide6.QtWidgets import QApplication

from clinichat.documents.library import DocumentLibrary
from clinichat.documents.vectors import STATE_QUERY, embed_missing, meaning_of
from clinichat.history.database import open_encrypted
from clinichat.history.sqlcipher_store import EncryptedStore
from clinichat.llm.engines.base import ModelLoadError
from clinichat.llm.engines.llamacpp_embedding import LlamaCppEmbedder

# No word of it is in any document: only its meaning leads to the asthma protocol.
BY_MEANING = "breathing crisis that keeps getting worse despite the inhalers"


@pytest.fixture(scope="module")
def embedder(minilm_file: Path) -> Iterator[LlamaCppEmbedder]:
    loaded = LlamaCppEmbedder.load(minilm_file, threads=2)
    yield loaded
    loaded.close()


@pytest.fixture
def library(qapp: QApplication, tmp_path: Path) -> Iterator[DocumentLibrary]:
    folder = tmp_path / "docs"
    folder.mkdir()
    write_pdf(folder / "profilaxis.pdf", PROTOCOL_PAGES)
    write_docx(folder / "asthma.docx", ASTHMA_SECTIONS)
    store = EncryptedStore(open_encrypted(tmp_path / "history.db", os.urandom(32)))
    library = DocumentLibrary(store.connection)
    library.add([folder / "profilaxis.pdf"], "Protocolos")
    library.add([folder / "asthma.docx"], "Respiratory")
    yield library
    store.close()


def test_every_passage_gets_a_vector_once(
    library: DocumentLibrary, embedder: LlamaCppEmbedder
) -> None:
    passages = sum(row.passages for row in library.documents())
    seen: list[int] = []
    assert embed_missing(library.vectors, embedder, lambda done: seen.append(done) or True) == (
        passages
    )
    assert seen and seen[-1] == passages, "progress after each batch"
    assert library.vectors.count(embedder.name) == passages
    assert embed_missing(library.vectors, embedder) == 0, "nothing left to embed"
    assert embedder.dimensions == 384


def test_meaning_finds_what_words_miss_and_fusion_keeps_both(
    library: DocumentLibrary, embedder: LlamaCppEmbedder
) -> None:
    embed_missing(library.vectors, embedder)
    assert library.search(BY_MEANING) == [], "no word of the question is in the documents"
    ranked = library.search(BY_MEANING, meaning=meaning_of(embedder, BY_MEANING))
    assert [p.document for p in ranked[:2]] == ["asthma.docx"] * 2, "above every antibiotic page"
    assert ranked[0].score > ranked[2].score
    # A question the words answer still ranks the right page first when fused.
    words = "cefazolina colecistectomía"
    [page, *_] = library.search(words, meaning=meaning_of(embedder, words))
    assert (page.document, page.page) == ("profilaxis.pdf", 2)
    # Collections hold for the meaning's ranking too.
    only = library.search(
        BY_MEANING, collections=["Protocolos"], meaning=meaning_of(embedder, BY_MEANING)
    )
    assert only and {p.document for p in only} == {"profilaxis.pdf"}


def test_a_removed_document_takes_its_vectors(
    library: DocumentLibrary, embedder: LlamaCppEmbedder
) -> None:
    embed_missing(library.vectors, embedder)
    before = library.vectors.count(embedder.name)
    asthma = next(r.passages for r in library.documents() if r.name == "asthma.docx")
    assert library.remove("asthma.docx") == 1
    assert library.vectors.count(embedder.name) == before - asthma
    found = library.search(BY_MEANING, meaning=meaning_of(embedder, BY_MEANING))
    assert found and all(p.document != "asthma.docx" for p in found)


def test_a_chat_model_is_refused_as_an_embedder(starter_model: Path) -> None:
    with pytest.raises(ModelLoadError, match="not an embedding model"):
        LlamaCppEmbedder.load(starter_model, threads=1)


def test_the_vectors_are_read_again_only_when_they_change(
    library: DocumentLibrary, embedder: LlamaCppEmbedder
) -> None:
    """The history saves each streamed answer in the same database: such writes must not
    make the next search read every vector again."""
    embed_missing(library.vectors, embedder)
    first = library.vectors._matrix(embedder.name)
    library.collection_id("Another")  # a write, but not to the vectors
    assert library.vectors._matrix(embedder.name) is first
    library.remove("asthma.docx")
    again = library.vectors._matrix(embedder.name)
    assert again is not first and len(again.ids) < len(first.ids)


def test_checking_the_vectors_are_current_reads_no_vector(library: DocumentLibrary) -> None:
    """Each search asks whether the vectors changed; reading them all to know that cost
    about 100 ms per search over 10,000 encrypted pages (every page decrypted)."""
    plan = library.connection.execute(f"EXPLAIN QUERY PLAN {STATE_QUERY}", ("m",)).fetchall()
    assert [row[-1] for row in plan] == [
        "SEARCH passage_vectors USING COVERING INDEX passage_vectors_by_model (model=?)"
    ]
