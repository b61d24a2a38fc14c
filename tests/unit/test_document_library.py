"""The document library inside the real encrypted history: index, search by page, change,
remove, and nothing of a document on disk in plaintext."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from document_files import ASTHMA_SECTIONS, PROTOCOL_PAGES, SENTINEL, write_docx, write_pdf
from PySide6.QtWidgets import QApplication

from clinichat.documents.library import DocumentLibrary
from clinichat.documents.search_terms import search_query
from clinichat.history.database import open_encrypted
from clinichat.history.sqlcipher_store import EncryptedStore

QUESTION_ES = (
    "¿Qué pauta de profilaxis antibiótica indica nuestro protocolo para una colecistectomía?"
)


@pytest.fixture
def folders(qapp: QApplication, tmp_path: Path) -> tuple[Path, Path]:
    """(the clinic's documents, the history's data folder)."""
    documents, data = tmp_path / "protocolos", tmp_path / "data"
    documents.mkdir()
    data.mkdir()
    write_pdf(documents / "profilaxis.pdf", PROTOCOL_PAGES)
    write_docx(documents / "asthma.docx", ASTHMA_SECTIONS)
    (documents / "scan-as-text.txt").write_bytes(b"\x00\x01binary" * 100)
    return documents, data


@pytest.fixture
def library(folders: tuple[Path, Path]) -> Iterator[DocumentLibrary]:
    store = EncryptedStore(open_encrypted(folders[1] / "history.db", KEY))
    yield DocumentLibrary(store.connection)
    store.close()


KEY = os.urandom(32)


def test_a_folder_is_indexed_and_a_bad_file_does_not_stop_it(
    library: DocumentLibrary, folders: tuple[Path, Path]
) -> None:
    outcomes = {o.path.name: o for o in library.add([folders[0]], "Protocolos")}
    assert outcomes["profilaxis.pdf"].status == "indexed"
    assert outcomes["asthma.docx"].status == "indexed"
    bad = outcomes["scan-as-text.txt"]
    assert bad.status == "failed" and bad.problem is not None
    assert "holds binary data" in str(bad.problem)
    rows = {r.name: r for r in library.documents()}
    assert rows["profilaxis.pdf"].pages == 3 and rows["profilaxis.pdf"].passages >= 3
    assert rows["scan-as-text.txt"].passages == 0 and rows["scan-as-text.txt"].problem


def test_a_spanish_question_finds_the_right_page(
    library: DocumentLibrary, folders: tuple[Path, Path]
) -> None:
    library.add([folders[0]])
    [best, *_] = library.search(QUESTION_ES)
    assert (best.document, best.page) == ("profilaxis.pdf", 2)
    assert "cefazolina 2 g" in best.text
    unaccented = library.search("colecistectomia cefazolina")
    assert unaccented and unaccented[0].page == 2


def test_an_english_question_finds_the_docx_section(
    library: DocumentLibrary, folders: tuple[Path, Path]
) -> None:
    library.add([folders[0]])
    [best, *_] = library.search("What if a severe asthma attack does not respond?")
    assert (best.document, best.page, best.heading) == ("asthma.docx", None, "Severe attack")
    assert library.search("appendix transplant") == []


def test_a_cited_passage_opens_on_its_whole_page(
    library: DocumentLibrary, folders: tuple[Path, Path]
) -> None:
    library.add([folders[0]])
    [best, *_] = library.search(QUESTION_ES)
    page = library.page_text(best)
    assert page is not None
    # The page as PDFium reads it (its header line included), the passage found in it
    # across the page's own line breaks.
    assert page.text.startswith("Protocolo de profilaxis antibiótica quirúrgica.")
    marked = page.text[page.start : page.end]
    assert " ".join(marked.split()) == best.text and "cefazolina 2 g" in marked
    [section, *_] = library.search("severe asthma attack magnesium")
    docx_page = library.page_text(section)
    assert docx_page is not None and docx_page.text.startswith("Add ipratropium")
    # Changed since it was cited: the page no longer holds the passage.
    write_pdf(folders[0] / "profilaxis.pdf", ["Página nueva sin ese texto."] * 3)
    library.reindex()
    assert library.page_text(best) is None


def test_unchanged_files_are_skipped_changed_reread_missing_removed(
    library: DocumentLibrary, folders: tuple[Path, Path]
) -> None:
    library.add([folders[0]])
    again = {o.path.name: o.status for o in library.add([folders[0]])}
    assert again["profilaxis.pdf"] == again["asthma.docx"] == "unchanged"
    write_docx(folders[0] / "asthma.docx", [("Asma grave", "Sulfato de magnesio 2 g.")])
    changed = {o.path.name: o.status for o in library.reindex()}
    assert changed["asthma.docx"] == "indexed" and changed["profilaxis.pdf"] == "unchanged"
    assert library.search("ipratropium") == []
    assert library.search("sulfato magnesio")[0].heading == "Asma grave"
    (folders[0] / "profilaxis.pdf").unlink()
    gone = {o.path.name: o.status for o in library.reindex()}
    assert gone["profilaxis.pdf"] == "removed"
    assert library.search("cefazolina") == []
    assert library.remove("asthma.docx") == 1
    assert [r.name for r in library.documents()] == ["scan-as-text.txt"]


def test_nothing_of_a_document_reaches_the_disk_unencrypted(folders: tuple[Path, Path]) -> None:
    store = EncryptedStore(open_encrypted(folders[1] / "history.db", KEY))
    library = DocumentLibrary(store.connection)
    library.add([folders[0]])
    assert library.search(SENTINEL)[0].page == 2
    written = {p: p.read_bytes() for p in folders[1].rglob("*") if p.is_file()}  # WAL too
    store.close()
    written |= {p: p.read_bytes() for p in folders[1].rglob("*") if p.is_file()}
    assert written
    for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
        for form in (SENTINEL, SENTINEL.lower(), SENTINEL.upper()):
            needle = form.encode(encoding)
            assert not any(needle in data for data in written.values()), (form, encoding)


def test_hostile_queries_are_plain_words() -> None:
    assert search_query('NEAR(a b) OR "x" * ^col:') == '"near" OR "col"'
    assert search_query("¿y de la?") == ""
    stems = search_query("antibióticos pauta guidelines")
    assert stems == '"antibiotic"* OR "paut"* OR "guidelin"*'
