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
    QWidget,
)

from clinichat.chat_controller import ChatController
from clinichat.config.schema import SettingError
from clinichat.config.settings import Settings
from clinichat.documents.library import PageText, Passage
from clinichat.folder_watch import FolderWatch
from clinichat.history.store import Message, Role
from clinichat.i18n import Translations
from clinichat.llm.engines import list_gpus
from clinichat.llm.engines.base import GenerationResult, estimate_tokens
from clinichat.llm.templates import (
    catalog_texts,
    engine_for,
    wrap_system_prompt,
)
from clinichat.llm.thread_estimate import earlier_results, estimate
from clinichat.llm.thread_finder import ThreadResult, best_thread_count, save_results
from clinichat.messages import UserError
from clinichat.models.download_manager import DownloadManager
from clinichat.models.registry import ModelRegistry
from clinichat.paths import AppPaths
from clinichat.presets import Preset, builtin_presets_path, presets_for
from clinichat.safe_markdown import plain_text
from clinichat.translate import translate
from clinichat.ui import clipboard, file_dialogs, message_box
from clinichat.ui.about_dialog import AboutDialog
from clinichat.ui.appearance import apply_appearance
from clinichat.ui.commands import CommandRegistry
from clinichat.ui.conversation_list import ConversationList
from clinichat.ui.devices import device_name
from clinichat.ui.document_search import DocumentSearch
from clinichat.ui.documents_dialog import DocumentsDialog
from clinichat.ui.export_flow import ConversationExporter
from clinichat.ui.help_dialogs import HelpCommands
from clinichat.ui.model_bar import ModelBar
from clinichat.ui.model_control import ModelControl
from clinichat.ui.model_manager import ModelManagerDialog
from clinichat.ui.pages import ChatPage, EmptyPage
from clinichat.ui.passphrase import LockScreen
from clinichat.ui.preset_picker import PresetEditorDialog
from clinichat.ui.recommendation import Recommendations
from clinichat.ui.retranslating import Retranslating
from clinichat.ui.settings_dialog import SettingsDialog
from clinichat.ui.status_line import StatusLine
from clinichat.ui.thread_finder_dialog import ThreadFinderDialog, ask_to_start


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
    ) -> None:
        """`locked`: start behind the lock screen until the encrypted history opens.

        `translations`: switches the language when the setting changes (None: English only).
        """
        super().__init__()
        self.controller = controller
        self.session = controller.session
        self.registry = registry
        self.settings = settings
        self.translations = translations
        self.paths = paths
        self.settings_dialog: SettingsDialog | None = None
        self.model_manager: ModelManagerDialog | None = None
        self.downloads = DownloadManager(registry, self)
        self._conversation_id: int | None = None
        # The open conversation's preset instructions (plain text), kept to avoid store reads.
        self._conversation_prompt = ""
        self._presets: list[Preset] = []
        self.thread_finder: ThreadFinderDialog | None = None
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
        self.models = ModelControl(
            self, registry, settings, controller, self.model_bar, self.status_line, self
        )
        self.document_search = DocumentSearch(
            registry, settings, self.status_line, self.session, self
        )
        controller.meaning = self.document_search.meaning
        self.folder_watch = FolderWatch(self)
        controller.folders = self.folder_watch
        self.recommendations = Recommendations(
            self.downloads, self.empty_page.recommendation, self.chat_page, self.models.in_use, self
        )
        self.models.listed.connect(self.recommendations.refresh)
        self.recommendations.use_requested.connect(self.models.choose)
        self.recommendations.manage_requested.connect(self.open_model_manager)
        self._bind_commands()
        self._connect()
        self.retranslate()
        if locked:
            self.set_locked(True)
        self.models.refresh()
        self._offer_partial_downloads()

    # -- construction ------------------------------------------------------------------
    def _bind_commands(self) -> None:
        bind = self.commands.bind
        bind("new_conversation", self.new_conversation)
        bind("open_models", self.open_model_manager)
        bind("import_model", self.import_model)
        bind("export", self.export_conversation)
        bind("delete_all", self.delete_all_conversations)
        bind("settings", self.open_settings)
        bind("find_threads", self.find_best_threads)
        bind("quit", self.close)
        bind("copy_plain", self.copy_last_answer)
        bind("copy_markdown", self.copy_last_answer_markdown)
        bind("search", self.focus_search)
        bind("stop", self.controller.stop)
        bind("documents", self.open_documents)
        if self.paths is not None:
            bind("about", self.show_about)
        self.help = HelpCommands(self.commands, self, self.paths.logs if self.paths else None)

    def _build_central(self) -> None:
        splitter = QSplitter(self)
        self.conversations = ConversationList(splitter)
        self.pages = QStackedWidget(splitter)
        splitter.addWidget(self.conversations)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([250, 850])
        self.setCentralWidget(splitter)
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
        self.empty_page.import_button.clicked.connect(self.import_model)
        self.empty_page.download_button.clicked.connect(self.open_model_manager)
        self.preset_picker.chosen.connect(self.start_with_preset)
        self.preset_picker.manage_requested.connect(self.manage_presets)
        self.input.problem.connect(self.show_error)
        self.input.problem_cleared.connect(self.clear_messages)
        self.downloads.installed.connect(self.models.downloaded)
        self.downloads.installed.connect(lambda _model: self.document_search.meaning.refresh())
        self.document_search.meaning.failed.connect(self._on_document_search_failed)
        self.folder_watch.changed.connect(self.document_search.meaning.catch_up)
        self.models.listed.connect(self._on_models_listed)
        self.models.state_changed.connect(self._on_model_state)
        self.downloads.failed.connect(self._on_download_failed)
        self.conversations.new_requested.connect(self.new_conversation)
        self.conversations.selected.connect(self.open_conversation)
        self.conversations.rename_requested.connect(self.controller.rename)
        self.conversations.delete_requested.connect(self._delete_conversation)
        self.conversations.pin_requested.connect(self.controller.set_pinned)
        self.conversations.search_changed.connect(self._on_search)
        self.conversations.hit_chosen.connect(self._on_hit_chosen)
        self.chat_view.copy_requested.connect(self._copy)
        self.chat_view.page_text = self._page_text
        self.input.submitted.connect(self.send)
        self.send_button.clicked.connect(self.send)
        self.stop_button.clicked.connect(self.controller.stop)
        self.copy_button.clicked.connect(self.copy_last_answer)
        self.regenerate_button.clicked.connect(self.regenerate)
        self.settings.changed.connect(self._on_setting_changed)
        c, s = self.controller, self.session
        c.conversations_changed.connect(self._refresh_conversations)
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
        self.load_presets()

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

    @Slot()
    def find_best_threads(self) -> None:
        """Measure 1…cores threads on the loaded model and move the slider to the best.

        It takes a while, so the clinician is asked first, with the expected time.
        """
        counts = list(range(1, self.model_bar.max_threads + 1))
        profile = self.models.profile
        if profile is not None and self.session.is_ready and not self.session.is_busy:
            try:
                size = profile.spec.path.stat().st_size
            except OSError:
                size = 0  # loaded, then moved away: the estimate is only rougher
            earlier = earlier_results(self.settings.config_dir, self.settings.default_model)
            expected = estimate(counts, self._system_prompt(), size, earlier)
            if not ask_to_start(self, counts, profile.name, expected) or self.commands.locked:
                return
        if not self.session.find_best_threads(counts, self._system_prompt()):
            self.show_error(
                self.tr(
                    "Wait until the model is loaded and has finished answering, then try again."
                )
            )
            return
        dialog = ThreadFinderDialog(self)
        self.thread_finder = dialog
        dialog.cancel_requested.connect(self.session.stop)
        self.session.threads_progress.connect(dialog.show_progress)
        self.session.threads_measured.connect(self._on_threads_measured)
        dialog.finished.connect(lambda _code: self._close_finder(dialog))
        dialog.open()
        self._update_buttons()

    @Slot(object)
    def _on_threads_measured(self, results: list[ThreadResult]) -> None:
        complete = len(results) == self.model_bar.max_threads
        best = best_thread_count(results) if complete else None
        if best is not None:
            self.model_bar.set_threads(best)
            model = self.settings.default_model
            if model and self.settings.config_dir is not None:
                try:
                    save_results(self.settings.config_dir, model, results, best)
                except OSError as error:
                    why = str(error)  # `error` is unbound after the except block
                    self.status_line.show_message(lambda: why, 5000)
        if self.thread_finder is not None:
            self.thread_finder.show_results(results, best)
        self._update_buttons()

    def _close_finder(self, dialog: ThreadFinderDialog) -> None:
        self.session.threads_progress.disconnect(dialog.show_progress)
        self.session.threads_measured.disconnect(self._on_threads_measured)
        self.thread_finder = None
        dialog.deleteLater()

    @Slot(int)
    def _on_threads(self, value: int) -> None:
        self._set_setting("threads", value)
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
        self._show_documents_choice()
        prompt = self.controller.store.conversation(conversation_id).system_prompt
        self._conversation_prompt = prompt
        match = next((p for p in self._presets if prompt and p.system_prompt == prompt), None)
        self.chat_page.show_preset(match, own_instructions=bool(prompt.strip()))
        fresh = not messages and not prompt
        self.chat_stack.setCurrentWidget(self.preset_picker if fresh else self.chat_view)
        self._refresh_conversations()
        self.clear_messages()
        self._update_buttons()
        self.input.setFocus()

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

    @Slot()
    def focus_search(self) -> None:
        if self.conversations.isVisible():
            self.conversations.search.setFocus()
            self.conversations.search.selectAll()

    @Slot(str)
    def _on_search(self, query: str) -> None:
        if not self.conversations.isVisible():
            return
        self.conversations.show_hits(self.controller.search(query) if query.strip() else None)

    @Slot(int, int)
    def _on_hit_chosen(self, conversation_id: int, message_id: int) -> None:
        self.open_conversation(conversation_id)
        if message_id >= 0:
            self.chat_view.show_hit(message_id, self.conversations.search.text())

    @Slot()
    def export_conversation(self) -> None:
        if self._conversation_id is None:
            return
        store = self.controller.store
        answers = [m.id for m in store.messages(self._conversation_id) if m.role is Role.ASSISTANT]
        outcome = ConversationExporter(self).run(
            store, self._conversation_id, self.controller.sources(answers)
        )
        if outcome is None or self.commands.locked:
            return
        if outcome.ok:
            self.status_line.show_message(outcome.message, 5000)
        else:
            self.show_error(outcome.message())

    def _page_text(self, source: Passage) -> PageText | None:
        """A cited passage's whole page, from the library the history holds (if any)."""
        library = self.controller.library
        return library.page_text(source) if library is not None else None

    @Slot()
    def open_documents(self) -> None:
        """The document library, and which collections the current conversation asks."""
        library, citations = self.controller.library, self.controller.citations
        if library is None or citations is None:
            self.show_error(
                self.tr(
                    "Documents are kept inside the encrypted history: turn on saving"
                    " conversations in Settings to use them."
                )
            )
            return
        if self._conversation_id is None:
            self.new_conversation()
        if self._conversation_id is None:
            return
        dialog = DocumentsDialog(library, citations, self._conversation_id, self)
        dialog.accepted.connect(self._show_documents_choice)
        dialog.library_changed.connect(self.document_search.meaning.catch_up)
        dialog.adding_ended.connect(self.folder_watch.scan)
        dialog.open()

    @Slot(str)
    def _on_document_search_failed(self, reason: str) -> None:
        self.show_error(
            self.tr(
                "The document search model cannot be used; documents are searched by their"
                " words. %1"
            ).replace("%1", reason)
        )

    @Slot()
    def _show_documents_choice(self) -> None:
        """The line above the conversation that names the documents it asks."""
        citations, conversation = self.controller.citations, self._conversation_id
        if citations is None or conversation is None:
            self.chat_page.show_documents([], False)
            return
        self.chat_page.show_documents(
            citations.collections(conversation), citations.only_documents(conversation)
        )

    @Slot()
    def delete_all_conversations(self) -> None:
        if message_box.ask(
            self,
            self.tr("Delete all conversations"),
            self.tr("Delete every conversation and all their messages? This cannot be undone."),
        ):
            self.controller.delete_all()
            self._conversation_id = None
            self.new_conversation()

    @Slot(int)
    def _delete_conversation(self, conversation_id: int) -> None:
        self.controller.delete(conversation_id)
        if conversation_id == self._conversation_id:
            remaining = self.controller.store.conversations()
            if remaining:
                self.open_conversation(remaining[0].id)
            else:
                self.new_conversation()

    @Slot()
    def _refresh_conversations(self) -> None:
        self.conversations.set_conversations(
            self.controller.store.conversations(), self._conversation_id
        )

    # -- presets -------------------------------------------------------------------------
    def _language(self) -> str:
        return self.translations.language if self.translations is not None else "en"

    def load_presets(self) -> None:
        presets, problems = presets_for(
            self._language(), builtin_presets_path(), self.settings.config_dir, translate=translate
        )
        self.preset_picker.set_presets(presets)
        self._presets = presets
        shown = self.chat_page.preset
        if shown is not None:  # the same preset, in the new language or as just edited
            self.chat_page.show_preset(next((p for p in presets if p.id == shown.id), shown))
        self.preset_picker.manage_button.setVisible(self.settings.config_dir is not None)
        if problems:
            self.show_notice("\n".join(problems))

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

    @Slot()
    def manage_presets(self) -> None:
        if self.settings.config_dir is None:
            return
        dialog = PresetEditorDialog(self.settings.config_dir, self._language(), self)
        dialog.presets_changed.connect(self.load_presets)
        dialog.finished.connect(lambda _code: dialog.deleteLater())
        dialog.open()

    # -- chatting ----------------------------------------------------------------------
    def _system_prompt(self) -> str:
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
        self.input.set_context_budget(n_ctx - estimate_tokens(self._system_prompt()) - reserve)

    @Slot()
    def send(self) -> None:
        text = self.input.toPlainText()
        if not text.strip() or self._conversation_id is None or self.models.profile is None:
            return
        self.input.clear()
        self.clear_messages()
        self.chat_stack.setCurrentWidget(self.chat_view)
        self.controller.send(self._conversation_id, text, self._system_prompt())

    @Slot()
    def regenerate(self) -> None:
        if self._conversation_id is not None and self.models.profile is not None:
            self.controller.regenerate(self._conversation_id, self._system_prompt())

    @Slot()
    def copy_last_answer(self) -> None:
        """Plain text pastes cleanly into a health record, which rarely renders Markdown.

        Raw HTML is never interpreted, so `Dear <GP name>` is copied as written.
        """
        bubble = self.chat_view.last_answer()
        if bubble is not None:
            self._copy(plain_text(bubble.text))
            self.status_line.show_message(lambda: self.tr("Answer copied as plain text"), 3000)

    @Slot()
    def copy_last_answer_markdown(self) -> None:
        bubble = self.chat_view.last_answer()
        if bubble is not None:
            self._copy(bubble.text)
            self.status_line.show_message(lambda: self.tr("Answer copied as Markdown"), 3000)

    @Slot(str)
    def _copy(self, text: str) -> None:
        """The window's one way to the clipboard: nothing is copied while locked."""
        if not self.commands.locked:
            clipboard.copy(text)

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

    @Slot(int, object)
    def _on_answer_finished(self, _request_id: int, result: GenerationResult) -> None:
        self.status_line.show_speed(result)
        self._update_buttons()
        self.input.setFocus()

    @Slot()
    def _update_buttons(self) -> None:
        busy = self.session.is_busy
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

    # -- model manager -------------------------------------------------------------------
    @Slot()
    def open_model_manager(self) -> None:
        if self.model_manager is not None:
            self.model_manager.raise_()
            self.model_manager.activateWindow()
            return
        dialog = ModelManagerDialog(
            self.downloads,
            self.settings,
            in_use=self.models.in_use,
            parent=self,
        )
        dialog.import_requested.connect(self.import_model)
        dialog.models_changed.connect(self.models.refresh)
        dialog.models_changed.connect(self.document_search.meaning.refresh)
        dialog.finished.connect(lambda _code: self._close_model_manager(dialog))
        self.model_manager = dialog
        dialog.show()

    def _close_model_manager(self, dialog: ModelManagerDialog) -> None:
        self.model_manager = None
        dialog.deleteLater()

    @Slot(str, object)
    def _on_download_failed(self, filename: str, error: UserError) -> None:
        if self.model_manager is None:
            self.show_error(
                self.tr("The download of %1 stopped: %2")
                .replace("%1", filename)
                .replace("%2", error.render(translate))
            )

    def _offer_partial_downloads(self) -> None:
        """A download cut short by closing the app is offered again at the next start."""
        partials = [p for p in self.downloads.partials() if p.entry is not None]
        if partials:
            names = ", ".join(p.entry.name for p in partials if p.entry is not None)
            self.show_notice(
                self.tr(
                    "A download was interrupted (%1). Open File → Models to resume it."
                ).replace("%1", names)
            )

    # -- help --------------------------------------------------------------------------
    @Slot()
    def show_about(self) -> None:
        if self.paths is None:
            return
        dialog = AboutDialog(self.paths, self)
        dialog.finished.connect(lambda _code: dialog.deleteLater())
        dialog.open()

    # -- settings ------------------------------------------------------------------------
    def _set_setting(self, key: str, value: object) -> None:
        try:
            self.settings.set(key, value)
        except (OSError, SettingError) as error:
            problem = error  # `error` is unbound after the except block
            self.status_line.show_message(lambda: self._not_saved(problem), 5000)

    def _not_saved(self, error: OSError | SettingError) -> str:
        why = error.render(translate) if isinstance(error, SettingError) else str(error)
        return self.tr("Settings could not be saved: %1").replace("%1", why)

    @Slot()
    def open_settings(self) -> None:
        if self.settings_dialog is not None:
            self.settings_dialog.raise_()
            return
        name = self.settings.default_model
        model = self.registry.find(name) if name else None
        models = [(m.filename, m.display_name) for m in self.registry.installed()]
        searchers = [(m.filename, m.display_name) for m in self.registry.document_models()]
        devices = [(d, device_name(d)) for d in ["cpu", *list_gpus()]]
        engine = engine_for(model, self.settings.engine(model.filename)).engine if model else None
        dialog = SettingsDialog(
            self.settings,
            dynamic_choices={
                "default_model": models,
                "document_model": searchers,
                "device": devices,
            },
            model=(model.filename, model.display_name) if model else None,
            model_defaults=catalog_texts(model, engine) if model else None,
            engine=engine,
            parent=self,
        )
        dialog.find_threads_requested.connect(self.find_best_threads)
        dialog.finished.connect(lambda _code: self._close_settings(dialog))
        self.settings_dialog = dialog
        dialog.open()

    def _close_settings(self, dialog: SettingsDialog) -> None:
        self.settings_dialog = None
        dialog.deleteLater()

    @Slot(str)
    def _on_setting_changed(self, key: str) -> None:
        app = QApplication.instance()
        if key == "threads" and self.model_bar.threads != self.settings.threads:
            self.model_bar.set_threads(self.settings.threads)
        elif key in ("theme", "font_scale") and isinstance(app, QApplication):
            apply_appearance(app, self.settings.theme, self.settings.font_scale)
        elif key == "language" and self.translations is not None:
            self.translations.apply(self.settings.language)
        elif key == "device":
            self.models.reload()
        elif key == "default_model" and self.settings.default_model:
            self.model_bar.select(self.settings.default_model)
            self.models.choose(self.settings.default_model)

    # -- shutdown ------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.history_ready:
            self._drop_if_empty(self._conversation_id)
        self.downloads.shutdown()
        self.controller.shutdown()
        self.document_search.meaning.shutdown()
        self.folder_watch.shutdown()
        self.models.wait()
        super().closeEvent(event)
