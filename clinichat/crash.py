"""What happens when ClinicChat hits a bug: a private crash report and a calm message.

Python's own handlers print the exception's message, and messages can hold patient text
(`ValueError: invalid literal …` quotes the input it choked on). Stderr can end up in a file
(a desktop session log, a service journal), so the handlers installed here replace Python's
completely: the report names the exception's type and where it happened (files, line
numbers, functions and code lines), never its message and never local variables.

A report is one file per crash in the logs folder, readable only by the user. With a
QApplication the user sees a dialog saying that the history is safe and where the report
is; without one (command-line use) one line goes to stderr.
"""

from __future__ import annotations

import contextlib
import faulthandler
import logging
import os
import platform
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from types import TracebackType
from typing import TextIO

from PySide6.QtCore import QCoreApplication, QObject, QThread, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox

from clinichat import __version__

log = logging.getLogger(__name__)

NATIVE_CRASH_LOG = "native-crashes.log"


@dataclass(frozen=True)
class _Setup:
    logs_dir: Path
    show_dialog: bool


_setup: _Setup | None = None
# Set while the dialog is up: a second crash meanwhile (the dialog runs an event loop) gets a
# report but no second dialog, and a failing dialog cannot call itself again.
_dialog_open = False
_poster: _DialogPoster | None = None
_native_log: TextIO | None = None
# Serialises native_context() lines, which may come from the worker and the main thread.
_native_context_lock = threading.Lock()


class _DialogPoster(QObject):
    """Lives on the main thread, so a crash on another thread can show the dialog there."""

    requested = Signal(object, bool)

    def __init__(self, parent: QObject | None) -> None:
        super().__init__(parent)
        self.requested.connect(self._show)

    @Slot(object, bool)
    def _show(self, path: Path | None, fatal: bool) -> None:
        show_crash_dialog(path, fatal=fatal)


def install(logs_dir: Path, *, show_dialog: bool = True) -> None:
    """Handle every uncaught exception from now on (main thread, threads, finalizers).

    Call it on the main thread, after the QApplication exists when `show_dialog` is set:
    the dialog for a crash on another thread is posted to the main thread through an object
    created here. Calling it again replaces the settings.
    """
    global _setup, _poster
    _setup = _Setup(logs_dir, show_dialog)
    sys.excepthook = report
    threading.excepthook = _thread_hook
    sys.unraisablehook = _unraisable_hook
    app = QCoreApplication.instance()
    if show_dialog and _poster is None and app is not None:
        _poster = _DialogPoster(app)


def enable_native_crash_log(logs_dir: Path) -> Path:
    """Record where a crash inside native code (the model backend, Qt) left Python.

    Such a crash kills the process before any Python handler runs; faulthandler then writes
    the Python stack of every thread (files, lines, functions; no values) to this file.
    """
    global _native_log
    path = logs_dir / NATIVE_CRASH_LOG
    _private_folder(logs_dir)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    if _native_log is not None:
        _native_log.close()
    _native_log = open(descriptor, "a", encoding="utf-8")  # noqa: SIM115 - open for the run
    faulthandler.enable(_native_log, all_threads=True)
    return path


@contextlib.contextmanager
def native_context(line: str) -> Iterator[None]:
    """While the block runs, a native crash's entry in the log starts with `line`.

    faulthandler shows where Python was, not what it was working on: "in Engine.load"
    without saying which of several model files aborted the backend. The line (a file name,
    never chat text) is written before the block and cut off the file again when the block
    ends without a crash, so the log holds it only when the process died inside the block,
    and does not grow by a line per model load.
    """
    stream = _native_log
    if stream is None:
        yield
        return
    text = f"{time.strftime('%Y-%m-%d %H:%M:%S %z')} {line}\n".encode()
    start: int | None = None
    with _native_context_lock:
        try:
            descriptor = stream.fileno()
            stream.flush()
            start = os.fstat(descriptor).st_size
            os.write(descriptor, text)  # unbuffered: it must be on disk before a crash
        except (OSError, ValueError):  # closed or replaced meanwhile: nothing to add to
            start = None
    try:
        yield
    finally:
        if start is not None:
            with _native_context_lock, contextlib.suppress(OSError, ValueError):
                # Only if nothing else was written after it (never cut a real report).
                if os.fstat(descriptor).st_size == start + len(text):
                    os.ftruncate(descriptor, start)


