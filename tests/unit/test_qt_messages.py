"""Qt's own messages go through the log's safety net to the log file, not to the terminal.

Run in a child process: a Qt message handler is process-wide, and the point is what reaches
the real stderr.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from clinichat.logging_setup import LOG_NAME

SENTINEL = "PATIENT-SENTINEL-9d2e"
SCRIPT = textwrap.dedent(
    f"""
    import sys
    from pathlib import Path
    from clinichat import logging_setup
    logging_setup.configure(Path(sys.argv[1]), sys.argv[2])
    logging_setup.route_qt_messages()
    from PySide6.QtCore import QObject, qWarning
    from PySide6.QtGui import QGuiApplication
    app = QGuiApplication([])
    qWarning("short qt warning")
    qWarning("a quoted text\\n{SENTINEL}")
    QObject().startTimer(-1)  # a real warning from Qt's C++ code
    """
)


def run(tmp_path: Path, level: str) -> tuple[str, str]:
    logs = tmp_path / level
    child = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(logs), level],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert child.returncode == 0, child.stderr
    return child.stderr, (logs / LOG_NAME).read_text(encoding="utf-8")


def test_qt_warnings_reach_the_log_file_through_the_safety_net(tmp_path: Path) -> None:
    stderr, log = run(tmp_path, "warning")
    assert "WARNING qt: short qt warning" in log
    assert "WARNING qt: QObject::startTimer" in log, "Qt's C++ warnings are routed too"
    assert SENTINEL not in log and "withheld by the safety net: several lines" in log
    assert "short qt warning" not in stderr and "startTimer" not in stderr, stderr
    assert SENTINEL not in stderr


@pytest.mark.parametrize("level", ["debug"])
def test_qt_warnings_reach_the_terminal_when_asked(tmp_path: Path, level: str) -> None:
    stderr, log = run(tmp_path, level)
    assert "WARNING qt: short qt warning" in stderr
    assert SENTINEL not in stderr and SENTINEL not in log
