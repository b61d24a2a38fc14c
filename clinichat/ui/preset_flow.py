"""The window's presets: the built-in and clinic presets in the current language, which one a
conversation uses, and the editor for the clinic's own.

A preset is read from files (the built-in ones and the config folder's), so a broken file is
reported as a notice and the others still load; they are read again when the language
changes or the editor saves.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QWidget

from clinichat.config.settings import Settings
from clinichat.i18n import Translations
from clinichat.presets import SOAP_PRESET, Preset, builtin_presets_path, presets_for
from clinichat.translate import translate
from clinichat.ui.pages import ChatPage
from clinichat.ui.preset_editor import PresetEditorDialog


class PresetFlow(QObject):
    """Keeps the presets the window offers, in the language in use."""

    def __init__(
        self,
        window: QWidget,
        settings: Settings,
        translations: Translations | None,
        page: ChatPage,
        notice: Callable[[str], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._settings = settings
        self._translations = translations
        self._page = page
        self._notice = notice
        self.presets: list[Preset] = []
        page.preset_picker.manage_requested.connect(self.manage)

    def language(self) -> str:
        """The language presets are shown in."""
        return self._translations.language if self._translations is not None else "en"

    @Slot()
    def load(self) -> None:
        """Read the presets again (at start, on a language switch, after the editor saved)."""
        presets, problems = presets_for(
            self.language(), builtin_presets_path(), self._settings.config_dir, translate=translate
        )
        picker = self._page.preset_picker
        picker.set_presets(presets)
        self.presets = presets
        shown = self._page.preset
        if shown is not None:  # the same preset, in the new language or as just edited
            self._page.show_preset(next((p for p in presets if p.id == shown.id), shown))
        picker.manage_button.setVisible(self._settings.config_dir is not None)
        if problems:
            self._notice("\n".join(problems))

    def matching(self, system_prompt: str) -> Preset | None:
        """The preset whose instructions a conversation carries, if any."""
        if not system_prompt:
            return None
        return next((p for p in self.presets if p.system_prompt == system_prompt), None)

    def soap(self) -> Preset | None:
        """The SOAP-note preset a consultation's transcript starts under."""
        return next((p for p in self.presets if p.id == SOAP_PRESET), None)

    @Slot()
    def manage(self) -> None:
        if self._settings.config_dir is None:
            return
        dialog = PresetEditorDialog(self._settings.config_dir, self.language(), self._window)
        dialog.presets_changed.connect(self.load)
        dialog.finished.connect(lambda _code: dialog.deleteLater())
        dialog.open()
