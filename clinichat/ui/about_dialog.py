"""Help → About ClinicChat: versions, folders and licences, for the user and IT support.

Every version shown is read from what is running (package metadata, the Qt library, a live
SQLCipher connection), never typed in by hand, so a support request quotes the truth. The
details are one selectable text, so they can be copied whole into a ticket.

The gpt4all 2.8.2 libraries record no llama.cpp build number or commit (the `build = N`
banner of llama.cpp's own tools is not compiled in); what they do show is which backend
builds were shipped, in their file names (`llamamodel-mainline-<build>`), so the dialog
lists those next to the gpt4all version that fixes the llama.cpp snapshot.
"""

from __future__ import annotations

import html
import importlib.util
import os
import platform
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import PySide6
import sqlcipher3
from PySide6.QtCore import Qt, Slot, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from clinichat import __version__
from clinichat.history.keychain import KeychainInfo, describe_backend
from clinichat.llm.engines import llama_cpp_inside_xllamacpp
from clinichat.paths import AppPaths
from clinichat.ui.retranslating import Retranslating

BACKEND_LIBRARY = re.compile(r"^(?:lib)?llamamodel-mainline-(?P<build>[\w-]+?)\.(?:so|dll|dylib)$")
REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
EXTRA_MARKER = re.compile(r"\bextra\s*==")


@dataclass(frozen=True)
class Component:
    """A bundled part and its licence; `distribution` is its Python package, if it has one.

    `known_licence` is used where the package metadata says nothing (some packages leave
    the field empty, parts inside other packages have no metadata, and a frozen build may
    not carry metadata at all).
    """

    name: str
    distribution: str | None
    known_licence: str


COMPONENTS = (
    Component("ClinicChat", "clinichat", "Apache-2.0"),
    # The full PySide6 wheel depends on PySide6-Essentials, so this one is always there.
    Component("Qt 6, PySide6", "PySide6-Essentials", "LGPL-3.0-only"),
    Component("gpt4all", "gpt4all", "MIT"),
    Component("llama.cpp (inside gpt4all)", None, "MIT"),
    Component("xllamacpp", "xllamacpp", "MIT"),
    Component("llama.cpp (inside xllamacpp)", None, "MIT"),
    Component("SQLCipher (inside sqlcipher3)", None, "BSD-3-Clause"),
    Component("sqlcipher3", "sqlcipher3", "Zlib"),
    Component("OpenSSL (inside SQLCipher and cryptography)", None, "Apache-2.0"),
    Component("keyring", "keyring", "MIT"),
    Component("platformdirs", "platformdirs", "MIT"),
    Component("cryptography", "cryptography", "Apache-2.0 OR BSD-3-Clause"),
    Component("zxcvbn (passphrase strength)", "zxcvbn", "MIT"),
)


def distribution_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def distribution_licence(name: str) -> str | None:
    """The licence a package declares: SPDX expression, else short licence field, else
    its trove classifiers; None when it declares none."""
    try:
        fields = metadata.metadata(name)
    except metadata.PackageNotFoundError:
        return None
    expression = fields.get_all("License-Expression") or []
    if expression:
        return str(expression[0])
    field = str((fields.get_all("License") or [""])[0])
    if field and "\n" not in field and len(field) <= 80:  # not a whole licence text
        return field
    classifiers = [
        str(c).rsplit(" :: ", 1)[-1]
        for c in fields.get_all("Classifier") or []
        if str(c).startswith("License :: ")
    ]
    return " OR ".join(classifiers) or None


def licence_of(component: Component) -> str:
    found = distribution_licence(component.distribution) if component.distribution else None
    return found or component.known_licence


def dependencies(root: str = "clinichat") -> list[str]:
    """Installed packages `root` needs at run time, directly or not (names as declared).

    Requirements for extras are skipped; others count when installed, which also settles
    their platform markers (a Windows-only package is not installed elsewhere).
    """
    found: dict[str, str] = {}
    pending = [root]
    while pending:
        try:
            requirements = metadata.requires(pending.pop()) or []
        except metadata.PackageNotFoundError:  # a frozen build may carry no metadata
            continue
        for requirement in requirements:
            match = REQUIREMENT_NAME.match(requirement)
            if match is None or EXTRA_MARKER.search(requirement):
                continue
            name = match.group(1)
            key = re.sub(r"[-_.]+", "-", name).lower()
            if key not in found and distribution_version(name) is not None:
                found[key] = name
                pending.append(name)
    return sorted(found.values(), key=str.lower)


def backend_builds() -> list[str]:
    """The llama.cpp backend builds shipped with gpt4all (cuda, kompute, metal, …).

    Read from the library file names, without importing gpt4all: importing it loads the
    backend and probes for CUDA.
    """
    spec = importlib.util.find_spec("gpt4all")
    if spec is None or not spec.submodule_search_locations:
        return []
    builds: set[str] = set()
    for location in spec.submodule_search_locations:
        folder = Path(location) / "llmodel_DO_NOT_MODIFY" / "build"
        if folder.is_dir():
            for path in folder.iterdir():
                match = BACKEND_LIBRARY.match(path.name)
                if match:
                    builds.add(match.group("build"))
    return sorted(builds)


def sqlcipher_version() -> str | None:
    """SQLCipher's version and crypto provider, asked of a keyed in-memory database."""
    connection = sqlcipher3.connect(":memory:")
    try:
        connection.execute(f"PRAGMA key = \"x'{os.urandom(32).hex()}'\"")
        row = connection.execute("PRAGMA cipher_version").fetchone()
        provider = connection.execute("PRAGMA cipher_provider_version").fetchone()
    finally:
        connection.close()
    if not row or not row[0]:
        return None
    return f"{row[0]} ({provider[0]})" if provider and provider[0] else str(row[0])


