"""The one model to get next, offered where a clinician has no model worth using yet.

Two places: the empty page (no model at all) and, while only the starter is installed (what a
fresh set-up leaves), a dismissible notice above the chat that says plainly what the starter
is for. Both show the model `recommend()` picks for this computer (its use, download size,
memory against this computer's, licence in plain words) and one button that starts the real
download through the app's DownloadManager, as the Models dialog does; progress shows on the
card, and pausing or cancelling stays in the Models dialog. When nothing fits, the card says
why and offers no button.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinichat.messages import UserError
from clinichat.models.catalog import CatalogEntry, find_by_filename
from clinichat.models.descriptions import CONTEXT, model_text
from clinichat.models.download import Download
from clinichat.models.download_manager import DownloadManager
from clinichat.models.download_spec import DownloadError, DownloadState
from clinichat.models.recommend import (
    PREFERRED,
    Misfit,
    Reason,
    Recommendation,
    free_disk_bytes,
    recommend,
)
from clinichat.models.starter import STARTER_FILENAME
from clinichat.system_info import total_ram_bytes
from clinichat.translate import translate
from clinichat.ui.model_card import card_label, gigabytes
from clinichat.ui.retranslating import Retranslating

_ACTIVE = (
    DownloadState.QUEUED,
    DownloadState.RUNNING,
    DownloadState.RETRYING,
    DownloadState.VERIFYING,
    DownloadState.PAUSED,
)


def _commercial_word(commercial: bool, conditions: bool) -> str:
    """The Models dialog's badge text, so both say it the same way."""
    if commercial and conditions:
        return QCoreApplication.translate("ModelCard", "Commercial use: yes, with conditions")
    if commercial:
        return QCoreApplication.translate("ModelCard", "Commercial use: yes")
    return QCoreApplication.translate("ModelCard", "Commercial use: no")


