"""Model output is untrusted: nothing is fetched from it and links need a confirmed click."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from clinichat.history.store import Message, Role, Status
from clinichat.ui import message_box
from clinichat.ui.chat_view import ChatView
from clinichat.ui.message_bubble import SafeTextBrowser


def test_images_in_model_output_become_words_before_layout(qtbot: QtBot) -> None:
    """The shown document names no image at all (strace proof: test_hostile_rendering.py)."""
    browser = SafeTextBrowser()
    qtbot.addWidget(browser)
    browser.set_markdown(
        "![scan](file:///etc/passwd) ![](https://example.org/track.png)\n\n"
        '<img src="file:///etc/hostname"> <script>alert(1)</script>'
    )
    browser.show()
    browser.grab()
    block = browser.document().begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            assert not fragments.fragment().charFormat().isImageFormat()
            fragments += 1
        block = block.next()
    text = browser.toPlainText()
    assert "[image: scan]" in text  # (Qt drops an image without alt text altogether)
    assert '<img src="file:///etc/hostname"> <script>alert(1)</script>' in text, "shown as typed"


def test_links_open_only_after_confirmation(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    browser = SafeTextBrowser()
    qtbot.addWidget(browser)
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(message_box, "ask", lambda *a, **k: False)
    browser.anchorClicked.emit(QUrl("https://example.org"))
    assert opened == []
    monkeypatch.setattr(message_box, "ask", lambda *a, **k: True)
    browser.anchorClicked.emit(QUrl("file:///etc/passwd"))
    assert opened == [], "local files are never opened from an answer"
    browser.anchorClicked.emit(QUrl("https://example.org"))
    assert opened == [QUrl("https://example.org")]


def test_user_text_is_shown_as_typed_and_answers_as_markdown(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.add_message(Message(1, 1, Role.USER, "**not bold**"))
    view.add_message(Message(2, 1, Role.ASSISTANT, "", Status.STREAMING))
    for piece in ("**bo", "ld**", " and *it*"):
        view.append_text(2, piece)
    qtbot.waitUntil(lambda: "bold and it" in view.bubble(2).body.toPlainText())
    assert view.bubble(1).body.toPlainText() == "**not bold**"
    assert view.bubble(2).text == "**bold** and *it*"
    assert view.last_answer() is view.bubble(2)


def test_copy_says_copied_for_a_moment(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    copied: list[str] = []
    view.copy_requested.connect(copied.append)
    view.add_message(Message(3, 1, Role.ASSISTANT, "1. one\n2. two", Status.COMPLETE))
    bubble = view.bubble(3)
    assert bubble is not None and bubble.copy_button.text() == "Copy"
    bubble.copy_button.click()
    assert copied == ["1. one\n2. two"]
    assert bubble.copy_button.text() == "Copied"
    qtbot.waitUntil(lambda: bubble.copy_button.text() == "Copy", timeout=3_000)
