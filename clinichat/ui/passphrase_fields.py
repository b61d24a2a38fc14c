"""The parts the passphrase and recovery-key dialogs share: fields, labels, and a size that
shows every wrapped text whole."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QWidget,
)

MIN_PASSPHRASE = 8

# A text in the current language: called again after a language switch to re-render it.
Text = Callable[[], str]


def password_field(parent: QWidget) -> QLineEdit:
    field = QLineEdit(parent)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMinimumWidth(280)
    return field


def label_for(field: QWidget) -> QLabel:
    """A form label that focuses `field` on its shortcut, as QFormLayout's own labels do."""
    label = QLabel(field.parentWidget())
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setBuddy(field)
    return label


def fit_to_text(dialog: QDialog, chars_per_line: int = 60) -> None:
    """Size `dialog` so that each wrapped label shows its whole text, in any language and size.

    A top-level window does not follow its layout's height-for-width: Qt sizes it from its
    size hint, capped at two thirds of the screen's width, and keeps the hint's height, so a
    wrapped label squeezed narrower than it wanted is cut off at the bottom (the first-run
    text ended at "It cannot be"). Here the width is chosen (about `chars_per_line`
    characters of the dialog's font, and room for its title, within the screen) and the
    height is what the layout needs at that width. Both become the minimum size: any wider
    is then never too short.
    """
    layout = dialog.layout()
    if layout is None:
        return
    dialog.ensurePolished()
    layout.invalidate()  # its cached sizes may predate a font or text change
    layout.activate()
    width = max(
        layout.minimumSize().width(),
        dialog.fontMetrics().averageCharWidth() * chars_per_line,
        title_width(dialog),
    )
    screen = dialog.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        width = min(width, screen.availableGeometry().width() * 9 // 10)
    height = max(layout.totalHeightForWidth(width), layout.totalMinimumSize().height())
    dialog.setMinimumSize(width, height)
    if dialog.isVisible():
        dialog.resize(max(dialog.width(), width), max(dialog.height(), height))
    else:
        dialog.resize(width, height)


def title_width(dialog: QDialog) -> int:
    """About how wide the window must be for its title bar to show the title whole.

    The window manager draws the title (Qt adds " — ClinicChat", the application's display
    name), usually in a bold system font, beside its icon and
    buttons; narrower, it shortens the title in the middle ("Guarde su clave de r… peración").
    The dialog's bold font and room for four buttons of the title bar's height stand in for
    what Qt cannot ask the window manager."""
    title = f"{dialog.windowTitle()} — {QGuiApplication.applicationDisplayName()}"
    bold = QFont(dialog.font())
    bold.setBold(True)
    buttons = 4 * 2 * dialog.fontMetrics().height()
    return QFontMetrics(bold).horizontalAdvance(title) + buttons


def error_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setObjectName("errorBanner")
    label.setWordWrap(True)
    label.hide()
    return label
