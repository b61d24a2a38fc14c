"""The clinic-server dialog: where the server is, its access key, the clinic's CA file, and
which of its models answers, with a check that connects before anything is saved.

It only collects and checks: the server flow saves the settings (the key to the keychain)
and asks the clinician to confirm before the first question goes out. The check runs off the
GUI thread (a server that does not answer must not freeze the window) and sends no question:
it asks only for the model list.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from clinichat.background import TaskRunner
from clinichat.config.schema import option
from clinichat.messages import UserError
from clinichat.remote.client import OpenAIClient, shown_url
from clinichat.remote.server import RemoteServer
from clinichat.translate import translate
from clinichat.ui import file_dialogs, wheel_guard
from clinichat.ui.retranslating import Retranslating


@dataclass(frozen=True)
class ServerSetup:
    """What the dialog collected. `api_key` None: keep the key already kept."""

    url: str
    api_key: str | None
    ca_file: Path | None
    model: str
    context: int
    parallel: int


class ServerDialog(Retranslating, QDialog):
    """Collects a server's address, key, CA file and model; `chosen` on "Use this server"."""

    chosen = Signal(object)  # ServerSetup
    removed = Signal()

    def __init__(
        self,
        setup: ServerSetup | None,
        kept_key: Callable[[str], str],
        parent: QWidget | None = None,
        *,
        fixed: Mapping[str, object] | None = None,
    ) -> None:
        """`kept_key(address)`: the key kept for a server (called off the GUI thread, as
        keychains can block), used by the check when no new key was typed. `fixed`: the
        settings the administrator's policy set (key -> value), shown but not editable."""
        super().__init__(parent)
        self._tasks = TaskRunner(self)
        self._kept_key = kept_key
        self._has_key = False
        self._check_note = ""
        self._fixed = dict(fixed or {})
        layout = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(form)
        self.address = QLineEdit(self)
        self.address.setPlaceholderText("https://")
        self.key = QLineEdit(self)
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.ca_file = QLineEdit(self)
        self.browse = QPushButton(self)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(self.browse)
        self.context = QSpinBox(self)
        context = option("server_context")
        self.context.setRange(int(context.minimum or 512), int(context.upper() or 262_144))
        self.context.setSingleStep(int(context.step))
        self.context.setValue(int(str(context.default_value())))
        self.parallel = QSpinBox(self)
        parallel = option("server_parallel")
        self.parallel.setRange(int(parallel.minimum or 1), int(parallel.upper() or 16))
        self.parallel.setValue(int(str(parallel.default_value())))
        self.model = QComboBox(self)
        self.model.setEditable(True)
        self.model.setMinimumWidth(260)
        self.check_button = QPushButton(self)
        model_row = QHBoxLayout()
        model_row.addWidget(self.model, 1)
        model_row.addWidget(self.check_button)
        self.labels = [QLabel(self) for _ in range(6)]
        buddies = (self.address, self.key, self.ca_file, self.context, self.parallel, self.model)
        for label, buddy in zip(self.labels, buddies, strict=True):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setBuddy(buddy)
        form.addRow(self.labels[0], self.address)
        form.addRow(self.labels[1], self.key)
        form.addRow(self.labels[2], ca_row)
        form.addRow(self.labels[3], self.context)
        form.addRow(self.labels[4], self.parallel)
        form.addRow(self.labels[5], model_row)
        self.outcome = QLabel(self)
        self.outcome.setTextFormat(Qt.TextFormat.PlainText)
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.outcome)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.use_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.remove_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ResetRole)
        # IT's server cannot be removed here; choosing a local model stops using it.
        self.remove_button.setVisible(setup is not None and "server_url" not in self._fixed)
        layout.addWidget(self.buttons)
        if setup is not None:
            self.address.setText(setup.url)
            self.ca_file.setText(str(setup.ca_file) if setup.ca_file else "")
            self.context.setValue(setup.context)
            self.parallel.setValue(setup.parallel)
            self.model.setEditText(setup.model)
        self._show_fixed()
        self.browse.clicked.connect(self._browse)
        self.check_button.clicked.connect(self.check)
        self.use_button.clicked.connect(self._use)
        self.remove_button.clicked.connect(self._remove)
        self.buttons.rejected.connect(self.reject)
        self.address.textEdited.connect(self._forget_models)
        wheel_guard.protect(self)
        self.retranslate()
        self.resize(max(self.sizeHint().width(), 620), self.sizeHint().height())

    def _show_fixed(self) -> None:
        """What the administrator set: shown as set, and not editable."""
        fields: dict[str, QWidget] = {
            "server_url": self.address,
            "server_ca_file": self.ca_file,
            "server_context": self.context,
            "server_parallel": self.parallel,
            "server_model": self.model,
        }
        for key, value in self._fixed.items():
            widget = fields[key]
            if isinstance(widget, QSpinBox) and isinstance(value, int):
                widget.setValue(value)
            elif isinstance(widget, QLineEdit):
                widget.setText(str(value or ""))
            elif isinstance(widget, QComboBox):
                widget.setEditText(str(value or ""))
            widget.setEnabled(False)
        self.browse.setEnabled("server_ca_file" not in self._fixed)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Clinic server"))
        intro = self.tr(
            "If your clinic runs its own inference server, ClinicChat can send the"
            " questions to it instead of answering on this computer. IT gives you the"
            " address, an access key and, if the clinic has its own certificate"
            " authority, its certificate file. Conversations stay encrypted on this"
            " computer."
        )
        if self._fixed:
            intro += "\n\n" + self.tr(
                "Your administrator has set this computer's clinic server: questions can go"
                " to this server only, and the greyed-out settings are theirs to change."
            )
        self.intro.setText(intro)
        texts = (
            self.tr("Server &address:"),
            self.tr("Access &key:"),
            self.tr("&Certificate authority file:"),
            self.tr("Con&text length:"),
            self.tr("Answers at &once:"),
            self.tr("&Model:"),
        )
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        self.key.setPlaceholderText(
            self.tr("Kept in the keychain; type to replace it")
            if self._has_key
            else self.tr("None")
        )
        self.ca_file.setPlaceholderText(self.tr("None: the system's authorities"))
        self.browse.setText(self.tr("&Browse…"))
        self.context.setSuffix(self.tr(" tokens"))
        self.parallel.setToolTip(translate("Settings", option("server_parallel").description))
        self.check_button.setText(self.tr("C&heck connection"))
        self.use_button.setText(self.tr("&Use this server"))
        self.remove_button.setText(self.tr("&Remove server"))
        self.outcome.setText(self._check_note)

    @Slot(bool)
    def show_key_kept(self, kept: bool) -> None:
        """Whether a key is kept for the server (found off the GUI thread after opening)."""
        self._has_key = kept
        self.retranslate()

    # -- what was typed ----------------------------------------------------------------
    def server(self) -> RemoteServer:
        """The server as typed; RemoteError (a UserError) when the address cannot be used."""
        ca = self.ca_file.text().strip()
        server = RemoteServer(
            self.address.text().strip(), self.key.text(), Path(ca) if ca else None
        )
        shown_url(server)  # refuses an address that is not https (or this computer)
        return server

    def setup(self) -> ServerSetup:
        server = self.server()
        return ServerSetup(
            server.url,
            self.key.text() or None,
            server.ca_file,
            self.model.currentText().strip(),
            self.context.value(),
            self.parallel.value(),
        )

    # -- checking ----------------------------------------------------------------------
    @Slot()
    def check(self) -> None:
        """List the server's models off the GUI thread; the result shows below the form."""
        try:
            server = self.server()
        except UserError as error:
            self._say(error.render(translate))
            return
        self.check_button.setEnabled(False)
        self._say(self.tr("Connecting to %1…").replace("%1", shown_url(server)))
        self._tasks.run(lambda: self._list_models(server), self._listed, self._not_listed)

    def _list_models(self, server: RemoteServer) -> list[str]:
        """Runs on a background thread: the client and its event loop live there."""
        if not server.api_key:
            server = RemoteServer(server.url, self._kept_key(shown_url(server)), server.ca_file)
        return OpenAIClient(server).models()

    @Slot(object)
    def _listed(self, models: list[str]) -> None:
        self.check_button.setEnabled(True)
        typed = self.model.currentText().strip()
        self.model.clear()
        self.model.addItems(models)
        if typed in models or not models:
            self.model.setEditText(typed)
        self._say(
            self.tr("Connected. The server offers %n model(s).", "", len(models))
            if models
            else self.tr("Connected. The server lists no models: type the model's name.")
        )

    @Slot(object)
    def _not_listed(self, error: Exception) -> None:
        self.check_button.setEnabled(True)
        self._say(error.render(translate) if isinstance(error, UserError) else str(error))

    @Slot(str)
    def _forget_models(self, _text: str) -> None:
        self._check_note = ""
        self.outcome.clear()

    def _say(self, text: str) -> None:
        self._check_note = text
        self.outcome.setText(text)

    # -- buttons -----------------------------------------------------------------------
    @Slot()
    def _browse(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Certificate authority file"),
            self.ca_file.text(),
            self.tr("Certificates (*.pem *.crt *.cer);;All files (*)"),
            options=file_dialogs.OPTIONS,
        )
        if name:
            self.ca_file.setText(name)

    @Slot()
    def _use(self) -> None:
        try:
            setup = self.setup()
        except UserError as error:
            self._say(error.render(translate))
            return
        if not setup.model:
            self._say(self.tr("Choose the model that answers: Check connection lists them."))
            return
        self.chosen.emit(setup)
        self.accept()

    @Slot()
    def _remove(self) -> None:
        self.removed.emit()
        self.accept()

    def wait(self) -> None:
        self._tasks.wait_all()
