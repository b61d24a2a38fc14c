"""The model manager window and the downloads that outlive it.

Downloads belong to the main window, not to the manager, so closing the manager leaves
them running; a failure is reported in the chat when the manager is closed, and a download
cut short by quitting is offered again at the next start.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from clinichat.config.settings import Settings
from clinichat.messages import UserError
from clinichat.models.download_manager import DownloadManager
from clinichat.translate import translate
from clinichat.ui.document_search import DocumentSearch
from clinichat.ui.model_control import ModelControl
from clinichat.ui.model_manager import ModelManagerDialog


class ModelManagerFlow(QObject):
    """Opens the one model manager and reports the downloads nobody is watching."""

    error = Signal(str)
    notice = Signal(str)
    import_requested = Signal()

    def __init__(
        self,
        window: QWidget,
        downloads: DownloadManager,
        settings: Settings,
        models: ModelControl,
        search: DocumentSearch,
    ) -> None:
        super().__init__(window)
        self._window = window
        self.downloads = downloads
        self._settings = settings
        self._models = models
        self._search = search
        self.dialog: ModelManagerDialog | None = None
        downloads.installed.connect(models.downloaded)
        downloads.installed.connect(lambda _model: search.meaning.refresh())
        downloads.failed.connect(self._on_download_failed)

    @Slot()
    def open(self) -> None:
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        dialog = ModelManagerDialog(
            self.downloads, self._settings, in_use=self._models.in_use, parent=self._window
        )
        dialog.import_requested.connect(self.import_requested)
        dialog.models_changed.connect(self._models.refresh)
        dialog.models_changed.connect(self._search.meaning.refresh)
        dialog.finished.connect(lambda _code: self._close(dialog))
        self.dialog = dialog
        dialog.show()

    def _close(self, dialog: ModelManagerDialog) -> None:
        self.dialog = None
        dialog.deleteLater()

    @Slot(str, object)
    def _on_download_failed(self, filename: str, error: UserError) -> None:
        if self.dialog is None:
            self.error.emit(
                self.tr("The download of %1 stopped: %2")
                .replace("%1", filename)
                .replace("%2", error.render(translate))
            )

    def offer_partial_downloads(self) -> None:
        """A download cut short by closing the app is offered again at the next start."""
        partials = [p for p in self.downloads.partials() if p.entry is not None]
        if partials:
            names = ", ".join(p.entry.name for p in partials if p.entry is not None)
            self.notice.emit(
                self.tr(
                    "A download was interrupted (%1). Open File → Models to resume it."
                ).replace("%1", names)
            )
