"""Entries of the conversation list: the whole title with its date, and untitled entries named
in the language of the moment, also after a restart (issue 11, items 8 and 9).

Real widgets with the app's own style sheet and fonts, the real Spanish catalogue and a real
SQLCipher history in tmp.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QDateTime, QLocale, QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QApplication,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)
from pytestqt.qtbot import QtBot

from clinichat.chat_controller import ChatController
from clinichat.config.settings import Settings
from clinichat.history.database import open_encrypted
from clinichat.history.exchanges import title_from
from clinichat.history.sqlcipher_store import EncryptedStore
from clinichat.history.store import UNTITLED, Conversation, Role
from clinichat.i18n import Translations
from clinichat.llm.session import ChatSession
from clinichat.models.registry import ModelRegistry
from clinichat.ui.conversation_list import LINE_BREAK, ConversationList
from clinichat.ui.main_window import MainWindow

LIST_WIDTH = 250  # what the window's splitter gives the list
# resources/style.qss: QListWidget::item { padding: 8px 6px }
ITEM_PADDING_V, ITEM_PADDING_H = 8, 6
LONG_TITLE = title_from(
    "Dizziness on standing for three weeks in an elderly patient taking amlodipine"
)
JANUARY_13 = datetime(2024, 1, 13, 9, 30).timestamp()


def shown_text(entries: ConversationList, item: QListWidgetItem) -> str:
    """The text the list draws for `item` (what its delegate hands the style), one line each."""
    option = QStyleOptionViewItem()
    option.initFrom(entries.list)
    delegate = entries.list.itemDelegate()
    assert isinstance(delegate, QStyledItemDelegate)
    delegate.initStyleOption(option, entries.list.indexFromItem(item))
    return str(option.text).replace(LINE_BREAK, "\n")


def entries_for(qtbot: QtBot, conversations: list[Conversation]) -> ConversationList:
    entries = ConversationList()
    qtbot.addWidget(entries)
    entries.resize(LIST_WIDTH, 400)
    entries.set_conversations(conversations, current=conversations[0].id)
    entries.show()
    qtbot.waitExposed(entries)
    return entries


@pytest.mark.parametrize("scale", [100, 150])
def test_each_entry_shows_its_whole_title_and_its_date(
    qtbot: QtBot, text_size: Callable[[int], None], scale: int
) -> None:
    text_size(scale)
    now = datetime.now().timestamp()
    conversations = [
        Conversation(1, LONG_TITLE, pinned=True, updated=now),
        Conversation(2, "Fever", updated=JANUARY_13),
        Conversation(3, UNTITLED, updated=now),
    ] + [Conversation(10 + n, f"Visit {n}", updated=JANUARY_13) for n in range(30)]
    entries = entries_for(qtbot, conversations)
    view = entries.list
    qtbot.waitUntil(view.verticalScrollBar().isVisible)
    today = QLocale().toString(QDateTime.currentDateTime().time(), QLocale.FormatType.ShortFormat)
    january = QLocale().toString(QDate(2024, 1, 13), QLocale.FormatType.ShortFormat)
    expected = {1: (LONG_TITLE, today), 2: ("Fever", january), 3: ("New conversation", today)}
    style = view.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1

    def problems() -> list[str]:
        found = []
        for row in range(view.count()):
            item = view.item(row)
            key = int(item.data(Qt.ItemDataRole.UserRole))
            title, when = expected.get(key, (item.text(), january))
            if item.text() != title or shown_text(entries, item) != f"{title}\n{when}":
                found.append(f"{title!r}: shown as {shown_text(entries, item)!r}")
            rect = view.visualItemRect(item)
            if rect.right() > view.viewport().rect().right():
                found.append(f"{title!r}: wider than the list")
            room = rect.width() - 2 * (ITEM_PADDING_H + margin)
            metrics = QFontMetrics(item.font())
            wrapped = metrics.boundingRect(
                QRect(0, 0, room, 10_000), int(Qt.TextFlag.TextWordWrap), f"{title}\n{when}"
            )
            if wrapped.width() > room:
                found.append(f"{title!r}: a word is wider than the entry")
            if rect.height() < wrapped.height() + 2 * ITEM_PADDING_V:
                found.append(f"{title!r}: cut off ({rect.height()} < {wrapped.height()} px)")
        return found

    # The scroll bar narrows the rows after the first layout: their heights follow it.
    qtbot.waitUntil(lambda: not problems(), timeout=2_000)
    long_entry = view.item(0)
    assert view.visualItemRect(long_entry).height() > view.visualItemRect(view.item(1)).height()


def test_dates_and_untitled_names_follow_a_language_switch(
    qtbot: QtBot, translations: Translations
) -> None:
    translations.apply("en")
    entries = entries_for(
        qtbot, [Conversation(1, UNTITLED, updated=JANUARY_13), Conversation(2, "Fiebre")]
    )
    untitled = entries.list.item(0)
    english = shown_text(entries, untitled)
    assert english == "New conversation\n" + QLocale("en").toString(
        QDate(2024, 1, 13), QLocale.FormatType.ShortFormat
    )
    translations.apply("es")
    QApplication.processEvents()
    spanish_date = QLocale("es").toString(QDate(2024, 1, 13), QLocale.FormatType.ShortFormat)
    assert spanish_date != english.split("\n")[1], "day and month change places"
    assert shown_text(entries, untitled) == f"Nueva conversación\n{spanish_date}"
    assert untitled.toolTip() == "Nueva conversación"
    assert entries.list.item(1).text() == "Fiebre", "a real title is the clinician's words"
    translations.apply("en")
    QApplication.processEvents()
    assert shown_text(entries, untitled) == english


def test_an_untitled_conversation_is_named_in_the_language_of_each_start(
    qtbot: QtBot, tmp_path: Path, translations: Translations
) -> None:
    key = os.urandom(32)
    database = tmp_path / "history.db"

    def start(language: str) -> MainWindow:
        translations.apply(language)
        store = EncryptedStore(open_encrypted(database, key))
        window = MainWindow(
            ChatController(store, ChatSession()),
            ModelRegistry(tmp_path, []),
            Settings.in_memory(),
            translations=translations,
        )
        qtbot.addWidget(window)
        window.show()
        return window

    def stop(window: MainWindow) -> None:
        store = window.controller.store
        window.close()
        store.close()

    window = start("en")
    conversation = window.controller.new_conversation()
    window.open_conversation(conversation.id)
    # A first question with no words leaves it untitled; a message keeps it over a restart.
    assert title_from("***") == UNTITLED
    window.controller.store.add_message(conversation.id, Role.USER, "***")
    assert window.conversations.list.item(0).text() == "New conversation"
    translations.apply("es")
    QApplication.processEvents()
    assert window.conversations.list.item(0).text() == "Nueva conversación"
    stop(window)

    window = start("es")
    assert window.controller.store.conversation(conversation.id).title == UNTITLED
    window.conversations.set_conversations(window.controller.store.conversations(), None)
    assert window.conversations.list.item(0).text() == "Nueva conversación"
    translations.apply("en")
    QApplication.processEvents()
    assert window.conversations.list.item(0).text() == "New conversation"
    stop(window)
