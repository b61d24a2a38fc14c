"""One catalog model in the model manager: what it is, whether a clinic may use it, and its
download controls.

The description is ClinicChat's own (clinichat/models/descriptions.py), translated when
shown; a model ClinicChat has no text for shows the catalog file's text, sanitised and
labelled as the catalog's, because it was written by whoever wrote that file.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from PySide6.QtCore import QLocale, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinichat.models.catalog import CatalogEntry
from clinichat.models.descriptions import CONTEXT, model_text
from clinichat.models.download import Download
from clinichat.models.download_manager import Partial
from clinichat.models.download_spec import DownloadState
from clinichat.translate import translate
from clinichat.ui.retranslating import Retranslating
from clinichat.ui.safe_html import sanitise

GB = 1024**3
_PARAMETERS = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*(billion|million)", re.IGNORECASE)


def gigabytes(size: float) -> str:
    """'4,1 GB' or '4.1 GB' as the current language writes numbers; '44 MB' for what would
    round to '0.0 GB'."""
    if size < GB / 20:
        return QLocale().toString(size / 2**20, "f", 0) + " MB"
    return QLocale().toString(size / GB, "f", 1) + " GB"


def card_label(parent: QWidget, name: str | None = None, *, rich: bool = False) -> QLabel:
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
        self.title = card_label(self, "cardTitle")
        self.facts = card_label(self, "muted")
        self.memory = card_label(self)
        self.badge = QLabel(self)
        self.badge.setTextFormat(Qt.TextFormat.PlainText)
        self.description = card_label(self)
        self.licence = card_label(self)
        self.catalog_note = card_label(self, "muted")
        self.catalog_text = card_label(self, rich=True)
        self.problem = card_label(self, "ramWarning")
        self.action = QPushButton(self)
        self.action.setMinimumWidth(160)
        self.action.clicked.connect(lambda: self.download_requested.emit(self.entry))
        self.pause = QPushButton(self)
        self.pause.clicked.connect(self._toggle_pause)
        self.cancel = QPushButton(self)
        self.cancel.clicked.connect(lambda: self.cancel_requested.emit(self.entry))
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(False)
        self.progress_text = card_label(self, "muted")
        self.error = card_label(self, "ramWarning")
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        for widget in (
            self.facts,
            self.memory,
            self.description,
            self.licence,
            self.catalog_note,
            self.catalog_text,
            self.problem,
        ):
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
            self.tr("for document search, not chat") if entry.embedding_model else "",
        ]
        self.facts.setText(" · ".join(f for f in facts if f))
        self._render_memory()
        self._render_licence()
        self._render_description()
        problem = entry.download_problem
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
        if needed is not None and self.entry.embedding_model:
            # It runs beside the chat model, so what it needs is added to that model's.
            self.memory.setText(
                self.tr("Adds about %1 GB of memory (RAM) to the chat model's.").replace(
                    "%1", str(needed)
                )
            )
            self.memory.setObjectName("")
        elif needed is None:
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

    def _render_description(self) -> None:
        """ClinicChat's text in the reader's language, else the catalog file's, labelled."""
        ours = model_text(self.entry.filename)
        if ours is not None:
            self.description.setText(
                translate(CONTEXT, ours.summary) + "\n" + translate(CONTEXT, ours.details)
            )
            self.licence.setText(translate(CONTEXT, ours.licence))
        theirs = sanitise(self.entry.description) if ours is None else ""
        self.catalog_note.setText(
            self.tr("From the catalog file, in its own words (not written by ClinicChat):")
        )
        self.catalog_text.setText(theirs)
        self.description.setVisible(ours is not None)
        self.licence.setVisible(ours is not None)
        self.catalog_note.setVisible(bool(theirs))
        self.catalog_text.setVisible(bool(theirs))

    def _render_licence(self) -> None:
        ours = model_text(self.entry.filename)
        commercial = ours.commercial if ours is not None else self.entry.commercial_use
        terms = self.entry.licence_terms
        if commercial is True and terms is not None and terms.conditions:
            # Gemma terms, HAI-DEF, Llama licence: allowed, under terms the clinic must read.
            text, name = self.tr("Commercial use: yes, with conditions"), "badgeUnknown"
        elif commercial is True:
            text, name = self.tr("Commercial use: yes"), "badgeYes"
        elif commercial is False:
            text, name = self.tr("Commercial use: no"), "badgeNo"
        else:
            text, name = self.tr("Commercial use: not stated"), "badgeUnknown"
        self.badge.setText(text)
        self.badge.setObjectName(name)
        self.badge.setToolTip(
            self.tr(
                "As ClinicChat reads the licence; check the licence itself before use in a clinic."
            )
            if ours is not None
            else self.tr("As the catalog states the licence; check it before use in a clinic.")
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
