"""The question box: Enter sends, text files drop in, wrong files and too much text are flagged."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QMimeData, QPointF, Qt, QTranslator, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from clinichat.llm.engines.base import estimate_tokens
from clinichat.ui.prompt_input import MAX_FILE_BYTES, PromptInput


@pytest.fixture
def box(qtbot: QtBot) -> PromptInput:
    widget = PromptInput()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def files_data(*paths: Path) -> QMimeData:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    return data


def drop(box: PromptInput, data: QMimeData) -> None:
    """Drag over and drop on the box as a file manager would, through Qt's event delivery."""
    where = QPointF(box.viewport().rect().center())
    actions = Qt.DropAction.CopyAction
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(where.toPoint(), actions, data, buttons, keys)
    QApplication.sendEvent(box.viewport(), enter)
    assert enter.isAccepted(), "the box must accept a file being dragged over it"
    QApplication.sendEvent(box.viewport(), QDropEvent(where, actions, data, buttons, keys))


def paste(box: PromptInput, data: QMimeData) -> None:
    """Paste through the real clipboard, then empty it.

    Data the clipboard still owns when the interpreter exits crashes PySide6 on the way out.
    """
    clipboard = QApplication.clipboard()
    clipboard.setMimeData(data)
    try:
        box.paste()
    finally:
        clipboard.clear()


