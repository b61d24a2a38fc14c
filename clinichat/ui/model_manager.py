"""The model manager: what can be downloaded, what is installed, and downloads in progress.

Written for the person who has to decide whether a model may be used in a clinic: each
catalog model (a card, ui/model_card.py) says in ClinicChat's words what it is good for and
whether a clinic may use it, and the memory it needs against this computer's. Models the
bundled engine cannot run, or that GPT4All withdrew, are clutter to a clinician: they are
hidden unless "Show withdrawn and unusable models" is ticked (then each says why), except
when installed. Downloads keep running when the window is closed; they belong to the
DownloadManager.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clinichat.background import TaskRunner
from clinichat.config.settings import Settings
from clinichat.messages import UserError
from clinichat.models.catalog import CatalogEntry
from clinichat.models.download_manager import DownloadManager
from clinichat.models.download_spec import DownloadError, DownloadState
from clinichat.models.registry import InstalledModel
from clinichat.models.verify import Check, Verdict, status, verify
from clinichat.system_info import total_ram_bytes
from clinichat.translate import translate
from clinichat.ui import message_box
from clinichat.ui.engine_text import engine_line
from clinichat.ui.model_card import ModelCard, card_label, gigabytes
from clinichat.ui.retranslating import Retranslating
from clinichat.ui.speech_models_page import SpeechModelsPage


class InstalledRow(Retranslating, QFrame):
    """One installed model with its verification state and actions."""

    default_requested = Signal(str)
    verify_requested = Signal(str)
    remove_requested = Signal(str)

    def __init__(self, model: InstalledModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.check = status(model.path, model.catalog_entry)
        self.is_default = False
        self.verifying: int | None = None  # percent while a verification runs
        self.setObjectName("modelCard")
        self.title = card_label(self, "cardTitle")
        self.facts = card_label(self, "muted")
        self.engine = card_label(self, "muted")
        self.state = card_label(self)
        self.default_button = QPushButton(self)
        self.verify_button = QPushButton(self)
        self.remove_button = QPushButton(self)
        self.default_button.clicked.connect(lambda: self.default_requested.emit(model.filename))
        self.verify_button.clicked.connect(lambda: self.verify_requested.emit(model.filename))
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(model.filename))
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.facts)
        layout.addWidget(self.engine)
        layout.addWidget(self.state)
        row = QHBoxLayout()
        row.addStretch(1)
        for button in (self.default_button, self.verify_button, self.remove_button):
            row.addWidget(button)
        layout.addLayout(row)
        self.retranslate()

    def report_progress(self, done: int, total: int) -> None:
        """From the worker thread: only store the number; the dialog's timer shows it."""
        self.verifying = done * 100 // max(total, 1)

    def retranslate(self) -> None:
        model = self.model
        title = model.display_name
        if self.is_default:
            title += " — " + (
                self.tr("used for document search") if model.for_documents else self.tr("default")
            )
        self.title.setText(title)
        origin = self.tr("from the catalog") if model.catalog_entry else self.tr("imported file")
        self.facts.setText(f"{model.filename} · {gigabytes(model.size)} · {origin}")
        self.engine.setText(
            self.tr("Finds document passages by meaning (llama.cpp); it does not chat.")
            if model.for_documents
            else engine_line(model.engine)
        )
        self.state.setText(self._state_text())
        self.state.setObjectName(
            "ramWarning" if self.check.verdict in (Verdict.MISMATCH, Verdict.CHANGED) else "muted"
        )
        self.state.style().polish(self.state)
        self.default_button.setText(
            self.tr("Use for document search") if model.for_documents else self.tr("Set as default")
        )
        self.default_button.setEnabled(not self.is_default)
        self.verify_button.setText(self.tr("Verify"))
        self.verify_button.setEnabled(self.verifying is None)
        self.remove_button.setText(self.tr("Remove…"))
        for button in (self.default_button, self.verify_button, self.remove_button):
            button.setAccessibleName(button.text() + " " + model.display_name)
        self.setAccessibleName(model.display_name)

    def _state_text(self) -> str:
        if self.verifying is not None:
            return self.tr("Verifying… %1%").replace("%1", str(self.verifying))
        verdict = self.check.verdict
        if verdict is Verdict.VERIFIED:
            return self.tr("Verified: the checksum matches the catalog (%1).").replace(
                "%1", (self.check.when or "")[:10]
            )
        if verdict is Verdict.CHANGED:
            return self.tr("Changed since it was verified. Verify it again.")
        if verdict is Verdict.MISMATCH:
            return self.tr(
                "The checksum does not match the catalog: the file is damaged or not the"
                " published one. Remove it and download it again."
            )
        if verdict is Verdict.UNVERIFIED:
            return self.tr("Not verified yet.")
        if self.model.catalog_entry is not None:
            return self.tr("Not verified (the catalog gives no checksum).")
        return self.tr("No published checksum to verify against (imported file).")


