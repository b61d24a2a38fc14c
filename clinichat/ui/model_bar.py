"""The toolbar above the chat: which model answers, and with how many processor threads.

The clinic's server, when one is set up and allowed, is one more entry in the model list;
while it answers, the bar says so (`server_in_use`) for the window's banner.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QSlider, QToolBar, QWidget

from clinichat.models.registry import InstalledModel
from clinichat.ui import wheel_guard
from clinichat.ui.retranslating import Retranslating

# The server's entry in the list: never a model file's name (those end in .gguf).
SERVER_ITEM = "clinic-server:"


class ModelBar(Retranslating, QToolBar):
    """Model picker, import button and thread slider; it only reports what the user picks."""

    model_chosen = Signal(str)  # file name
    server_chosen = Signal()
    server_in_use = Signal(str)  # the server's address; "" when a model here answers
    import_requested = Signal()
    threads_changed = Signal(int)

    def __init__(self, threads: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelToolbar")
        self.setMovable(False)
        self.model_label = QLabel(self)
        self.model_label.setTextFormat(Qt.TextFormat.PlainText)
        self.addWidget(self.model_label)
        self.combo = QComboBox(self)
        self.combo.setMinimumWidth(260)
        self.model_label.setBuddy(self.combo)
        self.addWidget(self.combo)
        self.import_button = QPushButton(self)
        self.addWidget(self.import_button)
        self.addSeparator()
        self.threads_label = QLabel(self)
        self.threads_label.setTextFormat(Qt.TextFormat.PlainText)
        self.addWidget(self.threads_label)
        cores = os.cpu_count() or 1
        self.threads_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.threads_slider.setRange(1, cores)
        self.threads_slider.setValue(min(threads, cores))
        self.threads_slider.setFixedWidth(140)
        self.threads_slider.setPageStep(1)
        self.threads_label.setBuddy(self.threads_slider)
        self.addWidget(self.threads_slider)
        self.threads_value = QLabel(str(self.threads_slider.value()), self)
        self.threads_value.setTextFormat(Qt.TextFormat.PlainText)
        self.threads_value.setMinimumWidth(24)
        self.addWidget(self.threads_value)
        self.combo.activated.connect(self._on_activated)
        self.import_button.clicked.connect(self.import_requested)
        self.threads_slider.valueChanged.connect(self._on_threads)
        self._server_label: str | None = None
        wheel_guard.protect(self)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Model"))
        self.model_label.setText(self.tr("&Model:"))
        self.combo.setAccessibleName(self.tr("Model"))
        self.import_button.setText(self.tr("Import model file…"))
        self.threads_label.setText(self.tr("&Threads:"))
        self.threads_slider.setAccessibleName(self.tr("Processor threads"))
        self.threads_slider.setToolTip(
            self.tr(
                "Processor threads used to answer. More is not always faster;"
                " applies from the next answer."
            )
        )
        self.threads_value.setAccessibleName(self.tr("Threads in use"))
        if self._server_label is not None:
            index = self.combo.findData(SERVER_ITEM)
            if index >= 0:
                self.combo.setItemText(index, self._server_text())

    @property
    def threads(self) -> int:
        return self.threads_slider.value()

    @property
    def max_threads(self) -> int:
        return self.threads_slider.maximum()

    def set_threads(self, value: int) -> None:
        """Move the slider (emits `threads_changed` when the value changes)."""
        self.threads_slider.setValue(value)

    def set_models(
        self,
        models: list[InstalledModel],
        selected: str | None,
        server: str | None = None,
    ) -> int:
        """List `models`, and the clinic's server (its model's name) when one is offered;
        select `selected` (a file name or SERVER_ITEM, else the first) and return its row."""
        self.combo.clear()
        for model in models:
            self.combo.addItem(model.display_name, model.filename)
        self._server_label = server
        if server is not None:
            if models:
                self.combo.insertSeparator(self.combo.count())
            self.combo.addItem(self._server_text(), SERVER_ITEM)
        index = max(0, self.combo.findData(selected)) if selected else 0
        self.combo.setCurrentIndex(index)
        return index

    def show_server(self, address: str | None) -> None:
        """Questions go to `address` (a server's shown address) from now on, or, with None,
        to a model here. The thread slider has nothing to do with a server's answers."""
        self.threads_slider.setEnabled(address is None)
        self.server_in_use.emit(address or "")

    def _server_text(self) -> str:
        return self.tr("Clinic server: %1").replace("%1", self._server_label or "")

    def select(self, filename: str) -> bool:
        """Show `filename` as chosen without emitting; False when it is not listed."""
        index = self.combo.findData(filename)
        if index >= 0:
            self.combo.setCurrentIndex(index)
        return index >= 0

    @Slot(int)
    def _on_activated(self, index: int) -> None:
        filename = self.combo.itemData(index)
        if filename == SERVER_ITEM:
            self.server_chosen.emit()
        elif isinstance(filename, str):
            self.model_chosen.emit(filename)

    @Slot(int)
    def _on_threads(self, value: int) -> None:
        self.threads_value.setText(str(value))
        self.threads_changed.emit(value)
