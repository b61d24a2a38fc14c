"""'Find best thread count' says how long it takes and asks first; No runs nothing.

The real window over the starter model: the question is a plain-text box whose default is
No, with a time worked out from what the finder will run; after one real measurement the
next question says its time comes from that measurement.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from questions import answer_question
from windows import starter_window

from clinichat.ui.main_window import MainWindow
from clinichat.ui.thread_finder_dialog import duration_text

TIMEOUT_MS = 120_000


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, starter_model: Path) -> Iterator[MainWindow]:
    main = starter_window(qtbot, tmp_path, starter_model)
    yield main
    main.close()


def test_no_runs_nothing(qtbot: QtBot, window: MainWindow) -> None:
    progress: list[tuple[int, int]] = []
    window.session.threads_progress.connect(lambda done, total: progress.append((done, total)))
    seen = answer_question(qtbot, key=Qt.Key.Key_Return)  # Enter takes the default
    window.commands.actions["find_threads"].trigger()
    assert len(seen) == 1
    box = seen[0]
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    text = box.text()
    cores = window.model_bar.max_threads
    assert f"from 1 to {cores}" in text
    assert window.models.profile is not None and window.models.profile.name in text
    assert "This takes about " in text and "rough estimate" in text
    assert not window.session.is_busy and window.thread_finder is None
    qtbot.wait(200)
    assert progress == [], "nothing was measured"


def test_yes_measures_and_the_next_estimate_comes_from_it(qtbot: QtBot, window: MainWindow) -> None:
    answer_question(qtbot, button="Yes")
    with qtbot.waitSignal(window.session.threads_measured, timeout=TIMEOUT_MS):
        window.threads.start()
        assert window.thread_finder is not None and window.thread_finder.isVisible()
    window.thread_finder.reject()
    qtbot.waitUntil(lambda: window.thread_finder is None)
    seen = answer_question(qtbot, button="No")
    window.threads.start()
    assert "last measurement of this model on this computer" in seen[0].text()
    assert window.thread_finder is None


@pytest.mark.parametrize(
    "seconds, words",
    [
        (3, "about 10 seconds"),
        (44, "about 40 seconds"),
        (58, "about a minute"),
        (130, "about 2 minutes"),
        (50 * 60, "about 50 minutes"),
        (3 * 3600, "about 3 hours"),
    ],
)
def test_durations_in_plain_words(seconds: float, words: str) -> None:
    assert duration_text(seconds) == words
