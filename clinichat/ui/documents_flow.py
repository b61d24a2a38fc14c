"""The window's side of the document library: the Documents dialog, the line that names the
documents a conversation asks, and a cited passage's whole page.

The library lives inside the encrypted history, so without a saved history there is none,
and the clinician is told how to get one.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from clinichat.chat_controller import ChatController
from clinichat.documents.library import PageText, Passage
from clinichat.folder_watch import FolderWatch
from clinichat.ui.document_search import DocumentSearch
from clinichat.ui.documents_dialog import DocumentsDialog
from clinichat.ui.pages import ChatPage


class DocumentsFlow(QObject):
    """Opens the library for the current conversation and shows what that conversation asks."""

    error = Signal(str)

    def __init__(
        self,
        window: QWidget,
        controller: ChatController,
        page: ChatPage,
        search: DocumentSearch,
        watch: FolderWatch,
        conversation: Callable[[bool], int | None],
    ) -> None:
        """`conversation(make)`: the open conversation's id; with `make`, one is started
        when none is open."""
        super().__init__(window)
        self._window = window
        self._controller = controller
        self._page = page
        self._search = search
        self._watch = watch
        self._conversation = conversation
        search.meaning.failed.connect(self._on_search_failed)

    def page_text(self, source: Passage) -> PageText | None:
        """A cited passage's whole page, from the library the history holds (if any)."""
        library = self._controller.library
        return library.page_text(source) if library is not None else None

    @Slot()
    def open(self) -> None:
        """The document library, and which collections the current conversation asks."""
        library, citations = self._controller.library, self._controller.citations
        if library is None or citations is None:
            self.error.emit(
                self.tr(
                    "Documents are kept inside the encrypted history: turn on saving"
                    " conversations in Settings to use them."
                )
            )
            return
        conversation = self._conversation(True)
        if conversation is None:
            return
        dialog = DocumentsDialog(library, citations, conversation, self._window)
        dialog.accepted.connect(self.show_choice)
        dialog.library_changed.connect(self._search.meaning.catch_up)
        dialog.adding_ended.connect(self._watch.scan)
        dialog.open()

    @Slot(str)
    def _on_search_failed(self, reason: str) -> None:
        self.error.emit(
            self.tr(
                "The document search model cannot be used; documents are searched by their"
                " words. %1"
            ).replace("%1", reason)
        )

    @Slot()
    def show_choice(self) -> None:
        """The line above the conversation that names the documents it asks."""
        citations, conversation = self._controller.citations, self._conversation(False)
        if citations is None or conversation is None:
            self._page.show_documents([], False)
            return
        self._page.show_documents(
            citations.collections(conversation), citations.only_documents(conversation)
        )
