"""Choosing a preset with mouse or keyboard, and managing presets through the real file."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from clinichat.presets import Preset, builtin_presets_path, presets_for, user_presets_path
from clinichat.ui.preset_editor import PresetEditorDialog, PresetForm
from clinichat.ui.preset_picker import PresetPicker


def builtins(language: str = "en") -> list[Preset]:
    presets, problems = presets_for(language, builtin_presets_path(), Path("/nonexistent"))
    assert problems == []
    return presets


@pytest.fixture
def picker(qtbot: QtBot) -> PresetPicker:
    widget = PresetPicker()
    qtbot.addWidget(widget)
    widget.set_presets(builtins())
    widget.resize(500, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def editor(qtbot: QtBot, tmp_path: Path) -> PresetEditorDialog:
    dialog = PresetEditorDialog(tmp_path, "es")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def row_label(picker: PresetPicker, row: int) -> QLabel:
    label = picker.list.itemWidget(picker.list.item(row))
    assert isinstance(label, QLabel)
    return label


def open_form(qtbot: QtBot, button: QPushButton, editor: PresetEditorDialog) -> PresetForm:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    form = editor.form
    assert form is not None and form.isVisible()
    return form


def answer(qtbot: QtBot, button_text: str) -> None:
    """Click a button of the confirmation box that is open now."""
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox))
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    [button] = [b for b in box.buttons() if b.text() == button_text]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_clicking_a_preset_chooses_it(qtbot: QtBot, picker: PresetPicker) -> None:
    item = picker.list.item(3)
    rect = picker.list.visualItemRect(item)
    with qtbot.waitSignal(picker.chosen, timeout=1000) as chosen:
        qtbot.mouseClick(picker.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert chosen.args == [builtins()[3]]
    assert chosen.args[0].id == "document-summary"


def test_down_and_enter_choose_the_next_preset(qtbot: QtBot, picker: PresetPicker) -> None:
    picker.list.setFocus()
    qtbot.keyClick(picker.list, Qt.Key.Key_Down)
    with qtbot.waitSignal(picker.chosen, timeout=1000) as chosen:
        qtbot.keyClick(picker.list, Qt.Key.Key_Return)
    assert chosen.args is not None and chosen.args[0].id == "soap-note"


def test_each_choice_shows_the_name_in_bold_and_what_it_is_for(picker: PresetPicker) -> None:
    label = row_label(picker, 1)
    assert "<b>SOAP note from consultation notes</b>" in label.text()
    assert "Turn rough consultation notes into a structured SOAP note." in label.text()
    item = picker.list.item(1)
    assert item.text() == "SOAP note from consultation notes", "for screen readers"
    assert picker.list.accessibleName() == "Presets"
    assert picker.manage_button.text() == "Manage presets…"


def test_rows_grow_with_a_large_font_so_no_text_is_clipped(
    qtbot: QtBot, picker: PresetPicker
) -> None:
    normal = picker.list.visualItemRect(picker.list.item(1)).height()
    font = QFont(picker.font())
    font.setPointSizeF(font.pointSizeF() * 1.5)
    picker.setFont(font)
    qtbot.waitUntil(lambda: picker.list.visualItemRect(picker.list.item(1)).height() > normal)
    for row in range(picker.list.count()):
        rect = picker.list.visualItemRect(picker.list.item(row))
        label = row_label(picker, row)
        assert rect.height() >= label.heightForWidth(rect.width())


def test_manage_button_asks_for_the_editor(qtbot: QtBot, picker: PresetPicker) -> None:
    with qtbot.waitSignal(picker.manage_requested, timeout=1000):
        qtbot.mouseClick(picker.manage_button, Qt.MouseButton.LeftButton)


def test_a_new_preset_is_saved_and_then_offered(
    qtbot: QtBot, editor: PresetEditorDialog, tmp_path: Path
) -> None:
    form = open_form(qtbot, editor.new_button, editor)
    qtbot.keyClicks(form.name, "Informe de alta")  # QTest types ASCII only
    form.system_prompt.setPlainText("Eres un asistente de documentación clínica.")
    qtbot.keyClicks(form.instruction, "Redacta el informe de alta:")
    with qtbot.waitSignal(editor.presets_changed, timeout=1000):
        form.save()
    assert not form.isVisible()
    assert editor.list.currentItem().text() == "Informe de alta"

    picker = PresetPicker()
    qtbot.addWidget(picker)
    picker.set_presets(presets_for("es", builtin_presets_path(), tmp_path)[0])
    assert picker.list.item(picker.list.count() - 1).text() == "Informe de alta"


def test_problems_are_shown_in_the_form_and_nothing_is_saved(
    qtbot: QtBot, editor: PresetEditorDialog, tmp_path: Path
) -> None:
    form = open_form(qtbot, editor.new_button, editor)
    form.system_prompt.setPlainText("s" * 8001)
    form.save()
    assert form.isVisible()
    assert form.problems.isVisible()
    assert form.problems.text() == (
        "Give the preset a name.\nThe system prompt has 8001 characters; the limit is 8000."
    )
    assert form.focusWidget() is form.name, "the first field to fix gets the focus"
    assert not user_presets_path(tmp_path).exists()


def test_reset_to_default_restores_an_edited_builtin(
    qtbot: QtBot, editor: PresetEditorDialog, tmp_path: Path
) -> None:
    editor.list.setCurrentRow(1)
    assert not editor.reset_button.isEnabled(), "an untouched built-in has nothing to reset"
    form = open_form(qtbot, editor.edit_button, editor)
    assert form.name.text() == "Nota SOAP a partir de notas de consulta"
    form.name.setText("Mi nota SOAP")
    form.save()
    assert editor.list.currentItem().text() == "Mi nota SOAP (built-in, edited)"
    assert editor.reset_button.isEnabled() and not editor.delete_button.isEnabled()

    with qtbot.waitSignal(editor.presets_changed, timeout=2000):
        qtbot.mouseClick(editor.reset_button, Qt.MouseButton.LeftButton)
        answer(qtbot, "Reset")
    assert editor.list.item(1).text() == "Nota SOAP a partir de notas de consulta (built-in)"
    soap = presets_for("es", builtin_presets_path(), tmp_path)[0][1]
    assert soap.name == "Nota SOAP a partir de notas de consulta" and not soap.edited


def test_deleting_a_user_preset_asks_first(
    qtbot: QtBot, editor: PresetEditorDialog, tmp_path: Path
) -> None:
    form = open_form(qtbot, editor.new_button, editor)
    form.name.setText("Temporal")
    form.save()
    count = editor.list.count()

    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    answer(qtbot, "Cancel")
    assert editor.list.count() == count

    with qtbot.waitSignal(editor.presets_changed, timeout=2000):
        qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
        answer(qtbot, "Delete")
    assert editor.list.count() == count - 1
    assert [p.name for p in presets_for("es", builtin_presets_path(), tmp_path)[0]] == [
        p.name for p in builtins("es")
    ]


def test_the_delete_question_shows_a_name_that_looks_like_html_as_typed(
    qtbot: QtBot, editor: PresetEditorDialog
) -> None:
    """A preset's name is data: never rendered as rich text in the question (no <img> load)."""
    form = open_form(qtbot, editor.new_button, editor)
    form.name.setText('<img src="file:///etc/passwd"> Temporal')
    form.save()
    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox))
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    assert box.textFormat() is Qt.TextFormat.PlainText
    assert '<img src="file:///etc/passwd"> Temporal' in box.text()
    answer(qtbot, "Cancel")


