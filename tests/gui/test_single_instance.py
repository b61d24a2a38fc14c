"""One ClinicChat per data folder: a real second process brings the first window forward.

The first instance runs in the test process (its event loop answers); later starts are real
subprocesses (single_instance_client.py) that go through the same `claim()` the app calls.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDir, QTimer
from PySide6.QtNetwork import QLocalSocket
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from translation_checks import pseudo_language

from clinichat.single_instance import (
    LOCK_NAME,
    Claim,
    SingleInstance,
    ask_owner_to_activate,
    server_name,
    warn_not_answering,
)

CLIENT = Path(__file__).with_name("single_instance_client.py")
TIMEOUT_S = 30


def start_client(command: str, data_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(CLIENT), command, str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(qtbot: QtBot, client: subprocess.Popen[str]) -> int:
    """The client's exit code; the event loop keeps running so the owner can answer."""
    qtbot.waitUntil(lambda: client.poll() is not None, timeout=TIMEOUT_S * 1000)
    _, errors = client.communicate()
    assert "Traceback" not in errors, errors
    return client.wait()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def owner(data_dir: Path) -> Iterator[SingleInstance]:
    instance = SingleInstance(data_dir)
    assert instance.claim() is Claim.FIRST
    yield instance
    instance.release()


@pytest.mark.slow
def test_second_start_brings_the_first_window_forward_and_exits_0(
    qtbot: QtBot, data_dir: Path, owner: SingleInstance
) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.setWindowTitle("ClinicChat")
    window.showMinimized()
    owner.set_window(window)
    with qtbot.waitSignal(owner.activated, timeout=TIMEOUT_S * 1000):
        client = start_client("claim", data_dir)
    assert finish(qtbot, client) == 0
    assert window.isVisible()
    assert not window.isMinimized()


@pytest.mark.slow
def test_different_data_folders_do_not_see_each_other(
    qtbot: QtBot, tmp_path: Path, owner: SingleInstance
) -> None:
    other = tmp_path / "other-data"
    other.mkdir()
    assert server_name(other) != owner.name
    with qtbot.assertNotEmitted(owner.activated, wait=200):
        client = start_client("claim", other)
        assert finish(qtbot, client) == 3  # it became the owner of its own folder


@pytest.mark.slow
def test_a_crashed_owner_leaves_a_lock_and_socket_that_are_taken_over(
    qtbot: QtBot, data_dir: Path
) -> None:
    crashed = start_client("hold", data_dir)
    try:
        assert crashed.stdout is not None
        assert crashed.stdout.readline().strip() == "owner"
    finally:
        crashed.send_signal(signal.SIGKILL)
        crashed.communicate(timeout=TIMEOUT_S)
    assert (data_dir / LOCK_NAME).exists(), "a killed owner leaves its lock file behind"
    if sys.platform != "win32":
        assert Path(QDir.tempPath(), server_name(data_dir)).exists(), "and its socket file"
    assert not ask_owner_to_activate(data_dir, 1000), "nobody answers on a stale socket"

    instance = SingleInstance(data_dir)
    try:
        assert instance.claim() is Claim.FIRST
        with qtbot.waitSignal(instance.activated, timeout=TIMEOUT_S * 1000):
            client = start_client("claim", data_dir)
        assert finish(qtbot, client) == 0
    finally:
        instance.release()


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="Windows local servers are named pipes: a crash leaves no socket file to replace",
)
def test_a_leftover_socket_file_without_a_lock_is_replaced(qtbot: QtBot, data_dir: Path) -> None:
    path = Path(QDir.tempPath(), server_name(data_dir))
    leftover = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    leftover.bind(str(path))
    leftover.close()  # the file stays, with nobody listening: as after a crash
    try:
        instance = SingleInstance(data_dir)
        assert instance.claim() is Claim.FIRST
        with qtbot.waitSignal(instance.activated, timeout=TIMEOUT_S * 1000):
            assert ask_owner_to_activate_in_loop(qtbot, data_dir)
        instance.release()
    finally:
        path.unlink(missing_ok=True)


def ask_owner_to_activate_in_loop(qtbot: QtBot, data_dir: Path) -> bool:
    """The client side, asynchronously, so this process's own server can answer it."""
    client = QLocalSocket()
    client.connectToServer(server_name(data_dir))
    qtbot.waitUntil(lambda: client.state() == QLocalSocket.LocalSocketState.ConnectedState)
    client.write(b"activate\n")
    qtbot.waitUntil(lambda: client.canReadLine(), timeout=TIMEOUT_S * 1000)
    return client.readLine().data() == b"ok\n"


def test_only_the_fixed_token_activates(
    qtbot: QtBot, data_dir: Path, owner: SingleInstance
) -> None:
    intruder = QLocalSocket()
    intruder.connectToServer(owner.name)
    qtbot.waitUntil(lambda: intruder.state() == QLocalSocket.LocalSocketState.ConnectedState)
    with qtbot.assertNotEmitted(owner.activated, wait=300):
        intruder.write(b"open /home/someone/notes.txt\n")
        qtbot.waitUntil(lambda: intruder.state() == QLocalSocket.LocalSocketState.UnconnectedState)
    assert intruder.readAll().data() == b"", "no reply to anything but the token"


def test_a_second_claim_in_the_same_folder_gets_no_lock(
    data_dir: Path, owner: SingleInstance
) -> None:
    """Without an event loop the owner cannot answer: the second start is told so."""
    assert os.path.exists(data_dir / LOCK_NAME)
    second = SingleInstance(data_dir)
    assert second.claim(timeout_ms=500) is Claim.NO_ANSWER


class BoxCloser:
    """Reads and closes the message box that a blocking call opens."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        QTimer.singleShot(20, self.close)

    def close(self) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, self.close)
            return
        self.texts += [box.windowTitle(), box.text()]
        box.buttons()[0].click()


def test_no_answer_is_explained_in_the_users_language(
    qtbot: QtBot, capfd: pytest.CaptureFixture[str]
) -> None:
    closer = BoxCloser()
    with pseudo_language():
        warn_not_answering()
    title, text = closer.texts
    assert title == "«ClinicChat is already open»"
    assert text.startswith("«ClinicChat is already open for this user, but it did not respond.")
    assert "did not answer" in capfd.readouterr().err
