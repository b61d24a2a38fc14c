"""A Spanish-speaking clinician sees Spanish everywhere, switched without a restart.

Two checks over the main window and its dialogs, with the real Spanish catalogue:
- after switching, no visible text is still an English source text that has a Spanish
  translation (a widget that did not re-read its texts);
- with a pseudo-language that marks every translated text, every visible text is marked,
  except data (model names, file names, numbers): a text that is not marked was never
  passed through Qt's translation system, so no translator could ever reach it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from translation_checks import pseudo_language, texts
from windows import starter_window

from clinichat.i18n import Translations, translations_dir
from clinichat.speech.catalog import SPEECH_MODELS
from clinichat.ui.main_window import MainWindow
from clinichat.ui.preset_editor import PresetEditorDialog
from clinichat.ui.safe_html import sanitise

TIMEOUT_MS = 60_000
NUMBER = re.compile(r"[\d.,:%\s]*")


@pytest.fixture
def window(
    qtbot: QtBot, tmp_path: Path, starter_model: Path, translations: Translations
) -> Iterator[MainWindow]:
    main = starter_window(qtbot, tmp_path, starter_model, translations=translations)
    yield main
    main.close()


def english_sources() -> dict[str, str]:
    """English source -> Spanish, for texts whose Spanish differs."""
    root = ET.parse(Path(translations_dir()) / "clinichat_es.ts").getroot()
    found = {}
    for message in root.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            continue
        forms = [f.text or "" for f in translation.iter("numerusform")]
        spanish = forms[0] if forms else translation.text
        if spanish and spanish != source:
            found[source] = spanish
    return found


def open_everything(window: MainWindow) -> list[QWidget]:
    """The main window and each dialog a clinician opens from it."""
    window.settings_flow.open()
    window.model_flow.open()
    assert window.settings_dialog is not None and window.model_manager is not None
    window.model_manager.tabs.setCurrentIndex(1)
    assert window.settings.config_dir is not None
    editor = PresetEditorDialog(window.settings.config_dir, window.preset_flow.language(), window)
    editor.show()
    return [window, window.settings_dialog, window.model_manager, editor]


def test_switching_to_spanish_retranslates_the_open_window(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.send_button.text() == "Send"
    window.settings.set("language", "es")
    qtbot.waitUntil(lambda: window.send_button.text() != "Send")
    spanish = english_sources()
    assert window.send_button.text() == spanish["Send"]
    assert window.commands.menus["file"].title() == spanish["&File"]
    assert window.preset_picker.heading.text() == spanish["Start the conversation with:"]
    names = {p.id: p.name for p in window.preset_picker._presets}
    assert names["soap-note"].startswith("Nota SOAP"), "presets follow the language"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") != "Cancel", "Qt's own texts"
    window.settings.set("language", "en")
    qtbot.waitUntil(lambda: window.send_button.text() == "Send")


def test_no_visible_text_stays_english_in_spanish(qtbot: QtBot, window: MainWindow) -> None:
    window.settings.set("language", "es")
    roots = open_everything(window)
    QApplication.processEvents()
    english = english_sources()
    left = sorted({t for root in roots for t in texts(root) if t in english})
    assert left == [], "still in English after switching to Spanish"


def test_every_visible_text_goes_through_qt_translation(qtbot: QtBot, window: MainWindow) -> None:
    roots = open_everything(window)
    registry = window.registry
    data = {e.name for e in registry.catalog} | {e.filename for e in registry.catalog}
    data |= {sanitise(e.description) for e in registry.catalog}  # the catalog's own words
    data |= {m.display_name for m in registry.installed()} | {"ClinicChat"}
    data |= {m.title for m in SPEECH_MODELS}  # product names ("Whisper base"), as the above
    # Qt's own tab-bar arrows, translated by Qt's catalogue when they are created.
    data |= {"Scroll Left", "Scroll Right"}
    # Presets are data in the chosen language (tested to follow it above).
    presets = [p.name for p in window.preset_picker._presets]
    with pseudo_language():
        found = {t for root in roots for t in texts(root)}
    hard_coded = sorted(
        t
        for t in found
        if "«" not in t
        and t not in data
        and not NUMBER.fullmatch(t)
        and not any(name in t for name in presets)
    )
    assert hard_coded == [], "\n".join(hard_coded)