def test_cancelling_a_changed_form_asks_before_discarding(
    qtbot: QtBot, editor: PresetEditorDialog
) -> None:
    form = open_form(qtbot, editor.new_button, editor)
    form.name.setText("A medias")
    form.reject()
    answer(qtbot, "Cancel")
    assert form.isVisible(), "the clinician's text is still there"
    form.reject()
    answer(qtbot, "Discard")
    qtbot.waitUntil(lambda: not form.isVisible())


def test_a_broken_user_file_is_reported_in_the_editor(qtbot: QtBot, tmp_path: Path) -> None:
    user_presets_path(tmp_path).write_text("{broken", encoding="utf-8")
    dialog = PresetEditorDialog(tmp_path, "en")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.problems.isVisible()
    assert str(user_presets_path(tmp_path)) in dialog.problems.text()
    assert dialog.list.count() == len(builtins())


class PseudoTranslator(QTranslator):
    """Translates every text into «text», so a text set once and never again stands out."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        del context, disambiguation, n
        return f"«{source}»"

    def isEmpty(self) -> bool:
        return False  # Qt sends no LanguageChange for an empty translator


@contextmanager
def pseudo_language() -> Iterator[None]:
    translator = PseudoTranslator()
    QCoreApplication.installTranslator(translator)
    try:
        QApplication.processEvents()
        yield
    finally:
        QCoreApplication.removeTranslator(translator)
        QApplication.processEvents()


def interface_texts(root: QWidget) -> list[str]:
    """The texts of the interface itself (not the presets, which are data)."""
    found = [root.windowTitle()] if root.isWindow() else []
    for widget in [root, *root.findChildren(QWidget)]:
        if widget.objectName() == "presetChoice":
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            found.append(widget.text())
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            found.append(widget.placeholderText())
        found += [widget.accessibleName(), widget.accessibleDescription()]
    return [text for text in found if text]


def test_every_text_follows_a_language_switch(
    qtbot: QtBot, picker: PresetPicker, tmp_path: Path
) -> None:
    user_presets_path(tmp_path).write_text("{broken", encoding="utf-8")
    editor = PresetEditorDialog(tmp_path, "en")
    qtbot.addWidget(editor)
    editor.list.setCurrentRow(1)
    form = PresetForm(tmp_path, "en", editor.selected(), editor)
    form.name.clear()
    form.save()
    widgets = (picker, editor, form)
    english = [interface_texts(widget) for widget in widgets]
    with pseudo_language():
        for widget, before in zip(widgets, english, strict=True):
            after = interface_texts(widget)
            assert len(after) == len(before)
            assert [text for text in after if not text.startswith("«")] == [], widget
        assert editor.list.item(1).text() == "«SOAP note from consultation notes (built-in)»"
        assert editor.problems.text().endswith("; they are left out.»")
    assert [interface_texts(widget) for widget in widgets] == english
