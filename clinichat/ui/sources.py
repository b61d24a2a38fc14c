"""An answer's sources: the list under it, its [n] markers as links, and the passage view.

A source is a passage of the clinic's documents the question was put with. Its document
name, heading and text are data from files (hostile input): they are shown escaped or as
plain text, and the original file opens only when the clinician asks and confirms.
"""

from __future__ import annotations

import html
import re
from typing import Final

from PySide6.QtCore import QCoreApplication, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinichat.documents.grounding import where
from clinichat.documents.library import PageText, Passage
from clinichat.ui import message_box
from clinichat.ui.retranslating import Retranslating

SCHEME: Final = "clinichat-source"
_MARKER: Final = re.compile(r"\[(\d{1,2})\]")


def source_number(url: QUrl) -> int | None:
    """n for a citation link `clinichat-source:n`, else None."""
    if url.scheme() != SCHEME or not url.path().isdigit():
        return None
    return int(url.path())


def link_markers(document: QTextDocument, count: int) -> None:
    """Make each [n] (1 ≤ n ≤ count) in the rendered answer a link to its source."""
    text = document.toPlainText()
    for match in _MARKER.finditer(text):
        number = int(match.group(1))
        if not 1 <= number <= count:
            continue
        cursor = QTextCursor(document)
        cursor.setPosition(match.start())
        cursor.setPosition(match.end(), QTextCursor.MoveMode.KeepAnchor)
        link = QTextCharFormat()
        link.setAnchor(True)
        link.setAnchorHref(f"{SCHEME}:{number}")
        link.setFontUnderline(True)
        cursor.mergeCharFormat(link)


def cites_any(text: str, count: int) -> bool:
    """Whether `text` cites at least one of its `count` sources by [n]."""
    return any(1 <= int(m.group(1)) <= count for m in _MARKER.finditer(text))


def shown_where(passage: Passage) -> str:
    """Where a passage is, in the reader's language: 'profilaxis.pdf, página 2'."""
    if passage.page is None:
        return where(passage)
    return (
        QCoreApplication.translate("Sources", "%1, page %2")
        .replace("%1", passage.document)
        .replace("%2", str(passage.page))
    )


def sources_html(sources: list[Passage], title: str, warning: str = "") -> str:
    """'Sources' and one link per source, everything from the files escaped; then
    `warning`, when there is one, in its own paragraph."""
    rows = "".join(
        f'<br><a href="{SCHEME}:{n}">[{n}]</a> {html.escape(shown_where(s))}'
        for n, s in enumerate(sources, start=1)
    )
    after = f"<p><i>{html.escape(warning)}</i></p>" if warning else ""
    return f"<b>{html.escape(title)}</b>{rows}{after}"


class PassageDialog(Retranslating, QDialog):
    """One cited passage, shown on its page (highlighted) when the library still has that
    page as it was cited, or alone as the model read it; with the way to the original file."""

    def __init__(
        self,
        number: int,
        source: Passage,
        page: PageText | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.number = number
        self.source = source
        self.page = page
        self.place = QLabel(self)
        self.place.setTextFormat(Qt.TextFormat.PlainText)
        self.place.setWordWrap(True)
        self.place.setObjectName("cardTitle")
        self.note = QLabel(self)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.note.setObjectName("hint")
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setPlainText(page.text if page is not None else source.text)
        if page is not None:
            self._highlight(page)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.open_button = QPushButton(self)
        self.open_button.setEnabled(source.path.is_file())
        self.open_button.clicked.connect(self.open_original)
        self.buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.place, self.note, self.text, self.buttons):
            layout.addWidget(widget)
        self.resize(680, 520)
        self.retranslate()

    def _highlight(self, page: PageText) -> None:
        """Mark the passage on the page and bring it into view (selected, so the keyboard
        and a screen reader start there too)."""
        cursor = self.text.textCursor()
        cursor.setPosition(page.start)
        cursor.setPosition(page.end, QTextCursor.MoveMode.KeepAnchor)
        mark = QTextCharFormat()
        mark.setBackground(self.palette().highlight())
        mark.setForeground(self.palette().highlightedText())
        cursor.mergeCharFormat(mark)
        self.text.setTextCursor(cursor)
        self.text.centerCursor()

    @property
    def highlighted(self) -> str:
        """The text marked as the passage ("" when shown alone)."""
        return self.page.text[self.page.start : self.page.end] if self.page is not None else ""

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Source [%1]").replace("%1", str(self.number)))
        self.place.setText(shown_where(self.source))
        if self.page is not None:
            self.note.setText(self.tr("The whole page; the passage the model was given is marked."))
            self.text.setAccessibleName(self.tr("The page, with the cited passage marked"))
        else:
            self.note.setText(
                self.tr(
                    "The passage as the model was given it. The document has changed or left"
                    " the library since, so its page cannot be shown."
                )
            )
            self.text.setAccessibleName(self.tr("The passage the model was given"))
        self.open_button.setText(self.tr("Open the original file…"))
        if not self.source.path.is_file():
            self.open_button.setToolTip(self.tr("The file is no longer where it was indexed."))

    @Slot()
    def open_original(self) -> None:
        question = self.tr("Open %1 in the program this computer uses for it?").replace(
            "%1", str(self.source.path)
        )
        if message_box.ask(self, self.tr("Open the original file"), question):
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.source.path)))
