"""Text out of a clinic's documents, page by page, by well-kept libraries.

PDF through pypdfium2 (PDFium, Chrome's PDF engine), DOCX through python-docx, plain text and
Markdown as UTF-8, HTML through the standard library's parser. Every file is hostile input:
a file that cannot be read raises `DocumentError` saying why in plain words (protected PDF,
scanned pages without text, damaged DOCX, binary data behind a .txt name, too big), and
nothing is ever written anywhere: the text exists only in memory until the encrypted
library stores it.
"""

from __future__ import annotations

import html.parser
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from clinichat.messages import QT_TRANSLATE_NOOP, UserError

# A protocol or formulary is a few MB; a file this large is something else (a scan archive,
# a disk image) and would take the index hours.
MAX_BYTES: Final = 200 * 1024 * 1024
SUFFIXES: Final = (".pdf", ".docx", ".txt", ".md", ".markdown", ".html", ".htm")
# A page with fewer letters than this has no usable text layer (a scan, a blank page).
MIN_PAGE_LETTERS: Final = 20
_MD_HEADING: Final = re.compile(r"^\s{0,3}#{1,6}\s+(?P<title>.+?)\s*#*\s*$")


class DocumentError(UserError):
    """One file cannot be indexed; the message says why (the others go on)."""

    context = "Documents"


@dataclass(frozen=True)
class Page:
    """One page's text (PDF), or one section's (DOCX, text, HTML: `number` is None)."""

    number: int | None
    heading: str
    text: str


