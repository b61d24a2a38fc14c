"""Every menu command of the main window, declared once, with where it is valid.

The lock is a security boundary: while the history is locked, no command may read, change or
reveal a conversation, an answer, a search result, a preset or the recovery key. Rather than
each handler remembering to check, every command is declared here with its `Scope`, and the
window's menus and shortcuts are built from this table. A locked registry disables every
`UNLOCKED` command (Qt then ignores its shortcut) and refuses to run it even if something
triggers the action directly, so a new command cannot forget the rule: it has to choose a
scope to exist at all. (The shape is qutebrowser's `@cmdutils.register(modes=…)`.)
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from clinichat.messages import QT_TRANSLATE_NOOP

CONTEXT = "Commands"


class Scope(enum.Enum):
    """Where a command may run."""

    ANYTIME = enum.auto()  # shows and changes nothing of the history: quit, about, the guide
    UNLOCKED = enum.auto()  # needs the history open and unlocked


@dataclass(frozen=True)
class Command:
    """One menu entry: its handler's name, menu, text (a source for `CONTEXT`) and scope."""

    name: str
    menu: str
    text: str
    scope: Scope
    shortcut: str | QKeySequence.StandardKey | None = None
    role: QAction.MenuRole = QAction.MenuRole.NoRole
    separator_before: bool = False


MENUS: tuple[tuple[str, str], ...] = (
    ("file", QT_TRANSLATE_NOOP("Commands", "&File")),
    ("edit", QT_TRANSLATE_NOOP("Commands", "&Edit")),
    ("history", QT_TRANSLATE_NOOP("Commands", "&History")),
    ("documents", QT_TRANSLATE_NOOP("Commands", "&Documents")),
    ("help", QT_TRANSLATE_NOOP("Commands", "&Help")),
)

_U, _A = Scope.UNLOCKED, Scope.ANYTIME
COMMANDS: tuple[Command, ...] = (
    Command(
        "new_conversation",
        "file",
        QT_TRANSLATE_NOOP("Commands", "&New conversation"),
        _U,
        QKeySequence.StandardKey.New,
    ),
    Command("open_models", "file", QT_TRANSLATE_NOOP("Commands", "&Models…"), _U, "Ctrl+Shift+M"),
    Command("clinic_server", "file", QT_TRANSLATE_NOOP("Commands", "Clinic &server…"), _U),
    Command("import_model", "file", QT_TRANSLATE_NOOP("Commands", "&Import model file…"), _U),
    Command(
        "transcribe_recording",
        "file",
        QT_TRANSLATE_NOOP("Commands", "&Transcribe a recording…"),
        _U,
        "Ctrl+Shift+R",
    ),
    Command(
        "record_consultation",
        "file",
        QT_TRANSLATE_NOOP("Commands", "Record a &consultation…"),
        _U,
    ),
    Command("export", "file", QT_TRANSLATE_NOOP("Commands", "&Export conversation…"), _U),
    Command("delete_all", "file", QT_TRANSLATE_NOOP("Commands", "&Delete all conversations…"), _U),
    Command(
        "settings",
        "file",
        QT_TRANSLATE_NOOP("Commands", "&Settings…"),
        _U,
        "Ctrl+,",
        QAction.MenuRole.PreferencesRole,
        separator_before=True,
    ),
    Command("find_threads", "file", QT_TRANSLATE_NOOP("Commands", "Find best &thread count…"), _U),
    # Explicit: StandardKey.Quit is empty on some platforms.
    Command(
        "quit",
        "file",
        QT_TRANSLATE_NOOP("Commands", "&Quit"),
        _A,
        "Ctrl+Q",
        QAction.MenuRole.QuitRole,
        separator_before=True,
    ),
    Command(
        "copy_plain",
        "edit",
        QT_TRANSLATE_NOOP("Commands", "&Copy last answer as plain text"),
        _U,
        "Ctrl+Shift+C",
    ),
    Command(
        "copy_markdown", "edit", QT_TRANSLATE_NOOP("Commands", "Copy last answer as &Markdown"), _U
    ),
    Command(
        "search",
        "edit",
        QT_TRANSLATE_NOOP("Commands", "&Search conversations"),
        _U,
        QKeySequence.StandardKey.Find,
    ),
    Command(
        "dictate",
        "edit",
        QT_TRANSLATE_NOOP("Commands", "&Dictate into the question box"),
        _U,
        "Ctrl+Shift+Space",
    ),
    Command("stop", "edit", QT_TRANSLATE_NOOP("Commands", "S&top answering"), _U, "Esc"),
    Command("lock", "history", QT_TRANSLATE_NOOP("Commands", "&Lock"), _U, "Ctrl+L"),
    Command(
        "export_recovery_key",
        "history",
        QT_TRANSLATE_NOOP("Commands", "Export &recovery key…"),
        _U,
        separator_before=True,
    ),
    Command(
        "change_passphrase", "history", QT_TRANSLATE_NOOP("Commands", "Change &passphrase…"), _U
    ),
    Command(
        "documents",
        "documents",
        QT_TRANSLATE_NOOP("Commands", "&Documents for this conversation…"),
        _U,
        "Ctrl+Shift+D",
    ),
    Command(
        "guide",
        "help",
        QT_TRANSLATE_NOOP("Commands", "ClinicChat &guide…"),
        _A,
        QKeySequence.StandardKey.HelpContents,
    ),
    Command("shortcuts", "help", QT_TRANSLATE_NOOP("Commands", "&Keyboard shortcuts…"), _A),
    # Locked, it stays inert: a file manager opened from a locked window would let whoever
    # stands at the computer browse the clinician's files (exported conversations among
    # them). IT finds the folder's path in About, which works locked too.
    Command(
        "open_logs",
        "help",
        QT_TRANSLATE_NOOP("Commands", "Open &log folder"),
        _U,
        separator_before=True,
    ),
    Command(
        "about",
        "help",
        QT_TRANSLATE_NOOP("Commands", "&About ClinicChat…"),
        _A,
        role=QAction.MenuRole.AboutRole,
    ),
)


