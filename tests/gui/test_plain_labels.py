"""No label interprets the text it shows unless its code says so (issue 10, item 4).

A QLabel's default format guesses: text that looks like HTML is rendered as HTML, so a model
name or architecture string such as `<img src="file:///…">` would load a local file into the
window. Every label in every window and dialog must therefore have an explicit format; the
rich ones build their HTML from escaped text (conversation_list, preset_picker, model_manager).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot
from test_spanish import open_everything
from windows import starter_window

from clinichat.history.store import Message, Role, Status
from clinichat.llm.thread_finder import ThreadResult
from clinichat.paths import AppPaths
from clinichat.ui.about_dialog import AboutDialog
from clinichat.ui.passphrase import NewPassphraseDialog
from clinichat.ui.recovery_key_dialogs import ImportRecoveryKeyDialog, RecoveryKeyDialog
from clinichat.ui.thread_finder_dialog import ThreadFinderDialog

HOSTILE_NAME = '<img src="file:///etc/hostname"><b>Model</b>'


def guessing_labels(widgets: list[QWidget]) -> list[str]:
    found = []
    for widget in widgets:
        for label in [widget, *widget.findChildren(QLabel)]:
            if isinstance(label, QLabel) and label.textFormat() is Qt.TextFormat.AutoText:
                found.append(f"{type(widget).__name__}: {label.objectName()!r} {label.text()!r}")
    return found


def test_every_label_has_an_explicit_format(
    qtbot: QtBot, tmp_path: Path, starter_model: Path
) -> None:
    window = starter_window(qtbot, tmp_path, starter_model)
    try:
        widgets = open_everything(window)
        answer = Message(7, 1, Role.ASSISTANT, "text", Status.COMPLETE, model=HOSTILE_NAME)
        window.chat_view.add_message(answer)
        finder = ThreadFinderDialog(window)
        finder.show_results([ThreadResult(1, 50.0, 0.2), ThreadResult(2, 60.0, 0.2)], 2)
        dialogs: list[QWidget] = [
            finder,
            NewPassphraseDialog(window),
            RecoveryKeyDialog("0" * 68, window),
            ImportRecoveryKeyDialog(window, needs_passphrase=True),
        ]
        dialogs.append(AboutDialog(AppPaths.under(tmp_path / "base").ensure(), window))
        for dialog in dialogs:
            dialog.show()
        window.lock_page.show_error("<b>wrong</b>")
        assert guessing_labels([*widgets, *dialogs, window.lock_page]) == []
        bubble = window.chat_view.bubble(7)
        assert bubble is not None and bubble.author.text() == HOSTILE_NAME
        assert bubble.author.textFormat() is Qt.TextFormat.PlainText
        for dialog in dialogs:
            dialog.close()
    finally:
        window.close()
        QApplication.processEvents()
