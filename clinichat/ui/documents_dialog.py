"""Documents → the clinic's library, and which of its collections this conversation asks.

Adding files reads them one at a time off the GUI thread (`library.read`: PDF text, DOCX,
…) and stores each on this thread as soon as it is read, so a long folder shows its
progress, can be cancelled, and keeps every file finished before a cancel, a lock or a
crash. A file that cannot be used is listed with the reason; the others go on.
"""

from __future__ import annotations

from collections import deque
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinichat.background import TaskRunner
from clinichat.documents.citations import ConversationDocuments
from clinichat.documents.extract import SUFFIXES, unreadable
from clinichat.documents.library import DEFAULT_COLLECTION, DocumentLibrary, Outcome
from clinichat.documents.reading import Read, files_in, read
from clinichat.documents.watched import WatchedFolders
from clinichat.translate import translate
from clinichat.ui.retranslating import Retranslating


class DocumentsDialog(Retranslating, QDialog):
    """The library (add, remove, see what could not be read) and this conversation's choice."""

    library_changed = Signal()  # a file was stored or removed: passages to embed or gone
    # Adding has ended (done or stopped): watched folders may be new. Not sooner, or the
    # watcher would read the files this dialog is still reading.
    adding_ended = Signal()

    def __init__(
        self,
        library: DocumentLibrary,
        citations: ConversationDocuments,
        conversation_id: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.citations = citations
        self.conversation_id = conversation_id
        self._tasks = TaskRunner(self)
        self._queue: deque[Path] = deque()
        self._reading = False  # a file is being read off the GUI thread
        self._collection_id = 0
        self._done = 0
        self._failed = 0
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(3)
        self.tree.setRootIsDecorated(False)
        self.detail = QLabel(self)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setWordWrap(True)
        self.detail.setObjectName("muted")
        self.tree.currentItemChanged.connect(self._show_detail)
        self.collection = QComboBox(self)
        self.collection.setEditable(True)
        self.collection_label = QLabel(self)
        self.collection_label.setBuddy(self.collection)
        self.add_files_button = QPushButton(self)
        self.add_files_button.clicked.connect(self.add_files)
        self.add_folder_button = QPushButton(self)
        self.add_folder_button.clicked.connect(self.add_folder)
        self.remove_button = QPushButton(self)
        self.remove_button.clicked.connect(self.remove_selected)
        self.cancel_button = QPushButton(self)
        self.cancel_button.clicked.connect(self.cancel_indexing)
        self.cancel_button.hide()
        self.pause_button = QPushButton(self)
        self.pause_button.setCheckable(True)
        self.pause_button.toggled.connect(self._pause_toggled)
        self.pause_button.hide()
        self.watch = QCheckBox(self)
        self.watch.setChecked(True)
        self.progress = QLabel(self)
        self.progress.setWordWrap(True)
        self.asks_label = QLabel(self)
        self.asks = QListWidget(self)
        self.only = QCheckBox(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        for widget in (
            self.collection_label,
            self.collection,
            self.add_files_button,
            self.add_folder_button,
            self.remove_button,
            self.pause_button,
            self.cancel_button,
        ):
            row.addWidget(widget)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.tree, 2)
        layout.addWidget(self.detail)
        layout.addLayout(row)
        layout.addWidget(self.watch)
        layout.addWidget(self.progress)
        layout.addWidget(self.asks_label)
        layout.addWidget(self.asks, 1)
        layout.addWidget(self.only)
        layout.addWidget(self.buttons)
        self.resize(760, 560)
        self._refresh_collections()
        self.only.setChecked(citations.only_documents(conversation_id))
        self.retranslate()  # and the documents' states, in the reader's language

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Documents"))
        self.intro.setText(
            self.tr(
                "The clinic's protocols and guidelines, kept inside the encrypted history."
                " A conversation that asks a collection gets the best passages with each"
                " question, and its answer cites them as [1], [2]…"
            )
        )
        self.tree.setHeaderLabels([self.tr("Document"), self.tr("Collection"), self.tr("State")])
        self.collection_label.setText(self.tr("Add to &collection:"))
        self.add_files_button.setText(self.tr("Add &files…"))
        self.add_folder_button.setText(self.tr("Add a f&older…"))
        self.remove_button.setText(self.tr("&Remove"))
        self.cancel_button.setText(self.tr("Stop adding"))
        self.pause_button.setText(
            self.tr("Go on") if self.pause_button.isChecked() else self.tr("&Pause")
        )
        self.watch.setText(
            self.tr("Keep the folders added here up to date (new, changed and deleted files)")
        )
        self.asks_label.setText(self.tr("This conversation asks:"))
        self.only.setText(self.tr("Answer only from the documents"))
        self._refresh_states()

    # -- the library ------------------------------------------------------------------------
    def _refresh(self) -> None:
        self._refresh_collections()
        self._refresh_states()

    def _refresh_collections(self) -> None:
        names = self.library.collections()
        current = self.collection.currentText() or DEFAULT_COLLECTION
        self.collection.clear()
        self.collection.addItems(sorted({*names, DEFAULT_COLLECTION}))
        self.collection.setCurrentText(current)
        chosen = {
            self.asks.item(i).text()
            for i in range(self.asks.count())
            if self.asks.item(i).checkState() is Qt.CheckState.Checked
        } or set(self.citations.collections(self.conversation_id))
        self.asks.clear()
        for name in names:
            item = QListWidgetItem(name, self.asks)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = Qt.CheckState.Checked if name in chosen else Qt.CheckState.Unchecked
            item.setCheckState(checked)

    def _refresh_states(self) -> None:
        self.tree.clear()
        for row in self.library.documents():
            if row.problem:
                state = row.problem.render(translate)
            elif row.pages:
                state = self.tr("%1 pages, %2 passages").replace("%1", str(row.pages))
                state = state.replace("%2", str(row.passages))
            else:
                state = self.tr("%1 passages").replace("%1", str(row.passages))
            item = QTreeWidgetItem(self.tree, [row.name, row.collection, state])
            item.setToolTip(0, str(row.path))
            item.setToolTip(2, state)
            item.setData(2, Qt.ItemDataRole.UserRole, bool(row.problem))
            item.setData(0, Qt.ItemDataRole.UserRole, str(row.path))
        for column in range(2):
            self.tree.resizeColumnToContents(column)
        items = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        shown = [i for i in items if i is not None]
        failed = [i for i in shown if i.data(2, Qt.ItemDataRole.UserRole)]
        if failed or shown:
            self.tree.setCurrentItem((failed or shown)[0])  # a problem first
        self._show_detail(self.tree.currentItem())

    @Slot(QTreeWidgetItem)
    def _show_detail(self, item: QTreeWidgetItem | None) -> None:
        """The row's state in full: a reason a file is not indexed may be long."""
        if item is None:
            self.detail.clear()
        elif item.data(2, Qt.ItemDataRole.UserRole):  # a problem names its file itself
            self.detail.setText(item.text(2))
        else:
            self.detail.setText(f"{item.text(0)}: {item.text(2)}")

    @Slot()
    def add_files(self) -> None:
        patterns = " ".join(f"*{suffix}" for suffix in SUFFIXES)
        names, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Add documents"), "", self.tr("Documents (%1)").replace("%1", patterns)
        )
        self.add_paths([Path(n) for n in names])

    @Slot()
    def add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Add a folder of documents"))
        if folder:
            self.add_paths([Path(folder)])

    def add_paths(self, paths: list[Path]) -> None:
        """Index `paths` (files, and the readable files in folders), one file at a time."""
        if not paths:
            return
        collection = self.collection.currentText() or DEFAULT_COLLECTION
        self._collection_id = self.library.collection_id(collection)
        folders = [p for p in paths if p.is_dir()]
        if folders and self.watch.isChecked():
            for folder in folders:
                WatchedFolders(self.library).watch(folder, collection)
        self._queue.extend(files_in(paths))
        self._done = self._failed = 0
        self.cancel_button.show()
        self.pause_button.show()
        self._next()

    @Slot(bool)
    def _pause_toggled(self, paused: bool) -> None:
        """Paused: the file being read is still stored, then nothing more until Go on."""
        self.retranslate()
        if paused:
            self._show_paused()
        elif not self._reading:
            self._next()

    def _show_paused(self) -> None:
        waiting = len(self._queue) - (1 if self._reading else 0)
        self.progress.setText(self.tr("Paused: %1 file(s) wait.").replace("%1", str(waiting)))

    def _next(self) -> None:
        while self._queue and not self.pause_button.isChecked():
            path = self._queue[0]
            outcome = self.library.unchanged(self._collection_id, path)
            if outcome is None:
                self.progress.setText(
                    self.tr("Reading %1… (%2 more after it)")
                    .replace("%1", path.name)
                    .replace("%2", str(len(self._queue) - 1))
                )
                self._reading = True
                self._tasks.run(partial(read, path), self._read_done, self._read_failed)
                return
            self._queue.popleft()
            self._count(outcome)
        if self._queue:
            self._show_paused()
            return
        self._end_of_queue()

    def _end_of_queue(self) -> None:
        self.adding_ended.emit()
        self.cancel_button.hide()
        self.pause_button.hide()
        self.pause_button.setChecked(False)
        self.progress.setText(
            self.tr("%1 file(s) added; %2 could not be used (see State).")
            .replace("%1", str(self._done))
            .replace("%2", str(self._failed))
        )
        self._refresh()

    @Slot(object)
    def _read_done(self, found: Read) -> None:
        self._reading = False
        if not self._queue or not self.isVisible():
            return  # cancelled, or closed (locked) while it was read
        self._queue.popleft()
        self._count(self.library.store(self._collection_id, found))
        self.library_changed.emit()
        self._refresh_states()
        self._next()

    @Slot(object)
    def _read_failed(self, error: Exception) -> None:
        self._reading = False
        if self._queue:
            path = self._queue.popleft()
            problem = unreadable(path, OSError(str(error)))  # reading never got that far
            self._count(Outcome(path, "failed", problem=problem))
        self._next()

    def _count(self, outcome: Outcome) -> None:
        self._done += 1
        self._failed += outcome.status == "failed"

    @Slot()
    def cancel_indexing(self) -> None:
        """Stop after the file being read; every file finished so far stays indexed."""
        self._queue.clear()
        self.adding_ended.emit()
        self.cancel_button.hide()
        self.pause_button.hide()
        self.pause_button.setChecked(False)
        self._refresh()

    @Slot()
    def remove_selected(self) -> None:
        for item in self.tree.selectedItems():
            self.library.remove(str(item.data(0, Qt.ItemDataRole.UserRole)))
        self.library_changed.emit()
        self._refresh()

    # -- this conversation ----------------------------------------------------------------------
    def chosen(self) -> list[str]:
        return [
            self.asks.item(i).text()
            for i in range(self.asks.count())
            if self.asks.item(i).checkState() is Qt.CheckState.Checked
        ]

    def accept(self) -> None:
        self.cancel_indexing()
        self.citations.choose(self.conversation_id, self.chosen(), self.only.isChecked())
        super().accept()

    def reject(self) -> None:
        self._queue.clear()
        super().reject()

    def done(self, result: int) -> None:
        super().done(result)
        self._tasks.wait_all()
