"""The list of conversations: new, switch, rename, delete."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QInputDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinichat.history.store import Conversation


class ConversationList(QWidget):
    """Shows conversations, most recent first, and asks before anything is deleted."""

    new_requested = Signal()
    selected = Signal(int)
    rename_requested = Signal(int, str)
    delete_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.new_button = QPushButton(self.tr("New conversation"), self)
        self.new_button.setObjectName("newConversation")
        self.new_button.setToolTip(self.tr("Start a new conversation (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_requested)
        layout.addWidget(self.new_button)
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Conversations"))
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._menu)
        self.list.currentItemChanged.connect(self._on_current)
        layout.addWidget(self.list, 1)

    def set_conversations(self, conversations: list[Conversation], current: int | None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for conversation in conversations:
            item = QListWidgetItem(conversation.title, self.list)
            item.setData(Qt.ItemDataRole.UserRole, conversation.id)
            item.setToolTip(conversation.title)
            if conversation.id == current:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_current(self, item: QListWidgetItem | None, _previous: object) -> None:
        if item is not None:
            self.selected.emit(int(item.data(Qt.ItemDataRole.UserRole)))

    @Slot(QPoint)
    def _menu(self, position: QPoint) -> None:
        item = self.list.itemAt(position)
        if item is None:
            return
        menu = QMenu(self)
        rename = menu.addAction(self.tr("Rename…"))
        delete = menu.addAction(self.tr("Delete…"))
        chosen = menu.exec(self.list.viewport().mapToGlobal(position))
        if chosen is rename:
            self.ask_rename(item)
        elif chosen is delete:
            self.ask_delete(item)

    def ask_rename(self, item: QListWidgetItem) -> None:
        title, ok = QInputDialog.getText(
            self,
            self.tr("Rename conversation"),
            self.tr("New name:"),
            QLineEdit.EchoMode.Normal,
            item.text(),
        )
        if ok and title.strip():
            self.rename_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)), title)

    def ask_delete(self, item: QListWidgetItem) -> None:
        answer = QMessageBox.question(
            self,
            self.tr("Delete conversation"),
            self.tr("Delete “%1” and all its messages? This cannot be undone.").replace(
                "%1", item.text()
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)))
