"""File dialogs in ClinicChat's language, not the desktop's.

A native dialog (GTK's, Windows', macOS') is drawn by the desktop in the system's language,
which is not always the one chosen in Settings, and no translator of ours reaches it. Qt's
own dialog takes its texts from Qt's catalogue and ours (clinichat/i18n.py), so it speaks the
language ClinicChat shows, also right after a switch. Every file dialog passes these options.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtWidgets import QFileDialog

OPTIONS: Final = QFileDialog.Option.DontUseNativeDialog
