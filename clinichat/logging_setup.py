"""Where log records go: a small rotating file in the logs folder, and stderr.

The policy is that ClinicChat logs figures and states (token counts, speeds, download
progress, which step failed) and never chat text. `ChatTextNet` is a safety net under that
policy, not the policy itself: a record that looks like it could carry text (too long, more
than one line, or with a traceback, whose last line is the exception's message) keeps its
level and logger name but loses its text before any handler writes it.

The file is readable only by the user, in a folder only the user can open, and rotates at
about 1 MB so it never grows without bound on a shared workstation.

Qt prints its own warnings straight to stderr, around this module and its safety net (and a
Qt warning can quote a string it was given). `route_qt_messages()` installs a Qt message
handler that sends them to the "qt" loggers instead, through the same handlers and net. They
stay out of the user's terminal unless asked for (`--loglevel debug`): a clinician who
started the app from a shortcut cannot act on "QFont::setPointSize", but support staff
reading the log file can.
"""

from __future__ import annotations

import io
import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_NAME = "clinichat.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
MAX_MESSAGE = 300
FILE_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
STDERR_FORMAT = "%(levelname)s %(name)s: %(message)s"
WITHHELD = "[record withheld by the safety net: %s]"

QT_LOGGER = "qt"

# The handlers `configure()` added, so a second call replaces them and nothing else.
_installed: list[logging.Handler] = []


class ChatTextNet(logging.Filter):
    """Blanks records whose text could be chat text; see the module docstring.

    The record is changed rather than dropped so the log still shows that something was
    logged, where and how severe; the reason says which rule caught it.
    """

    def __init__(self, max_length: int = MAX_MESSAGE) -> None:
        super().__init__()
        self.max_length = max_length

    def filter(self, record: logging.LogRecord) -> bool:
        reason = self._reason(record)
        if reason is not None:
            record.msg = WITHHELD
            record.args = (reason,)
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True

    def _reason(self, record: logging.LogRecord) -> str | None:
        if record.msg == WITHHELD:
            return None  # already blanked for an earlier handler
        if record.exc_info or record.exc_text or record.stack_info:
            return "traceback"
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # arguments that do not fit the format
            return "unformattable"
        if "\n" in message or "\r" in message:
            return "several lines"
        if len(message) > self.max_length:
            return f"{len(message)} characters"
        return None


class _QtOffTerminal(logging.Filter):
    """Keeps records of the "qt" loggers off stderr (see the module docstring)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.name == QT_LOGGER or record.name.startswith(QT_LOGGER + "."))


class _PrivateRotatingFileHandler(RotatingFileHandler):
    """Creates the log file, and each one after a rotation, readable only by the user."""

    def _open(self) -> io.TextIOWrapper:
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
        descriptor = os.open(self.baseFilename, flags, 0o600)
        if os.name == "posix":
            os.fchmod(descriptor, 0o600)  # a file left by an older version may be wider
        return open(descriptor, "a", encoding=self.encoding, errors=self.errors)


def configure(logs_dir: Path | None, level: str) -> Path | None:
    """Send logging to stderr at `level` and, with a folder, to a rotating file there.

    The file records at least INFO (the figures support staff ask for) whatever `level`
    says; with `level` "debug" it records debug too. Returns the log file's path, or None
    without a folder. Calling it again replaces what an earlier call set up.
    """
    root = logging.getLogger()
    for handler in _installed:
        root.removeHandler(handler)
        handler.close()
    _installed.clear()

    net = ChatTextNet()
    stderr_level = logging.getLevelName(level.upper())
    if not isinstance(stderr_level, int):
        raise ValueError(f"unknown log level {level!r}")
    stderr = logging.StreamHandler()
    stderr.setLevel(stderr_level)
    stderr.setFormatter(logging.Formatter(STDERR_FORMAT))
    stderr.addFilter(net)
    if stderr_level > logging.DEBUG:
        stderr.addFilter(_QtOffTerminal())
    _installed.append(stderr)

    path = None
    file_level = min(stderr_level, logging.INFO)
    if logs_dir is not None:
        logs_dir.mkdir(parents=True, exist_ok=True)
        if os.name == "posix":
            logs_dir.chmod(0o700)
        path = logs_dir / LOG_NAME
        file = _PrivateRotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
        file.setLevel(file_level)
        file.setFormatter(logging.Formatter(FILE_FORMAT))
        file.addFilter(net)
        _installed.append(file)

    for handler in _installed:
        root.addHandler(handler)
    root.setLevel(file_level if path is not None else stderr_level)
    return path


def route_qt_messages() -> None:
    """Send Qt's own messages (qDebug … qFatal, from any thread) to the "qt" loggers.

    The logger is "qt" plus Qt's logging category ("qt.qpa.fonts"), and the level follows
    the message type. Call once Qt is about to be used (it imports QtCore) and after
    `configure()`; the handler only hands records to `logging`, so a later `configure()`
    applies to it too.
    """
    from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        try:
            category = context.category or ""
            name = QT_LOGGER if category in ("", "default") else f"{QT_LOGGER}.{category}"
            logging.getLogger(name).log(levels.get(kind, logging.WARNING), "%s", message)
        except Exception:  # a message handler must never raise into Qt
            pass

    # Kept on the module: Qt holds only a pointer, the function must outlive this call.
    global _qt_handler
    _qt_handler = handler
    qInstallMessageHandler(handler)


_qt_handler: object = None
