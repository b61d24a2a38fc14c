"""The list of conversations: new, switch, rename, delete.

Each entry shows its whole title, wrapped over as many lines as it needs (never cut), and
under it when it was last active: the time for today, else a short date, both written the
way the current language writes them (QLocale), so a language switch rewrites them too.
"""

from __future__ import annotations

import html

from PySide6.QtCore import (
    QDateTime,
    QEvent,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QInputDialog,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from clinichat.history.store import HIT_END, HIT_START, Conversation, SearchHit
from clinichat.ui import message_box
from clinichat.ui.label_rows import LabelRows
from clinichat.ui.retranslating import Retranslating
from clinichat.ui.title_room import make_room_for_title
from clinichat.ui.titles import shown_title

PINNED_ROLE = Qt.ItemDataRole.UserRole + 1
TITLE_ROLE = Qt.ItemDataRole.UserRole + 2  # the stored title (UNTITLED or the real one)
ACTIVITY_ROLE = Qt.ItemDataRole.UserRole + 3  # last activity, seconds since the epoch
SEARCH_DELAY_MS = 200
LINE_BREAK = "\u2028"


def _hit_html(hit: SearchHit) -> str:
    """Title and snippet as safe rich text, the matched words in bold."""

    def marked(text: str) -> str:
        return html.escape(text).replace(HIT_START, "<b>").replace(HIT_END, "</b>")

    return f"<div><b>{marked(shown_title(hit.title))}</b><br/>{marked(hit.snippet)}</div>"


def activity_text(when: float, now: QDateTime | None = None) -> str:
    """When a conversation was last active, in the current language's short format.

    Today's entries show the time (a clinician looks for "this morning's"), older ones the
    date; the format comes from QLocale(), which the language switch sets.
    """
    moment = QDateTime.fromMSecsSinceEpoch(round(when * 1000))
    locale = QLocale()
    if moment.date() == (now or QDateTime.currentDateTime()).date():
        return locale.toString(moment.time(), QLocale.FormatType.ShortFormat)
    return locale.toString(moment.date(), QLocale.FormatType.ShortFormat)


class _EntryDelegate(QStyledItemDelegate):
    """Draws an entry's title with its last activity on a line of its own below it.

    The date is added to the text the style lays out and measures for the row's height, so
    it never takes room from the title and is drawn in the list's own colours.
    """

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        when = index.data(ACTIVITY_ROLE)
        if isinstance(when, float):  # Qt lays out a line break as U+2028, never as "\n"
            option.text = f"{option.text}{LINE_BREAK}{activity_text(when)}"


class ConversationList(Retranslating, QWidget):
    """Shows conversations, most recent first, and asks before anything is deleted."""

    new_requested = Signal()
    selected = Signal(int)
    rename_requested = Signal(int, str)
    delete_requested = Signal(int)
    pin_requested = Signal(int, bool)
    search_changed = Signal(str)
    hit_chosen = Signal(int, int)  # conversation id, message id (-1: the title matched)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.new_button = QPushButton(self)
        self.new_button.setObjectName("newConversation")
        self.new_button.clicked.connect(self.new_requested)
        layout.addWidget(self.new_button)
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(lambda: self.search_changed.emit(self.search.text()))
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.installEventFilter(self)
        self.hits = LabelRows(self)
        self.hits.itemActivated.connect(self._on_hit)
        self.hits.itemClicked.connect(self._on_hit)
        self.hits.hide()
        self._hits: list[SearchHit] | None = None  # shown again on a language switch
        layout.addWidget(self.hits, 1)
        self.list = QListWidget(self)
        # Titles wrap rather than being cut; only a single word too long for a line is elided.
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)  # row heights follow the width
        self.list.setItemDelegate(_EntryDelegate(self.list))
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._menu)
        self.list.currentItemChanged.connect(self._on_current)
        layout.addWidget(self.list, 1)
        self.retranslate()

    # -- texts ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        """Set every text in the current language (at start and on a language switch).

        Titles are the clinician's own words and stay; only the words around them change,
        the name of an untitled conversation, and how dates are written.
        """
        self.new_button.setText(self.tr("New conversation"))
        self.new_button.setToolTip(self.tr("Start a new conversation (Ctrl+N)"))
        self.search.setPlaceholderText(self.tr("Search conversations (Ctrl+F)"))
        self.search.setAccessibleName(self.tr("Search conversations"))
        self.hits.setAccessibleName(self.tr("Search results"))
        self.list.setAccessibleName(self.tr("Conversations"))
        for row in range(self.list.count()):
            self._set_texts(self.list.item(row))
        self.list.doItemsLayout()  # dates and names have new lengths: rows get new heights
        if self._hits is not None:
            self.show_hits(self._hits)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Esc in a search with text clears it (back to the list) instead of stopping an answer.

        The window's Esc shortcut would take the key first; claiming the shortcut override
        while there is text to clear keeps Esc for the search field then.
        """
        clearing = (
            watched is self.search
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and bool(self.search.text())
        )
        if clearing and event.type() == QEvent.Type.ShortcutOverride:
            event.accept()
            return True
        if clearing and event.type() == QEvent.Type.KeyPress:
            self.search.clear()
            self._search_timer.stop()
            self.search_changed.emit("")
            return True
        return super().eventFilter(watched, event)

    def _set_texts(self, item: QListWidgetItem) -> None:
        title = shown_title(str(item.data(TITLE_ROLE)))
        item.setText(title)
        if item.data(PINNED_ROLE):
            item.setToolTip(self.tr("Pinned: %1").replace("%1", title))
        else:
            item.setToolTip(title)
        when = item.data(ACTIVITY_ROLE)
        if isinstance(when, float):  # the delegate draws it; a screen reader says it
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, activity_text(when))

    def set_conversations(self, conversations: list[Conversation], current: int | None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for conversation in conversations:
            item = QListWidgetItem(self.list)
            item.setData(Qt.ItemDataRole.UserRole, conversation.id)
            item.setData(PINNED_ROLE, conversation.pinned)
            item.setData(TITLE_ROLE, conversation.title)
            item.setData(ACTIVITY_ROLE, float(conversation.updated))
            self._set_texts(item)
            if conversation.pinned:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            if conversation.id == current:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)

    def show_hits(self, hits: list[SearchHit] | None) -> None:
        """Show search results instead of the conversations; None goes back to the list."""
        self._hits = hits
        self.hits.clear()
        self.hits.setVisible(hits is not None)
        self.list.setVisible(hits is None)
        for hit in hits or []:
            item = QListWidgetItem(self.hits)
            item.setData(Qt.ItemDataRole.UserRole, (hit.conversation_id, hit.message_id or -1))
            self.hits.add_label_row(item, _hit_html(hit), 4)
        if hits == []:
            item = QListWidgetItem(self.tr("Nothing found"), self.hits)
            item.setFlags(Qt.ItemFlag.NoItemFlags)

    @Slot(QListWidgetItem)
    def _on_hit(self, item: QListWidgetItem) -> None:
        data = item.data(Qt.ItemDataRole.UserRole)
        if data:
            self.hit_chosen.emit(*data)

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
        pinned = bool(item.data(PINNED_ROLE))
        pin = menu.addAction(self.tr("Unpin") if pinned else self.tr("Pin to top"))
        rename = menu.addAction(self.tr("Rename…"))
        delete = menu.addAction(self.tr("Delete…"))
        chosen = menu.exec(self.list.viewport().mapToGlobal(position))
        if chosen is pin:
            self.pin_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)), not pinned)
        elif chosen is rename:
            self.ask_rename(item)
        elif chosen is delete:
            self.ask_delete(item)

    def ask_rename(self, item: QListWidgetItem) -> None:
        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("Rename conversation"))
        dialog.setLabelText(self.tr("New name:"))
        dialog.setTextValue(item.text())
        dialog.setModal(True)
        dialog.show()  # builds its layout, which make_room_for_title then widens
        make_room_for_title(dialog)
        ok = dialog.exec() == QInputDialog.DialogCode.Accepted
        title = dialog.textValue()
        dialog.deleteLater()
        # Unchanged: an untitled conversation stays untitled (its name keeps following the
        # language) rather than being named "New conversation" in today's language.
        if ok and title.strip() and title != item.text():
            self.rename_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)), title)

    def ask_delete(self, item: QListWidgetItem) -> None:
        if message_box.ask(
            self,
            self.tr("Delete conversation"),
            self.tr("Delete “%1” and all its messages? This cannot be undone.").replace(
                "%1", item.text()
            ),
        ):
            self.delete_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)))
