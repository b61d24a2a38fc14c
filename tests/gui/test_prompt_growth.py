"""The question box grows with its text: a preset's instruction is seen whole, then it scrolls."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from clinichat.presets import builtin_presets_path, presets_for
from clinichat.ui.prompt_input import MAX_LINES, MIN_LINES, PromptInput

# A clinician's own preset: several lines of instruction before the material.
OWN_INSTRUCTION = (
    "Summarise this discharge letter for the GP.\n"
    "- Diagnoses first, then procedures.\n"
    "- Medication changes with doses exactly as written.\n"
    "- Follow-up appointments and who arranges them.\n"
    "- Anything the GP must act on, marked ACTION.\n"
    "The letter:"
)


@pytest.fixture
def box(qtbot: QtBot) -> PromptInput:
    widget = PromptInput()
    qtbot.addWidget(widget)
    widget.resize(420, widget.height())
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def lines(box: PromptInput) -> int:
    return int(box.document().documentLayout().documentSize().height())


def all_visible(box: PromptInput) -> bool:
    """Every line of the text fits the viewport: nothing to scroll to."""
    QApplication.processEvents()
    text_height = lines(box) * box.fontMetrics().lineSpacing()
    return box.verticalScrollBar().maximum() == 0 and text_height <= box.viewport().height()


def instructions() -> list[str]:
    found = [OWN_INSTRUCTION]
    for language in ("en", "es"):
        presets, problems = presets_for(language, builtin_presets_path(), None)
        assert problems == []
        found += [p.instruction for p in presets if p.instruction]
    return found


@pytest.mark.parametrize("instruction", instructions())
def test_a_prefilled_instruction_is_fully_visible(
    qtbot: QtBot, box: PromptInput, instruction: str
) -> None:
    box.prefill(instruction)
    qtbot.waitUntil(lambda: all_visible(box), timeout=2_000)
    assert lines(box) <= MAX_LINES


def test_the_box_grows_up_to_a_limit_then_scrolls(qtbot: QtBot, box: PromptInput) -> None:
    empty = box.height()
    assert empty >= MIN_LINES * box.fontMetrics().lineSpacing()
    box.prefill(OWN_INSTRUCTION)
    qtbot.waitUntil(lambda: box.height() > empty, timeout=2_000)
    box.setPlainText("\n".join(f"line {n}" for n in range(40)))
    QApplication.processEvents()
    tallest = box.height()
    assert tallest <= (MAX_LINES + 2) * box.fontMetrics().lineSpacing()
    assert box.verticalScrollBar().maximum() > 0, "beyond the limit the box scrolls"
    box.clear()
    qtbot.waitUntil(lambda: box.height() == empty, timeout=2_000)
