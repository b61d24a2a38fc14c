"""Reading the clinic's documents: real PDFs (Qt's writer) and DOCX (python-docx), and every
kind of bad file getting its own clear message."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pypdf
import pytest
from document_files import ASTHMA_SECTIONS, PROTOCOL_PAGES, write_docx, write_pdf
from PySide6.QtWidgets import QApplication

from clinichat.documents.chunking import OVERLAP, WORDS, passages
from clinichat.documents.extract import DocumentError, Page, extract


def test_pdf_text_keeps_its_pages(qapp: QApplication, tmp_path: Path) -> None:
    pages = extract(write_pdf(tmp_path / "protocolo.pdf", PROTOCOL_PAGES))
    assert [p.number for p in pages] == [1, 2, 3]
    assert "cefazolina 2 g" in pages[1].text
    assert "metronidazol" in pages[2].text and "metronidazol" not in pages[1].text


def test_a_scanned_pdf_is_reported_not_indexed_as_empty(qapp: QApplication, tmp_path: Path) -> None:
    scan = write_pdf(tmp_path / "escaneado.pdf", PROTOCOL_PAGES[:2], scanned=True)
    with pytest.raises(DocumentError, match="has no text layer"):
        extract(scan)


def test_docx_sections_keep_their_headings(tmp_path: Path) -> None:
    pages = extract(write_docx(tmp_path / "asthma.docx", ASTHMA_SECTIONS))
    assert [(p.number, p.heading) for p in pages] == [
        (None, "Acute asthma in adults"),
        (None, "Severe attack"),
    ]
    assert "magnesium sulfate 2 g" in pages[1].text


def test_markdown_and_html_sections(tmp_path: Path) -> None:
    md = tmp_path / "notes.md"
    md.write_text("# Sepsis\nGive fluids early.\n\n## Antibiotics\nWithin one hour.\n", "utf-8")
    assert [(p.heading, p.text) for p in extract(md)] == [
        ("Sepsis", "Give fluids early."),
        ("Antibiotics", "Within one hour."),
    ]
    page = tmp_path / "guia.html"
    page.write_text(
        "<html><head><style>p{}</style><script>alert('x')</script></head><body>"
        "<h1>Hipoglucemia</h1><p>Glucosa 15 g por vía oral.</p></body></html>",
        "utf-8",
    )
    [section] = extract(page)
    assert section.heading == "Hipoglucemia" and section.text == "Glucosa 15 g por vía oral."


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("damaged.docx", b"PK\x03\x04 not really a zip" * 10, "is not a readable Word file"),
        ("not-word.docx", None, "is not a readable Word file"),
        ("damaged.pdf", b"%PDF-1.7\n" + os.urandom(2000), "is not a readable PDF"),
        ("renamed.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(500), "holds binary data"),
        ("empty.txt", b"   \n\n  ", "holds no text"),
        ("program.exe", b"MZ", "this kind of file is not read"),
    ],
)
def test_bad_files_get_a_clear_message(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is None:  # a real zip whose document part is not XML
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", "<<<not xml")
    else:
        path.write_bytes(content)
    with pytest.raises(DocumentError, match=message) as raised:
        extract(path)
    assert str(raised.value).startswith(name)


def test_a_password_protected_pdf_says_so(qapp: QApplication, tmp_path: Path) -> None:
    plain = write_pdf(tmp_path / "plain.pdf", PROTOCOL_PAGES)
    writer = pypdf.PdfWriter(clone_from=plain)
    writer.encrypt(user_password="secreto", algorithm="AES-256")
    locked = tmp_path / "protegido.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(DocumentError, match="is protected with a password") as raised:
        extract(locked)
    assert str(raised.value).startswith("protegido.pdf")


def test_a_500_mb_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "archive.pdf"
    with huge.open("wb") as handle:
        handle.truncate(500 * 1024 * 1024)  # sparse: costs no disk
    with pytest.raises(DocumentError, match="files over 200 MB are not indexed"):
        extract(huge)


def test_passages_keep_page_and_heading_and_overlap() -> None:
    sentences = " ".join(f"Sentence number {n} about dosing." for n in range(80))
    found = list(passages([Page(4, "Dosing", sentences)]))
    assert len(found) > 2
    assert all(p.page == 4 and p.heading == "Dosing" for p in found)
    assert all(len(p.text.split()) <= WORDS for p in found)
    first, second = found[0].text.split(), found[1].text.split()
    assert first[-OVERLAP:] == second[:OVERLAP], "the next passage starts inside this one"
