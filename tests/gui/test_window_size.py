"""The window opens inside the screen it is on, title bar included (issue 11).

The offscreen screen here is 800x600, smaller than the window's usual 1100x760: as on a
1366x768 laptop with a task bar, the window must shrink rather than end below the edge.
"""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from windows import empty_window


def test_the_window_fits_a_small_screen(qtbot: QtBot, tmp_path: Path) -> None:
    window = empty_window(qtbot, tmp_path)
    room = window.screen().availableGeometry()
    assert room.width() < 1100 or room.height() < 760, "the test needs a small screen"
    assert window.width() <= room.width() * 0.9 and window.height() <= room.height() * 0.9
