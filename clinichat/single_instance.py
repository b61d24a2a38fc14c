"""One ClinicChat per user and data folder: a second start brings the first window forward.

Two processes writing the same encrypted history would corrupt it or lose messages, so the
data folder has exactly one owner. Ownership is a `QLockFile` inside the data folder: the OS
tells who holds it, and a lock left behind by a crash is recognised (its process is gone) and
taken over. The owner also listens on a `QLocalServer`; a later start that cannot take the
lock connects there and asks the owner to come forward, then exits.

The lock decides and the socket only carries the request, so two starts at the same moment
cannot both become owners, and a socket file left in the temporary folder by a crash is
removed safely: once we hold the lock, no live process can be listening under our name.

The request is a fixed token and nothing else: no command-line text (a path or a pasted
question) ever crosses the socket.
"""

from __future__ import annotations

import ctypes
import getpass
import hashlib
import logging
import sys
import time
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLockFile, QObject, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

LOCK_NAME = "instance.lock"
REQUEST = b"activate\n"
REPLY = b"ok\n"
DEFAULT_TIMEOUT_MS = 3000
RETRY_PAUSE_S = 0.05

log = logging.getLogger(__name__)


class Claim(Enum):
    """What `SingleInstance.claim()` found."""

    FIRST = "first"  # this process owns the data folder and now listens for later starts
    ACTIVATED = "activated"  # another ClinicChat owns it and was asked to come forward
    NO_ANSWER = "no-answer"  # another process holds the lock but did not answer in time


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name and no passwd entry (rare containers)
        return str(Path.home())


def server_name(data_dir: Path) -> str:
    """A short name for this user's and this data folder's server.

    Local server names are global on Windows (named pipes) and share /tmp on Unix, so the
    user is part of the hash; the folder is resolved so two spellings of one folder agree.
    """
    key = f"{_user()}\0{data_dir.resolve()}".encode()
    return "clinichat-" + hashlib.sha256(key).hexdigest()[:20]


def _allow_foreground_switch() -> None:
    """Windows only lets the foreground process hand the focus on; we are it, just started."""
    if sys.platform == "win32":
        windll = getattr(ctypes, "windll")  # noqa: B009 - absent on other systems
        windll.user32.AllowSetForegroundWindow(-1)  # ASFW_ANY


def ask_owner_to_activate(data_dir: Path, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> bool:
    """Send the owner of `data_dir` the activation request; True once it confirmed.

    Works without a QApplication (blocking socket calls), so it is cheap for a second start.
    """
    socket = QLocalSocket()
    socket.connectToServer(server_name(data_dir))
    if not socket.waitForConnected(timeout_ms):
        return False
    _allow_foreground_switch()
    socket.write(REQUEST)
    if not socket.waitForBytesWritten(timeout_ms):
        socket.abort()
        return False
    answered = socket.waitForReadyRead(timeout_ms) and socket.readLine(16).data() == REPLY
    socket.disconnectFromServer()
    return answered


def warn_not_answering() -> None:
    """Explain why nothing opened when the running ClinicChat did not answer (Claim.NO_ANSWER).

    A double-clicked app has no terminal, so this is a message box, in the user's language
    once the translations are installed.
    """
    print("ClinicChat is already running for this data folder but did not answer", file=sys.stderr)
    QMessageBox.warning(
        None,
        QCoreApplication.translate("SingleInstance", "ClinicChat is already open"),
        QCoreApplication.translate(
            "SingleInstance",
            "ClinicChat is already open for this user, but it did not respond. Wait a"
            " moment and try again. If it still does not respond, close it (or sign out"
            " and back in) before starting ClinicChat again.",
        ),
    )


class SingleInstance(QObject):
    """Owns the data folder for this process, or finds its owner and asks it forward.

    Keep the object alive for the whole run (parent it to the application): the lock and
    the server go away with it.
    """

    activated = Signal()  # another start asked this instance to come forward

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.name = server_name(data_dir)
        self._lock = QLockFile(str(data_dir / LOCK_NAME))
        # The app holds the lock for hours; only a dead owner makes it stale, never its age.
        self._lock.setStaleLockTime(0)
        self._server: QLocalServer | None = None
        self._window: QWidget | None = None

    def claim(self, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> Claim:
        """Become the owner, or ask the running owner to come forward.

        Tried again until `timeout_ms` has passed: an owner that started a moment ago may
        not listen yet (a double double-click), and one that is quitting frees the lock.
        A crashed owner's lock is taken over at once (its process is gone).
        """
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            if self._lock.tryLock(0):
                self._listen()
                return Claim.FIRST
            remaining_ms = max(1, round((deadline - time.monotonic()) * 1000))
            if ask_owner_to_activate(self.data_dir, remaining_ms):
                return Claim.ACTIVATED
            if time.monotonic() >= deadline:
                return Claim.NO_ANSWER
            time.sleep(RETRY_PAUSE_S)

    def set_window(self, window: QWidget) -> None:
        """Bring `window` to the front whenever another start asks."""
        self._window = window
        self.activated.connect(self._bring_forward)

    def release(self) -> None:
        """Stop listening and give the data folder up (after a crash the lock goes stale)."""
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()

    def _listen(self) -> None:
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        server.newConnection.connect(self._on_new_connection)
        if not server.listen(self.name):
            # We hold the lock, so whatever answers to this name is a crashed run's leftover.
            QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
                # The app still works; a later start will say that this one did not answer.
                log.warning("single instance: cannot listen: %s", server.errorString())
        self._server = server

    @Slot()
    def _on_new_connection(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            socket.readyRead.connect(self._on_ready_read)
            socket.disconnected.connect(socket.deleteLater)

    @Slot()
    def _on_ready_read(self) -> None:
        socket = self.sender()
        if not isinstance(socket, QLocalSocket):
            return
        if not socket.canReadLine():
            if socket.bytesAvailable() > len(REQUEST):
                socket.abort()  # not our client: nothing longer than the token is accepted
            return
        request = socket.readLine(len(REQUEST) + 1).data()
        if request == REQUEST:
            socket.write(REPLY)
            socket.flush()
            log.info("another start asked this instance to come forward")
            self.activated.emit()
        socket.disconnectFromServer()

    @Slot()
    def _bring_forward(self) -> None:
        window = self._window
        if window is None:
            return
        if window.isMinimized():
            window.showNormal()
        window.show()
        window.raise_()
        window.activateWindow()
        # Where the window manager refuses the focus, the taskbar entry at least flashes.
        QApplication.alert(window)
