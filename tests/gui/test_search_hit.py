"""A chosen search hit opens its conversation at the message, with the matched words marked
inside it (issue 11, item 8): real encrypted history, real window, real search."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPalette
from pytestqt.qtbot import QtBot

from clinichat.chat_controller import ChatController
from clinichat.config.settings import Settings
from clinichat.history.database import open_encrypted
from clinichat.history.sqlcipher_store import EncryptedStore
from clinichat.history.store import Message, Role
from clinichat.llm.session import ChatSession
from clinichat.models.catalog import load_catalog
from clinichat.models.registry import ModelRegistry
from clinichat.resources import bundled_catalog_path
from clinichat.ui.main_window import MainWindow

LOAD_TIMEOUT_MS = 60_000
FILLER = "Blood pressure, renal function and a full history come first. " * 12
# Hostile text too: raw HTML stays text, and marking must not turn it into markup.
FOUND = (
    "Start **amoxicillin** 500 mg three times a day; 🙂 Amoxicillin-clavulanate if there is"
    " no response. <b>amoxi_trial</b> is not a drug. Amoxicilina es lo mismo."
)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, starter_model: Path) -> Iterator[MainWindow]:
    """The window over a real encrypted history, with the starter model (so the chat shows)."""
    store = EncryptedStore(open_encrypted(tmp_path / "history.db", os.urandom(32)))
    old = store.create("Otitis media in a 6-year-old")
    for n in range(6):
        store.add_message(old.id, Role.USER, f"Question {n}: what should I check?")
        store.add_message(old.id, Role.ASSISTANT, FOUND if n == 2 else FILLER)
    store.create("Unrelated")
    models = tmp_path / "models"
    models.mkdir()
    shutil.copy2(starter_model, models / starter_model.name)
    catalog, _ = load_catalog(bundled_catalog_path())
    session = ChatSession()
    with qtbot.waitSignal(session.model_loaded, timeout=LOAD_TIMEOUT_MS):
        main = MainWindow(
            ChatController(store, session),
            ModelRegistry(models, catalog),
            Settings.in_memory(threads=2),
        )
        qtbot.addWidget(main)
        main.show()
    main.chat_view.setFixedHeight(300)
    yield main
    main.close()
    store.close()


def found_message(window: MainWindow) -> Message:
    store = window.controller.store
    conversation = next(c for c in store.conversations() if c.title.startswith("Otitis"))
    return next(m for m in store.messages(conversation.id) if m.text == FOUND)


def test_the_chosen_hit_is_in_view_with_exactly_its_words_marked(
    qtbot: QtBot, window: MainWindow
) -> None:
    qtbot.keyClicks(window.conversations.search, "amoxi")  # type: ignore[no-untyped-call]
    qtbot.waitUntil(lambda: window.conversations.hits.isVisible(), timeout=5_000)
    message = found_message(window)
    hits = window.conversations.hits
    row = next(
        r
        for r in range(hits.count())
        if hits.item(r).data(Qt.ItemDataRole.UserRole) == (message.conversation_id, message.id)
    )
    window.conversations._on_hit(hits.item(row))
    assert window.current_conversation == message.conversation_id

    view = window.chat_view
    bubble = view.bubble(message.id)
    assert bubble is not None
    shown = bubble.body.toPlainText()
    assert "<b>amoxi_trial</b>" in shown, "raw HTML is shown as typed"
    marks = bubble.body.extraSelections()
    marked = [(m.cursor.selectionStart(), m.cursor.selectionEnd()) for m in marks]
    # Every word that "amoxi" begins, whatever its case, and nothing else ("_" separates).
    words = [m.span() for m in re.finditer(r"(?i)\bamoxi[^\W_]*", shown)]
    assert [shown[a:b] for a, b in words] == ["amoxicillin", "Amoxicillin", "amoxi", "Amoxicilina"]
    emoji = shown.index("🙂")  # two UTF-16 positions in Qt, one str index here
    expected = [(a + (a > emoji), b + (a > emoji)) for a, b in words]
    assert marked == expected
    assert [m.cursor.selectedText() for m in marks] == [shown[a:b] for a, b in words]
    highlight = bubble.body.palette().color(QPalette.ColorRole.Highlight)
    assert all(m.format.background().color() == highlight for m in marks)
    assert bubble.body.toPlainText() == shown, "marking changed no text"
    others = [b for b in view._bubbles.values() if b is not bubble]
    assert others and all(not b.body.extraSelections() for b in others)

    def mark_in_view() -> bool:
        first = bubble.first_mark()
        if first is None:
            return False
        top_left = bubble.mapTo(view.viewport(), first.topLeft())
        return view.viewport().rect().contains(QRect(top_left, first.size()))

    scroll = view.verticalScrollBar()
    # The bubbles above grow to fit their text after they are shown: the mark stays in view.
    qtbot.waitUntil(lambda: scroll.maximum() > 0 and mark_in_view(), timeout=5_000)
    assert 0 < scroll.value() < scroll.maximum(), "scrolled to the middle, not the newest"


def test_a_title_hit_opens_the_conversation_without_marks(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClicks(window.conversations.search, "otitis")  # type: ignore[no-untyped-call]
    qtbot.waitUntil(lambda: window.conversations.hits.isVisible(), timeout=5_000)
    window.conversations._on_hit(window.conversations.hits.item(0))
    message = found_message(window)
    assert window.current_conversation == message.conversation_id
    assert all(not b.body.extraSelections() for b in window.chat_view._bubbles.values())
