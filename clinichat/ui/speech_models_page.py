"""The model manager's Speech tab: the Whisper models, downloaded, verified, removed, chosen.

Each card says what a clinician needs to pick one (size, memory against this computer's,
licence, languages, what it is good for) and offers what can be done with it now. A download
belongs to the app's SpeechDownloads, so it goes on when the dialog closes; verification
reads the files on a worker thread.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QLocale, QTimer, Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QProgressBar, QPushButton, QVBoxLayout, QWidget

from clinichat.background import TaskRunner
from clinichat.config.settings import Settings
from clinichat.speech.catalog import SPEECH_MODELS, SpeechModel
from clinichat.speech.download import SpeechDownloads
from clinichat.speech.speed import expected_speed
from clinichat.system_info import total_ram_bytes
from clinichat.translate import translate
from clinichat.ui import message_box
from clinichat.ui.model_card import card_label, gigabytes
from clinichat.ui.retranslating import Retranslating


class SpeechCard(Retranslating, QFrame):
    """One Whisper model and what can be done with it."""

    def __init__(self, model: SpeechModel, page: SpeechModelsPage) -> None:
        super().__init__(page)
        self.model = model
        self._page = page
        #: None, or the verification's outcome: [] (all good) or the damaged files.
        self.verified: list[str] | None = None
        self.verifying = False
        self.setObjectName("modelCard")
        self.title = card_label(self, "cardTitle")
        self.facts = card_label(self, "muted")
        self.speed = card_label(self, "muted")
        self.description = card_label(self)
        self.state = card_label(self, "muted")
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1000)
        self.download_button = QPushButton(self)
        self.default_button = QPushButton(self)
        self.verify_button = QPushButton(self)
        self.remove_button = QPushButton(self)
        self.download_button.clicked.connect(lambda: page.download_or_cancel(model))
        self.default_button.clicked.connect(lambda: page.set_default(model))
        self.verify_button.clicked.connect(lambda: page.verify(model))
        self.remove_button.clicked.connect(lambda: page.remove(model))
        layout = QVBoxLayout(self)
        for widget in (
            self.title,
            self.facts,
            self.speed,
            self.description,
            self.state,
            self.progress,
        ):
            layout.addWidget(widget)
        row = QHBoxLayout()
        row.addStretch(1)
        for button in (
            self.download_button,
            self.default_button,
            self.verify_button,
            self.remove_button,
        ):
            row.addWidget(button)
        layout.addLayout(row)
        self.retranslate()

    def _speed_text(self) -> str:
        """How long a 10-minute consultation takes here, measured or estimated."""
        page = self._page
        speed = expected_speed(self.model, page.settings.threads, page.downloads.models.speeds)
        minutes = speed.minutes_for(10)
        if minutes < 1:
            duration = self.tr("under a minute")
        else:
            duration = self.tr("about %1 min").replace("%1", str(round(minutes)))
        if speed.measured:
            return self.tr("A 10-minute recording takes %1 on this computer (measured).").replace(
                "%1", duration
            )
        return self.tr(
            "A 10-minute recording should take %1 on this computer (estimate from its size)."
        ).replace("%1", duration)

    def retranslate(self) -> None:
        model, page = self.model, self._page
        installed = page.downloads.models.is_installed(model)
        job = page.downloads.job(model.name)
        is_default = installed and page.default_name() == model.name
        title = model.title + (" — " + self.tr("used for dictation") if is_default else "")
        self.title.setText(title)
        memory = self.tr("needs about %1 of memory").replace("%1", gigabytes(model.ram_mb * 2**20))
        facts = [
            _size(model.size),
            memory,
            self.tr("licence %1").replace("%1", model.licence),
            translate("Speech", model.languages),
        ]
        self.facts.setText(" · ".join(facts))
        self.speed.setText(self._speed_text())
        self.description.setText(translate("Speech", model.description))
        error = page.downloads.errors.get(model.name)
        if job is not None:
            done = job.progress_done
            self.progress.setValue(done * 1000 // max(model.size, 1))
            state = self.tr("Downloading… %1 of %2").replace("%1", gigabytes(done))
            state = state.replace("%2", gigabytes(model.size))
        elif error is not None:
            state = error.render(translate)
        elif self.verifying:
            state = self.tr("Verifying…")
        elif installed and self.verified == []:
            state = self.tr("Installed; every file matches the published checksums.")
        elif installed and self.verified:
            state = self.tr(
                "Damaged: %1 differs from the published file. Remove it and download it again."
            ).replace("%1", ", ".join(self.verified))
        elif installed:
            state = self.tr("Installed.")
        else:
            state = self.tr("Not installed.")
        if page.ram and model.ram_mb * 2**20 > page.ram // 2 and not installed:
            state += " " + self.tr("It needs more than half of this computer's memory.")
        self.state.setText(state)
        self.progress.setVisible(job is not None)
        self.download_button.setText(self.tr("Cancel download") if job else self.tr("Download"))
        self.download_button.setVisible(not installed)
        self.default_button.setText(self.tr("Use for dictation"))
        self.default_button.setVisible(installed)
        self.default_button.setEnabled(not is_default)
        self.verify_button.setText(self.tr("Verify"))
        self.verify_button.setVisible(installed)
        self.verify_button.setEnabled(not self.verifying)
        self.remove_button.setText(self.tr("Remove…"))
        self.remove_button.setVisible(installed)
        for button in (
            self.download_button,
            self.default_button,
            self.verify_button,
            self.remove_button,
        ):
            button.setAccessibleName(button.text() + " " + model.title)
        self.setAccessibleName(model.title)


class SpeechModelsPage(Retranslating, QWidget):
    """The cards of every speech model, in the catalog's order."""

    changed = Signal()  # a model was installed, removed or chosen

    def __init__(
        self,
        downloads: SpeechDownloads,
        settings: Settings,
        catalog: Sequence[SpeechModel] = SPEECH_MODELS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.downloads = downloads
        self.settings = settings
        self.ram = total_ram_bytes()
        self._tasks = TaskRunner(self)
        self.intro = card_label(self, "muted")
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        self.cards = {model.name: SpeechCard(model, self) for model in catalog}
        for card in self.cards.values():
            layout.addWidget(card)
        layout.addStretch(1)
        # Progress arrives many times a second; the cards are redrawn at most 4 times.
        self._redraw = QTimer(self)
        self._redraw.setSingleShot(True)
        self._redraw.setInterval(250)
        self._redraw.timeout.connect(self.retranslate)
        downloads.changed.connect(self._on_download_changed)
        settings.changed.connect(self._on_setting)
        self.retranslate()

    def default_name(self) -> str | None:
        chosen = self.settings.speech_model
        installed = self.downloads.models.installed()
        if chosen is not None and any(m.name == chosen for m in installed):
            return chosen
        return installed[0].name if installed else None

    def retranslate(self) -> None:
        self.intro.setText(
            self.tr(
                "Speech models turn dictation and recorded consultations into text on this"
                " computer; no sound leaves it. Check every transcript: drug names and doses"
                " can be misheard."
            )
        )
        for card in self.cards.values():
            card.retranslate()

    @Slot(str)
    def _on_download_changed(self, name: str) -> None:
        job = self.downloads.job(name)
        if job is None:  # ended: show it now, and tell the window a model may be new
            self.retranslate()
            self.changed.emit()
        elif not self._redraw.isActive():
            self._redraw.start()

    @Slot(str)
    def _on_setting(self, key: str) -> None:
        if key == "speech_model":
            self.retranslate()

    def download_or_cancel(self, model: SpeechModel) -> None:
        if self.downloads.job(model.name) is not None:
            self.downloads.cancel(model.name)
        else:
            self.downloads.start(model)
        self.retranslate()

    def set_default(self, model: SpeechModel) -> None:
        self.settings.set("speech_model", model.name)
        self.changed.emit()

    def verify(self, model: SpeechModel) -> None:
        card = self.cards[model.name]
        card.verifying = True
        card.retranslate()

        def done(bad: list[str]) -> None:
            card.verifying, card.verified = False, bad
            card.retranslate()

        def failed(error: Exception) -> None:
            card.verifying, card.verified = False, None
            card.state.setText(str(error))

        self._tasks.run(lambda: self.downloads.models.verify(model), done, failed)

    def remove(self, model: SpeechModel) -> None:
        size = gigabytes(model.size)
        if not message_box.ask(
            self,
            self.tr("Remove speech model"),
            self.tr("Remove %1 (%2) from this computer?")
            .replace("%1", model.title)
            .replace("%2", size),
        ):
            return
        self.downloads.models.remove(model)
        self.cards[model.name].verified = None
        self.retranslate()
        self.changed.emit()

    def wait(self) -> None:
        self._tasks.wait_all()


def _size(size: int) -> str:
    """Speech models are 75 MB to 1.6 GB: megabytes below a gigabyte tell tiny from base."""
    if size < 2**30:
        return QLocale().toString(size / 2**20, "f", 0) + " MB"
    return gigabytes(size)