@dataclass(frozen=True)
class Facts:
    """What the dialog shows, gathered once when it opens."""

    gpt4all: str | None
    builds: list[str]
    xllamacpp: str | None
    xllamacpp_llama: str | None  # the llama.cpp release inside it
    sqlcipher: str | None
    # The same verdict the vault applies, so IT sees why a passphrase is (or is not) asked.
    keychain: KeychainInfo
    licences: list[tuple[str, str]]
    other_packages: list[tuple[str, str, str]]  # name, version, licence

    @classmethod
    def gather(cls) -> Facts:
        listed = {c.distribution.lower() for c in COMPONENTS if c.distribution}
        listed.add("shiboken6")  # part of PySide6, same licence
        others = [
            (name, distribution_version(name) or "", distribution_licence(name) or "")
            for name in dependencies()
            if name.lower() not in listed
        ]
        return cls(
            gpt4all=distribution_version("gpt4all"),
            builds=backend_builds(),
            xllamacpp=distribution_version("xllamacpp"),
            xllamacpp_llama=llama_cpp_inside_xllamacpp(),
            sqlcipher=sqlcipher_version(),
            keychain=describe_backend(),
            licences=[(c.name, licence_of(c)) for c in COMPONENTS],
            other_packages=others,
        )


class AboutDialog(Retranslating, QDialog):
    """Versions, folders and licences in one selectable text, with Copy and Close."""

    def __init__(self, paths: AppPaths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.facts = Facts.gather()
        self.setMinimumSize(560, 520)
        layout = QVBoxLayout(self)
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setObjectName("aboutTitle")
        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.details = QTextBrowser(self)
        self.details.setOpenLinks(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton(self)
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        self.buttons.rejected.connect(self.reject)
        for widget in (self.title, self.summary, self.details, self.buttons):
            layout.addWidget(widget)
        self.retranslate()

    def retranslate(self) -> None:
        """Set every text in the current language (at start and on a language switch)."""
        self.setWindowTitle(self.tr("About ClinicChat"))
        self.title.setText(self.tr("ClinicChat %1").replace("%1", __version__))
        self.summary.setText(
            self.tr(
                "A private, offline chat assistant for clinicians. Questions and answers"
                " stay on this computer; the history is stored encrypted."
            )
        )
        self.details.setAccessibleName(self.tr("Versions, folders and licences"))
        self.details.setHtml(self._details_html())
        self.copy_button.setText(self.tr("&Copy details"))
        self.copy_button.setToolTip(
            self.tr("Copy these details as text, for example for IT support")
        )

    @Slot()
    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details_text())

    def _versions(self) -> list[tuple[str, str]]:
        unknown = self.tr("unknown")
        facts = self.facts
        builds = ", ".join(facts.builds) or unknown
        return [
            ("ClinicChat", __version__),
            (self.tr("Model backend (gpt4all)"), facts.gpt4all or unknown),
            (
                "llama.cpp",
                self.tr("as bundled with gpt4all %1 (no build number recorded); builds: %2")
                .replace("%1", facts.gpt4all or unknown)
                .replace("%2", builds),
            ),
            (self.tr("Model backend (xllamacpp)"), facts.xllamacpp or self.tr("not available")),
            (
                "llama.cpp (xllamacpp)",
                self.tr("release of %1").replace("%1", facts.xllamacpp_llama)
                if facts.xllamacpp_llama
                else self.tr("not available"),
            ),
            (self.tr("Encryption (SQLCipher)"), facts.sqlcipher or self.tr("not available")),
            (self.tr("Keychain (keyring)"), self._keychain()),
            ("Qt", qVersion()),
            ("PySide6", PySide6.__version__),
            ("Python", platform.python_version()),
            (self.tr("Operating system"), platform.platform()),
        ]

    def _keychain(self) -> str:
        """The keyring backend by class name, and whether the history key may be kept in it."""
        keychain = self.facts.keychain
        if keychain.trusted:
            return self.tr("%1 (trusted)").replace("%1", keychain.name)
        return self.tr("%1 (not trusted: passphrase used)").replace("%1", keychain.name)

    def _folders(self) -> list[tuple[str, str]]:
        return [
            (self.tr("Data (encrypted history)"), str(self.paths.data)),
            (self.tr("Models"), str(self.paths.models)),
            (self.tr("Logs"), str(self.paths.logs)),
            (self.tr("Settings"), str(self.paths.config)),
        ]

    def _sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        sections = [
            (self.tr("Versions"), self._versions()),
            (self.tr("Folders"), self._folders()),
            (self.tr("Licences"), self.facts.licences),
        ]
        if self.facts.other_packages:
            packages = [
                (f"{name} {version}", licence or self.tr("not declared"))
                for name, version, licence in self.facts.other_packages
            ]
            sections.append((self.tr("Other Python packages included"), packages))
        return sections

    def details_text(self) -> str:
        """The details as plain "label: value" lines, the form a support ticket wants."""
        return "\n\n".join(
            "\n".join([title, *(f"{label}: {value}" for label, value in rows)])
            for title, rows in self._sections()
        )

    def _details_html(self) -> str:
        return "".join(
            f"<h3>{html.escape(title)}</h3>{_table(rows)}" for title, rows in self._sections()
        )


def _table(rows: list[tuple[str, str]]) -> str:
    cells = "".join(
        f"<tr><td>{html.escape(label)}</td><td>{html.escape(value)}</td></tr>"
        for label, value in rows
    )
    return f'<table cellspacing="0" cellpadding="3">{cells}</table>'
