"""The model manager: what can be downloaded, what is installed, and downloads in progress.

Written for the person who has to decide whether a model may be used in a clinic: each
catalog model shows its licence (commercial use yes / no / not stated, read from the
catalog's own wording), the memory it needs against this computer's, and why it cannot be
offered when the bundled engine cannot run it. Downloads keep running when the window is
closed; they belong to the DownloadManager.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from PySide6.QtCore import QLocale, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
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
from clinichat.models.download import Download, DownloadError, DownloadState
from clinichat.models.download_manager import DownloadManager, Partial
from clinichat.models.registry import InstalledModel
from clinichat.models.verify import Check, Verdict, status, verify
from clinichat.system_info import total_ram_bytes
from clinichat.translate import translate
from clinichat.ui import message_box
from clinichat.ui.retranslating import Retranslating
from clinichat.ui.safe_html import sanitise

GB = 1024**3
_PARAMETERS = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*(billion|million)", re.IGNORECASE)


def gigabytes(size: float) -> str:
    """'4,1 GB' or '4.1 GB' as the current language writes numbers."""
    return QLocale().toString(size / GB, "f", 1) + " GB"


def _label(parent: QWidget, name: str | None = None, *, rich: bool = False) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


class ModelCard(Retranslating, QFrame):
    """One catalog model: facts, licence, memory, and its download controls."""

    download_requested = Signal(object)  # CatalogEntry
    cancel_requested = Signal(object)  # CatalogEntry

    def __init__(self, entry: CatalogEntry, ram: int | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.entry = entry
        self.ram = ram
        self.installed = False
        self.download: Download | None = None
        self.partial: Partial | None = None
        self.setObjectName("modelCard")
        self.title = _label(self, "cardTitle")
        self.facts = _label(self, "muted")
        self.memory = _label(self)
        self.badge = QLabel(self)
        self.badge.setTextFormat(Qt.TextFormat.PlainText)
        self.description = _label(self, rich=True)
        self.problem = _label(self, "ramWarning")
        self.action = QPushButton(self)
        self.action.setMinimumWidth(160)
        self.action.clicked.connect(lambda: self.download_requested.emit(self.entry))
        self.pause = QPushButton(self)
        self.pause.clicked.connect(self._toggle_pause)
        self.cancel = QPushButton(self)
        self.cancel.clicked.connect(lambda: self.cancel_requested.emit(self.entry))
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(False)
        self.progress_text = _label(self, "muted")
        self.error = _label(self, "ramWarning")
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        for widget in (self.facts, self.memory, self.description, self.problem):
            layout.addWidget(widget)
        row = QHBoxLayout()
        row.addWidget(self.bar, 1)
        row.addStretch(0)
        row.addWidget(self.action)
        row.addWidget(self.pause)
        row.addWidget(self.cancel)
        layout.addLayout(row)
        layout.addWidget(self.progress_text)
        layout.addWidget(self.error)
        self.retranslate()

    def set_state(
        self, *, installed: bool, download: Download | None, partial: Partial | None
    ) -> None:
        if download is not None and download is not self.download:
            download.progress.connect(self.retranslate)
            download.state_changed.connect(self.retranslate)
        self.installed, self.download, self.partial = installed, download, partial
        self.retranslate()

    @Slot()
    def _toggle_pause(self) -> None:
        if self.download is None:
            return
        if self.download.state is DownloadState.PAUSED:
            self.download.resume()
        else:
            self.download.pause()

    # -- texts ------------------------------------------------------------------------------
    def retranslate(self) -> None:
        entry = self.entry
        self.title.setText(entry.name)
        facts = [
            self._parameters(entry.parameters) if entry.parameters else "",
            self.tr("quantisation %1").replace("%1", entry.quant) if entry.quant else "",
            self.tr("download %1").replace("%1", gigabytes(entry.filesize))
            if entry.filesize
            else "",
            entry.filename,
        ]
        self.facts.setText(" · ".join(f for f in facts if f))
        self._render_memory()
        self._render_licence()
        self.description.setText(sanitise(entry.description))
        problem = entry.chat_problem
        self.problem.setText(translate("Models", problem) if problem else "")
        self.problem.setVisible(problem is not None)
        self._render_download(problem is None)
        self.setAccessibleName(entry.name)

    def _parameters(self, text: str) -> str:
        """'7 billion' from the catalog, said the way the reader's language says it."""
        match = _PARAMETERS.fullmatch(text.strip())
        if match is None:
            return self.tr("%1 parameters").replace("%1", text)
        number = QLocale().toString(float(match.group(1)), "g", 4)
        if match.group(2).lower() == "billion":
            return self.tr("%1 billion parameters").replace("%1", number)
        return self.tr("%1 million parameters").replace("%1", number)

    def _render_memory(self) -> None:
        needed = self.entry.ram_required_gb
        if needed is None:
            self.memory.setText(self.tr("Memory needed: not stated by the catalog"))
            self.memory.setObjectName("")
        elif self.ram is None:
            self.memory.setText(self.tr("Needs %1 GB of memory (RAM)").replace("%1", str(needed)))
            self.memory.setObjectName("")
        else:
            fits = needed * GB <= self.ram
            text = (
                self.tr("Needs %1 GB of memory (RAM); this computer has %2.")
                if fits
                else self.tr(
                    "Needs %1 GB of memory (RAM), but this computer has only %2: it would be"
                    " very slow or fail."
                )
            )
            self.memory.setText(text.replace("%1", str(needed)).replace("%2", gigabytes(self.ram)))
            self.memory.setObjectName("" if fits else "ramWarning")
        self.memory.style().polish(self.memory)

    def _render_licence(self) -> None:
        commercial = self.entry.commercial_use
        if commercial is True:
            text, name = self.tr("Commercial use: yes"), "badgeYes"
        elif commercial is False:
            text, name = self.tr("Commercial use: no"), "badgeNo"
        else:
            text, name = self.tr("Commercial use: not stated"), "badgeUnknown"
        self.badge.setText(text)
        self.badge.setObjectName(name)
        self.badge.setToolTip(
            self.tr("As the catalog states the licence; check it before use in a clinic.")
        )
        self.badge.style().polish(self.badge)

    def _render_download(self, usable: bool) -> None:
        download = self.download
        state = download.state if download else None
        running = state in (
            DownloadState.QUEUED,
            DownloadState.RUNNING,
            DownloadState.RETRYING,
            DownloadState.VERIFYING,
            DownloadState.PAUSED,
        )
        stopped = state in (DownloadState.FAILED, DownloadState.CANCELLED)
        resumable = self.partial is not None or (
            download is not None and stopped and download.part_path.exists()
        )
        self.bar.setVisible(running or resumable)
        self.pause.setVisible(running)
        self.cancel.setVisible(running or resumable)
        self.action.setVisible(not running)
        self.pause.setText(self.tr("Resume") if state is DownloadState.PAUSED else self.tr("Pause"))
        self.cancel.setText(self.tr("Cancel") if running else self.tr("Delete partial file"))
        if self.installed:
            self.action.setText(self.tr("Installed"))
            self.action.setEnabled(False)
        elif resumable:
            self.action.setText(self.tr("Resume download"))
            self.action.setEnabled(usable)
        else:
            self.action.setText(self.tr("Download"))
            self.action.setEnabled(usable)
        self.action.setAccessibleName(self.action.text() + " " + self.entry.name)
        error = download.error if download and state is DownloadState.FAILED else None
        self.error.setText(error.render(translate) if error else "")
        self.error.setVisible(error is not None)
        self.progress_text.setText(self._progress_text())
        self.progress_text.setVisible(bool(self.progress_text.text()))

    def _progress_text(self) -> str:
        download = self.download
        if download is None:
            if self.partial is None:
                return ""
            total = self.entry.filesize or 0
            self._set_bar(self.partial.size, total)
            return (
                self.tr("Partly downloaded: %1 of %2. Resume to continue.")
                .replace("%1", gigabytes(self.partial.size))
                .replace("%2", gigabytes(total))
            )
        total = download.total or 0
        self._set_bar(download.received, total)
        done = self.tr("%1 of %2").replace("%1", gigabytes(download.received))
        done = done.replace("%2", gigabytes(total) if total else "?")
        state = download.state
        if state is DownloadState.RUNNING:
            speed = QLocale().toString(download.speed_bps / 1024**2, "f", 1)
            text = done + " · " + self.tr("%1 MB/s").replace("%1", speed)
            if download.eta_s is not None:
                text += " · " + self._eta(download.eta_s)
            return text
        label: dict[DownloadState, Callable[[], str]] = {
            DownloadState.QUEUED: lambda: self.tr("Starting…"),
            DownloadState.PAUSED: lambda: self.tr("Paused"),
            DownloadState.RETRYING: lambda: self.tr("Connection problem; trying again…"),
            DownloadState.VERIFYING: lambda: self.tr("Checking the file…"),
            DownloadState.FINISHED: lambda: self.tr("Downloaded and verified"),
            DownloadState.FAILED: lambda: self.tr("Stopped"),
            DownloadState.CANCELLED: lambda: self.tr("Cancelled"),
        }
        return done + " · " + label[state]()

    def _set_bar(self, done: int, total: int) -> None:
        # QProgressBar holds an int: count in MiB so 8 GB files fit.
        self.bar.setRange(0, max(1, total // 2**20))
        self.bar.setValue(done // 2**20)

    def _eta(self, seconds: float) -> str:
        minutes = math.ceil(seconds / 60)
        if minutes <= 1:
            return self.tr("less than a minute left")
        if minutes < 120:
            return self.tr("%n min left", "", minutes)
        return self.tr("%n h left", "", round(minutes / 60))


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
        self.title = _label(self, "cardTitle")
        self.facts = _label(self, "muted")
        self.state = _label(self)
        self.default_button = QPushButton(self)
        self.verify_button = QPushButton(self)
        self.remove_button = QPushButton(self)
        self.default_button.clicked.connect(lambda: self.default_requested.emit(model.filename))
        self.verify_button.clicked.connect(lambda: self.verify_requested.emit(model.filename))
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(model.filename))
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.facts)
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
            title += " — " + self.tr("default")
        self.title.setText(title)
        origin = self.tr("from the catalog") if model.catalog_entry else self.tr("imported file")
        self.facts.setText(f"{model.filename} · {gigabytes(model.size)} · {origin}")
        self.state.setText(self._state_text())
        self.state.setObjectName(
            "ramWarning" if self.check.verdict in (Verdict.MISMATCH, Verdict.CHANGED) else "muted"
        )
        self.state.style().polish(self.state)
        self.default_button.setText(self.tr("Set as default"))
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
    """Two tabs: models to download (the catalog) and models on this computer."""

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
        self.tabs.addTab(self._scroll(self.available_list), "")
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
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.buttons)
        self.cards: dict[str, ModelCard] = {}
        self.rows: dict[str, InstalledRow] = {}
        entries = sorted(
            self.registry.catalog, key=lambda e: (e.chat_problem is not None, e.order or "z")
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
        self.tabs.setTabText(1, self.tr("Installed"))
        self.import_button.setText(self.tr("Import model file…"))
        self.folder_button.setText(self.tr("Open models folder"))

    # -- state --------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Rebuild the installed list and every card's state from the folder."""
        installed = {m.filename: m for m in self.registry.installed()}
        partials = {p.path.name.removesuffix(".part"): p for p in self.downloads.partials()}
        for filename, card in self.cards.items():
            card.set_state(
                installed=filename in installed,
                download=self.downloads.download(filename),
                partial=partials.get(filename),
            )
        for row in self.rows.values():
            row.deleteLater()
        self.rows = {}
        for model in installed.values():
            row = InstalledRow(model, self)
            row.is_default = model.filename == self.settings.default_model
            row.retranslate()
            row.default_requested.connect(self._set_default)
            row.verify_requested.connect(self.verify_model)
            row.remove_requested.connect(self.remove_model)
            self.installed_list.insertWidget(self.installed_list.count() - 1, row)
            self.rows[model.filename] = row

    @Slot(str)
    def _on_setting_changed(self, key: str) -> None:
        if key == "default_model":
            for filename, row in self.rows.items():
                row.is_default = filename == self.settings.default_model
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
    @Slot(str)
    def _set_default(self, filename: str) -> None:
        self.settings.set("default_model", filename)

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
        self.refresh()
        self.models_changed.emit()

    @Slot()
    def open_folder(self) -> None:
        self.registry.models_dir.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.registry.models_dir)))

    def closeEvent(self, event: QCloseEvent) -> None:
        self._tasks.wait_all()
        super().closeEvent(event)
