"""The main window: conversations on the left, the chat on the right, model and threads on top."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from clinichat.chat_controller import ChatController
from clinichat.config.settings import Settings
from clinichat.folder_watch import FolderWatch
from clinichat.history.store import Message, Role
from clinichat.i18n import Translations
from clinichat.llm.engines.base import GenerationResult, estimate_tokens
from clinichat.llm.templates import (
    wrap_system_prompt,
)
from clinichat.models.download_manager import DownloadManager
from clinichat.models.registry import ModelRegistry
from clinichat.paths import AppPaths
from clinichat.presets import Preset
from clinichat.remote.policy import Policy
from clinichat.remote.server_key import ServerKeys
from clinichat.ui import clipboard, file_dialogs
from clinichat.ui.about_dialog import AboutDialog
from clinichat.ui.answer_copy import AnswerCopy
from clinichat.ui.commands import CommandRegistry
from clinichat.ui.conversation_list import ConversationList
from clinichat.ui.conversations_flow import ConversationsFlow
from clinichat.ui.document_search import DocumentSearch
from clinichat.ui.documents_flow import DocumentsFlow
from clinichat.ui.help_dialogs import HelpCommands
from clinichat.ui.model_bar import ModelBar
from clinichat.ui.model_control import ModelControl
from clinichat.ui.model_manager import ModelManagerDialog
from clinichat.ui.model_manager_flow import ModelManagerFlow
from clinichat.ui.pages import ChatPage, EmptyPage
from clinichat.ui.passphrase import LockScreen
from clinichat.ui.preset_flow import PresetFlow
from clinichat.ui.recommendation import Recommendations
from clinichat.ui.retranslating import Retranslating
from clinichat.ui.server_banner import ServerBanner
from clinichat.ui.server_flow import ServerFlow
from clinichat.ui.settings_dialog import SettingsDialog
from clinichat.ui.settings_flow import SettingsFlow
from clinichat.ui.speech_flows import SpeechFlows
from clinichat.ui.status_line import StatusLine
from clinichat.ui.thread_finder_dialog import ThreadFinderDialog
from clinichat.ui.thread_finding import ThreadFinding


class MainWindow(Retranslating, QMainWindow):
    """Shows one conversation at a time and the state of the model answering it."""

    def __init__(
        self,
        controller: ChatController,
        registry: ModelRegistry,
        settings: Settings,
        *,
        locked: bool = False,
        translations: Translations | None = None,
        paths: AppPaths | None = None,
        policy: Policy | None = None,
        server_keys: ServerKeys | None = None,
    ) -> None:
        """`locked`: start behind the lock screen until the encrypted history opens.

        `translations`: switches the language when the setting changes (None: English only).
        `policy`: what the administrator allows (the app reads the system's policy file;
        None allows everything). `server_keys`: where the clinic server's key is kept.
        """
        super().__init__()
        self.controller = controller
        self.session = controller.session
        self.registry = registry
        self.settings = settings
        self.translations = translations
        self.paths = paths
        self.downloads = DownloadManager(registry, self)
        self._conversation_id: int | None = None
        # The open conversation's preset instructions (plain text), kept to avoid store reads.
        self._conversation_prompt = ""
        # False until a history store is open (the encrypted history unlocks after start).
        self.history_ready = not locked
        self._has_models = False
        self.setWindowTitle("ClinicChat")
        # 1100x760, or less on a small screen: on 1366x768 the status bar ended below the
        # screen's edge once the window manager's title bar was added.
        room = self.screen().availableGeometry()
        self.resize(min(1100, room.width() * 9 // 10), min(760, room.height() * 9 // 10))
        self.commands = CommandRegistry(self)
        self.model_bar = ModelBar(settings.threads, self)
        self.addToolBar(self.model_bar)
        self.status_line = StatusLine()
        self.setStatusBar(self.status_line)
        self._build_central()
        self.preset_flow = PresetFlow(
            self, settings, translations, self.chat_page, self.show_notice
        )
        self.answer_copy = AnswerCopy(self, self.chat_view, self.status_line, self.commands)
        self.conversation_flow = ConversationsFlow(
            self,
            self,
            controller,
            self.conversations,
            self.chat_view,
            self.status_line,
            self.commands,
        )
        self.models = ModelControl(
            self, registry, settings, controller, self.model_bar, self.status_line, self
        )
        self.document_search = DocumentSearch(
            registry, settings, self.status_line, self.session, self
        )
        controller.meaning = self.document_search.meaning
        self.folder_watch = FolderWatch(self)
        controller.folders = self.folder_watch
        self.documents = DocumentsFlow(
            self, controller, self.chat_page, self.document_search, self.folder_watch, self._open
        )
        self.model_flow = ModelManagerFlow(
            self, self.downloads, settings, self.models, self.document_search
        )
        self.settings_flow = SettingsFlow(
            self, settings, registry, self.models, self.model_bar, self.status_line, translations
        )
        self.threads = ThreadFinding(
            self, self, self.models, self.model_bar, settings, self.status_line
        )
        self.recommendations = Recommendations(
            self.downloads, self.empty_page.recommendation, self.chat_page, self.models.in_use, self
        )
        self.server_flow = ServerFlow(
            self,
            self,
            settings,
            self.models,
            self.model_bar,
            self.status_line,
            policy or Policy(),
            server_keys or ServerKeys(),
        )
        self.speech = SpeechFlows(
            self,
            settings,
            registry.models_dir,
            self.chat_page,
            (self.show_error, self.show_notice),
            self.start_from_transcript,
        )
        self.transcription, self.dictation = self.speech.transcription, self.speech.dictation
        self.models.listed.connect(self.recommendations.refresh)
        self.models.state_changed.connect(self.recommendations.update_notice)
        self.recommendations.use_requested.connect(self.models.choose)
        self.recommendations.manage_requested.connect(self.model_flow.open)
        self._bind_commands()
        self._connect()
        self.retranslate()
        if locked:
            self.set_locked(True)
        self.models.refresh()
        self.server_flow.start()
        self.model_flow.offer_partial_downloads()

    # -- construction ------------------------------------------------------------------
    def _bind_commands(self) -> None:
        bind = self.commands.bind
        bind("new_conversation", self.new_conversation)
        bind("open_models", self.model_flow.open)
        bind("clinic_server", self.server_flow.open)
        bind("import_model", self.import_model)
        self.speech.bind(bind)
        bind("export", self.conversation_flow.export)
        bind("delete_all", self.conversation_flow.delete_all)
        bind("settings", self.settings_flow.open)
        bind("find_threads", self.threads.start)
        bind("quit", self.close)
        bind("copy_plain", self.answer_copy.copy_plain)
        bind("copy_markdown", self.answer_copy.copy_markdown)
        bind("search", self.conversation_flow.focus_search)
        bind("stop", self.stop_answer)
        bind("documents", self.documents.open)
        if self.paths is not None:
            bind("about", self.show_about)
        self.help = HelpCommands(self.commands, self, self.paths.logs if self.paths else None)

    def _build_central(self) -> None:
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.server_banner = ServerBanner(central)
        column.addWidget(self.server_banner)
        splitter = QSplitter(central)
        column.addWidget(splitter, 1)
        self.conversations = ConversationList(splitter)
        self.pages = QStackedWidget(splitter)
        splitter.addWidget(self.conversations)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([250, 850])
        self.setCentralWidget(central)
        self._build_pages()
        self.lock_page = LockScreen(self.pages)
        self.pages.addWidget(self.lock_page)

    def _build_pages(self) -> None:
        self.empty_page = EmptyPage(self.pages)
        self.pages.addWidget(self.empty_page)
        self.empty_error = self.empty_page.error
        copy = (self.commands.actions["copy_plain"], self.commands.actions["copy_markdown"])
        self.chat_page = page = ChatPage(copy, self.pages)
        self.pages.addWidget(page)
        # The parts the window drives, by their short names.
        self.chat_stack, self.chat_view, self.preset_picker = (
            page.chat_stack,
            page.chat_view,
            page.preset_picker,
        )
        self.notice, self.error_banner, self.input = page.notice, page.error_banner, page.input
        self.send_button, self.stop_button = page.send_button, page.stop_button
        self.copy_button, self.regenerate_button = page.copy_button, page.regenerate_button

    def _connect(self) -> None:
        self.model_bar.import_requested.connect(self.import_model)
        self.model_bar.threads_changed.connect(self._on_threads)
        self.model_bar.server_in_use.connect(self.server_banner.show_server)
        self.empty_page.import_button.clicked.connect(self.import_model)
        self.empty_page.download_button.clicked.connect(self.model_flow.open)
        self.preset_picker.chosen.connect(self.start_with_preset)
        self.input.problem.connect(self.show_error)
        self.input.problem_cleared.connect(self.clear_messages)
        self.documents.error.connect(self.show_error)
        self.model_flow.error.connect(self.show_error)
        self.model_flow.notice.connect(self.show_notice)
        self.model_flow.import_requested.connect(self.import_model)
        self.settings_flow.find_threads_requested.connect(self.threads.start)
        self.threads.busy_changed.connect(self._update_buttons)
        self.folder_watch.changed.connect(self.document_search.meaning.catch_up)
        self.models.listed.connect(self._on_models_listed)
        self.models.state_changed.connect(self._on_model_state)
        self.chat_view.page_text = self.documents.page_text
        self.input.submitted.connect(self.send)
        self.send_button.clicked.connect(self.send)
        self.stop_button.clicked.connect(self.stop_answer)
        self.copy_button.clicked.connect(self.answer_copy.copy_plain)
        self.regenerate_button.clicked.connect(self.regenerate)
        c, s = self.controller, self.session
        c.message_added.connect(self._on_message_added)
        c.message_changed.connect(self._on_message_changed)
        c.message_text.connect(self._on_message_text)
        c.message_reasoning.connect(self.chat_view.append_reasoning)
        c.message_sources.connect(self.chat_view.set_sources)
        c.message_removed.connect(self.chat_view.remove_message)
        c.notice.connect(self.show_notice)
        c.error.connect(self.show_error)
        s.answer_started.connect(self._update_buttons)
        s.answer_finished.connect(self._on_answer_finished)
        s.answer_stopped.connect(self._on_answer_finished)
        s.answer_failed.connect(self._update_buttons)
        s.answer_queued.connect(self._update_buttons)

    # -- texts -------------------------------------------------------------------------
    def retranslate(self) -> None:
        """Set every text in the current language (at start and on a language switch).

        The menus, the pages, the model bar and the status line re-translate themselves.
        """
        self.commands.retranslate()
        self.preset_flow.load()

    # -- models ------------------------------------------------------------------------
    @Slot(bool)
    def _on_models_listed(self, has_models: bool) -> None:
        """The model list was read: show the chat or the empty page, and a conversation."""
        self._has_models = has_models
        if self.pages.currentWidget() is not self.lock_page:
            self.pages.setCurrentWidget(self.content_page())
        if has_models:
            if self._conversation_id is None and self.history_ready:
                self.open_latest_conversation()
            self.input.setFocus()

    @Slot()
    def _on_model_state(self) -> None:
        self._update_context_budget()
        self._update_buttons()

    @property
    def current_conversation(self) -> int | None:
        return self._conversation_id

    @property
    def locked(self) -> bool:
        return self.commands.locked

    @property
    def settings_dialog(self) -> SettingsDialog | None:
        return self.settings_flow.dialog

    @property
    def model_manager(self) -> ModelManagerDialog | None:
        return self.model_flow.dialog

    @property
    def thread_finder(self) -> ThreadFinderDialog | None:
        return self.threads.dialog

    def _open(self, make: bool) -> int | None:
        """The open conversation; with `make`, a new one when none is open."""
        if make and self._conversation_id is None:
            self.new_conversation()
        return self._conversation_id

    def content_page(self) -> QWidget:
        return self.chat_page if self._has_models else self.empty_page

    def set_locked(self, locked: bool) -> None:
        """Hide every conversation behind the lock screen, or bring them back.

        Locking also makes every command that needs the history inert (`CommandRegistry`),
        closes whatever this window had open (dialogs, menus), clears passing status
        messages and takes back what ClinicChat put on the clipboard.
        """
        self.commands.set_locked(locked)
        self.model_bar.setEnabled(not locked)
        self.conversations.setVisible(not locked)
        self.pages.setCurrentWidget(self.lock_page if locked else self.content_page())
        self.speech.set_locked(locked)
        if locked:
            self._close_open_windows()
            self.status_line.clearMessage()
            clipboard.clear_if_ours()
        else:
            self.input.setFocus()

    def _close_open_windows(self) -> None:
        """Reject every dialog of this window (as Cancel would) and close any open menu."""
        popup = QApplication.activePopupWidget()
        if popup is not None:
            popup.close()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible() and self._owns(widget):
                widget.reject()

    def _owns(self, widget: QWidget) -> bool:
        parent: QObject | None = widget.parent()
        while parent is not None:
            if parent is self:
                return True
            parent = parent.parent()
        return False

    def open_latest_conversation(self) -> None:
        """Reopen the most recent conversation if it is still empty, else start a new one."""
        latest = self.controller.store.conversations()
        if latest and not self.controller.store.messages(latest[0].id):
            self.open_conversation(latest[0].id)
        else:
            self.new_conversation()

    @Slot()
    def import_model(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Import a model file"),
            str(Path.home()),
            self.tr("GGUF model files (*.gguf)"),
            options=file_dialogs.OPTIONS,
        )
        if path and not self.commands.locked:
            self.models.import_file(Path(path))

    @Slot(int)
    def _on_threads(self, value: int) -> None:
        self.settings_flow.set("threads", value)
        self.session.set_threads(value)

    # -- conversations -----------------------------------------------------------------
    @Slot()
    def new_conversation(self) -> None:
        if not self.history_ready or self.pages.currentWidget() is self.lock_page:
            return
        conversation = self.controller.new_conversation()
        self.open_conversation(conversation.id)

    @Slot(int)
    def open_conversation(self, conversation_id: int) -> None:
        previous, self._conversation_id = self._conversation_id, conversation_id
        if previous != conversation_id:
            self._drop_if_empty(previous)
        messages = self.controller.store.messages(conversation_id)
        self.chat_view.show_messages(messages)
        answers = [m.id for m in messages if m.role is Role.ASSISTANT]
        for message_id, sources in self.controller.sources(answers).items():
            self.chat_view.set_sources(message_id, sources)
        self.documents.show_choice()
        prompt = self.controller.store.conversation(conversation_id).system_prompt
        self._conversation_prompt = prompt
        match = self.preset_flow.matching(prompt)
        self.chat_page.show_preset(match, own_instructions=bool(prompt.strip()))
        fresh = not messages and not prompt
        self.chat_stack.setCurrentWidget(self.preset_picker if fresh else self.chat_view)
        self.conversation_flow.refresh()
        self.clear_messages()
        self._update_buttons()
        self.input.setFocus()

    def forget_open_conversation(self) -> None:
        """The open conversation is gone (all were deleted): none is open until the next."""
        self._conversation_id = None

    def _drop_if_empty(self, conversation_id: int | None) -> None:
        """A conversation left without a single message is not kept (no pile of empty
        "New conversation" entries after restarts)."""
        if conversation_id is None or self.controller.is_answering(conversation_id):
            return
        store = self.controller.store
        if any(c.id == conversation_id for c in store.conversations()) and not store.messages(
            conversation_id
        ):
            self.controller.delete(conversation_id)

    # -- presets -------------------------------------------------------------------------
    @Slot(object)
    def start_with_preset(self, preset: Preset) -> None:
        """The preset's instructions go with every question; its instruction starts the box."""
        if self._conversation_id is None:
            return
        self.controller.set_system_prompt(self._conversation_id, preset.system_prompt)
        self._conversation_prompt = preset.system_prompt
        self.chat_stack.setCurrentWidget(self.chat_view)
        self.input.prefill(preset.instruction)
        self._update_context_budget()
        self.chat_page.show_preset(preset)

    def start_from_transcript(self, transcript: str) -> None:
        """A new conversation with the SOAP-note preset, the transcript in the question box."""
        if self.commands.locked or not self.history_ready:
            return
        self.new_conversation()
        soap = self.preset_flow.soap()
        if soap is not None:
            self.start_with_preset(soap)
        else:
            self.chat_stack.setCurrentWidget(self.chat_view)
        self.input.insertPlainText(transcript)

    # -- chatting ----------------------------------------------------------------------
    def system_prompt(self) -> str:
        """The conversation's preset in the model's format, else the model's own prompt."""
        if self.models.profile is None:
            return ""
        if self._conversation_prompt.strip():
            return wrap_system_prompt(self.models.profile, self._conversation_prompt)
        return self.models.profile.system_prompt

    def _update_context_budget(self) -> None:
        """Tell the question box how much text the model can read with this conversation."""
        if self.models.profile is None:
            self.input.set_context_budget(None)
            return
        n_ctx = self.models.profile.spec.n_ctx
        reserve = min(self.controller.params.max_tokens, n_ctx // 4)
        self.input.set_context_budget(n_ctx - estimate_tokens(self.system_prompt()) - reserve)

    @Slot()
    def send(self) -> None:
        text = self.input.toPlainText()
        if not text.strip() or self._conversation_id is None or self.models.profile is None:
            return
        self.input.clear()
        self.clear_messages()
        self.chat_stack.setCurrentWidget(self.chat_view)
        self.controller.send(self._conversation_id, text, self.system_prompt())

    @Slot()
    def regenerate(self) -> None:
        if self._conversation_id is not None and self.models.profile is not None:
            self.controller.regenerate(self._conversation_id, self.system_prompt())

    @Slot(object)
    def _on_message_added(self, message: Message) -> None:
        if message.conversation_id == self._conversation_id:
            self.chat_view.add_message(message)

    @Slot(object)
    def _on_message_changed(self, message: Message) -> None:
        if message.conversation_id == self._conversation_id:
            self.chat_view.update_message(message)
        self._update_buttons()

    @Slot(int, str)
    def _on_message_text(self, message_id: int, piece: str) -> None:
        self.chat_view.append_text(message_id, piece)

    @Slot()
    def stop_answer(self) -> None:
        """Stop the answer in the open conversation (others answering at once go on); when
        it has none, whatever is being written. While dictating, Esc discards the dictation
        instead, so an answer being written is not stopped by a key meant for the microphone."""
        if self.speech.escape():
            return
        self.controller.stop(self._conversation_id)

    @Slot(int, object)
    def _on_answer_finished(self, _request_id: int, result: GenerationResult) -> None:
        self.status_line.show_speed(result)
        self._update_buttons()
        self.input.setFocus()

    @Slot()
    def _update_buttons(self) -> None:
        busy = self.session.is_busy
        self.status_line.set_answers(
            len(self.session.running_ids()), len(self.session.queued_ids())
        )
        answering_here = self._conversation_id is not None and self.controller.is_answering(
            self._conversation_id
        )
        self.stop_button.setEnabled(busy)
        self.send_button.setEnabled(self.models.profile is not None)
        self.regenerate_button.setEnabled(
            self.models.profile is not None
            and not answering_here
            and self.chat_view.last_answer() is not None
        )
        self.copy_button.setEnabled(self.chat_view.last_answer() is not None)

    # -- messages to the user ------------------------------------------------------------
    @Slot(str)
    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()

    @Slot(str)
    def show_error(self, text: str) -> None:
        """Errors appear inline, above the question box, and never block the window.

        They go to the chat (or empty) page even while it is locked, so a model that failed
        to load at start is still explained once the history is unlocked.
        """
        if self.content_page() is self.empty_page:
            self.empty_error.setText(text)
            self.empty_error.show()
        else:
            self.error_banner.setText(text)
            self.error_banner.show()

    def clear_messages(self) -> None:
        """Hide notices and errors of the last answer; model problems stay until solved."""
        self.notice.hide()
        self.error_banner.hide()
        self.empty_error.hide()
        self.models.show_problems()

    # -- help --------------------------------------------------------------------------
    @Slot()
    def show_about(self) -> None:
        if self.paths is None:
            return
        dialog = AboutDialog(self.paths, self)
        dialog.finished.connect(lambda _code: dialog.deleteLater())
        dialog.open()

    # -- shutdown ------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.speech.may_close():
            event.ignore()
            return
        if self.history_ready:
            self._drop_if_empty(self._conversation_id)
        self.downloads.shutdown()
        self.controller.shutdown()
        self.document_search.meaning.shutdown()
        self.folder_watch.shutdown()
        self.speech.shutdown()
        self.models.wait()
        self.server_flow.wait()
        super().closeEvent(event)
