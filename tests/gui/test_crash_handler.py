"""Uncaught exceptions: a private crash report without the message, and a readable dialog.

Every exception here carries a sentinel in its message, as a ValueError quoting a clinician's
input would; the sentinel must reach neither the report, nor stderr, nor the dialog.
pytest-qt normally catches exceptions raised in Qt slots itself; `qt_no_exception_capture`
lets them reach sys.excepthook exactly as in the app.
"""

from __future__ import annotations

import stat
import subprocess
import sys
import textwrap
import threading
import uuid
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QObject, QTimer, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from clinichat import __version__, crash

TIMEOUT_MS = 10_000


def sentinel() -> str:
    return f"PATIENT-SENTINEL-{uuid.uuid4()}"


@pytest.fixture
def logs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The logs folder of a handler installed for this test only."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    monkeypatch.setattr(sys, "unraisablehook", sys.unraisablehook)
    monkeypatch.setattr(crash, "_setup", None)
    folder = tmp_path / "logs"
    crash.install(folder)
    return folder


class Exits:
    """Stands in for closing the app: the test's own event loops must keep running."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.codes: list[int] = []
        self.windows_closed = 0
        monkeypatch.setattr(QCoreApplication, "exit", self.exit)
        monkeypatch.setattr(QApplication, "closeAllWindows", self.close_all)

    def exit(self, code: int = 0) -> None:
        self.codes.append(code)

    def close_all(self) -> None:
        self.windows_closed += 1


@pytest.fixture
def exits(monkeypatch: pytest.MonkeyPatch) -> Exits:
    return Exits(monkeypatch)


class BoxAnswerer:
    """Waits for the crash dialog (its exec() runs a nested loop) and clicks its buttons."""

    def __init__(self, *clicks: str) -> None:
        self.clicks = list(clicks)
        self.texts: list[str] = []
        self.buttons: list[list[str]] = []
        QTimer.singleShot(20, self.answer)

    def answer(self) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or not box.isVisible():
            QTimer.singleShot(20, self.answer)
            return
        self.texts.append("\n".join([box.windowTitle(), box.text(), box.informativeText()]))
        self.buttons.append([button.text() for button in box.buttons()])
        wanted = self.clicks.pop(0)
        next(b for b in box.buttons() if b.text() == wanted).click()
        if self.clicks:
            QTimer.singleShot(20, self.answer)

    @property
    def done(self) -> bool:
        return not self.clicks


def one_report(folder: Path) -> str:
    reports = sorted(folder.glob("crash-*.log"))
    assert len(reports) == 1, reports
    mode = stat.S_IMODE(reports[0].stat().st_mode)
    assert mode & 0o077 == 0, f"the report must be private, not {oct(mode)}"
    return reports[0].read_text(encoding="utf-8")


def assert_nowhere(text: str, folder: Path, *outputs: str) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            assert text.encode() not in path.read_bytes(), path
    for output in outputs:
        assert text not in output


def raise_later(error: Callable[[], BaseException]) -> None:
    def check_dose() -> None:
        raise error()

    QTimer.singleShot(0, check_dose)


@pytest.mark.qt_no_exception_capture
def test_exception_in_a_slot_writes_a_private_report_and_shows_the_dialog(
    qtbot: QtBot, logs: Path, exits: Exits, capfd: pytest.CaptureFixture[str]
) -> None:
    secret = sentinel()
    answerer = BoxAnswerer("Continue")
    raise_later(lambda: ValueError(f"invalid dose for {secret}"))
    qtbot.waitUntil(lambda: answerer.done, timeout=TIMEOUT_MS)

    report = one_report(logs)
    assert "\nValueError\n" in report
    assert "test_crash_handler.py" in report
    assert "in check_dose" in report
    assert "raise error()" in report, "code lines are kept"
    assert f"ClinicChat: {__version__}" in report
    assert f"gpt4all: {metadata.version('gpt4all')}" in report
    out, err = capfd.readouterr()
    assert_nowhere(secret, logs, out, err, *answerer.texts)
    dialog = answerer.texts[0]
    assert "unexpected problem" in dialog
    assert "history is safe" in dialog
    assert str(logs) in dialog
    assert sorted(answerer.buttons[0]) == ["Close ClinicChat", "Continue", "Open log folder"]
    assert exits.codes == [], "Continue keeps the app running"


class UrlCatcher(QObject):
    """Receives the URLs QDesktopServices would hand to the file manager."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


