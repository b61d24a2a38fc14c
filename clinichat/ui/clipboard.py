"""Every copy ClinicChat makes goes through here, so locking can take it back.

An answer or a recovery key left on the clipboard outlives the lock: anyone at the PC could
paste it. Like a password manager, ClinicChat clears the clipboard on lock, but only if it
still holds what ClinicChat put there (never something the clinician copied elsewhere since).
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication


class _Last:
    text: str | None = None


def copy(text: str) -> None:
    """Put `text` on the clipboard and remember it was ours."""
    QGuiApplication.clipboard().setText(text)
    _Last.text = text


def clear_if_ours() -> None:
    """Empty the clipboard when it still holds the last text ClinicChat copied."""
    clipboard = QGuiApplication.clipboard()
    if _Last.text is not None and clipboard.text() == _Last.text:
        clipboard.clear()
    _Last.text = None
