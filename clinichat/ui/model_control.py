"""Which model answers: the installed list, loading the chosen one, and its problems.

The window owns one. It keeps the model bar and the status line in step with the session,
decides what loads at start (the remembered default, unless the last run died loading it),
makes a model the default only once it has loaded, and keeps each model problem visible until
it is solved. Messages go through the window (`ModelHost`), which decides where they appear.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Signal, Slot

from clinichat.background import TaskRunner
from clinichat.chat_controller import ChatController
from clinichat.config.schema import SettingError
from clinichat.config.settings import Settings
from clinichat.llm.engines.base import ENGINE_LABELS, LLAMACPP, REMOTE
from clinichat.llm.templates import ModelProfile, profile_for
from clinichat.llm.worker import LoadedModel
from clinichat.messages import UserError
from clinichat.models.registry import InstalledModel, ModelRegistry
from clinichat.remote.client import shown_url
from clinichat.translate import translate
from clinichat.ui.devices import device_name
from clinichat.ui.model_bar import SERVER_ITEM, ModelBar
from clinichat.ui.status_line import StatusLine


class ServerOffer(Protocol):
    """The clinic's server as the model list offers it (`ServerFlow`)."""

    def entry(self) -> str | None:
        """The server's model, as the list names it; None when no server is usable."""

    def wanted(self) -> bool:
        """The server answered last: it, not a local model, answers after a start."""


class ModelHost(Protocol):
    """Where the model's notices and errors are shown (the main window)."""

    def show_notice(self, text: str) -> None: ...

    def show_error(self, text: str) -> None: ...

    def clear_messages(self) -> None: ...


