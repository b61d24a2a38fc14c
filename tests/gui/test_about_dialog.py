"""Help → About: the versions shown are the ones running, and the folders are this run's."""

from __future__ import annotations

import os
import platform
from importlib import metadata
from pathlib import Path

import gpt4all
import keyring
import PySide6
import pytest
import sqlcipher3
from keyring.backends import SecretService
from keyrings.alt.file import PlaintextKeyring
from PySide6.QtCore import qVersion
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot
from translation_checks import pseudo_language

from clinichat import __version__
from clinichat.paths import AppPaths
from clinichat.ui.about_dialog import AboutDialog, backend_builds, dependencies


@pytest.fixture
def dialog(qtbot: QtBot, tmp_path: Path) -> AboutDialog:
    about = AboutDialog(AppPaths.under(tmp_path / "base"))
    qtbot.addWidget(about)
    about.show()
    return about


def shown(dialog: AboutDialog, section: str) -> dict[str, str]:
    """The "label: value" lines of one section of the details."""
    blocks = [block.splitlines() for block in dialog.details_text().split("\n\n")]
    lines = next(block[1:] for block in blocks if block[0] == section)
    return dict(line.split(": ", 1) for line in lines)


def direct_sqlcipher_version() -> str:
    connection = sqlcipher3.connect(":memory:")
    connection.execute(f"PRAGMA key = \"x'{os.urandom(32).hex()}'\"")
    version = connection.execute("PRAGMA cipher_version").fetchone()[0]
    connection.close()
    assert version
    return str(version)


def test_versions_are_the_running_ones(dialog: AboutDialog) -> None:
    values = shown(dialog, "Versions")
    assert values["ClinicChat"] == __version__ == metadata.version("clinichat")
    assert values["Model backend (gpt4all)"] == metadata.version("gpt4all")
    assert values["Qt"] == qVersion()
    assert values["PySide6"] == PySide6.__version__ == metadata.version("PySide6-Essentials")
    assert values["Python"] == platform.python_version()
    assert values["Encryption (SQLCipher)"].startswith(direct_sqlcipher_version() + " (")
    assert dialog.title.text() == f"ClinicChat {__version__}"
    plain = dialog.details.toPlainText()
    for value in values.values():
        assert value in plain, "the visible text shows what Copy copies"


def test_llama_cpp_line_lists_the_backend_builds_gpt4all_ships(dialog: AboutDialog) -> None:
    library_folder = Path(gpt4all.__file__).parent / "llmodel_DO_NOT_MODIFY" / "build"
    libraries = [p.name for p in library_folder.iterdir() if "llamamodel-mainline-" in p.name]
    builds = backend_builds()
    assert builds and len(builds) == len(libraries)
    for build in builds:
        assert any(f"llamamodel-mainline-{build}." in name for name in libraries)
    line = shown(dialog, "Versions")["llama.cpp"]
    assert f"gpt4all {metadata.version('gpt4all')}" in line
    assert line.endswith(", ".join(builds))


def test_second_engine_lines_name_xllamacpp_and_its_llama_cpp(dialog: AboutDialog) -> None:
    import xllamacpp

    values = shown(dialog, "Versions")
    assert values["Model backend (xllamacpp)"] == metadata.version("xllamacpp")
    year, month = xllamacpp.__version__.split(".")[:2]
    assert values["llama.cpp (xllamacpp)"].startswith(f"release of {year}-{int(month):02d}")
    licences = shown(dialog, "Licences")
    assert licences["xllamacpp"] == "MIT"
    assert licences["llama.cpp (inside xllamacpp)"] == "MIT"


def test_folders_of_this_run_are_shown_selectable(dialog: AboutDialog, tmp_path: Path) -> None:
    base = (tmp_path / "base").resolve()
    values = shown(dialog, "Folders")
    assert values["Data (encrypted history)"] == str(base / "data")
    assert values["Models"] == str(base / "models")
    assert values["Logs"] == str(base / "logs")
    assert values["Settings"] == str(base / "config")
    assert dialog.details.isReadOnly()
    dialog.details.selectAll()
    assert str(base / "data") in dialog.details.textCursor().selection().toPlainText()


