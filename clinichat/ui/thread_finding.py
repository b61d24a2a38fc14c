"""Finding the best thread count for the loaded model, from the menu, the toolbar or Settings.

It takes a while, so the clinician is asked first, with the time it is expected to take;
the measurements show in a dialog, the slider moves to the best count, and the results are
kept beside the settings so the next estimate is closer.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from clinichat.config.settings import Settings
from clinichat.llm.thread_estimate import earlier_results, estimate
from clinichat.llm.thread_finder import ThreadResult, best_thread_count, save_results
from clinichat.ui.model_bar import ModelBar
from clinichat.ui.model_control import ModelControl
from clinichat.ui.status_line import StatusLine
from clinichat.ui.thread_finder_dialog import ThreadFinderDialog, ask_to_start


class FinderHost(Protocol):
    """The window the finder runs in."""

    @property
    def locked(self) -> bool: ...

    def system_prompt(self) -> str: ...

    def show_error(self, text: str) -> None: ...


class ThreadFinding(QObject):
    """Runs the thread finder on the session and owns its dialog while it is open."""

    busy_changed = Signal()  # measuring started or ended: what the window offers changes

    def __init__(
        self,
        window: QWidget,
        host: FinderHost,
        models: ModelControl,
        bar: ModelBar,
        settings: Settings,
        status: StatusLine,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._host = host
        self._models = models
        self._bar = bar
        self._settings = settings
        self._status = status
        self.session = models.session
        self.dialog: ThreadFinderDialog | None = None

    @Slot()
    def start(self) -> None:
        """Measure 1…cores threads on the loaded model and move the slider to the best."""
        if self._models.is_remote:
            self._host.show_error(
                self.tr(
                    "The clinic's server answers now, and it decides how it computes: the"
                    " thread count is for models on this computer."
                )
            )
            return
        counts = list(range(1, self._bar.max_threads + 1))
        profile = self._models.profile
        prompt = self._host.system_prompt()
        if profile is not None and self.session.is_ready and not self.session.is_busy:
            try:
                size = profile.spec.path.stat().st_size
            except OSError:
                size = 0  # loaded, then moved away: the estimate is only rougher
            earlier = earlier_results(self._settings.config_dir, self._settings.default_model)
            expected = estimate(counts, prompt, size, earlier)
            if not ask_to_start(self._window, counts, profile.name, expected) or self._host.locked:
                return
        if not self.session.find_best_threads(counts, prompt):
            self._host.show_error(
                self.tr(
                    "Wait until the model is loaded and has finished answering, then try again."
                )
            )
            return
        dialog = ThreadFinderDialog(self._window)
        self.dialog = dialog
        dialog.cancel_requested.connect(self.session.stop)
        self.session.threads_progress.connect(dialog.show_progress)
        self.session.threads_measured.connect(self._on_measured)
        dialog.finished.connect(lambda _code: self._close(dialog))
        dialog.open()
        self.busy_changed.emit()

    @Slot(object)
    def _on_measured(self, results: list[ThreadResult]) -> None:
        complete = len(results) == self._bar.max_threads
        best = best_thread_count(results) if complete else None
        if best is not None:
            self._bar.set_threads(best)
            model = self._settings.default_model
            if model and self._settings.config_dir is not None:
                try:
                    save_results(self._settings.config_dir, model, results, best)
                except OSError as error:
                    why = str(error)  # `error` is unbound after the except block
                    self._status.show_message(lambda: why, 5000)
        if self.dialog is not None:
            self.dialog.show_results(results, best)
        self.busy_changed.emit()

    def _close(self, dialog: ThreadFinderDialog) -> None:
        self.session.threads_progress.disconnect(dialog.show_progress)
        self.session.threads_measured.disconnect(self._on_measured)
        self.dialog = None
        dialog.deleteLater()