class ModelControl(QObject):
    """Loads models into the session and reports every change of what can answer."""

    listed = Signal(bool)  # the installed list was read: are there any models?
    state_changed = Signal()  # loading, loaded or failed: what the window offers changes

    def __init__(
        self,
        host: ModelHost,
        registry: ModelRegistry,
        settings: Settings,
        controller: ChatController,
        bar: ModelBar,
        status: StatusLine,
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._host = host
        self.registry = registry
        self.settings = settings
        self.controller = controller
        self.session = controller.session
        self._bar = bar
        self._status = status
        self._tasks = TaskRunner(self)
        self.profile: ModelProfile | None = None
        #: Set by the server flow; None: no clinic server is ever offered.
        self.server: ServerOffer | None = None
        # Shown again whenever other messages are cleared, until a reload or rescan fixes them.
        self._load_problem: str | None = None
        self._files_problem: str | None = None
        bar.model_chosen.connect(self.choose)
        settings.model_changed.connect(self._on_model_settings_changed)
        s = self.session
        s.model_loading.connect(self._on_loading)
        s.model_loaded.connect(self._on_loaded)
        s.model_load_failed.connect(self._on_load_failed)
        s.threads_changed.connect(self._show_loaded)

    def problems(self) -> list[str]:
        return [p for p in (self._load_problem, self._files_problem) if p]

    def in_use(self) -> str | None:
        """The file name of the loaded (or loading) model; the manager will not remove it."""
        return self.profile.spec.path.name if self.profile and not self.is_remote else None

    @property
    def is_remote(self) -> bool:
        """The clinic's server answers (or is being connected to)."""
        return self.profile is not None and self.profile.spec.server is not None

    def wait(self) -> None:
        self._tasks.wait_all()

    # -- what loads ----------------------------------------------------------------------
    def refresh(self, select: str | None = None) -> None:
        """Read the models folder and load the chosen (or remembered, or first) model."""
        models = self.registry.installed()
        problems = self.registry.problems
        self._files_problem = (
            self.tr("Some model files cannot be used:") + "\n" + "\n".join(problems)
            if problems
            else None
        )
        server = self.server.entry() if self.server is not None else None
        self.listed.emit(bool(models) or server is not None)
        self.show_problems()
        if not models and server is None:
            self._set_status(lambda: self.tr("No model installed"))
            self.state_changed.emit()
            return
        wanted = server is not None and self.server is not None and self.server.wanted()
        shown = SERVER_ITEM if self.is_remote or (wanted and self.profile is None) else None
        index = self._bar.set_models(models, select or shown or self.settings.default_model, server)
        if index >= len(models):
            return  # the server's entry: the server flow connects to it
        if select is not None:
            self._load(models[index])  # an explicit choice (import, download) always loads
        elif self.profile is None and not self._skip_suspect(models, models[index]):
            self._load(models[index])

    def _skip_suspect(self, models: list[InstalledModel], chosen: InstalledModel) -> bool:
        """True when ClinicChat died loading `chosen` last time: say so, and don't load it.

        The marker keeps blocking the automatic load until the model loads once (chosen in the
        list) or is removed; a suspect that is no longer installed is forgotten.
        """
        guard = self.session.load_guard
        suspect = guard.suspect_model() if guard is not None else None
        if guard is None or suspect is None:
            return False
        if suspect not in {m.filename for m in models}:
            guard.clear()
            return False
        notice = guard.suspect_notice()
        if chosen.filename != suspect or notice is None:
            return False
        self._load_problem = notice.render(translate)
        self.show_problems()
        self._set_status(lambda: self.tr("No model loaded"))
        return True

    @Slot(str)
    def choose(self, filename: str) -> None:
        """Load `filename` unless it is the model already loaded."""
        model = self.registry.find(filename)
        if model is not None and (self.profile is None or model.path != self.profile.spec.path):
            self._load(model)

    def reload(self) -> None:
        """Load the current model again with new settings (device, context, template)."""
        if self.is_remote:
            return  # those settings are for models on this computer
        name = self.settings.default_model
        model = self.registry.find(name) if name else None
        if model is not None:
            self._load(model)

    def _load(self, model: InstalledModel) -> None:
        self._start(self._profile_for(model), model.filename)

    def use_remote(self, profile: ModelProfile) -> None:
        """Send the questions to the clinic's server that `profile` names, from now on."""
        self._start(profile, SERVER_ITEM)

    def leave_remote(self) -> None:
        """The server is gone from the settings: a model on this computer answers, if any."""
        if not self.is_remote:
            self.refresh()
            return
        self.session.shutdown()
        self.profile = None
        self._bar.show_server(None)
        self._set_status(lambda: self.tr("No model loaded"))
        self.refresh()
        self.state_changed.emit()

    def _start(self, profile: ModelProfile, settings_key: str) -> None:
        self._load_problem = None
        self._host.clear_messages()
        self.profile = profile
        self.controller.params = self.settings.generation_params(settings_key)
        self.controller.context_tokens = profile.spec.n_ctx
        self.session.load_model(profile.spec, profile.name, self._bar.threads)
        if profile.notice:
            self._host.show_notice(translate("Engine", profile.notice))

    def _profile_for(self, model: InstalledModel) -> ModelProfile:
        name = model.filename
        profile = profile_for(
            model,
            device=self.settings.device,
            context=self.settings.context_length(name),
            system_prompt=self.settings.model_text(name, "system_prompt"),
            template=self.settings.model_text(name, "prompt_template"),
            engine=self.settings.engine(name),
        )
        if profile.spec.engine != LLAMACPP:
            return profile  # gpt4all's bindings write one answer at a time
        spec = replace(profile.spec, slots=self.settings.parallel_answers)
        return replace(profile, spec=spec)

    @Slot(str)
    def _on_model_settings_changed(self, filename: str) -> None:
        if self.profile is None or self.profile.spec.path.name != filename:
            return
        self.controller.params = self.settings.generation_params(filename)
        model = self.registry.find(filename)
        if model is not None and self._profile_for(model) != self.profile:
            self.reload()

    # -- the session's answers -------------------------------------------------------------
    @Slot(str)
    def _on_loading(self, name: str) -> None:
        # From the moment the server is chosen, until another model is.
        profile = self.profile
        server = profile.spec.server if profile is not None else None
        self._bar.show_server(shown_url(server) if server is not None else None)
        self._status.set_busy(True)
        self._set_status(lambda: self.tr("Loading %1…").replace("%1", name))
        self.state_changed.emit()

    @Slot(object)
    def _on_loaded(self, info: LoadedModel) -> None:
        """Only a model that loaded becomes the default, so a bad file cannot brick start-up."""
        self._status.set_busy(False)
        # The path check ignores a late signal from a load that another one replaced.
        if self.profile is not None and info.engine == self.profile.spec.engine:
            if self.is_remote:
                self._remember("use_server", True)
            elif info.path == self.profile.spec.path and info.path is not None:
                self._remember("default_model", info.path.name)
                self._remember("use_server", False)
        if info.notice:
            self._host.show_notice(translate("Engine", info.notice))
        self._show_loaded()
        self.state_changed.emit()

    @Slot(object)
    def _on_load_failed(self, error: UserError) -> None:
        self._status.set_busy(False)
        self.profile = None
        self._bar.show_server(None)
        self._set_status(lambda: self.tr("No model loaded"))
        self._load_problem = error.render(translate)
        self.show_problems()
        self.state_changed.emit()

    @Slot()
    def _show_loaded(self) -> None:
        info = self.session.loaded_model
        if info is None:
            return
        name, device, threads = self.session.model_name, info.device, self.session.threads
        if info.engine == REMOTE:
            self._set_status(
                lambda: (
                    self.tr("Model: %1 · on the clinic's server %2")
                    .replace("%1", name)
                    .replace("%2", device)
                )
            )
            return
        engine = ENGINE_LABELS.get(info.engine, info.engine)
        self._set_status(
            lambda: (
                self.tr("Model: %1 · Engine: %2 · Device: %3 · Threads: %4")
                .replace("%1", name)
                .replace("%2", engine)
                .replace("%3", device_name(device))
                .replace("%4", str(threads))
                + (
                    self.tr(" · Answers at once: %1").replace("%1", str(info.slots))
                    if info.slots > 1
                    else ""
                )
            )
        )

    # -- import and download ---------------------------------------------------------------
    def import_file(self, path: Path) -> None:
        """Copy (and test-load) `path` off the GUI thread, then load it."""
        self._set_status(lambda: self.tr("Copying the model file…"))
        self._status.set_busy(True)
        self._tasks.run(lambda: self.registry.import_file(path), self._imported, self._not_imported)

    @Slot(object)
    def _imported(self, model: InstalledModel) -> None:
        self._status.set_busy(False)
        self.refresh(select=model.filename)

    @Slot(object)
    def _not_imported(self, error: Exception) -> None:
        self._status.set_busy(False)
        self._set_status(lambda: self.tr("Import failed"))
        self._host.show_error(
            error.render(translate) if isinstance(error, UserError) else str(error)
        )

    @Slot(object)
    def downloaded(self, model: InstalledModel) -> None:
        """A finished download: load it when nothing is loaded yet (a chat model)."""
        self._status.show_message(
            lambda: self.tr("%1 is downloaded, verified and ready.").replace(
                "%1", model.display_name
            ),
            8000,
        )
        if not model.for_documents:  # an embedding model: DocumentSearch takes it
            self.refresh(select=None if self.profile else model.filename)

    # -- helpers -----------------------------------------------------------------------------
    def show_problems(self) -> None:
        """Show the model problems (again, after other messages were cleared)."""
        problems = self.problems()
        if problems:
            self._host.show_error("\n\n".join(problems))

    def _set_status(self, text: Callable[[], str]) -> None:
        self._status.set_status(text)

    def _not_saved(self, error: OSError | SettingError) -> str:
        why = error.render(translate) if isinstance(error, SettingError) else str(error)
        return self.tr("Settings could not be saved: %1").replace("%1", why)

    def _remember(self, key: str, value: object) -> None:
        try:
            self.settings.set(key, value)
        except (OSError, SettingError) as error:
            problem = error  # `error` is unbound after the except block
            self._status.show_message(lambda: self._not_saved(problem), 5000)