@pytest.mark.parametrize(
    ("component", "distribution"),
    [
        ("ClinicChat", "clinichat"),
        ("Qt 6, PySide6", "PySide6-Essentials"),
        ("keyring", "keyring"),
        ("platformdirs", "platformdirs"),
        ("cryptography", "cryptography"),
    ],
)
def test_licences_come_from_the_package_metadata(
    dialog: AboutDialog, component: str, distribution: str
) -> None:
    fields = metadata.metadata(distribution)
    declared = fields.get_all("License-Expression") or fields.get_all("License") or []
    assert declared, f"{distribution} declares a licence"
    assert shown(dialog, "Licences")[component] == declared[0]


def test_licences_of_parts_without_a_licence_field(dialog: AboutDialog) -> None:
    values = shown(dialog, "Licences")
    classifiers = metadata.metadata("gpt4all").get_all("Classifier") or []
    assert "License :: OSI Approved :: MIT License" in classifiers
    assert values["gpt4all"] == "MIT License"
    assert values["llama.cpp (inside gpt4all)"] == "MIT"
    assert values["SQLCipher (inside sqlcipher3)"] == "BSD-3-Clause"
    licence_file = Path(metadata.distribution("sqlcipher3").locate_file("")) / next(
        str(f) for f in metadata.files("sqlcipher3") or [] if f.name == "LICENSE"
    )
    assert "freely" in licence_file.read_text(encoding="utf-8")  # the zlib licence's wording
    assert values["sqlcipher3"] == "Zlib"


def test_other_included_packages_are_listed_with_versions(dialog: AboutDialog) -> None:
    values = shown(dialog, "Other Python packages included")
    names = dependencies()
    assert "shiboken6" in names and "requests" in names
    assert f"requests {metadata.version('requests')}" in values
    assert not any(key.startswith("pytest") for key in values), "test extras are not bundled"
    assert dependencies("no-such-package-installed") == [], "a frozen build without metadata"


def test_copy_details_puts_the_lines_on_the_clipboard(dialog: AboutDialog) -> None:
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied == dialog.details_text()
    assert f"Model backend (gpt4all): {metadata.version('gpt4all')}" in copied


def test_every_text_follows_a_language_switch(dialog: AboutDialog) -> None:
    english = (dialog.windowTitle(), dialog.details.toPlainText(), dialog.copy_button.text())
    with pseudo_language():
        assert dialog.windowTitle() == "«About ClinicChat»"
        assert dialog.title.text() == f"«ClinicChat {__version__}»"
        assert dialog.summary.text().startswith("«")
        assert dialog.copy_button.text() == "«&Copy details»"
        assert dialog.buttons.buttons()[0].text().startswith("«")
        details = dialog.details.toPlainText()
        for heading in ("«Versions»", "«Folders»", "«Licences»", "«Model backend (gpt4all)»"):
            assert heading in details
    assert (dialog.windowTitle(), dialog.details.toPlainText(), dialog.copy_button.text()) == (
        english
    )


def test_keychain_line_names_the_backend_and_whether_it_is_trusted(
    qtbot: QtBot, tmp_path: Path, plaintext_keyring: PlaintextKeyring
) -> None:
    about = AboutDialog(AppPaths.under(tmp_path / "base"))
    qtbot.addWidget(about)
    assert shown(about, "Versions")["Keychain (keyring)"] == (
        "keyrings.alt.file.PlaintextKeyring (not trusted: passphrase used)"
    )
    keyring.set_keyring(SecretService.Keyring())  # plaintext_keyring restores the previous one
    trusted = AboutDialog(AppPaths.under(tmp_path / "base"))
    qtbot.addWidget(trusted)
    assert shown(trusted, "Versions")["Keychain (keyring)"] == (
        "keyring.backends.SecretService.Keyring (trusted)"
    )
    with pseudo_language():
        assert "«%1 (trusted)»" not in trusted.details.toPlainText(), "%1 is filled in"
        assert "«keyring.backends.SecretService.Keyring (trusted)»" in (
            trusted.details.toPlainText()
        )
