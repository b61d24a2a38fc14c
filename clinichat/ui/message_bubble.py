"""One message of the conversation view: who said it, its state, its text and sources.

A reasoning model's thinking is shown folded under a "Reasoning" toggle, as plain text, apart
from the answer: Copy, export and the saved message hold the answer only. An answer given
with the clinic's documents lists its sources, and its [n] markers open them.

Model output is untrusted text. It is rendered with Qt's own Markdown reader with raw HTML
turned off and its images replaced by their alt text before layout (`safe_markdown`), so
nothing is ever loaded from it, local or remote, and a link opens only when clicked and
confirmed, and only for web and mail addresses. Names (the model's) are plain-text labels.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QRect, QSizeF, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QTextCursor, QTextDocumentFragment
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from clinichat.documents.library import PageText, Passage
from clinichat.history.store import Message, Role, Status
from clinichat.safe_markdown import markdown_document
from clinichat.ui import message_box
from clinichat.ui.retranslating import Retranslating
from clinichat.ui.search_marks import mark_words
from clinichat.ui.sources import (
    PassageDialog,
    cites_any,
    link_markers,
    source_number,
    sources_html,
)

SAFE_LINK_SCHEMES = ("http", "https", "mailto")
# Streamed text is re-rendered at most this often (ms). Each render re-parses the whole answer
# while holding Python's GIL (PySide6 keeps it during setMarkdown), and the model's token
# callback needs the GIL too, so rendering time is taken straight from generation. Measured
# at 2 threads on 2 cores: every 50 ms cost about 3% of tokens/s, every 100 ms nothing
# measurable. Long answers render slower (8 ms for 16 KB), so the pause also grows to at least
# RENDER_COST_FACTOR times the last render's duration, keeping rendering under ~5% of the time.
RENDER_INTERVAL_MS = 100
# How long a message's Copy button says "Copied".
COPIED_MS = 1500
RENDER_COST_FACTOR = 20


class SafeTextBrowser(QTextBrowser):
    """A read-only Markdown view that never fetches anything and grows to fit its text."""

    source_requested = Signal(int)  # a citation [n] was clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)
        self.anchorClicked.connect(self._confirm_link)

    def set_markdown(self, text: str) -> None:
        """Show `text` parsed apart, so this widget's laid-out document never names a file."""
        document = self.document()
        document.clear()
        QTextCursor(document).insertFragment(QTextDocumentFragment(markdown_document(text)))

    @Slot(QSizeF)
    def _fit_height(self, size: QSizeF) -> None:
        margins = self.contentsMargins()
        self.setFixedHeight(int(size.height()) + margins.top() + margins.bottom() + 2)

    @Slot(QUrl)
    def _confirm_link(self, url: QUrl) -> None:
        number = source_number(url)
        if number is not None:
            self.source_requested.emit(number)
            return
        if url.scheme().lower() not in SAFE_LINK_SCHEMES:
            QMessageBox.information(
                self,
                self.tr("Link not opened"),
                self.tr("ClinicChat only opens web and e-mail links."),
            )
            return
        if message_box.ask(
            self,
            self.tr("Open link?"),
            self.tr(
                "This link comes from the model's answer and may be wrong:\n\n%1\n\n"
                "Open it in your browser?"
            ).replace("%1", url.toDisplayString()),
        ):
            QDesktopServices.openUrl(url)


PageLookup = Callable[[Passage], PageText | None]


