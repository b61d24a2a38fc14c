"""Help: an offline guide, the keyboard shortcuts from the command table, the log folder.

The real window (no model needed) with its real command registry; the log folder opens
through Qt's real QDesktopServices, whose "file" scheme handler the test registers to see
the address instead of starting a file manager.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from translation_checks import pseudo_language, texts, unwrapped

from clinichat.chat_controller import ChatController
from clinichat.config.settings import Settings
from clinichat.history.store import MemoryStore
from clinichat.llm.session import ChatSession
from clinichat.models.registry import ModelRegistry
from clinichat.paths import AppPaths
from clinichat.ui.commands import COMMANDS, Scope
from clinichat.ui.help_dialogs import GuideDialog, ShortcutsDialog
from clinichat.ui.main_window import MainWindow


class FileOpener(QObject):
    """Receives what QDesktopServices.openUrl would hand the file manager."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[QUrl] = []

    @Slot(QUrl)
    def handle(self, url: QUrl) -> None:
        self.opened.append(url)


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return AppPaths.under(tmp_path / "base")


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, paths: AppPaths) -> Iterator[MainWindow]:
    (tmp_path / "models").mkdir()
    main = MainWindow(
        ChatController(MemoryStore(), ChatSession()),
        ModelRegistry(tmp_path / "models", []),
        Settings.in_memory(),
        paths=paths,
    )
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()


@pytest.fixture
def opener() -> Iterator[FileOpener]:
    handler = FileOpener()
    QDesktopServices.setUrlHandler("file", handler, "handle")
    yield handler
    QDesktopServices.unsetUrlHandler("file")


def test_the_help_menu_offers_guide_shortcuts_log_folder_and_about(window: MainWindow) -> None:
    menu = window.commands.menus["help"]
    assert menu.menuAction().isVisible()
    entries = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert entries == [
        "ClinicChat &guide…",
        "&Keyboard shortcuts…",
        "Open &log folder",
        "&About ClinicChat…",
    ]
    assert all(a.isEnabled() for a in menu.actions())


def test_the_guide_covers_privacy_the_key_the_lock_and_checking(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.commands.actions["guide"].trigger()
    guide = window.help.guide
    assert isinstance(guide, GuideDialog) and guide.isVisible()
    text = "\n".join(texts(guide))
    for point in (
        "runs on this computer",
        "First steps",
        "Nothing leaves this computer",
        "recovery key",
        "hides every conversation",
        "check every clinical fact",
    ):
        assert point in text, point
    with pseudo_language():
        assert unwrapped(texts(guide)) == [], "every text goes through the translator"
    window.commands.actions["guide"].trigger()
    assert window.help.guide is guide, "a second request brings the same guide forward"
    guide.reject()
    qtbot.waitUntil(lambda: window.help.guide is None)


def test_the_shortcuts_dialog_lists_every_command_that_has_a_shortcut(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.commands.actions["shortcuts"].trigger()
    dialog = window.help.shortcuts
    assert isinstance(dialog, ShortcutsDialog) and dialog.isVisible()
    table = dialog.table
    rows = [(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())]
    expected = [
        (c, QKeySequence(c.shortcut).toString(QKeySequence.SequenceFormat.NativeText))
        for c in COMMANDS
        if c.shortcut is not None
    ]
    expected = [(c, keys) for c, keys in expected if keys]
    assert len(rows) == len(expected) >= 8
    for (command, keys), (name, shown_keys) in zip(expected, rows, strict=True):
        assert shown_keys == keys, command.name
        assert name.endswith(command.text.replace("&", "")), command.name
        # The keys shown are the keys the window's action really has.
        assert (
            window.commands.actions[command.name]
            .shortcut()
            .toString(QKeySequence.SequenceFormat.NativeText)
            == keys
        )
    assert ("Edit → Stop answering", "Esc") in rows
    with pseudo_language():
        assert table.item(0, 0).text().startswith("«")
    dialog.reject()
    qtbot.waitUntil(lambda: window.help.shortcuts is None)


def test_open_log_folder_opens_the_log_folder(
    window: MainWindow, paths: AppPaths, opener: FileOpener
) -> None:
    window.commands.actions["open_logs"].trigger()
    assert [Path(url.toLocalFile()) for url in opener.opened] == [paths.logs]
    assert paths.logs.is_dir(), "made when file logging had not made it yet"


def test_locked_the_guide_and_shortcuts_work_and_the_log_folder_does_not(
    qtbot: QtBot, window: MainWindow, opener: FileOpener
) -> None:
    scopes = {c.name: c.scope for c in COMMANDS}
    assert scopes["guide"] is scopes["shortcuts"] is Scope.ANYTIME
    assert scopes["open_logs"] is Scope.UNLOCKED
    window.set_locked(True)
    action = window.commands.actions["open_logs"]
    assert not action.isEnabled()
    action.trigger()
    QApplication.processEvents()
    assert opener.opened == [], "no file manager from a locked window"
    window.commands.actions["shortcuts"].trigger()
    assert window.help.shortcuts is not None and window.help.shortcuts.isVisible()
    window.help.shortcuts.reject()
    qtbot.waitUntil(lambda: window.help.shortcuts is None)
