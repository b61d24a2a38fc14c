"""The banner that says, for as long as it is true, that questions leave this computer.

It spans the window above the conversations, in a colour nothing else in ClinicChat uses,
and wraps rather than hides when the window is narrow: a toolbar would push it into its
overflow menu, out of sight.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QLabel, QWidget

from clinichat.ui.retranslating import Retranslating

# Dark text on amber, in the light and the dark theme alike: a warning, not decoration.
_STYLE = (
    "QLabel#serverBanner { background: #ffc107; color: #1a1a1a; font-weight: bold;"
    " padding: 6px 10px; }"
)


class ServerBanner(Retranslating, QLabel):
    """Hidden while a model on this computer answers; names the server otherwise."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("serverBanner")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setStyleSheet(_STYLE)
        self._address = ""
        self.setVisible(False)
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(
            self.tr(
                "Questions and their conversations are sent to the clinic's server %1."
                " Choose a model on this computer in the model list to keep them here."
            ).replace("%1", self._address)
        )
        self.setAccessibleName(self.text())

    @Slot(str)
    def show_server(self, address: str) -> None:
        """`address`: where questions go now; "" when a model here answers."""
        self._address = address
        self.retranslate()
        self.setVisible(bool(address))
