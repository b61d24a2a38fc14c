"""The Help menu: a short offline guide, the keyboard shortcuts, and the log folder for IT.

Everything here works with no network: the guide is text in the app (translated like every
other text), not a web page. The shortcuts are read from the one command table
(`clinichat.ui.commands.COMMANDS`), so the list can never disagree with what the keys do.
The log folder is opened in the system's file manager; the logs hold no patient data by
design (clinichat/logging_setup.py), so IT can be sent there without a privacy question.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinichat.ui import message_box
from clinichat.ui.commands import COMMANDS, CONTEXT, MENUS, CommandRegistry
from clinichat.ui.retranslating import Retranslating


def _plain(menu_text: str) -> str:
    """A menu text without its accelerator marks ("&Quit" -> "Quit", "&&" -> "&")."""
    return menu_text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def shortcut_rows() -> list[tuple[str, str]]:
    """(menu → command, keys) for every command that has a shortcut, in menu order."""
    menus = dict(MENUS)
    rows = []
    for command in COMMANDS:
        if command.shortcut is None:
            continue
        keys = QKeySequence(command.shortcut).toString(QKeySequence.SequenceFormat.NativeText)
        if not keys:  # a standard key this platform leaves empty
            continue
        menu = _plain(QCoreApplication.translate(CONTEXT, menus[command.menu]))
        name = _plain(QCoreApplication.translate(CONTEXT, command.text))
        rows.append((f"{menu} → {name}", keys))
    return rows


class GuideDialog(Retranslating, QDialog):
    """What ClinicChat is, the first steps, privacy, the recovery key, the lock, and that
    every answer is the clinician's to check: one page, readable in a minute."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(520, 480)
        page = QWidget()
        self._column = QVBoxLayout(page)
        self._labels: list[tuple[QLabel, QLabel]] = []
        for _ in range(len(self._sections())):
            heading, text = QLabel(page), QLabel(page)
            heading.setObjectName("cardTitle")
            for label in (heading, text):
                label.setTextFormat(Qt.TextFormat.PlainText)
                label.setWordWrap(True)
                self._column.addWidget(label)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._labels.append((heading, text))
        self._column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        self.retranslate()

    def _sections(self) -> list[tuple[str, str]]:
        return [
            (
                self.tr("What ClinicChat is"),
                self.tr(
                    "A chat assistant for clinicians. The language model runs on this"
                    " computer, so no question and no answer ever leaves it; once a model is"
                    " installed, ClinicChat works with no network at all."
                ),
            ),
            (
                self.tr("First steps"),
                self.tr(
                    "1. Install a model: File → Models… downloads one (once), or File →"
                    " Import model file… adds one your IT department provided.\n"
                    "2. Start a new conversation and choose a preset (a SOAP note, a letter,"
                    " an explanation for a patient), or simply type your question.\n"
                    "3. Enter sends, Shift+Enter starts a new line, Esc stops an answer.\n"
                    "4. Copy answer puts the answer on the clipboard as plain text, ready for"
                    " the health record.\n"
                    "Help → Keyboard shortcuts lists every shortcut."
                ),
            ),
            (
                self.tr("Privacy"),
                self.tr(
                    "Nothing leaves this computer: questions, answers and the files you add"
                    " stay here. Conversations are kept in an encrypted history (Settings →"
                    " Save conversations turns this off). The log files hold no patient"
                    " data."
                ),
            ),
            (
                self.tr("The recovery key"),
                self.tr(
                    "The recovery key opens the history on another computer, or when the"
                    " passphrase is lost. History → Export recovery key shows it. Keep it"
                    " where your IT department keeps such keys, never next to this computer."
                ),
            ),
            (
                self.tr("The lock"),
                self.tr(
                    "After some minutes without use (Settings → Lock after idle minutes), or"
                    " with History → Lock, ClinicChat hides every conversation until it is"
                    " unlocked. Lock it whenever you leave the computer."
                ),
            ),
            (
                self.tr("Check every answer"),
                self.tr(
                    "Answers come from a language model and can be wrong, incomplete or out"
                    " of date. They are drafts: check every clinical fact, dose and reference"
                    " before you rely on it. The responsibility stays with you."
                ),
            ),
        ]

    def retranslate(self) -> None:
        """Set every text in the current language (at start and on a language switch)."""
        self.setWindowTitle(self.tr("ClinicChat guide"))
        for (heading, text), (title, body) in zip(self._labels, self._sections(), strict=True):
            heading.setText(title)
            text.setText(body)


class ShortcutsDialog(Retranslating, QDialog):
    """Every keyboard shortcut, read from the command table, in a two-column list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(460, 360)
        self.table = QTableWidget(0, 2, self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        """Set every text in the current language; the rows are rebuilt from the table."""
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Command"), self.tr("Keys")])
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        rows = shortcut_rows()
        self.table.setRowCount(len(rows))
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))  # plain text
        # Wide enough for every command's whole name ("File → Settings…" was cut to
        # "File → …" in Spanish at 150%); the texts change with the language and size.
        needed = sum(self.table.sizeHintForColumn(column) for column in (0, 1))
        frame = 2 * self.table.frameWidth() + self.table.verticalScrollBar().sizeHint().width()
        margins = self.contentsMargins().left() + self.contentsMargins().right()
        layout = self.layout()
        if layout is not None:
            margins += layout.contentsMargins().left() + layout.contentsMargins().right()
        self.setMinimumWidth(max(460, needed + frame + margins + 8))


class HelpCommands(QObject):
    """Binds the Help menu's commands to their dialogs and to the log folder.

    Each dialog is opened once; choosing the command again brings it to the front.
    """

    def __init__(self, commands: CommandRegistry, window: QWidget, logs: Path | None) -> None:
        super().__init__(window)
        self._window = window
        self._logs = logs
        self.guide: GuideDialog | None = None
        self.shortcuts: ShortcutsDialog | None = None
        commands.bind("guide", self.show_guide)
        commands.bind("shortcuts", self.show_shortcuts)
        if logs is not None:
            commands.bind("open_logs", self.open_log_folder)

    @Slot()
    def show_guide(self) -> None:
        if self.guide is None:
            self.guide = GuideDialog(self._window)
            self.guide.finished.connect(self._guide_closed)
            self.guide.open()
        self.guide.raise_()

    @Slot()
    def show_shortcuts(self) -> None:
        if self.shortcuts is None:
            self.shortcuts = ShortcutsDialog(self._window)
            self.shortcuts.finished.connect(self._shortcuts_closed)
            self.shortcuts.open()
        self.shortcuts.raise_()

    @Slot()
    def open_log_folder(self) -> None:
        """Show the log folder in the file manager; say where it is when that fails."""
        if self._logs is None:
            return
        # Logging to a file may be off, so the folder may not exist yet; if it cannot be
        # made, opening fails too and the message names the folder.
        with contextlib.suppress(OSError):
            self._logs.mkdir(parents=True, exist_ok=True)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._logs))):
            message_box.warn(
                self._window,
                self.tr("Open log folder"),
                self.tr("The log folder could not be opened. It is here:\n%1").replace(
                    "%1", str(self._logs)
                ),
            )

    @Slot()
    def _guide_closed(self) -> None:
        if self.guide is not None:
            self.guide.deleteLater()
            self.guide = None

    @Slot()
    def _shortcuts_closed(self) -> None:
        if self.shortcuts is not None:
            self.shortcuts.deleteLater()
            self.shortcuts = None
