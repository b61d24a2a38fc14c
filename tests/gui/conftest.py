"""Fixtures the GUI tests share."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from clinichat.i18n import Translations
from clinichat.ui.appearance import apply_appearance


@pytest.fixture
def model_folder(tmp_path: Path, starter_model: Path) -> Path:
    """A models folder holding a copy of the starter model (the window loads it)."""
    folder = tmp_path / "models"
    folder.mkdir()
    shutil.copy2(starter_model, folder / starter_model.name)
    return folder


@pytest.fixture
def translations(qapp: QApplication) -> Iterator[Translations]:
    """Switches the app's language as Settings does; English again afterwards."""
    switcher = Translations(qapp)
    yield switcher
    switcher.apply("en")


SetScale = Callable[[int], None]


@pytest.fixture
def text_size(qapp: QApplication) -> Iterator[SetScale]:
    """Sets the app's text size as Settings does; the app's look is restored afterwards.

    Restored, not reset to 100%: a style sheet left behind overrides the fonts that later
    tests set on their widgets.
    """
    font, palette, sheet = QFont(qapp.font()), QPalette(qapp.palette()), qapp.styleSheet()
    yield lambda scale: apply_appearance(qapp, "light", scale)
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)
    qapp.setFont(font)