def extract(path: Path) -> list[Page]:
    """The text of `path`, in reading order; raises `DocumentError` when there is none."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DocumentError(
            QT_TRANSLATE_NOOP(
                "Documents",
                "{name}: this kind of file is not read (PDF, DOCX, TXT, Markdown and HTML are).",
            ),
            name=path.name,
        )
    try:
        size = path.stat().st_size
    except OSError as error:
        raise unreadable(path, error) from error
    if size > MAX_BYTES:
        raise DocumentError(
            QT_TRANSLATE_NOOP(
                "Documents",
                "{name}: the file is {size} MB; files over {limit} MB are not indexed.",
            ),
            name=path.name,
            size=size // (1024 * 1024),
            limit=MAX_BYTES // (1024 * 1024),
        )
    readers: dict[str, Callable[[Path], list[Page]]] = {
        ".pdf": _pdf,
        ".docx": _docx,
        ".html": _html,
        ".htm": _html,
    }
    try:
        pages = readers.get(suffix, _plain)(path)
    except DocumentError:
        raise
    except OSError as error:
        raise unreadable(path, error) from error
    except Exception as error:  # a hostile file: whatever a parser trips on, it is damaged
        raise _damaged(path) from error
    if not any(p.text.strip() for p in pages):
        raise DocumentError(
            QT_TRANSLATE_NOOP("Documents", "{name}: the file holds no text."), name=path.name
        )
    return pages


def unreadable(path: Path, error: OSError) -> DocumentError:
    return DocumentError(
        QT_TRANSLATE_NOOP("Documents", "{name} could not be read: {reason}"),
        name=path.name,
        reason=error.strerror or error,
    )


def _damaged(path: Path) -> DocumentError:
    if path.suffix.lower() == ".pdf":
        text = QT_TRANSLATE_NOOP("Documents", "{name} is not a readable PDF (it may be damaged).")
    elif path.suffix.lower() == ".docx":
        text = QT_TRANSLATE_NOOP("Documents", "{name} is not a readable Word file (DOCX).")
    else:
        text = QT_TRANSLATE_NOOP("Documents", "{name} could not be read: the file is damaged.")
    return DocumentError(text, name=path.name)


def _pdf(path: Path) -> list[Page]:
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(path)
    except pypdfium2.PdfiumError as error:
        if "password" not in str(error).lower():
            raise  # damaged: `extract` says so
        raise DocumentError(
            QT_TRANSLATE_NOOP(
                "Documents",
                "{name} is protected with a password; save an unprotected copy to add it.",
            ),
            name=path.name,
        ) from error
    try:
        pages = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            text = textpage.get_text_bounded()
            textpage.close()
            page.close()
            pages.append(Page(index + 1, "", _clean(text)))
    finally:
        document.close()
    if pages and all(_letters(p.text) < MIN_PAGE_LETTERS for p in pages):
        raise DocumentError(
            QT_TRANSLATE_NOOP(
                "Documents",
                "{name} has no text layer (a scan or images of pages): it cannot be searched."
                " Run it through text recognition (OCR) first.",
            ),
            name=path.name,
        )
    return pages


def _docx(path: Path) -> list[Page]:
    import docx

    document = docx.Document(str(path))  # a damaged file raises: `extract` says so
    sections: list[Page] = []
    heading = ""
    lines: list[str] = []
    for paragraph in document.paragraphs:
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        text = paragraph.text.strip()
        if style.lower().startswith(("heading", "title")) and text:
            if lines:
                sections.append(Page(None, heading, "\n".join(lines)))
            heading, lines = text, []
        elif text:
            lines.append(text)
    for table in document.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells if c.text.strip()]
            if cells:
                lines.append(" | ".join(cells))
    if lines:
        sections.append(Page(None, heading, "\n".join(lines)))
    return sections


def _plain(path: Path) -> list[Page]:
    return list(_markdown_sections(_decoded(path)))


def _decoded(path: Path) -> str:
    """The file as text: UTF-8, else Windows-1252 (older Windows files); binary refused."""
    data = path.read_bytes()
    if b"\x00" in data[:65536]:
        raise DocumentError(
            QT_TRANSLATE_NOOP("Documents", "{name} holds binary data, not text, despite its name."),
            name=path.name,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _markdown_sections(text: str) -> Iterator[Page]:
    """Sections under their '#' headings (plain text without any is one section)."""
    heading = ""
    lines: list[str] = []
    for line in text.splitlines():
        match = _MD_HEADING.match(line)
        if match:
            if any(x.strip() for x in lines):
                yield Page(None, heading, _clean("\n".join(lines)))
            heading, lines = match.group("title"), []
        else:
            lines.append(line)
    if any(x.strip() for x in lines):
        yield Page(None, heading, _clean("\n".join(lines)))


class _HtmlText(html.parser.HTMLParser):
    """Visible text of an HTML page, split at its h1 to h3 headings; scripts and styles skipped."""

    _HEADINGS: Final = ("h1", "h2", "h3")
    _HIDDEN: Final = ("script", "style", "template", "noscript")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[Page] = []
        self._heading = ""
        self._parts: list[str] = []
        self._in_heading: list[str] | None = None
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._hidden += 1
        elif tag in self._HEADINGS:
            self._in_heading = []
        elif tag in ("p", "br", "li", "tr", "div"):
            self._parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in self._HEADINGS and self._in_heading is not None:
            self.flush()
            self._heading = " ".join("".join(self._in_heading).split())
            self._in_heading = None

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        (self._in_heading if self._in_heading is not None else self._parts).append(data)

    def flush(self) -> None:
        text = _clean("".join(self._parts))
        if text:
            self.sections.append(Page(None, self._heading, text))
        self._parts = []


def _html(path: Path) -> list[Page]:
    parser = _HtmlText()
    parser.feed(_decoded(path))
    parser.close()
    parser.flush()
    return parser.sections


def _clean(text: str) -> str:
    """Runs of spaces to one, hyphenated line breaks joined, at most one blank line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)
    text = re.sub(r"[ \t\f\v]+", " ", text)
    text = re.sub(r"\n\s*\n\s*", "\n\n", text)
    return text.strip()


def _letters(text: str) -> int:
    return sum(1 for c in text if c.isalpha())