class CommandRegistry(QObject):
    """Builds the window's menus from `COMMANDS` and enforces each command's scope.

    Handlers are bound by whoever owns the behaviour (the window, the history guard). A menu
    is shown once one of its commands has a handler; a command without one stays disabled.
    `set_available` adds a condition of the owner's (e.g. "there is a passphrase to change"):
    a command is enabled when it is bound, available, and its scope allows it now.
    """

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._locked = False
        self._handlers: dict[str, Callable[[], object]] = {}
        self._available: dict[str, bool] = {}
        self._commands = {command.name: command for command in COMMANDS}
        self.menus: dict[str, QMenu] = {}
        self.actions: dict[str, QAction] = {}
        for key, _title in MENUS:
            self.menus[key] = window.menuBar().addMenu("")
        for command in COMMANDS:
            menu = self.menus[command.menu]
            if command.separator_before:
                menu.addSeparator()
            action = menu.addAction("")
            if command.shortcut is not None:
                action.setShortcut(QKeySequence(command.shortcut))
            action.setMenuRole(command.role)
            action.triggered.connect(partial(self._run, command.name))
            self.actions[command.name] = action
        self.retranslate()
        self._update()

    @property
    def locked(self) -> bool:
        return self._locked

    def bind(self, name: str, handler: Callable[[], object]) -> None:
        """Make `handler` what the command `name` does."""
        self._handlers[self._commands[name].name] = handler
        self._update()

    def set_available(self, name: str, available: bool) -> None:
        self._available[self._commands[name].name] = available
        self._update()

    def set_locked(self, locked: bool) -> None:
        """Locked: every command that needs the history becomes inert, shortcuts included."""
        self._locked = locked
        self._update()

    def allowed(self, name: str) -> bool:
        """Whether `name` may run now: bound, available, and valid in the current state."""
        command = self._commands[name]
        return (
            name in self._handlers
            and self._available.get(name, True)
            and not (self._locked and command.scope is Scope.UNLOCKED)
        )

    def retranslate(self) -> None:
        for key, title in MENUS:
            self.menus[key].setTitle(QCoreApplication.translate(CONTEXT, title))
        for command in COMMANDS:
            self.actions[command.name].setText(QCoreApplication.translate(CONTEXT, command.text))

    def _update(self) -> None:
        for name, action in self.actions.items():
            action.setEnabled(self.allowed(name))
        for key, menu in self.menus.items():
            bound = any(c.name in self._handlers for c in COMMANDS if c.menu == key)
            menu.menuAction().setVisible(bound)

    def _run(self, name: str, _checked: bool = False) -> None:
        """The one way a command runs; re-checks the scope, so a direct trigger is refused too."""
        if self.allowed(name):
            self._handlers[name]()