def report(
    exc_type: type[BaseException],
    exc: BaseException | None,
    tb: TracebackType | None,
    thread: threading.Thread | None = None,
) -> Path | None:
    """Handle one uncaught exception: write the report, say so, show the dialog.

    This is `sys.excepthook`; tests may call it directly. Returns the report's path (None
    when it could not be written). It never raises: an exception escaping an excepthook
    makes Python print the original one, message included.
    """
    if issubclass(exc_type, KeyboardInterrupt):
        print("KeyboardInterrupt", file=sys.stderr)
        return None
    thread = thread or threading.current_thread()
    setup = _setup
    path: Path | None = None
    try:
        if setup is not None:
            path = write_report(setup.logs_dir, exc_type, exc, tb, thread.name)
    except Exception:  # a full disk must not turn into a recursive crash
        path = None
    name = _type_name(exc_type)
    try:
        log.critical("unexpected %s in thread %s; crash report %s", name, thread.name, path)
        if not _logging_reaches_stderr():
            print(f"ClinicChat: unexpected {name}; crash report: {path}", file=sys.stderr)
        if setup is not None and setup.show_dialog and _has_gui():
            _request_dialog(path, on_main_thread=thread is threading.main_thread())
    except Exception:
        print(f"ClinicChat: the crash dialog failed too ({name})", file=sys.stderr)
    return path


def _logging_reaches_stderr() -> bool:
    """Whether the logging line above already went to stderr (it should appear once)."""
    logger: logging.Logger | None = log
    while logger is not None:
        for handler in logger.handlers:
            if isinstance(handler, logging.StreamHandler) and handler.stream is sys.stderr:
                return True
        if not logger.propagate:
            return False
        logger = logger.parent
    # With no handler at all, logging's last resort prints warnings and worse to stderr.
    return not log.hasHandlers() and logging.lastResort is not None


def _has_gui() -> bool:
    return isinstance(QCoreApplication.instance(), QApplication)


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    report(args.exc_type, args.exc_value, args.exc_traceback, args.thread)


def _unraisable_hook(args: sys.UnraisableHookArgs) -> None:
    """An exception Python had to ignore (in a finalizer, say): one line, no object repr."""
    log.warning("ignored %s in a finalizer or callback", _type_name(args.exc_type))


def _request_dialog(path: Path | None, *, on_main_thread: bool) -> None:
    if on_main_thread:
        # Outside any event loop the exception is ending the program: no "Continue".
        show_crash_dialog(path, fatal=QThread.currentThread().loopLevel() == 0)
    elif _poster is not None:
        _poster.requested.emit(path, False)


def show_crash_dialog(path: Path | None, *, fatal: bool = False) -> None:
    """Tell the user, in their language, what happened and that the history is safe."""
    global _dialog_open
    if _dialog_open:
        return
    _dialog_open = True
    try:
        _run_dialog(path, fatal)
    finally:
        _dialog_open = False


