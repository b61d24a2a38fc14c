"""Export one conversation: the unencrypted-file warning, the file choice, and the write.

This is the only way chat text leaves the vault, so the clinician is told first that the
file will not be encrypted; the file itself is written 0600 (history/export.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from clinichat.documents.library import Passage
from clinichat.history.export import to_markdown, write_markdown, write_pdf
from clinichat.history.store import ConversationStore
from clinichat.ui import file_dialogs
from clinichat.ui.sources import shown_where
from clinichat.ui.titles import shown_title


@dataclass(frozen=True)
class ExportOutcome:
    """What happened; `message` says it in whatever language is current when it is read."""

    ok: bool
    message: Callable[[], str]


class ConversationExporter(QObject):
    """Asks, writes, and says what happened; None when the clinician cancelled."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._window = parent

    def run(
        self,
        store: ConversationStore,
        conversation_id: int,
        sources: Mapping[int, Sequence[Passage]] | None = None,
    ) -> ExportOutcome | None:
        answer = QMessageBox.warning(
            self._window,
            self.tr("Export is not encrypted"),
            self.tr(
                "The exported file will NOT be encrypted. Anyone who can open it can read the"
                " conversation. Save it only where patient data is allowed, and delete it when"
                " it is no longer needed."
            ),
            QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Ok:
            return None
        path, chosen = QFileDialog.getSaveFileName(
            self._window,
            self.tr("Export conversation"),
            # A generic name in the clinician's language: the title may name a patient.
            str(Path.home() / (self.tr("conversation") + ".md")),
            self.tr("Markdown (*.md);;PDF (*.pdf)"),
            options=file_dialogs.OPTIONS,
        )
        if not path:
            return None
        conversation = store.conversation(conversation_id)
        markdown = to_markdown(
            conversation,
            store.messages(conversation.id),
            title=shown_title(conversation.title),
            you=self.tr("You"),
            assistant=self.tr("Assistant"),
            sources=sources,
            sources_title=self.tr("Sources"),
            place=shown_where,
        )
        target = Path(path)
        try:
            if target.suffix.lower() == ".pdf" or ("pdf" in chosen.lower() and not target.suffix):
                write_pdf(target.with_suffix(".pdf"), markdown)
            else:
                write_markdown(target, markdown)
        except OSError as error:
            why = str(error)
            return ExportOutcome(False, lambda: self.tr("The export failed: %1").replace("%1", why))
        return ExportOutcome(True, lambda: self.tr("Conversation exported (not encrypted)"))
