"""The clinic's server in the window: setting it up, the first-use confirmation, and
switching the questions to it and back.

Questions leave the PC only after the clinician has agreed, once per server address, in a
dialog that says what is sent and where; an administrator's policy (`remote.policy`) can
forbid the server altogether, and then it is neither listed nor reachable, or fix which
server it is (the only one questions can then go to). While the server
answers, the model bar says so (`ModelBar.show_server`). The access key goes to the keychain
off the GUI thread (a locked keychain can block), never to the settings file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from clinichat.background import TaskRunner
from clinichat.config.schema import SettingError
from clinichat.config.settings import Settings
from clinichat.llm.engines.base import REMOTE, ModelSpec
from clinichat.llm.engines.choice import EngineChoice
from clinichat.llm.templates import ModelProfile
from clinichat.messages import UserError
from clinichat.remote.client import BACKOFF_S, shown_url
from clinichat.remote.policy import Policy
from clinichat.remote.server import RemoteServer, shown_model
from clinichat.remote.server_key import ServerKeys
from clinichat.translate import translate
from clinichat.ui import message_box
from clinichat.ui.model_bar import ModelBar
from clinichat.ui.model_control import ModelControl
from clinichat.ui.server_dialog import ServerDialog, ServerSetup
from clinichat.ui.status_line import StatusLine

_CHOSEN = EngineChoice(REMOTE, "", {})


class ServerHost(Protocol):
    """The window, as the flow needs it."""

    def show_error(self, text: str) -> None: ...


class ServerFlow(QObject):
    """Offers the clinic's server in the model list and connects to it when chosen."""

    def __init__(
        self,
        window: QWidget,
        host: ServerHost,
        settings: Settings,
        models: ModelControl,
        bar: ModelBar,
        status: StatusLine,
        policy: Policy,
        keys: ServerKeys,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._host = host
        self._settings = settings
        self._models = models
        self._bar = bar
        self._status = status
        self.policy = policy
        self.keys = keys
        self._tasks = TaskRunner(self)
        self.dialog: ServerDialog | None = None
        models.server = self
        bar.server_chosen.connect(self.choose)
        models.session.answer_waiting.connect(self._on_waiting)

    # -- what the model list offers (ServerOffer) ---------------------------------------
    def setup(self) -> ServerSetup | None:
        """The server as set up, or None when none is (or its address cannot be used)."""
        value = self._value
        url, model, ca = value("server_url"), value("server_model"), value("server_ca_file")
        context, parallel = value("server_context"), value("server_parallel")
        if not isinstance(url, str) or not isinstance(model, str) or not url or not model:
            return None
        ca_file = Path(ca) if isinstance(ca, str) and ca else None
        setup = ServerSetup(url, None, ca_file, model, int(str(context)), int(str(parallel)))
        try:
            shown_url(RemoteServer(url))
        except UserError:
            return None
        return setup

    def _value(self, key: str) -> object:
        """A clinic-server setting: as the administrator's policy fixed it, if it did."""
        pinned = self.policy.server
        return pinned[key] if key in pinned else self._settings.value(key)

    def entry(self) -> str | None:
        setup = self.setup() if self.policy.allow_clinic_server else None
        if setup is None:
            return None
        return shown_model(setup.model)  # the banner names the server

    def wanted(self) -> bool:
        setup = self.setup()
        return (
            setup is not None
            and self._settings.value("use_server") is True
            and self._settings.value("server_confirmed") == shown_url(RemoteServer(setup.url))
        )

    # -- connecting ----------------------------------------------------------------------
    def start(self) -> None:
        """At start: the server answers again if it answered last time (and is allowed)."""
        if self.entry() is not None and self.wanted():
            self._connect(ask=False)

    @Slot()
    def choose(self) -> None:
        """The clinician picked the server in the model list."""
        if self.entry() is not None:
            self._connect(ask=True)

    def _connect(self, *, ask: bool) -> None:
        setup = self.setup()
        if setup is None or not self.policy.allow_clinic_server:
            return
        address = shown_url(RemoteServer(setup.url))
        if ask and self._settings.value("server_confirmed") != address:
            if not self._confirm(address):
                self._models.refresh()  # the list shows what answers again
                return
            self._set("server_confirmed", address)
        self._tasks.run(
            lambda: self.keys.load(address),
            lambda key: self._use(setup, key),
            self._failed,
        )

    def _confirm(self, address: str) -> bool:
        return message_box.choose(
            self._window,
            QMessageBox.Icon.Warning,
            self.tr("Send questions to the clinic's server?"),
            self.tr(
                "From now on, each question, the conversation before it and the document"
                " passages it uses are sent to %1 to be answered there, instead of staying on"
                " this computer.\n\n"
                "Use it only if this is your clinic's own server and IT set it up for patient"
                " data. Your conversations stay encrypted on this computer, and the bar above"
                " the chat says where the questions go for as long as the server answers.\n\n"
                "You can go back to a model on this computer at any time in the model list."
            ).replace("%1", address),
            self.tr("Send questions to %1").replace("%1", address),
        )

    def _use(self, setup: ServerSetup, key: str) -> None:
        if not self.policy.allow_clinic_server:
            return
        # Connecting behind the lock is like a local model loading there: only the model
        # list is asked for, and no question can be sent until the history is unlocked.
        server = RemoteServer(setup.url, key, setup.ca_file)
        spec = ModelSpec(
            Path(),
            "",
            setup.context,
            engine=REMOTE,
            slots=setup.parallel,
            server=server,
            remote_model=setup.model,
        )
        name = shown_model(setup.model)
        self._models.use_remote(ModelProfile(name, spec, "", None, _CHOSEN))

    @Slot(object)
    def _failed(self, error: Exception) -> None:
        self._host.show_error(str(error))

    @Slot(int, int, float)
    def _on_waiting(self, _request: int, attempt: int, seconds: float) -> None:
        """A busy server: the question waits, and the status line says for how long."""
        whole = max(1, round(seconds))
        self._status.show_message(
            lambda: (
                self.tr("The clinic's server is busy: asking again in %1 s (attempt %2 of %3).")
                .replace("%1", str(whole))
                .replace("%2", str(attempt + 1))
                .replace("%3", str(len(BACKOFF_S) + 1))
            ),
            int(seconds * 1000) + 1000,
        )

    # -- the dialog ------------------------------------------------------------------------
    @Slot()
    def open(self) -> None:
        if not self.policy.allow_clinic_server:
            message_box.warn(
                self._window,
                self.tr("Clinic server"),
                self.tr(
                    "Your administrator does not allow a clinic server on this computer:"
                    " questions are answered here only."
                ),
            )
            return
        if self.dialog is not None:
            self.dialog.raise_()
            return
        setup = self.setup()
        dialog = ServerDialog(setup, self.keys.load, self._window, fixed=self.policy.server)
        self.dialog = dialog
        url = setup.url if setup is not None else self.policy.server.get("server_url")
        if isinstance(url, str):
            address = shown_url(RemoteServer(url))
            self._tasks.run(
                lambda: bool(self.keys.load(address)), dialog.show_key_kept, self._failed
            )
        dialog.chosen.connect(self._save)
        dialog.removed.connect(self._remove)
        dialog.finished.connect(lambda _code: self._closed(dialog))
        dialog.open()

    def _closed(self, dialog: ServerDialog) -> None:
        dialog.wait()
        self.dialog = None
        dialog.deleteLater()

    @Slot(object)
    def _save(self, setup: ServerSetup) -> None:
        address = shown_url(RemoteServer(setup.url))
        for key, value in (
            ("server_url", setup.url),
            ("server_model", setup.model),
            ("server_ca_file", str(setup.ca_file) if setup.ca_file else None),
            ("server_context", setup.context),
            ("server_parallel", setup.parallel),
        ):
            if key not in self.policy.server and not self._set(key, value):
                return
        if setup.api_key is None:
            self.choose()
            return
        key = setup.api_key
        self._tasks.run(lambda: self.keys.save(address, key), self._key_saved, self._failed)

    @Slot(object)
    def _key_saved(self, kept: bool) -> None:
        if not kept:
            self._status.show_message(
                lambda: self.tr(
                    "This computer has no keychain, so the access key is kept only until"
                    " ClinicChat closes."
                ),
                10_000,
            )
        self.choose()

    @Slot()
    def _remove(self) -> None:
        setup = self.setup()
        if setup is not None:
            address = shown_url(RemoteServer(setup.url))
            self._tasks.run(lambda: self.keys.forget(address), lambda _none: None, self._failed)
        for key in ("server_url", "server_model", "server_ca_file", "server_confirmed"):
            self._set(key, None)
        self._set("use_server", False)
        self._models.leave_remote()

    def _set(self, key: str, value: object) -> bool:
        try:
            self._settings.set(key, value)
        except (OSError, SettingError) as error:
            why = error.render(translate) if isinstance(error, SettingError) else str(error)
            self._host.show_error(self.tr("Settings could not be saved: %1").replace("%1", why))
            return False
        return True

    def wait(self) -> None:
        self._tasks.wait_all()
        if self.dialog is not None:
            self.dialog.wait()
