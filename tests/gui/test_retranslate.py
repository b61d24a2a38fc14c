"""A language switch re-translates every text of the widgets at once, without a restart.

There is no Spanish catalogue to test with yet, so a pseudo-translator wraps every source text
in «…»: any text a widget set once and never again stays unwrapped and shows up here. Qt calls
the Python override of `QTranslator.translate` from C++ (its own button texts come out wrapped
too), so no .qm file is needed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot
from translation_checks import english_left, pseudo_language, texts, unwrapped
from windows import starter_window

from clinichat.chat_controller import ChatController
from clinichat.config.settings import Settings
from clinichat.history.store import (
    HIT_END,
    HIT_START,
    UNTITLED,
    Conversation,
    MemoryStore,
    Message,
    Role,
    SearchHit,
    Status,
)
from clinichat.history.vault import Vault
from clinichat.history_access import HistoryAccess
from clinichat.i18n import QT_GAPS, Translations
from clinichat.llm.session import ChatSession
from clinichat.llm.thread_finder import ThreadResult
from clinichat.models.registry import ModelRegistry
from clinichat.ui.chat_view import ChatView
from clinichat.ui.conversation_list import ConversationList
from clinichat.ui.history_guard import HistoryGuard
from clinichat.ui.main_window import MainWindow
from clinichat.ui.message_bubble import MessageBubble
from clinichat.ui.passphrase import LockScreen, NewPassphraseDialog
from clinichat.ui.recovery_key_dialogs import ImportRecoveryKeyDialog, RecoveryKeyDialog
from clinichat.ui.thread_finder_dialog import ThreadFinderDialog

PASSPHRASE = "correct horse battery"
TIMEOUT_MS = 60_000


def assert_retranslates(
    *widgets: QWidget, actions: tuple[QAction, ...] = (), data: tuple[str, ...] = ()
) -> None:
    """Every text is wrapped after the switch, and exactly as before after switching back.

    `data`: texts shown as they are in every language (a recovery key).
    """

    def collect() -> list[str]:
        return [text for w in widgets for text in texts(w)] + [a.text() for a in actions]

    english = collect()
    assert english, "nothing to check"
    assert not any("«" in text for text in english)
    with pseudo_language():
        switched = collect()
        assert len(switched) == len(english)
        assert unwrapped([text for text in switched if text not in data]) == []
    assert collect() == english


def message(id: int, role: Role, text: str, status: Status = Status.COMPLETE) -> Message:
    return Message(id=id, conversation_id=1, role=role, text=text, status=status)


def test_the_pseudo_translator_is_called_from_qt(qtbot: QtBot) -> None:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
    qtbot.addWidget(buttons)
    with pseudo_language():
        assert QCoreApplication.translate("Any", "text") == "«text»"
        assert unwrapped([b.text() for b in buttons.buttons()]) == []
    assert QCoreApplication.translate("Any", "text") == "text"


def test_conversation_list(qtbot: QtBot) -> None:
    conversations = ConversationList()
    qtbot.addWidget(conversations)
    conversations.set_conversations(
        [
            Conversation(1, "Old visit", pinned=True),
            Conversation(2, "Fever"),
            Conversation(3, UNTITLED),
        ],
        current=1,
    )
    conversations.show_hits([])
    pinned, plain, untitled = (conversations.list.item(row) for row in range(3))
    assert untitled.text() == "New conversation"
    assert_retranslates(conversations, data=("Old visit", "Fever"))
    with pseudo_language():
        assert pinned.toolTip() == "«Pinned: %1»".replace("%1", "Old visit")
        assert pinned.text() == "Old visit" and plain.toolTip() == "Fever"
        assert untitled.text() == untitled.toolTip() == "«New conversation»"
        assert conversations.hits.item(0).text() == "«Nothing found»"
    assert pinned.toolTip() == "Pinned: Old visit" and untitled.text() == "New conversation"
    assert conversations.hits.item(0).text() == "Nothing found"


def test_an_untitled_search_hit_is_named_in_the_new_language(qtbot: QtBot) -> None:
    conversations = ConversationList()
    qtbot.addWidget(conversations)
    conversations.show_hits([SearchHit(3, 7, UNTITLED, f"a {HIT_START}fever{HIT_END} since")])

    def shown() -> str:
        label = conversations.hits.itemWidget(conversations.hits.item(0))
        assert isinstance(label, QLabel)
        return label.text()

    assert "<b>New conversation</b>" in shown()
    with pseudo_language():
        assert "<b>«New conversation»</b>" in shown()
        assert "<b>fever</b>" in shown(), "the hit itself is shown again"
    assert "<b>New conversation</b>" in shown()


@pytest.mark.parametrize(
    "role, status", [(Role.USER, Status.COMPLETE), (Role.ASSISTANT, Status.STOPPED)]
)
def test_message_bubble(qtbot: QtBot, role: Role, status: Status) -> None:
    bubble = MessageBubble(message(1, role, "Some text", status))
    qtbot.addWidget(bubble)
    assert_retranslates(bubble)
    bubble.update_message(message(1, role, "Some text", Status.QUEUED))
    with pseudo_language():
        assert bubble.state.text() == "«Waiting…»"
        bubble.update_message(message(1, role, "Some text", Status.FAILED))
        assert bubble.state.text() == "«Failed»"
    assert bubble.state.text() == "Failed"


def test_chat_view_and_its_bubbles(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.show_messages(
        [message(1, Role.USER, "Hello"), message(2, Role.ASSISTANT, "Hi", Status.INTERRUPTED)]
    )
    assert_retranslates(view)


@pytest.mark.parametrize("needs_passphrase", [True, False])
def test_lock_screen(qtbot: QtBot, needs_passphrase: bool) -> None:
    screen = LockScreen()
    qtbot.addWidget(screen)
    context = QObject()
    screen.ask(
        needs_passphrase=needs_passphrase,
        text=lambda: context.tr("Enter your passphrase to continue."),
        can_recover=not needs_passphrase,
    )
    assert_retranslates(screen)


def show_error(dialog: QDialog) -> None:
    """Press OK on an empty form, which the dialog refuses with an error line."""
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    box.button(QDialogButtonBox.StandardButton.Ok).click()


@pytest.mark.parametrize(
    "make",
    [
        lambda: NewPassphraseDialog(),
        lambda: NewPassphraseDialog(change=True),
        lambda: RecoveryKeyDialog("ABCD-EFGH-IJKL"),
        lambda: ImportRecoveryKeyDialog(needs_passphrase=True),
        lambda: ImportRecoveryKeyDialog(needs_passphrase=False),
    ],
    ids=["new", "change", "recovery-key", "import-with-passphrase", "import"],
)
def test_passphrase_dialogs(qtbot: QtBot, make: Callable[[], QDialog]) -> None:
    dialog = make()
    qtbot.addWidget(dialog)
    key = dialog.key.text() if isinstance(dialog, RecoveryKeyDialog) else ""
    assert_retranslates(dialog, data=(key,))
    if not isinstance(dialog, RecoveryKeyDialog):
        show_error(dialog)
        error = dialog.findChild(QLabel, "errorBanner")
        assert error is not None and error.text()
        assert_retranslates(dialog)


def test_thread_finder_dialog(qtbot: QtBot) -> None:
    dialog = ThreadFinderDialog()
    qtbot.addWidget(dialog)
    assert_retranslates(dialog)
    dialog.show_results([ThreadResult(1, 5.0, 0.2), ThreadResult(2, 9.0, 0.1)], best=2)
    assert_retranslates(dialog)
    with pseudo_language():
        assert dialog.status.text() == (
            "«With 2 thread(s) the speed is within 5% of the fastest, so ClinicChat now uses 2.»"
            "\n«1: 5.0 tokens/s»  «2: 9.0 tokens/s»"
        )


@pytest.fixture
def guarded(qtbot: QtBot, tmp_path: Path, no_keyring: None) -> Iterator[HistoryGuard]:
    """A locked window behind a passphrase-protected history, with no model to load."""
    data = tmp_path / "data"
    data.mkdir()
    Vault(data).create(PASSPHRASE).close()
    models = tmp_path / "models"
    models.mkdir()
    controller = ChatController(MemoryStore(), ChatSession())
    window = MainWindow(
        controller,
        ModelRegistry(models, []),
        Settings.in_memory(threads=2, idle_lock_minutes=0),
        locked=True,
    )
    qtbot.addWidget(window)
    access = HistoryAccess(Vault(data))
    guard = HistoryGuard(window, access)
    window.show()
    try:
        yield guard
    finally:
        window.close()
        access.close()


def test_history_guard_menu_and_lock_page(qtbot: QtBot, guarded: HistoryGuard) -> None:
    window, access = guarded.window, guarded.access
    history = ("lock", "export_recovery_key", "change_passphrase")
    actions = tuple(window.commands.actions[name] for name in history)
    assert_retranslates(window.lock_page, actions=actions)
    assert window.lock_page.explanation.text() == "Opening your conversation history…"
    with qtbot.waitSignal(access.needs_passphrase, timeout=TIMEOUT_MS):
        access.start()
    assert_retranslates(window.lock_page, actions=actions)
    with pseudo_language():
        assert window.lock_page.explanation.text() == (
            "«Enter your passphrase to open your conversations.»"
        )
        assert actions[0].text() == "«&Lock»"
    assert actions[0].text() == "&Lock"


# -- whole windows, in each state a clinician reaches (issue 11, item 9) --------------------------
def product_and_model_names(window: MainWindow) -> set[str]:
    """Words that are data, not ours to translate: the product's and the models' names."""
    names = {"ClinicChat"} | {m.display_name for m in window.registry.installed()}
    rows = window.preset_picker.list  # presets are data in the chosen language (test_spanish)
    presets = {texts(rows.itemWidget(rows.item(row)))[0] for row in range(rows.count())}
    return names | presets | {e.name for e in window.registry.catalog}


def test_the_empty_page_follows_a_switch(qtbot: QtBot, tmp_path: Path) -> None:
    controller = ChatController(MemoryStore(), ChatSession())
    window = MainWindow(controller, ModelRegistry(tmp_path, []), Settings.in_memory(threads=2))
    qtbot.addWidget(window)
    window.show()
    assert window.pages.currentWidget() is window.empty_page
    with pseudo_language():
        assert english_left([window], product_and_model_names(window)) == []
    window.close()


def test_a_chat_its_status_message_and_settings_follow_a_switch(
    qtbot: QtBot, tmp_path: Path, starter_model: Path
) -> None:
    window = starter_window(qtbot, tmp_path, starter_model)
    store = window.controller.store
    conversation = window.current_conversation
    assert conversation is not None
    store.add_message(conversation, Role.USER, "Dose of paracetamol for a child of 20 kg?")
    answer = store.add_message(conversation, Role.ASSISTANT, "15 mg/kg, so **300 mg**.")
    store.add_message(conversation, Role.ASSISTANT, "", status=Status.STOPPED)
    window.open_conversation(conversation)
    window.conversations.set_conversations(store.conversations(), conversation)
    assert window.chat_view.bubble(answer.id) is not None
    window.answer_copy.copy_plain()
    assert window.status_line.currentMessage() == "Answer copied as plain text"
    window.settings_flow.open()
    settings = window.settings_dialog
    assert settings is not None
    device = next(e.widget for e in settings.app_editors if e.option.key == "device")
    assert isinstance(device, QComboBox) and device.itemText(0) == "Processor (CPU)"
    assert "Device: Processor (CPU)" in window.status_line.model_status.text()
    # Qt names its tab bar's scroll arrows once, when they are made (screen readers only).
    data = product_and_model_names(window) | {"Scroll Left", "Scroll Right"}
    with pseudo_language():
        assert english_left([window], data) == []
        assert english_left([settings], data) == []
        assert device.itemText(0) == "«Processor (CPU)»"
        assert window.status_line.currentMessage() == "«Answer copied as plain text»"
        assert "«Processor (CPU)»" in window.status_line.model_status.text()
    assert window.status_line.currentMessage() == "Answer copied as plain text"
    window.close()


# -- Qt's own file dialog, with the real Spanish catalogues (Qt's and ours) --------------------
@pytest.fixture
def chat_window(qtbot: QtBot, tmp_path: Path, translations: Translations) -> Iterator[MainWindow]:
    """A window with one conversation and no model (export and import need none)."""
    controller = ChatController(MemoryStore(), ChatSession())
    window = MainWindow(
        controller, ModelRegistry(tmp_path, []), Settings.in_memory(), translations=translations
    )
    qtbot.addWidget(window)
    window.show()
    window.open_conversation(controller.new_conversation().id)
    yield window
    window.close()


def read_file_dialog(open_it: Callable[[], object]) -> dict[str, object]:
    """Open a file dialog the way the app does and read it as shown, then cancel it."""
    seen: dict[str, object] = {}

    def read() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(20, read)
            return
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        assert name is not None
        seen["texts"] = texts(dialog)
        seen["name"] = name.text()
        seen["qt_own"] = dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.reject()

    QTimer.singleShot(0, read)
    open_it()
    return seen


def test_the_file_dialogs_speak_the_chosen_language(
    chat_window: MainWindow, translations: Translations, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Qt's own dialog, in Spanish from qtbase_es.qm and ours, and the suggested file name."""
    monkeypatch.setattr(QMessageBox, "warning", lambda *_a, **_k: QMessageBox.StandardButton.Ok)
    openers = {"export": chat_window.conversation_flow.export, "import": chat_window.import_model}
    english = {what: read_file_dialog(open_it) for what, open_it in openers.items()}
    assert english["export"]["name"] == "conversation.md"
    translations.apply("es")
    QApplication.processEvents()
    for what, open_it in openers.items():
        spanish = read_file_dialog(open_it)
        assert spanish["qt_own"], "a native dialog would speak the desktop's language"
        pairs = zip(english[what]["texts"], spanish["texts"], strict=True)  # type: ignore[call-overload]
        same = [en for en, es in pairs if en == es and any(c.isalpha() for c in en)]
        assert same == [], f"{what}: still in English"
    assert read_file_dialog(openers["export"])["name"] == "conversación.md"
    for context, source in QT_GAPS:
        assert QCoreApplication.translate(context, source) != source
