"""The Settings dialog and what each setting changes in the open window.

Settings change from the dialog, the model bar's slider or a command; every change lands
here through `Settings.changed`, so the window follows whichever way it was made (the
theme, the language, the device a model runs on, the default model, the slider).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QApplication, QWidget

from clinichat.config.schema import SettingError
from clinichat.config.settings import Settings
from clinichat.i18n import Translations
from clinichat.llm.engines import list_gpus
from clinichat.llm.templates import catalog_texts, engine_for
from clinichat.models.registry import ModelRegistry
from clinichat.speech.installed import SpeechModels
from clinichat.translate import translate
from clinichat.ui.appearance import apply_appearance
from clinichat.ui.devices import device_name
from clinichat.ui.model_bar import ModelBar
from clinichat.ui.model_control import ModelControl
from clinichat.ui.settings_dialog import SettingsDialog
from clinichat.ui.status_line import StatusLine


class SettingsFlow(QObject):
    """Opens the one Settings dialog and applies changed settings to the window."""

    find_threads_requested = Signal()

    def __init__(
        self,
        window: QWidget,
        settings: Settings,
        registry: ModelRegistry,
        models: ModelControl,
        bar: ModelBar,
        status: StatusLine,
        translations: Translations | None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self.settings = settings
        self._registry = registry
        self._models = models
        self._bar = bar
        self._status = status
        self._translations = translations
        self.dialog: SettingsDialog | None = None
        settings.changed.connect(self._on_changed)

    def set(self, key: str, value: object) -> None:
        """Change a setting; a setting that cannot be saved says so in the status line."""
        try:
            self.settings.set(key, value)
        except (OSError, SettingError) as error:
            problem = error  # `error` is unbound after the except block
            self._status.show_message(lambda: self._not_saved(problem), 5000)

    def _not_saved(self, error: OSError | SettingError) -> str:
        why = error.render(translate) if isinstance(error, SettingError) else str(error)
        return self.tr("Settings could not be saved: %1").replace("%1", why)

    @Slot()
    def open(self) -> None:
        if self.dialog is not None:
            self.dialog.raise_()
            return
        name = self.settings.default_model
        model = self._registry.find(name) if name else None
        models = [(m.filename, m.display_name) for m in self._registry.installed()]
        searchers = [(m.filename, m.display_name) for m in self._registry.document_models()]
        devices = [(d, device_name(d)) for d in ["cpu", *list_gpus()]]
        speech_models = [
            (m.name, m.title) for m in SpeechModels.beside(self._registry.models_dir).installed()
        ]
        engine = engine_for(model, self.settings.engine(model.filename)).engine if model else None
        dialog = SettingsDialog(
            self.settings,
            dynamic_choices={
                "default_model": models,
                "document_model": searchers,
                "device": devices,
                "speech_model": speech_models,
            },
            model=(model.filename, model.display_name) if model else None,
            model_defaults=catalog_texts(model, engine) if model else None,
            engine=engine,
            parent=self._window,
        )
        dialog.find_threads_requested.connect(self.find_threads_requested)
        dialog.finished.connect(lambda _code: self._close(dialog))
        self.dialog = dialog
        dialog.open()

    def _close(self, dialog: SettingsDialog) -> None:
        self.dialog = None
        dialog.deleteLater()

    @Slot(str)
    def _on_changed(self, key: str) -> None:
        app = QApplication.instance()
        if key == "threads" and self._bar.threads != self.settings.threads:
            self._bar.set_threads(self.settings.threads)
        elif key in ("theme", "font_scale") and isinstance(app, QApplication):
            apply_appearance(app, self.settings.theme, self.settings.font_scale)
        elif key == "language" and self._translations is not None:
            self._translations.apply(self.settings.language)
        elif key in ("device", "parallel_answers"):
            self._models.reload()
        elif key == "default_model" and self.settings.default_model:
            self._bar.select(self.settings.default_model)
            self._models.choose(self.settings.default_model)