class RecommendationCard(Retranslating, QFrame):
    """The recommended model with a one-click download, or why none fits."""

    download_requested = Signal(object)  # CatalogEntry
    manage_requested = Signal()  # open the Models dialog (pause, cancel, other models)

    def __init__(self, parent: QWidget | None = None, *, compact: bool = False) -> None:
        """`compact`: for the notice above a conversation: no description, the licence in brief."""
        super().__init__(parent)
        self.setObjectName("modelCard")
        self.compact = compact
        self.recommendation = Recommendation(None)
        self.ram: int | None = None
        self.download: Download | None = None
        self.start_error: str | None = None
        self.title = card_label(self, "cardTitle")
        self.summary = card_label(self)
        self.facts = card_label(self, "muted")
        self.licence = card_label(self)
        self.reasons = card_label(self)
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(False)
        self.progress_text = card_label(self, "muted")
        self.error = card_label(self, "ramWarning")
        self.button = QPushButton(self)
        self.button.setObjectName("sendButton")
        self.button.clicked.connect(self._clicked)
        self.manage_button = QPushButton(self)
        self.manage_button.clicked.connect(self.manage_requested)
        layout = QVBoxLayout(self)
        for widget in (self.title, self.summary, self.facts, self.licence, self.reasons):
            layout.addWidget(widget)
        layout.addWidget(self.bar)
        layout.addWidget(self.progress_text)
        layout.addWidget(self.error)
        row = QHBoxLayout()
        row.addWidget(self.button)
        row.addWidget(self.manage_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.retranslate()

    def show_recommendation(
        self, recommendation: Recommendation, ram: int | None, download: Download | None
    ) -> None:
        """Show what to get; `download`: the running (or last) download of that model."""
        if download is not None and download is not self.download:
            download.progress.connect(self.retranslate)
            download.state_changed.connect(self.retranslate)
        if recommendation.entry != self.recommendation.entry:
            self.start_error = None
        self.recommendation, self.ram, self.download = recommendation, ram, download
        self.retranslate()

    def show_start_error(self, text: str) -> None:
        """The download could not even start (a bad address, the folder not writable)."""
        self.start_error = text
        self.retranslate()

    @Slot()
    def _clicked(self) -> None:
        entry = self.recommendation.entry
        if entry is not None:
            self.start_error = None
            self.download_requested.emit(entry)

    @property
    def downloading(self) -> bool:
        return self.download is not None and self.download.state in _ACTIVE

    # -- texts ------------------------------------------------------------------------------
    def retranslate(self) -> None:
        entry = self.recommendation.entry
        self.manage_button.setText(self.tr("Pause or cancel in Models…"))
        if entry is None:
            self._render_misfits(self.recommendation.misfits)
            return
        self.setAccessibleName(self.tr("Recommended model"))
        self.title.setText(self.tr("Recommended for this computer: %1").replace("%1", entry.name))
        ours = model_text(entry.filename)
        self.summary.setText(translate(CONTEXT, ours.summary) if ours else "")
        self.licence.setText(translate(CONTEXT, ours.licence) if ours else "")
        size = gigabytes(entry.filesize or 0)
        facts = [self.tr("Download: %1").replace("%1", size)]
        if entry.ram_required_gb is not None and self.ram is not None:
            facts.append(
                self.tr("needs %1 GB of memory (RAM); this computer has %2")
                .replace("%1", str(entry.ram_required_gb))
                .replace("%2", gigabytes(self.ram))
            )
        if self.compact and ours is not None:
            # The licence in a word here, in full on hover and on the empty page: the notice
            # has to leave the conversation room on a short screen at 150%.
            terms = entry.licence_terms
            facts.append(_commercial_word(ours.commercial, terms is not None and terms.conditions))
            self.facts.setToolTip(self.licence.text())
        self.facts.setText(" · ".join(facts))
        self.button.setText(
            self.tr("Download %1 (%2)").replace("%1", entry.name).replace("%2", size)
        )
        self.button.setAccessibleName(self.button.text())
        downloading = self.downloading
        for widget in (self.title, self.facts):
            widget.show()
        self.summary.setVisible(bool(self.summary.text()) and not self.compact)
        self.licence.setVisible(bool(self.licence.text()) and not self.compact)
        self.reasons.setText("")
        self.reasons.hide()
        self.button.setVisible(not downloading)
        self.manage_button.setVisible(downloading)
        self.bar.setVisible(downloading)
        self.progress_text.setText(self._progress_text() if downloading else "")
        self.progress_text.setVisible(downloading)
        error = self._error_text()
        self.error.setText(error)
        self.error.setVisible(bool(error))

    def _render_misfits(self, misfits: tuple[Misfit, ...]) -> None:
        self.setAccessibleName(self.tr("No recommended model fits"))
        self.title.setText(self.tr("No recommended model fits this computer"))
        lines = [self._misfit_text(m) for m in misfits]
        lines.append(
            self.tr(
                "Free some disk space, or ask IT for a computer with more memory. Other models"
                " are listed under File → Models."
            )
        )
        self.reasons.setText("\n".join(lines))
        self.title.show()
        self.reasons.show()
        for label in (self.summary, self.facts, self.licence, self.progress_text, self.error):
            label.setText("")  # no stale text of an earlier recommendation, in any language
            label.hide()
        self.button.setText("")
        self.button.setAccessibleName("")
        for widget in (self.bar, self.button, self.manage_button):
            widget.hide()

    def _misfit_text(self, misfit: Misfit) -> str:
        name = misfit.entry.name
        if misfit.reason is Reason.ENGINE:
            text = self.tr("%1 cannot run with this version of ClinicChat.")
        elif misfit.reason is Reason.RAM_UNKNOWN:
            text = self.tr(
                "%1 needs %2 of memory (RAM), and this computer does not say how much it has."
            )
        elif misfit.reason is Reason.RAM:
            text = self.tr("%1 needs %2 of memory (RAM); this computer has %3.")
        else:
            text = self.tr("%1 needs %2 free in the models folder; there are %3.")
        return (
            text.replace("%1", name)
            .replace("%2", gigabytes(misfit.needed))
            .replace("%3", gigabytes(misfit.have))
        )

    def _progress_text(self) -> str:
        download = self.download
        assert download is not None
        entry = self.recommendation.entry
        total = download.total or (entry.filesize if entry else None) or 0
        self.bar.setRange(0, max(1, total // 2**20))  # MiB: an int holds 8 GB files
        self.bar.setValue(download.received // 2**20)
        done = (
            self.tr("%1 of %2")
            .replace("%1", gigabytes(download.received))
            .replace("%2", gigabytes(total) if total else "?")
        )
        states = {
            DownloadState.QUEUED: self.tr("Starting…"),
            DownloadState.RUNNING: self.tr("Downloading…"),
            DownloadState.RETRYING: self.tr("Connection problem; trying again…"),
            DownloadState.VERIFYING: self.tr("Checking the file…"),
            DownloadState.PAUSED: self.tr("Paused"),
        }
        return states.get(download.state, "") + " " + done

    def _error_text(self) -> str:
        if self.start_error:
            return self.start_error
        download = self.download
        if download is not None and download.state is DownloadState.FAILED:
            reason = download.error.render(translate) if download.error else ""
            return self.tr("The download stopped: %1").replace("%1", reason)
        return ""


class StarterNotice(Retranslating, QFrame):
    """Above the chat while only the starter is installed: what it is for, and what to get."""

    use_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notice")
        self.ready: str | None = None  # the recommended model's name, once installed
        self.text = card_label(self)
        self.card = RecommendationCard(self, compact=True)
        self.use_button = QPushButton(self)
        self.use_button.setObjectName("sendButton")
        self.use_button.clicked.connect(self.use_requested)
        self.dismiss_button = QPushButton(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        top = QHBoxLayout()  # Dismiss beside the text: a row less on a short screen
        top.addWidget(self.text, 1)
        top.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        layout.addWidget(self.card)
        layout.addWidget(self.use_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.retranslate()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Claim the height the wrapped texts need at this width.

        The chat page's box layout shares out its height by size hints, not by height for
        width: when the window is short, the card's lines were squeezed to half their height
        while the conversation below kept room to spare.
        """
        super().resizeEvent(event)
        needed = self.heightForWidth(self.width())
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)

    def show_ready(self, name: str | None) -> None:
        """`name`: the recommended model is installed and can replace the starter."""
        self.ready = name
        self.retranslate()

    def retranslate(self) -> None:
        self.setAccessibleName(self.tr("About the starter model"))
        if self.ready is not None:
            self.text.setText(
                self.tr(
                    "%1 is downloaded and verified. Use it instead of the starter model?"
                ).replace("%1", self.ready)
            )
            self.use_button.setText(self.tr("Use %1").replace("%1", self.ready))
        else:
            self.text.setText(
                self.tr(
                    "You are using the starter model. It is tiny and often wrong: it is only for"
                    " trying ClinicChat, not for clinical use. For real work, get a model that"
                    " fits this computer."
                )
            )
        self.card.setVisible(self.ready is None)
        self.use_button.setVisible(self.ready is not None)
        self.dismiss_button.setText(self.tr("Dismiss"))
        self.dismiss_button.setAccessibleName(self.tr("Dismiss the note about the starter model"))


class Recommendations(QObject):
    """Keeps the empty page's card and the starter notice in step with the models folder.

    The window owns one; it calls `refresh()` whenever the installed list is read, and
    connects `use_requested` (load a model) and `manage_requested` (open the Models dialog).
    """

    use_requested = Signal(str)  # file name
    manage_requested = Signal()

    def __init__(
        self,
        downloads: DownloadManager,
        empty_card: RecommendationCard,
        chat_page: QWidget,
        in_use: Callable[[], str | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.downloads = downloads
        self.registry = downloads.registry
        self.empty_card = empty_card
        self._in_use = in_use
        self._installed: set[str] = set()
        self.ram = total_ram_bytes()
        self.notice = StarterNotice(chat_page)
        self.notice.hide()
        layout = chat_page.layout()
        assert isinstance(layout, QBoxLayout)
        layout.insertWidget(0, self.notice)  # above the conversation
        self._dismissed = False
        self._fetched: str | None = None  # the file this run downloaded from a card
        for card in (empty_card, self.notice.card):
            card.download_requested.connect(self.start)
            card.manage_requested.connect(self.manage_requested)
        self.notice.dismiss_button.clicked.connect(self._dismiss)
        self.notice.use_requested.connect(self._use)
        downloads.started.connect(self.refresh)
        downloads.installed.connect(self.refresh)
        downloads.failed.connect(self.refresh)

    @Slot()
    def refresh(self) -> None:
        installed = {m.filename for m in self.registry.installed()}
        recommendation = self._running() or recommend(
            self.registry.catalog,
            installed,
            ram=self.ram,
            free_disk=free_disk_bytes(self.registry.models_dir),
        )
        entry = recommendation.entry
        download = self.downloads.download(entry.filename) if entry else None
        for card in (self.empty_card, self.notice.card):
            card.show_recommendation(recommendation, self.ram, download)
        self.empty_card.setVisible(entry is not None or bool(recommendation.misfits))
        self._installed = installed
        self.update_notice()

    def _running(self) -> Recommendation | None:
        """A preferred model being downloaded stays the one shown, whatever the disk says."""
        for filename in PREFERRED:
            download = self.downloads.download(filename)
            entry = find_by_filename(self.registry.catalog, filename)
            if download is not None and entry is not None and download.state in _ACTIVE:
                return Recommendation(entry)
        return None

    @Slot()
    def update_notice(self) -> None:
        """The starter notice follows what answers: none while the clinic's server does."""
        installed = self._installed
        fetched = self._fetched
        if fetched in installed and self._in_use() == STARTER_FILENAME:
            model = self.registry.find(fetched) if fetched else None
            self.notice.show_ready(model.display_name if model else fetched)
            self.notice.setVisible(not self._dismissed)
            return
        self.notice.show_ready(None)
        starter_only = installed == {STARTER_FILENAME} and not self._dismissed
        self.notice.setVisible(starter_only and self._in_use() == STARTER_FILENAME)

    @Slot(object)
    def start(self, entry: CatalogEntry) -> None:
        """One click: the real download, as the Models dialog starts it."""
        try:
            self.downloads.start(entry)
        except (DownloadError, OSError) as error:
            text = error.render(translate) if isinstance(error, UserError) else str(error)
            for card in (self.empty_card, self.notice.card):
                card.show_start_error(text)
            return
        self._fetched = entry.filename
        self._dismissed = False

    @Slot()
    def _dismiss(self) -> None:
        self._dismissed = True
        self.notice.hide()

    @Slot()
    def _use(self) -> None:
        if self._fetched is not None:
            self.use_requested.emit(self._fetched)
        self._fetched = None
        self.notice.hide()
