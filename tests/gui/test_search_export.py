"""Search over the encrypted history, pinning, delete-all and export, with real widgets."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from clinichat.chat_controller import ChatController
from clinichat.config.settings import Settings
from clinichat.history.database import open_encrypted
from clinichat.history.sqlcipher_store import EncryptedStore
from clinichat.history.store import UNTITLED, Role
from clinichat.llm.session import ChatSession
from clinichat.models.registry import ModelRegistry
from clinichat.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    store = EncryptedStore(open_encrypted(tmp_path / "history.db", os.urandom(32)))
    old = store.create("Old visit")
    store.add_message(old.id, Role.USER, "Dosage of amoxicillin for otitis media?")
    store.add_message(old.id, Role.ASSISTANT, "Amoxicillin is usually dosed by weight.")
    for n in range(3):
        other = store.create(f"Other {n}")
        store.add_message(other.id, Role.USER, f"Unrelated question {n}")
    controller = ChatController(store, ChatSession())
    main = MainWindow(controller, ModelRegistry(tmp_path / "models", []), Settings.in_memory())
    qtbot.addWidget(main)
    main.show()
    main.chat_view.setFixedHeight(300)
    return main


def test_search_finds_an_old_conversation_and_opens_it_at_the_hit(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.conversation_flow.focus_search()
    assert window.conversations.search.hasFocus()
    qtbot.keyClicks(window.conversations.search, "amoxi")
    qtbot.waitUntil(lambda: window.conversations.hits.isVisible(), timeout=2_000)
    hits = window.conversations.hits
    assert hits.count() >= 1
    label = hits.itemWidget(hits.item(0))
    assert "<b>" in label.text().lower()
    window.conversations._on_hit(hits.item(0))
    store = window.controller.store
    old = next(c for c in store.conversations() if c.title == "Old visit")
    assert window.current_conversation == old.id
    found = [m for m in store.messages(old.id) if "amoxicillin" in m.text.lower()]
    assert any(window.chat_view.bubble(m.id).property("found") for m in found)
    window.conversations.search.clear()
    qtbot.waitUntil(lambda: window.conversations.list.isVisible(), timeout=2_000)


def test_search_with_no_match_says_so(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClicks(window.conversations.search, 'zzqx "AND (')
    qtbot.waitUntil(lambda: window.conversations.hits.isVisible(), timeout=2_000)
    assert window.conversations.hits.item(0).text() == "Nothing found"


def test_pin_moves_a_conversation_to_the_top(window: MainWindow) -> None:
    store = window.controller.store
    old = next(c for c in store.conversations() if c.title == "Old visit")
    window.conversations.pin_requested.emit(old.id, True)
    assert window.conversations.list.item(0).text() == "Old visit"
    assert window.conversations.list.item(0).font().bold()


def answer_box(qtbot: QtBot, key: Qt.Key | None = None, button: str | None = None) -> None:
    """Answer the next question box as a user would: a key (Enter takes the default) or a
    click on the button with that text."""

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, answer)
            return
        if key is not None:
            qtbot.keyClick(box, key)
        else:
            next(b for b in box.buttons() if b.text().replace("&", "") == button).click()

    QTimer.singleShot(50, answer)


def test_delete_all_asks_first_and_enter_means_no(qtbot: QtBot, window: MainWindow) -> None:
    answer_box(qtbot, key=Qt.Key.Key_Return)
    window.conversation_flow.delete_all()
    assert len(window.controller.store.conversations()) >= 4, "Enter must not delete"
    answer_box(qtbot, button="Yes")
    window.conversation_flow.delete_all()
    titles = [c.title for c in window.controller.store.conversations()]
    assert titles == [UNTITLED]


def test_deleting_one_conversation_defaults_to_no(qtbot: QtBot, window: MainWindow) -> None:
    before = len(window.controller.store.conversations())
    window.conversation_flow.refresh()
    answer_box(qtbot, key=Qt.Key.Key_Return)
    window.conversations.ask_delete(window.conversations.list.item(0))
    assert len(window.controller.store.conversations()) == before


@pytest.mark.parametrize("suffix", [".md", ".pdf"])
def test_export_warns_then_writes(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    store = window.controller.store
    old = next(c for c in store.conversations() if c.title == "Old visit")
    window.open_conversation(old.id)
    target = tmp_path / f"export{suffix}"
    warned: list[str] = []

    def warn(_parent: object, title: str, text: str, *_args: object) -> object:
        warned.append(text)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "warning", warn)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.conversation_flow.export()
    assert warned and "NOT be encrypted" in warned[0]
    assert not target.exists(), "cancelling the warning writes nothing"
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Ok)
    window.conversation_flow.export()
    data = target.read_bytes()
    if suffix == ".md":
        text = data.decode("utf-8")
        assert text.startswith("# Old visit")
        assert "> Dosage of amoxicillin for otitis media?" in text
    else:
        assert data.startswith(b"%PDF") and len(data) > 1000


def test_esc_clears_the_search_and_goes_back_to_the_list(qtbot: QtBot, window: MainWindow) -> None:
    search = window.conversations.search
    window.conversation_flow.focus_search()
    qtbot.keyClicks(search, "amoxicillin")
    qtbot.waitUntil(lambda: window.conversations.hits.isVisible(), timeout=5_000)
    stopped: list[bool] = []
    window.commands.actions["stop"].triggered.connect(lambda: stopped.append(True))
    qtbot.keyClick(search, Qt.Key.Key_Escape)
    assert search.text() == ""
    assert not window.conversations.hits.isVisible() and window.conversations.list.isVisible()
    assert stopped == [], "Esc in the search clears it; it does not stop an answer"