def _run_dialog(path: Path | None, fatal: bool) -> None:
    box = QMessageBox(QMessageBox.Icon.Critical, "", "")
    box.setWindowTitle(QCoreApplication.translate("CrashHandler", "ClinicChat: unexpected problem"))
    box.setText(
        QCoreApplication.translate("CrashHandler", "ClinicChat ran into an unexpected problem.")
    )
    parts = [
        QCoreApplication.translate(
            "CrashHandler",
            "Your conversation history is safe: ClinicChat only ever stores it encrypted.",
        )
    ]
    if path is not None:
        parts.append(
            QCoreApplication.translate(
                "CrashHandler",
                "A report for your IT support, without any chat text, was saved in %1.",
            ).replace("%1", str(path.parent))
        )
    else:
        parts.append(QCoreApplication.translate("CrashHandler", "No report could be saved."))
    if not fatal:
        parts.append(
            QCoreApplication.translate(
                "CrashHandler",
                "If ClinicChat behaves oddly after this, close it and start it again.",
            )
        )
    box.setInformativeText("\n\n".join(parts))
    open_folder = None
    if path is not None:
        open_folder = box.addButton(
            QCoreApplication.translate("CrashHandler", "Open log folder"),
            QMessageBox.ButtonRole.ActionRole,
        )
    close = box.addButton(
        QCoreApplication.translate("CrashHandler", "Close ClinicChat"),
        QMessageBox.ButtonRole.DestructiveRole,
    )
    if not fatal:
        keep_going = box.addButton(
            QCoreApplication.translate("CrashHandler", "Continue"),
            QMessageBox.ButtonRole.RejectRole,
        )
        box.setDefaultButton(keep_going)
        box.setEscapeButton(keep_going)
    # Any button closes a message box: after opening the folder, ask again.
    while True:
        box.exec()
        if open_folder is None or box.clickedButton() is not open_folder:
            break
        assert path is not None
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
    if box.clickedButton() is close or fatal:
        QApplication.closeAllWindows()
        QCoreApplication.exit(1)


def write_report(
    logs_dir: Path,
    exc_type: type[BaseException],
    exc: BaseException | None,
    tb: TracebackType | None,
    thread_name: str,
) -> Path:
    """Write `crash-YYYYmmdd-HHMMSS.log` (mode 0600) and return its path."""
    _private_folder(logs_dir)
    text = report_text(exc_type, exc, tb, thread_name)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for attempt in range(100):
        path = logs_dir / (f"crash-{stamp}.log" if attempt == 0 else f"crash-{stamp}-{attempt}.log")
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        with open(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        return path
    raise FileExistsError(logs_dir / f"crash-{stamp}.log")


def report_text(
    exc_type: type[BaseException],
    exc: BaseException | None,
    tb: TracebackType | None,
    thread_name: str,
) -> str:
    """The report: versions, then each exception of the chain as type and frames only."""
    lines = [
        "ClinicChat crash report",
        "Exception messages and variable values are left out: they can contain patient text.",
        "",
        f"Time: {time.strftime('%Y-%m-%d %H:%M:%S %z')}",
        *(f"{name}: {value}" for name, value in _versions()),
        f"Thread: {thread_name}",
        "",
    ]
    for index, (kind, frames) in enumerate(_chain(exc_type, exc, tb)):
        if index:
            lines += ["", "During or because of the exception above:", ""]
        lines.append("Traceback (most recent call last):")
        for frame in frames:
            lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
            if frame.line:
                lines.append(f"    {frame.line.strip()}")
        lines.append(_type_name(kind))
    return "\n".join(lines) + "\n"


def _chain(
    exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None
) -> list[tuple[type[BaseException], traceback.StackSummary]]:
    """The exception and the ones it came from (cause or context), oldest first."""
    chain = [(exc_type, traceback.extract_tb(tb))]
    seen = {id(exc)}
    current = exc
    while current is not None:
        earlier = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
        if earlier is None or id(earlier) in seen:
            break
        seen.add(id(earlier))
        chain.append((type(earlier), traceback.extract_tb(earlier.__traceback__)))
        current = earlier
    return chain[::-1]


def _versions() -> list[tuple[str, str]]:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    try:
        gpt4all = metadata.version("gpt4all")
    except metadata.PackageNotFoundError:
        gpt4all = "not found"
    return [
        ("ClinicChat", __version__ + (" (frozen)" if getattr(sys, "frozen", False) else "")),
        ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
        ("Qt", qVersion()),
        ("PySide6", pyside_version),
        ("gpt4all", gpt4all),
        ("OS", platform.platform()),
    ]


def _type_name(kind: type[BaseException]) -> str:
    module = kind.__module__
    return kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"


def _private_folder(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        folder.chmod(0o700)
