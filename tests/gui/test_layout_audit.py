"""Every screen a clinician meets, in English and Spanish at 100% and 150%: nothing cut off.

Opens each window, dialog and page as the app does (the real window over the real starter
model, real dialogs with their real texts) and runs tests/layout_audit.py over it. With
CLINICHAT_SCREENSHOTS=<folder> each screen is also saved there as a PNG, which is how the
screenshots for a review are taken (run under Xvfb with QT_QPA_PLATFORM=xcb for the real
window decorations' fonts).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from document_files import ASTHMA_SECTIONS, PROTOCOL_PAGES, write_docx, write_pdf
from layout_audit import layout_problems
from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication, QDialog, QTabWidget, QWidget
from pytestqt.qtbot import QtBot
from windows import empty_window, starter_window

from clinichat.documents.citations import ConversationDocuments
from clinichat.documents.library import DocumentLibrary
from clinichat.history.database import open_encrypted
from clinichat.history.recovery_key import format_recovery_key
from clinichat.history.sqlcipher_store import EncryptedStore
from clinichat.history.store import Message, Role, Status
from clinichat.i18n import Translations
from clinichat.llm.thread_finder import ThreadResult
from clinichat.paths import AppPaths
from clinichat.ui.about_dialog import AboutDialog
from clinichat.ui.appearance import apply_appearance
from clinichat.ui.chat_view import ChatView
from clinichat.ui.documents_dialog import DocumentsDialog
from clinichat.ui.passphrase import NewPassphraseDialog
from clinichat.ui.preset_editor import PresetEditorDialog, PresetForm
from clinichat.ui.recovery_key_dialogs import RecoveryKeyDialog
from clinichat.ui.sources import PassageDialog
from clinichat.ui.thread_finder_dialog import ThreadFinderDialog

LOOKS = [("en", 100), ("en", 150), ("es", 100), ("es", 150)]
WINDOW_SIZE = (1280, 800)  # a common consultation-room screen, less the task bar

ANSWER = (
    "## Possible causes\n\n1. Dehydration\n2. Anaemia (check a full blood count)\n\n"
    "- Ask about **fluid intake** and recent illness.\n- Measure blood pressure lying and"
    " standing.\n\nReview in one week if the symptoms persist."
)


class Audit:
    """Collects what each screen gets wrong, and saves its picture when asked to."""

    def __init__(self, qtbot: QtBot, look: str) -> None:
        self.qtbot = qtbot
        self.look = look
        self.problems: list[str] = []
        folder = os.environ.get("CLINICHAT_SCREENSHOTS")
        self.folder = Path(folder) if folder else None

    def check(self, screen: str, widget: QWidget) -> None:
        """What is wrong in the frame the user sees: the widget is rendered first (as a
        paint would), which activates layouts still pending, e.g. the page of a scroll area
        that has just gained its scroll bar on a newly shown tab."""
        self.qtbot.wait(30)  # deferred refits (font and language changes) run first
        QApplication.processEvents()
        picture = widget.grab()
        QApplication.processEvents()
        self.problems += [f"{self.look} {screen}: {p}" for p in layout_problems(widget)]
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            picture.save(str(self.folder / f"{self.look}-{screen}.png"))

    def dialog(self, screen: str, dialog: QDialog) -> None:
        """Each tab of a dialog, then close it."""
        self.qtbot.waitExposed(dialog)
        tabs = dialog.findChild(QTabWidget)
        if tabs is None:
            self.check(screen, dialog)
        else:
            for index in range(tabs.count()):
                tabs.setCurrentIndex(index)
                self.check(f"{screen}-tab{index + 1}", dialog)
        dialog.reject()

    def modal(self, screen: str, opener: Callable[[], object]) -> None:
        """A dialog run with exec() (rename): audited while it is open."""
        seen: list[bool] = []

        def inspect() -> None:
            box = QApplication.activeModalWidget()
            if not isinstance(box, QDialog):
                QTimer.singleShot(30, inspect)
                return
            self.check(screen, box)
            seen.append(True)
            box.reject()

        QTimer.singleShot(30, inspect)
        opener()
        assert seen, f"{screen} did not open"

    def assert_clean(self) -> None:
        assert not self.problems, "\n".join(self.problems)


@pytest.fixture(params=LOOKS, ids=[f"{lang}-{scale}" for lang, scale in LOOKS])
def audit(request: pytest.FixtureRequest, qapp: QApplication, qtbot: QtBot) -> Iterator[Audit]:
    language, scale = request.param
    font, palette, sheet = QFont(qapp.font()), QPalette(qapp.palette()), qapp.styleSheet()
    translations = Translations(qapp)
    assert translations.apply(language) == language
    apply_appearance(qapp, "light", scale)
    yield Audit(qtbot, f"{language}-{scale}")
    translations.apply("en")
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)
    qapp.setFont(font)


def test_the_main_window_and_its_dialogs(
    audit: Audit, qtbot: QtBot, tmp_path: Path, starter_model: Path
) -> None:
    window = starter_window(qtbot, tmp_path, starter_model)
    window.resize(*WINDOW_SIZE)
    audit.check("main-presets", window)

    store = window.controller.store
    conversation = store.create("Dizziness on standing, 3 weeks", "", None)
    store.add_message(conversation.id, Role.USER, "What could cause dizziness on standing?")
    store.add_message(conversation.id, Role.ASSISTANT, ANSWER, status=Status.COMPLETE)
    window.controller.conversations_changed.emit()
    window.open_conversation(conversation.id)
    audit.check("main-chat", window)
    window.status_line.showMessage(window.tr("Settings could not be saved: %1"), 60_000)
    audit.check("main-status", window)

    window.conversations.search.setText("dizziness")
    qtbot.waitUntil(lambda: window.conversations.hits.isVisible(), timeout=5_000)
    audit.check("main-search", window)
    window.conversations.search.clear()

    item = window.conversations.list.item(0)
    audit.modal("rename", lambda: window.conversations.ask_rename(item))

    window.settings_flow.open()
    settings = window.settings_dialog
    assert settings is not None
    settings.advanced_toggle.click()  # sampling, system prompt and template shown too
    assert not settings.advanced_section.isHidden()
    audit.dialog("settings", settings)
    window.model_flow.open()
    manager = window.model_manager
    assert manager is not None
    manager.show_unusable.setChecked(True)  # withdrawn and unusable ones too, with their reasons
    audit.dialog("models", manager)
    window.help.show_guide()
    assert window.help.guide is not None
    audit.dialog("guide", window.help.guide)
    window.help.show_shortcuts()
    assert window.help.shortcuts is not None
    audit.dialog("shortcuts", window.help.shortcuts)
    window.preset_flow.manage()
    editor = window.findChild(PresetEditorDialog)
    assert editor is not None
    audit.dialog("presets", editor)
    form = PresetForm(tmp_path / "config", window.preset_flow.language(), None, window)
    form.open()
    audit.dialog("preset-form", form)

    finder = ThreadFinderDialog(window)
    finder.open()
    audit.check("threads-running", finder)
    results = [ThreadResult(n, 40.0 + 9 * min(n, 4), 0.3) for n in range(1, 9)]
    finder.show_results(results, 4)
    audit.dialog("threads-done", finder)

    about = AboutDialog(AppPaths.under(tmp_path / "base"), window)
    about.open()
    audit.dialog("about", about)

    window.set_locked(True)
    window.lock_page.ask(needs_passphrase=True, text=lambda: "", can_recover=True)
    window.lock_page.show_error(
        QApplication.translate("HistoryAccess", "That passphrase is not correct. Try again.")
    )
    audit.check("lock-error", window)
    audit.assert_clean()


def test_the_first_run_and_the_empty_window(audit: Audit, qtbot: QtBot, tmp_path: Path) -> None:
    window = empty_window(qtbot, tmp_path)
    window.resize(*WINDOW_SIZE)
    window.show()
    qtbot.waitExposed(window)
    audit.check("main-empty", window)

    first_run = NewPassphraseDialog()
    qtbot.addWidget(first_run)
    first_run.show()
    first_run.first.setText("short")
    first_run.buttons.accepted.emit()
    assert first_run.error.isVisible()
    audit.dialog("first-run-error", first_run)

    handover = RecoveryKeyDialog(format_recovery_key(bytes(range(32))), handover=True)
    qtbot.addWidget(handover)
    handover.show()
    audit.check("recovery-key", handover)
    handover.kept.setChecked(True)
    handover.accept()
    audit.assert_clean()


def test_the_documents_dialogs(audit: Audit, qtbot: QtBot, tmp_path: Path) -> None:
    """The library with an indexed PDF, a DOCX and a file that could not be used; an answer
    with its sources; a cited passage."""
    folder = tmp_path / "protocolos"
    folder.mkdir()
    write_pdf(folder / "profilaxis-quirurgica.pdf", PROTOCOL_PAGES)
    write_docx(folder / "asthma.docx", ASTHMA_SECTIONS)
    (folder / "escaneado.txt").write_bytes(b"\x00binary" * 40)
    store = EncryptedStore(open_encrypted(tmp_path / "history.db", os.urandom(32)))
    library, citations = DocumentLibrary(store.connection), ConversationDocuments(store.connection)
    conversation = store.create("Profilaxis")
    library.add([folder], "Protocolos")
    documents = DocumentsDialog(library, citations, conversation.id)
    qtbot.addWidget(documents)
    documents.open()
    audit.dialog("documents", documents)

    view = ChatView()
    qtbot.addWidget(view)
    view.resize(*WINDOW_SIZE)
    view.add_message(
        Message(2, conversation.id, Role.ASSISTANT, "Cefazolina 2 g [1].", Status.COMPLETE)
    )
    sources = library.search("cefazolina colecistectomía", limit=2)
    view.set_sources(2, sources)
    view.show()
    audit.check("answer-sources", view)
    bubble = view.bubble(2)
    assert bubble is not None
    bubble.open_source(1)
    [passage] = bubble.findChildren(PassageDialog)
    audit.dialog("passage", passage)
    audit.assert_clean()  # the store stays open: the dialog re-reads it when the language changes
