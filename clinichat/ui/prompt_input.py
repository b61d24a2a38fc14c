"""The question box: Enter sends, Shift+Enter starts a new line, text files can be dropped in.

Clinicians often have the material already in a file (an exported report, dictated notes):
dropping or pasting a .txt or .md file inserts its text at the cursor. Only files on this
computer are read, never a remote address, and only plain text up to a size limit, so a
wrong file gets a clear refusal instead of pages of garbage. The box also warns, through
`problem`, when its text is more than the current model can read at once, before the
clinician sends it and waits for an error.

The box grows with its text, from a few lines up to `MAX_LINES`, and scrolls beyond that: a
preset's pre-filled instruction is seen whole before the clinician adds the material, and a
pasted report does not push the conversation off the screen.
"""

from __future__ import annotations

import codecs
import stat
from pathlib import Path

from PySide6.QtCore import QEvent, QLocale, QMimeData, QSizeF, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from clinichat.llm.engines.base import estimate_tokens
from clinichat.ui.retranslating import Retranslating

TEXT_SUFFIXES = (".txt", ".md")
# Far more than any model here can read at once (the budget check says so), small enough
# that a wrong file cannot stall the window.
MAX_FILE_BYTES = 1024 * 1024
BUDGET_CHECK_DELAY_MS = 300
MIN_LINES = 4
MAX_LINES = 8


class NotText(ValueError):
    """The bytes are not text in any encoding a clinician's files are likely to use."""


class _Refused(Exception):
    """A file that cannot be added; the message says why, in the user's language."""


def decode_text(data: bytes) -> str:
    """Decode a text file's bytes, guessing the encoding the way Windows editors save them.

    UTF-16 needs its byte-order mark; otherwise a NUL byte means a binary file. UTF-8 (with
    or without BOM) is tried strictly first, then Windows-1252 (Spanish text typed on older
    Windows machines), then Latin-1, which decodes anything. Line ends become "\\n".
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise NotText from error
    elif b"\0" in data:
        raise NotText
    else:
        text = _first_decoding(data, ("utf-8-sig", "cp1252", "latin-1"))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _first_decoding(data: bytes, encodings: tuple[str, ...]) -> str:
    for encoding in encodings[:-1]:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode(encodings[-1])


class PromptInput(Retranslating, QPlainTextEdit):
    """Multi-line input that submits on Enter, as chat users expect."""

    submitted = Signal()
    problem = Signal(str)  # a refused file, or text too long for the model; shown to the user
    problem_cleared = Signal()  # the last problem is gone (the text changed and now fits)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        # In a plain-text document the layout's height counts wrapped lines, not pixels.
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)
        self._fit_height()
        self._budget: int | None = None
        self._problem: str | None = None
        self._budget_timer = QTimer(self)
        self._budget_timer.setSingleShot(True)
        self._budget_timer.setInterval(BUDGET_CHECK_DELAY_MS)
        self._budget_timer.timeout.connect(self._check_budget)
        self.textChanged.connect(self._budget_timer.start)
        self.retranslate()

    def retranslate(self) -> None:
        """Set every text in the current language (at start and on a language switch).

        Problems already reported are not sent again; the next check reports in the new one.
        """
        self.setPlaceholderText(self.tr("Ask a question… (Enter sends, Shift+Enter new line)"))
        self.setAccessibleName(self.tr("Question"))
        self.setAccessibleDescription(
            self.tr("Enter sends, Shift+Enter starts a new line. Text files can be dropped here.")
        )

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # the text size setting
            self._fit_height()

    @Slot()
    @Slot(QSizeF)
    def _fit_height(self, _size: QSizeF | None = None) -> None:
        """As tall as the text's lines, between MIN_LINES and MAX_LINES; it scrolls beyond."""
        lines = int(self.document().documentLayout().documentSize().height())
        shown = max(MIN_LINES, min(MAX_LINES, lines))
        margins = self.contentsMargins()
        height = (
            shown * self.fontMetrics().lineSpacing()
            + 2 * self.document().documentMargin()
            + margins.top()
            + margins.bottom()
        )
        self.setFixedHeight(int(height) + 1)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.submitted.emit()
            return
        super().keyPressEvent(event)

    def prefill(self, instruction: str) -> None:
        """Start a conversation from a preset: its instruction, then room for the material."""
        self.setPlainText(f"{instruction}\n\n" if instruction.strip() else "")
        self.moveCursor(QTextCursor.MoveOperation.End)
        self.setFocus()

    def set_context_budget(self, tokens: int | None) -> None:
        """How many tokens the current model can take for this text; None: no check."""
        self._budget = tokens
        self._check_budget()

    # -- paste and drop ----------------------------------------------------------------
    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        # Accept any local file, so that a refused one gets a message, not a silent no-entry.
        return bool(_local_files(source)) or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        files = _local_files(source)
        if not files:
            super().insertFromMimeData(source)  # plain text; a web link only as its text
            return
        try:
            # All or nothing: with some files in and some not, a gap would be easy to miss.
            texts = [self._read_text_file(path) for path in files]
        except _Refused as refusal:
            self._report(str(refusal))
            return
        self.insertPlainText("\n\n".join(texts))
        self._check_budget()

    def _read_text_file(self, path: Path) -> str:
        """The file's text; raises _Refused with the reason, for the user, when it cannot be."""
        name = path.name
        if path.suffix.lower() not in TEXT_SUFFIXES:
            raise _Refused(
                self.tr(
                    "“%1” cannot be added: only plain-text files (.txt, .md) can. Open it in"
                    " its own program and copy the text you need."
                ).replace("%1", name)
            )
        try:
            status = path.stat()
            if not stat.S_ISREG(status.st_mode):
                raise _Refused(self.tr("“%1” is not a file.").replace("%1", name))
            if status.st_size > MAX_FILE_BYTES:
                raise _Refused(
                    self.tr(
                        "“%1” is %2, more than the %3 a file can have here. Paste only the"
                        " part you need."
                    )
                    .replace("%1", name)
                    .replace("%2", _size(status.st_size))
                    .replace("%3", _size(MAX_FILE_BYTES))
                )
            data = path.read_bytes()
        except OSError as error:
            raise _Refused(
                self.tr("“%1” could not be read (%2).")
                .replace("%1", name)
                .replace("%2", error.strerror or str(error))
            ) from error
        try:
            return decode_text(data)
        except NotText:
            raise _Refused(self.tr("“%1” is not a text file.").replace("%1", name)) from None

    # -- problems ----------------------------------------------------------------------
    def _report(self, message: str) -> None:
        self._problem = message
        self.problem.emit(message)

    @Slot()
    def _check_budget(self) -> None:
        """Warn while the text is too long for the model; clear the last problem otherwise."""
        self._budget_timer.stop()
        tokens = estimate_tokens(self.toPlainText())
        if self._budget is not None and tokens > self._budget:
            locale = QLocale()
            message = (
                self.tr(
                    "This text is about %1 tokens, more than the model can read at once (%2)."
                    " Shorten it or split it."
                )
                .replace("%1", locale.toString(tokens))
                .replace("%2", locale.toString(self._budget))
            )
            if message != self._problem:
                self._report(message)
        elif self._problem is not None:
            self._problem = None
            self.problem_cleared.emit()


def _local_files(source: QMimeData) -> list[Path]:
    """The files on this computer named by the data; remote addresses are never fetched."""
    if not source.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in source.urls() if url.isLocalFile()]


def _size(size: int) -> str:
    return QLocale().formattedDataSize(size, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat)
