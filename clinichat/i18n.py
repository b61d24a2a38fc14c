"""Spanish or English, switched at run time through Qt's translators.

ClinicChat's own messages come from resources/translations/clinichat_<lang>.qm (compiled from
the checked-in .ts sources); Qt's standard texts (Yes/No buttons, file dialogs) from Qt's own
qtbase_<lang>.qm. Installing a translator makes Qt send every widget a LanguageChange event,
and the windows re-read their texts from it, so no restart is needed.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from clinichat.resources import resource_path

LANGUAGES: Final = ("en", "es")
SOURCE_LANGUAGE: Final = "en"


def resolve(choice: str, system: QLocale | None = None) -> str:
    """The language to show for a settings choice; 'system' follows the OS locale."""
    if choice in LANGUAGES:
        return choice
    name = (system or QLocale.system()).name()
    return "es" if name.startswith("es") else SOURCE_LANGUAGE


def translations_dir() -> str:
    return str(resource_path("translations"))


class Translations:
    """Keeps the installed translators so a language switch can remove the old ones."""

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._installed: list[QTranslator] = []
        self.language = SOURCE_LANGUAGE

    def apply(self, choice: str) -> str:
        """Switch every window to `choice` ('system', 'en' or 'es'); returns the language."""
        language = resolve(choice)
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed = []
        if language != SOURCE_LANGUAGE:
            qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            self._install(f"qtbase_{language}", qt_dir)  # absent in some builds: harmless
            if not self._install(f"clinichat_{language}", translations_dir()):
                raise FileNotFoundError(f"clinichat_{language}.qm is missing")
        QLocale.setDefault(QLocale(language))
        self.language = language
        return language

    def _install(self, name: str, folder: str) -> bool:
        translator = QTranslator(self._app)
        if not translator.load(name, folder):
            return False
        self._app.installTranslator(translator)
        self._installed.append(translator)
        return True
