"""Spanish or English, switched at run time through Qt's translators.

ClinicChat's own messages come from resources/translations/clinichat_<lang>.qm (compiled from
the checked-in .ts sources); Qt's standard texts (Yes/No buttons, file dialogs) from Qt's own
qtbase_<lang>.qm. Installing a translator makes Qt send every widget a LanguageChange event,
and the windows re-read their texts from it, so no restart is needed.

Qt's catalogue has gaps: Qt 6 gave some of its labels a keyboard shortcut ("&Look in:") and
the Spanish qtbase_es.qm shipped with PySide6 still translates only the old texts, so its file
dialog would say "Look in:" and "Files of type:" in English. Those texts are marked below and
translated in ClinicChat's own catalogue, which is installed after Qt's and so asked first.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from clinichat.messages import QT_TRANSLATE_NOOP
from clinichat.resources import resource_path

LANGUAGES: Final = ("en", "es")
SOURCE_LANGUAGE: Final = "en"
# Qt's own texts that its Spanish catalogue lacks (see above), in Qt's own contexts.
QT_GAPS: Final = (
    ("QFileDialog", QT_TRANSLATE_NOOP("QFileDialog", "&Look in:")),
    ("QFileDialog", QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:")),
)


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
        # Before the translators: the LanguageChange they send re-formats dates and numbers.
        QLocale.setDefault(QLocale(language))
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed = []
        if language != SOURCE_LANGUAGE:
            qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            self._install(f"qtbase_{language}", qt_dir)  # absent in some builds: harmless
            if not self._install(f"clinichat_{language}", translations_dir()):
                raise FileNotFoundError(f"clinichat_{language}.qm is missing")
        self.language = language
        return language

    def _install(self, name: str, folder: str) -> bool:
        translator = QTranslator(self._app)
        if not translator.load(name, folder):
            return False
        self._app.installTranslator(translator)
        self._installed.append(translator)
        return True