class ModelManagerDialog(Retranslating, QDialog):
    """Three tabs: models to download (the catalog), models on this computer, and the
    speech models (ui/speech_models_page.py)."""

    import_requested = Signal()
    models_changed = Signal()  # a model was removed

    def __init__(
        self,
        downloads: DownloadManager,
        settings: Settings,
        *,
        in_use: Callable[[], str | None],
        parent: QWidget | None = None,
    ) -> None:
        """`in_use`: the file name of the model loaded now, which cannot be removed."""
        super().__init__(parent)
        self.downloads = downloads
        self.registry = downloads.registry
        self.settings = settings
        self._in_use = in_use
        self._tasks = TaskRunner(self)
        self._verify_timer = QTimer(self)
        self._verify_timer.setInterval(250)
        self._verify_timer.timeout.connect(self._show_verifying)
        self.ram = total_ram_bytes()
        self.tabs = QTabWidget(self)
        self.available_list = QVBoxLayout()
        self.installed_list = QVBoxLayout()
        available_page = QWidget(self)
        available = QVBoxLayout(available_page)
        self.show_unusable = QCheckBox(available_page)
        self.show_unusable.toggled.connect(self._show_cards)
        available.addWidget(self.show_unusable)
        available.addWidget(self._scroll(self.available_list), 1)
        self.tabs.addTab(available_page, "")
        installed_page = QWidget(self)
        installed = QVBoxLayout(installed_page)
        installed.addWidget(self._scroll(self.installed_list), 1)
        tools = QHBoxLayout()
        self.import_button = QPushButton(installed_page)
        self.import_button.clicked.connect(self.import_requested)
        self.folder_button = QPushButton(installed_page)
        self.folder_button.clicked.connect(self.open_folder)
        tools.addWidget(self.import_button)
        tools.addWidget(self.folder_button)
        tools.addStretch(1)
        installed.addLayout(tools)
        self.tabs.addTab(installed_page, "")
        self.speech = SpeechModelsPage(downloads.speech, settings, parent=self)
        speech_scroll = QScrollArea(self)
        speech_scroll.setWidgetResizable(True)
        speech_scroll.setWidget(self.speech)
        self.tabs.addTab(speech_scroll, "")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.buttons)
        self.cards: dict[str, ModelCard] = {}
        self.rows: dict[str, InstalledRow] = {}
        entries = sorted(
            self.registry.catalog, key=lambda e: (e.download_problem is not None, e.order or "z")
        )
        for entry in entries:
            card = ModelCard(entry, self.ram, self)
            card.download_requested.connect(self.start_download)
            card.cancel_requested.connect(self.cancel_download)
            self.available_list.insertWidget(self.available_list.count() - 1, card)
            self.cards[entry.filename] = card
        downloads.installed.connect(self._on_installed)
        downloads.failed.connect(self._on_failed)
        settings.changed.connect(self._on_setting_changed)
        self.refresh()
        self.retranslate()
        self.resize(760, 680)

    def _scroll(self, column: QVBoxLayout) -> QScrollArea:
        page = QWidget()
        page.setLayout(column)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        return scroll

    # -- texts --------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Models"))
        self.tabs.setTabText(0, self.tr("Available to download"))
        self.show_unusable.setText(self.tr("Show withdrawn and unusable models"))
        self.tabs.setTabText(1, self.tr("Installed"))
        self.tabs.setTabText(2, self.tr("Speech"))
        self.import_button.setText(self.tr("Import model file…"))
        self.folder_button.setText(self.tr("Open models folder"))

    # -- state --------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Rebuild the installed list and every card's state from the folder."""
        installed = {
            m.filename: m for m in self.registry.installed() + self.registry.document_models()
        }
        partials = {p.path.name.removesuffix(".part"): p for p in self.downloads.partials()}
        for filename, card in self.cards.items():
            card.set_state(
                installed=filename in installed,
                download=self.downloads.download(filename),
                partial=partials.get(filename),
            )
        self._show_cards()
        for row in self.rows.values():
            row.deleteLater()
        self.rows = {}
        for model in installed.values():
            row = InstalledRow(model, self)
            row.is_default = model.filename == self._chosen(model)
            row.retranslate()
            row.default_requested.connect(self._set_default)
            row.verify_requested.connect(self.verify_model)
            row.remove_requested.connect(self.remove_model)
            self.installed_list.insertWidget(self.installed_list.count() - 1, row)
            self.rows[model.filename] = row

    @Slot()
    def _show_cards(self) -> None:
        """Hide cards that cannot be downloaded here, unless asked; installed ones stay."""
        everything = self.show_unusable.isChecked()
        for card in self.cards.values():
            usable = card.entry.download_problem is None
            card.setVisible(everything or usable or card.installed)

    @Slot(str)
    def _on_setting_changed(self, key: str) -> None:
        if key in ("default_model", "document_model"):
            for row in self.rows.values():
                row.is_default = row.model.filename == self._chosen(row.model)
                row.retranslate()

    # -- downloads ----------------------------------------------------------------------------
    @Slot(object)
    def start_download(self, entry: CatalogEntry) -> None:
        card = self.cards[entry.filename]
        try:
            download = self.downloads.start(entry)
        except (DownloadError, OSError) as error:
            text = error.render(translate) if isinstance(error, UserError) else str(error)
            card.error.setText(text)
            card.error.show()
            return
        card.set_state(installed=False, download=download, partial=None)

    @Slot(object)
    def cancel_download(self, entry: CatalogEntry) -> None:
        """Stop a running download (keeping the part or not), or delete a kept part."""
        download = self.downloads.download(entry.filename)
        idle = (DownloadState.FAILED, DownloadState.CANCELLED, DownloadState.FINISHED)
        if download is not None and download.state not in idle:
            keep = self._ask_keep_part(entry)
            if keep is not None:
                download.cancel(keep_partial=keep)
        else:
            if message_box.ask(
                self,
                self.tr("Delete partial file"),
                self.tr("Delete the partly downloaded file of %1?").replace("%1", entry.name),
            ):
                if download is not None:
                    download.cancel(keep_partial=False)
                partial = self.cards[entry.filename].partial
                if partial is not None:
                    self.downloads.discard(partial)
        self.refresh()

    def _ask_keep_part(self, entry: CatalogEntry) -> bool | None:
        """True: stop and keep the part; False: stop and delete it; None: go on."""
        box = QMessageBox(self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # the entry's name is catalog data
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Cancel download"))
        box.setText(
            self.tr(
                "Stop downloading %1? The part already downloaded can be kept to resume later."
            ).replace("%1", entry.name)
        )
        keep = box.addButton(self.tr("Stop, keep the part"), QMessageBox.ButtonRole.AcceptRole)
        delete = box.addButton(
            self.tr("Stop and delete the part"), QMessageBox.ButtonRole.DestructiveRole
        )
        box.addButton(self.tr("Continue downloading"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        clicked = box.clickedButton()
        return True if clicked is keep else False if clicked is delete else None

    @Slot(object)
    def _on_installed(self, _model: InstalledModel) -> None:
        self.refresh()

    @Slot(str, object)
    def _on_failed(self, filename: str, error: UserError) -> None:
        card = self.cards.get(filename)
        if card is not None:
            card.retranslate()
            card.error.setText(error.render(translate))
            card.error.show()

    # -- installed models -------------------------------------------------------------------
    def _chosen(self, model: InstalledModel) -> str | None:
        """The default chat model, or the document search model (the first installed one
        until one is chosen)."""
        if not model.for_documents:
            return self.settings.default_model
        chosen = self.registry.document_model(self.settings.document_model)
        return chosen.filename if chosen is not None else None

    @Slot(str)
    def _set_default(self, filename: str) -> None:
        row = self.rows.get(filename)
        for_documents = row is not None and row.model.for_documents
        self.settings.set("document_model" if for_documents else "default_model", filename)

    @Slot(str)
    def verify_model(self, filename: str) -> None:
        row = self.rows.get(filename)
        if row is None:
            return
        row.verifying = 0
        row.retranslate()
        model = row.model
        self._tasks.run(
            lambda: verify(model.path, model.catalog_entry, row.report_progress),
            lambda check: self._on_verified(filename, check),
            lambda error: self._on_verify_failed(filename, error),
        )
        self._verify_timer.start()

    @Slot()
    def _show_verifying(self) -> None:
        busy = [row for row in self.rows.values() if row.verifying is not None]
        for row in busy:
            row.retranslate()
        if not busy:
            self._verify_timer.stop()

    def _on_verify_failed(self, filename: str, error: Exception) -> None:
        """The file could not be read to the end: say why; its last known state stays."""
        row = self.rows.get(filename)
        if row is not None:
            row.verifying = None
            row.retranslate()
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        message_box.warn(
            self,
            self.tr("Verify"),
            self.tr("%1 could not be read to verify it: %2")
            .replace("%1", filename)
            .replace("%2", reason),
        )

    def _on_verified(self, filename: str, check: object) -> None:
        row = self.rows.get(filename)
        if row is not None and isinstance(check, Check):
            row.check = check
            row.verifying = None
            row.retranslate()

    @Slot(str)
    def remove_model(self, filename: str) -> None:
        row = self.rows[filename]
        if filename == self._in_use():
            QMessageBox.information(
                self,
                self.tr("Model in use"),
                self.tr("This model is in use. Choose another model first, then remove it."),
            )
            return
        if not message_box.ask(
            self,
            self.tr("Remove model"),
            self.tr("Delete %1 (%2) from this computer? It can be downloaded again later.")
            .replace("%1", row.model.display_name)
            .replace("%2", gigabytes(row.model.size)),
        ):
            return
        try:
            self.registry.remove(filename)
        except OSError as error:
            message_box.warn(self, self.tr("Remove model"), error.strerror or str(error))
        if self.settings.default_model == filename:
            self.settings.set("default_model", None)
        if self.settings.document_model == filename:
            self.settings.set("document_model", None)
        self.refresh()
        self.models_changed.emit()

    @Slot()
    def open_folder(self) -> None:
        self.registry.models_dir.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.registry.models_dir)))

    def closeEvent(self, event: QCloseEvent) -> None:
        self._tasks.wait_all()
        self.speech.wait()
        super().closeEvent(event)