class MessageBubble(Retranslating, QFrame):
    """One message: who said it, its state, and its text."""

    copy_requested = Signal(str)  # the message's text, for the window to copy (or not)

    def __init__(
        self,
        message: Message,
        parent: QWidget | None = None,
        page_text: PageLookup | None = None,
    ) -> None:
        super().__init__(parent)
        # Where a source's whole page comes from (the open library); None: passages alone.
        self._page_text = page_text
        self.message_id = message.id
        self.role = message.role
        self._text = message.text
        self._reasoning = ""  # streamed thinking, kept only while this view shows the message
        # What the header says depends on these; kept so a language switch can re-render it.
        self._model = message.model
        self._status = message.status
        self._marked = ""  # the search whose words are marked in the text (kept over renders)
        self.setObjectName("userBubble" if message.role is Role.USER else "answerBubble")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        header = QHBoxLayout()
        self.author = QLabel(self)
        self.author.setObjectName("author")
        self.author.setTextFormat(Qt.TextFormat.PlainText)  # a model's name is data
        self.state = QLabel(self)
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.state.setObjectName("messageState")
        header.addWidget(self.author)
        header.addWidget(self.state)
        header.addStretch(1)
        self.copy_button = QToolButton(self)
        self.copy_button.clicked.connect(self.copy_text)
        header.addWidget(self.copy_button)
        layout.addLayout(header)
        self.reasoning_toggle = QToolButton(self)
        self.reasoning_toggle.setObjectName("reasoningToggle")
        self.reasoning_toggle.setCheckable(True)
        self.reasoning_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.reasoning_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.reasoning_toggle.toggled.connect(self._show_reasoning)
        self.reasoning_toggle.hide()
        layout.addWidget(self.reasoning_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        self.reasoning_body = SafeTextBrowser(self)
        self.reasoning_body.setObjectName("reasoning")
        self.reasoning_body.hide()
        layout.addWidget(self.reasoning_body)
        self.body = SafeTextBrowser(self)
        self.body.source_requested.connect(self.open_source)
        layout.addWidget(self.body)
        self._sources: list[Passage] = []
        self.sources_label = QLabel(self)
        self.sources_label.setObjectName("sources")
        self.sources_label.setTextFormat(Qt.TextFormat.RichText)
        self.sources_label.setWordWrap(True)
        self.sources_label.linkActivated.connect(self._on_source_link)
        self.sources_label.hide()
        layout.addWidget(self.sources_label)
        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(RENDER_INTERVAL_MS)
        self._render_timer.timeout.connect(self._render)
        self.update_message(message)

    @property
    def text(self) -> str:
        return self._text

    @property
    def reasoning(self) -> str:
        return self._reasoning

    def retranslate(self) -> None:
        """Set every text in the current language (on each update and on a language switch).

        The message itself and the model's name are not translated.
        """
        if self.role is Role.USER:
            self.author.setText(self.tr("You"))
        else:
            self.author.setText(self._model or self.tr("Assistant"))
        self.state.setText(self._state_text(self._status))
        self.copy_button.setText(self.tr("Copy"))
        self.copy_button.setAccessibleName(self.tr("Copy this message"))
        self.body.setAccessibleName(self.tr("Message text"))
        self.reasoning_toggle.setText(self.tr("Reasoning"))
        self.reasoning_toggle.setToolTip(
            self.tr("How the model worked the question through. Not part of the answer.")
        )
        self.reasoning_body.setAccessibleName(self.tr("The model's reasoning"))
        if self._sources:
            self.sources_label.setText(
                sources_html(self._sources, self.tr("Sources"), self._uncited_warning())
            )

    def update_message(self, message: Message) -> None:
        self._text = message.text
        self._model = message.model
        self._status = message.status
        self.retranslate()
        self.copy_button.setVisible(bool(message.text))
        self._render()

    def _uncited_warning(self) -> str:
        """For a finished answer that cites none of the passages it was given: the search
        always finds the nearest passages, so an answer without [n] is the sign that they
        did not hold the answer (the model was asked to cite what it used)."""
        if self._status is not Status.COMPLETE or cites_any(self._text, len(self._sources)):
            return ""
        return self.tr(
            "This answer cites none of these passages: the documents may not answer the"
            " question. Check it against them before relying on it."
        )

    def append_text(self, piece: str) -> None:
        starting = not self._text
        self._text += piece
        if starting:
            self.retranslate()  # no longer "Preparing…" or "Thinking…": writing
        self.copy_button.setVisible(True)
        if not self._render_timer.isActive():
            self._render_timer.start()

    @property
    def sources(self) -> list[Passage]:
        return self._sources

    def set_sources(self, sources: list[Passage]) -> None:
        """The passages this answer was given: listed under it, its [n] markers linked."""
        self._sources = list(sources)
        self.sources_label.setVisible(bool(sources))
        self.retranslate()
        self._render()

    @Slot(str)
    def _on_source_link(self, link: str) -> None:
        number = source_number(QUrl(link))
        if number is not None:
            self.open_source(number)

    @Slot(int)
    def open_source(self, number: int) -> None:
        """Show source [number] in place (nothing happens for a number it does not have)."""
        if 1 <= number <= len(self._sources):
            source = self._sources[number - 1]
            page = self._page_text(source) if self._page_text is not None else None
            dialog = PassageDialog(number, source, page, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()

    def append_reasoning(self, piece: str) -> None:
        """Add streamed thinking: the toggle appears, the text stays folded unless opened."""
        self._reasoning += piece
        if self.reasoning_toggle.isHidden():
            self.reasoning_toggle.show()
            self.retranslate()  # "Thinking…" until the answer begins
        if not self._render_timer.isActive():
            self._render_timer.start()

    @Slot(bool)
    def _show_reasoning(self, shown: bool) -> None:
        arrow = Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        self.reasoning_toggle.setArrowType(arrow)
        self.reasoning_body.setVisible(shown)
        if shown:
            self.reasoning_body.setPlainText(self._reasoning)

    @Slot()
    def copy_text(self) -> None:
        """Ask the window to copy, and say so on the button for a moment."""
        self.copy_requested.emit(self._text)
        self.copy_button.setText(self.tr("Copied"))
        QTimer.singleShot(COPIED_MS, self, self.retranslate)

    def mark(self, query: str) -> None:
        """Mark the words `query` matched, as found by a search (until the view is rebuilt)."""
        self._marked = query
        mark_words(self.body, query)
        self.setProperty("found", True)
        self.style().unpolish(self)
        self.style().polish(self)

    def first_mark(self) -> QRect | None:
        """Where the first marked word is, in this bubble's coordinates."""
        marks = self.body.extraSelections()
        if not marks:
            return None
        rect = self.body.cursorRect(marks[0].cursor)
        return QRect(self.body.mapTo(self, rect.topLeft()), rect.size())

    @Slot()
    def _render(self) -> None:
        self._render_timer.stop()
        if self.role is Role.USER:
            # The clinician's own words are shown as typed, not interpreted as Markdown.
            self.body.setPlainText(self._text)
        else:
            started = time.perf_counter()
            self.body.set_markdown(self._text)
            if self._sources:
                link_markers(self.body.document(), len(self._sources))
            cost_ms = (time.perf_counter() - started) * 1000
            interval = max(RENDER_INTERVAL_MS, int(cost_ms * RENDER_COST_FACTOR))
            self._render_timer.setInterval(interval)
        if self._marked:  # a new document: its words are marked again
            mark_words(self.body, self._marked)
        if self.reasoning_body.isVisible():
            self.reasoning_body.setPlainText(self._reasoning)

    def _state_text(self, status: Status) -> str:
        if status is Status.STREAMING and not self._text:
            # Before the first word the model reads the prompt, or a clinic server holds
            # the question in its queue: nothing is being written yet.
            return self.tr("Thinking…") if self._reasoning else self.tr("Preparing the answer…")
        return {
            Status.QUEUED: self.tr("Waiting…"),
            Status.STREAMING: self.tr("Writing…"),
            Status.COMPLETE: "",
            Status.STOPPED: self.tr("Stopped"),
            Status.FAILED: self.tr("Failed"),
            Status.INTERRUPTED: self.tr("Interrupted"),
        }[status]