@pytest.fixture
def file_manager() -> Iterator[UrlCatcher]:
    catcher = UrlCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    yield catcher
    QDesktopServices.unsetUrlHandler("file")


@pytest.mark.qt_no_exception_capture
def test_open_log_folder_then_close_clinichat(
    qtbot: QtBot, logs: Path, exits: Exits, file_manager: UrlCatcher
) -> None:
    answerer = BoxAnswerer("Open log folder", "Close ClinicChat")
    raise_later(lambda: KeyError(sentinel()))
    qtbot.waitUntil(lambda: answerer.done, timeout=TIMEOUT_MS)
    assert [url.toLocalFile() for url in file_manager.urls] == [str(logs)]
    assert len(answerer.texts) == 2, "the dialog stays until the user decides"
    assert exits.windows_closed == 1
    assert exits.codes == [1]


@pytest.mark.qt_no_exception_capture
def test_exception_in_a_thread_shows_the_dialog_on_the_main_thread(
    qtbot: QtBot, logs: Path, exits: Exits
) -> None:
    secret = sentinel()

    def summarise_notes() -> None:
        raise RuntimeError(secret)

    answerer = BoxAnswerer("Continue")
    worker = threading.Thread(target=summarise_notes, name="summary worker")
    worker.start()
    qtbot.waitUntil(lambda: answerer.done, timeout=TIMEOUT_MS)
    worker.join()
    report = one_report(logs)
    assert "Thread: summary worker" in report
    assert "in summarise_notes" in report
    assert "\nRuntimeError\n" in report
    assert_nowhere(secret, logs, *answerer.texts)


@pytest.mark.qt_no_exception_capture
def test_a_second_crash_while_the_dialog_is_open_gets_a_report_but_no_second_dialog(
    qtbot: QtBot, logs: Path, exits: Exits
) -> None:
    answerer = BoxAnswerer("Continue")
    raise_later(lambda: ValueError(sentinel()))
    raise_later(lambda: TypeError(sentinel()))
    qtbot.waitUntil(lambda: answerer.done, timeout=TIMEOUT_MS)
    qtbot.wait(200)
    assert len(answerer.texts) == 1
    assert len(list(logs.glob("crash-*.log"))) == 2


def test_report_keeps_the_chain_of_exceptions_without_messages(tmp_path: Path) -> None:
    secret = sentinel()
    try:
        try:
            int(secret)
        except ValueError as error:
            raise LookupError(secret) from error
    except LookupError as error:
        path = crash.write_report(tmp_path, type(error), error, error.__traceback__, "MainThread")
    text = path.read_text(encoding="utf-8")
    assert text.index("\nValueError\n") < text.index("\nLookupError\n")
    assert secret not in text


SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    from clinichat import crash

    crash.install(Path(sys.argv[1]), show_dialog=False)

    def parse_temperature(text):
        return float(text)

    parse_temperature(sys.argv[2])
    """
)


def test_without_a_window_the_report_is_written_and_one_line_goes_to_stderr(
    tmp_path: Path,
) -> None:
    secret = sentinel()
    logs = tmp_path / "logs"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(logs), f"38.5 {secret}"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "unexpected ValueError" in done.stderr
    assert str(logs) in done.stderr
    report = one_report(logs)
    assert "in parse_temperature" in report
    assert_nowhere(secret, logs, done.stdout, done.stderr)


def test_a_native_crash_leaves_the_python_stack(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    script = textwrap.dedent(
        """
        import ctypes, sys
        from pathlib import Path
        from clinichat import crash

        crash.enable_native_crash_log(Path(sys.argv[1]))

        def call_the_backend():
            ctypes.string_at(0)

        call_the_backend()
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(logs)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
    native = logs / crash.NATIVE_CRASH_LOG
    assert stat.S_IMODE(native.stat().st_mode) & 0o077 == 0
    text = native.read_text(encoding="utf-8")
    assert "Fatal Python error" in text
    assert "call_the_backend" in text


def test_a_crash_outside_the_event_loop_can_only_close(
    qtbot: QtBot, logs: Path, exits: Exits
) -> None:
    """As when an exception ends the program (before or after app.exec())."""
    answerer = BoxAnswerer("Close ClinicChat")
    try:
        raise OSError(sentinel())
    except OSError as error:
        path = crash.report(type(error), error, error.__traceback__)
    assert answerer.done
    assert path is not None and path.parent == logs
    assert sorted(answerer.buttons[0]) == ["Close ClinicChat", "Open log folder"]
    assert "start it again" not in answerer.texts[0]
    assert exits.codes == [1]