def test_enter_sends_and_shift_enter_starts_a_new_line(qtbot: QtBot, box: PromptInput) -> None:
    qtbot.keyClicks(box, "first")
    qtbot.keyClick(box, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(box, "second")
    assert box.toPlainText() == "first\nsecond"
    with qtbot.waitSignal(box.submitted, timeout=1000):
        qtbot.keyClick(box, Qt.Key.Key_Return)
    assert box.toPlainText() == "first\nsecond", "sending is the window's job, not the box's"


def test_dropping_a_text_file_inserts_its_text_at_the_cursor(
    qtbot: QtBot, box: PromptInput, tmp_path: Path
) -> None:
    notes = tmp_path / "Notes.TXT"
    notes.write_text("Tos de 3 días.\r\nAfebril.\r\n", encoding="utf-8")
    box.setPlainText("Resume:")
    drop(box, files_data(notes))
    assert box.toPlainText() == "Resume:Tos de 3 días.\nAfebril.\n"


def test_pasting_files_from_the_clipboard_works_like_a_drop(
    box: PromptInput, tmp_path: Path
) -> None:
    first, second = tmp_path / "a.md", tmp_path / "b.txt"
    first.write_text("# Alta\nDx: neumonía", encoding="utf-8")
    second.write_bytes(b"\xef\xbb\xbfSegunda parte")  # UTF-8 with BOM, as Notepad saves it
    paste(box, files_data(first, second))
    assert box.toPlainText() == "# Alta\nDx: neumonía\n\nSegunda parte"


def test_plain_text_paste_still_works(box: PromptInput) -> None:
    data = QMimeData()
    data.setText("TA 120/80")
    paste(box, data)
    assert box.toPlainText() == "TA 120/80"


def test_a_remote_link_is_never_fetched_only_its_text_inserted(box: PromptInput) -> None:
    data = QMimeData()
    data.setUrls([QUrl("https://example.org/report.txt")])
    data.setText("https://example.org/report.txt")
    paste(box, data)
    assert box.toPlainText() == "https://example.org/report.txt"


def test_windows_1252_and_utf16_files_are_decoded(box: PromptInput, tmp_path: Path) -> None:
    legacy = tmp_path / "informe.txt"
    legacy.write_bytes("Niño con “fiebre”, 38,5 °C, copago 3 €".encode("cp1252"))
    unicode_notepad = tmp_path / "unicode.txt"
    unicode_notepad.write_bytes("Dolor torácico".encode("utf-16"))  # with its byte-order mark
    drop(box, files_data(legacy))
    box.insertPlainText(" | ")
    drop(box, files_data(unicode_notepad))
    assert box.toPlainText() == "Niño con “fiebre”, 38,5 °C, copago 3 € | Dolor torácico"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("report.pdf", b"%PDF-1.7 ...", "“report.pdf” cannot be added: only plain-text files"),
        ("scan.TXT", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "“scan.TXT” is not a text file."),
        ("notes", b"no extension", "“notes” cannot be added"),
    ],
)
def test_files_that_are_not_text_are_refused_with_a_message(
    qtbot: QtBot, box: PromptInput, tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with qtbot.waitSignal(box.problem, timeout=1000) as problem:
        drop(box, files_data(path))
    assert problem.args is not None and problem.args[0].startswith(expected)
    assert box.toPlainText() == ""


def test_an_oversized_file_is_refused_with_its_size_and_the_limit(
    qtbot: QtBot, box: PromptInput, tmp_path: Path
) -> None:
    big = tmp_path / "huge.txt"
    big.write_bytes(b"a" * (3 * MAX_FILE_BYTES))
    with qtbot.waitSignal(box.problem, timeout=1000) as problem:
        paste(box, files_data(big))
    assert problem.args == [
        "“huge.txt” is 3.0 MB, more than the 1.0 MB a file can have here."
        " Paste only the part you need."
    ]
    assert box.toPlainText() == ""


def test_one_refused_file_keeps_the_others_out_too(
    qtbot: QtBot, box: PromptInput, tmp_path: Path
) -> None:
    good, folder = tmp_path / "good.txt", tmp_path / "folder.txt"
    good.write_text("ok", encoding="utf-8")
    folder.mkdir()
    with qtbot.waitSignal(box.problem, timeout=1000) as problem:
        drop(box, files_data(good, folder))
    assert problem.args == ["“folder.txt” is not a file."]
    assert box.toPlainText() == ""


def test_text_beyond_the_context_budget_is_flagged_then_cleared(
    qtbot: QtBot, box: PromptInput, tmp_path: Path
) -> None:
    box.set_context_budget(100)
    long_file = tmp_path / "long.txt"
    long_file.write_text("palabra " * 100, encoding="utf-8")
    tokens = estimate_tokens("palabra " * 100)
    with qtbot.waitSignal(box.problem, timeout=1000) as problem:
        drop(box, files_data(long_file))
    assert problem.args == [
        f"This text is about {tokens} tokens, more than the model can read at once (100)."
        " Shorten it or split it."
    ]
    with qtbot.waitSignal(box.problem_cleared, timeout=2000):
        box.clear()


def test_typing_past_the_budget_is_flagged_after_a_pause(qtbot: QtBot, box: PromptInput) -> None:
    box.set_context_budget(20)
    with qtbot.waitSignal(box.problem, timeout=2000):
        qtbot.keyClicks(box, "x" * 40)
    with qtbot.assertNotEmitted(box.problem, wait=500):
        box.set_context_budget(20)  # the same verdict is not repeated
    with qtbot.waitSignal(box.problem_cleared, timeout=1000):
        box.set_context_budget(None)


def test_a_refusal_is_cleared_once_the_text_changes(
    qtbot: QtBot, box: PromptInput, tmp_path: Path
) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF")
    with qtbot.waitSignal(box.problem, timeout=1000):
        drop(box, files_data(pdf))
    with qtbot.waitSignal(box.problem_cleared, timeout=2000):
        qtbot.keyClicks(box, "ok")


def test_prefill_puts_the_instruction_first_and_the_cursor_after_it(
    box: PromptInput,
) -> None:
    box.prefill("Write a SOAP note from these consultation notes:")
    assert box.toPlainText() == "Write a SOAP note from these consultation notes:\n\n"
    assert box.textCursor().position() == len(box.toPlainText())
    box.prefill("")
    assert box.toPlainText() == ""


def test_it_has_an_accessible_name_and_description(box: PromptInput) -> None:
    assert box.accessibleName() == "Question"
    assert "Enter sends" in box.accessibleDescription()


class PseudoTranslator(QTranslator):
    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        del context, disambiguation, n
        return f"«{source}»"

    def isEmpty(self) -> bool:
        return False  # Qt sends no LanguageChange for an empty translator


def test_texts_follow_a_language_switch(qtbot: QtBot, box: PromptInput) -> None:
    def texts() -> list[str]:
        return [box.placeholderText(), box.accessibleName(), box.accessibleDescription()]

    english = texts()
    translator = PseudoTranslator()
    QCoreApplication.installTranslator(translator)
    try:
        qtbot.waitUntil(lambda: texts() == [f"«{text}»" for text in english])
    finally:
        QCoreApplication.removeTranslator(translator)
    qtbot.waitUntil(lambda: texts() == english)
