"""The window's side of document search by meaning: which embedding model, when it may use
the cores, and what it is doing, said in the status bar.

The model is the one chosen in Settings when it is installed, else the first installed
(so downloading one is enough). Progress of the background embedding shows in the status
line; a model that fails is reported once and the search goes on by words.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Slot

from clinichat.config.settings import Settings
from clinichat.document_meaning import DocumentMeaning
from clinichat.llm.session import ChatSession
from clinichat.models.registry import ModelRegistry
from clinichat.ui.status_line import StatusLine

# How long a progress line and "ready" stay in the status line, in ms (each batch renews it).
PROGRESS_MS = 60_000
READY_MS = 6000


class DocumentSearch(QObject):
    """Chooses the embedding model for `meaning` and shows its progress."""

    def __init__(
        self,
        registry: ModelRegistry,
        settings: Settings,
        status_line: StatusLine,
        session: ChatSession,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.registry = registry
        self.settings = settings
        self.status_line = status_line
        self.meaning = DocumentMeaning(self._choose, settings.threads, self)
        self.meaning.progress.connect(self._show_progress)
        self._behind = False  # passages were waiting for a vector
        settings.changed.connect(self._on_setting_changed)
        self.session = session
        session.answer_started.connect(lambda _request: self.meaning.hold(True))
        for ended in (session.answer_finished, session.answer_stopped, session.answer_failed):
            # After the session has taken its next question, if any.
            ended.connect(lambda *_args: QTimer.singleShot(0, self._answers_ended))

    @Slot()
    def _answers_ended(self) -> None:
        if not self.session.is_busy and not self.session.queued_ids():
            self.meaning.hold(False)

    def _choose(self) -> Path | None:
        model = self.registry.document_model(self.settings.document_model)
        return model.path if model is not None else None

    @Slot(str)
    def _on_setting_changed(self, key: str) -> None:
        if key == "document_model":
            self.meaning.refresh()

    @Slot(int, int)
    def _show_progress(self, done: int, total: int) -> None:
        if done < total:
            self._behind = True
            self.status_line.show_message(
                lambda: (
                    self.tr("Search by meaning: %1 of %2 passages ready…")
                    .replace("%1", str(done))
                    .replace("%2", str(total))
                ),
                PROGRESS_MS,
            )
        elif self._behind:
            self._behind = False
            self.status_line.show_message(
                lambda: self.tr("Search by meaning is ready for all %1 passages.").replace(
                    "%1", str(total)
                ),
                READY_MS,
            )
