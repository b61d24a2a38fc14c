"""Managing the clinical presets: `PresetEditorDialog` lists them and adds, edits, deletes
and resets them; `PresetForm` edits one.

Reading, checking and writing presets is clinichat.presets' job: these widgets only show
and collect, and they show problems inline, where the clinician is already looking, rather
than in pop-ups.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinichat.presets import (
    Preset,
    PresetError,
    builtin_presets_path,
    check_fields,
    presets_for,
    remove_preset,
    save_preset,
)
from clinichat.translate import translate
from clinichat.ui.retranslating import Retranslating


def _confirm(parent: QWidget, title: str, text: str, action: str, then: Callable[[], None]) -> None:
    """Ask before something that cannot be undone; `then` runs only if the user agrees.

    The box opens without a nested event loop (window-modal), so the window keeps painting;
    it is short-lived, so it is not retranslated.
    """
    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel, parent
    )
    box.setTextFormat(Qt.TextFormat.PlainText)  # the text names a preset: the user's data
    box.addButton(action, QMessageBox.ButtonRole.DestructiveRole).clicked.connect(then)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.finished.connect(box.deleteLater)
    box.open()


class PresetForm(Retranslating, QDialog):
    """Edit one preset (or write a new one); saves through clinichat.presets."""

    saved = Signal(str)  # the preset's id, after it was written

    def __init__(
        self, config_dir: Path, language: str, preset: Preset | None, parent: QWidget | None = None
    ) -> None:
        """`preset` None: a new preset; a built-in is saved as the user's version of it."""
        super().__init__(parent)
        self._config_dir = config_dir
        self._language = language
        self._preset = preset
        self._problem: Callable[[], str] | None = None  # re-rendered on a language switch
        self.name = QLineEdit(self)
        self.description = QLineEdit(self)
        self.system_prompt = QPlainTextEdit(self)
        self.instruction = QPlainTextEdit(self)
        lines = self.fontMetrics().lineSpacing()
        for box, rows in ((self.system_prompt, 10), (self.instruction, 3)):
            box.setTabChangesFocus(True)
            box.setMinimumHeight(lines * rows)
            policy = box.sizePolicy()
            policy.setVerticalStretch(rows)  # extra height goes mostly to the system prompt
            box.setSizePolicy(policy)
        if preset is not None:
            self.name.setText(preset.name)
            self.description.setText(preset.description)
            self.system_prompt.setPlainText(preset.system_prompt)
            self.instruction.setPlainText(preset.instruction)
            for line in (self.name, self.description):
                line.setCursorPosition(0)  # show the start, not the end, of a long line
        self._initial = self._values()
        self._widgets: dict[str, QWidget] = {
            "name": self.name,
            "description": self.description,
            "system": self.system_prompt,
            "instruction": self.instruction,
        }

        layout = QVBoxLayout(self)
        self.note = QLabel(self)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.note.setVisible(preset is not None and preset.builtin)
        layout.addWidget(self.note)
        form = QFormLayout()
        self._labels: dict[str, QLabel] = {}
        for field, widget in self._widgets.items():
            label = QLabel(self)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setBuddy(widget)
            self._labels[field] = label
            form.addRow(label, widget)
        layout.addLayout(form)
        self.problems = QLabel(self)
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.setObjectName("errorBanner")
        self.problems.setWordWrap(True)
        self.problems.hide()
        layout.addWidget(self.problems)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        # Room for a real prompt, in units of the font, so it scales with the font size.
        self.resize(self.fontMetrics().averageCharWidth() * 90, lines * 32)
        self.retranslate()

    def retranslate(self) -> None:
        """Set every text in the current language (at start and on a language switch)."""
        new = self._preset is None
        self.setWindowTitle(self.tr("New preset") if new else self.tr("Edit preset"))
        self.note.setText(
            self.tr(
                "Your changes replace this built-in preset. “Reset to default” in the list of"
                " presets brings back the original."
            )
        )
        self._labels["name"].setText(self.tr("&Name:"))
        self._labels["description"].setText(self.tr("&Description:"))
        self._labels["system"].setText(self.tr("&System prompt:"))
        self._labels["instruction"].setText(self.tr("&Instruction:"))
        self.name.setAccessibleName(self.tr("Name"))
        self.description.setAccessibleName(self.tr("Description"))
        self.description.setPlaceholderText(self.tr("One line shown under the name (optional)"))
        self.system_prompt.setAccessibleName(self.tr("System prompt"))
        self.system_prompt.setPlaceholderText(
            self.tr(
                "How the assistant should work: its role, what to include, and that it must"
                " never invent findings or doses."
            )
        )
        self.instruction.setAccessibleName(self.tr("Instruction"))
        self.instruction.setPlaceholderText(
            self.tr("Put in the question box when a conversation starts (optional)")
        )
        self.problems.setAccessibleName(self.tr("Problems"))
        if self._problem is not None:
            self.problems.setText(self._problem())

    @Slot()
    def save(self) -> None:
        """Write the preset and close, or say what to fix and stay open."""
        if self._preset is not None and self._values() == self._initial:
            self.accept()  # an unchanged built-in must not turn into an "edited" one
            return
        name, description, system_prompt, instruction = self._values()
        problems = check_fields(name, description, system_prompt, instruction)
        if problems:
            self._show_problems(problems)
            return
        try:
            preset_id = save_preset(
                self._config_dir,
                self._language,
                name=name,
                description=description,
                system_prompt=system_prompt,
                instruction=instruction,
                preset_id=None if self._preset is None else self._preset.id,
            )
        except PresetError as error:
            self._show_problems([error])
            return
        except OSError as error:
            reason = error.strerror or str(error)
            self._show(lambda: self.tr("The preset could not be saved (%1).").replace("%1", reason))
            return
        self.saved.emit(preset_id)
        self.accept()

    def reject(self) -> None:
        """Cancel, Esc and closing the window all ask first when something was typed."""
        if self._values() == self._initial:
            super().reject()
            return
        _confirm(
            self,
            self.tr("Discard changes"),
            self.tr("Discard your changes to this preset?"),
            self.tr("Discard"),
            partial(QDialog.reject, self),
        )

    def _values(self) -> tuple[str, str, str, str]:
        return (
            self.name.text(),
            self.description.text(),
            self.system_prompt.toPlainText(),
            self.instruction.toPlainText(),
        )

    def _show_problems(self, problems: list[PresetError]) -> None:
        self._show(lambda: "\n".join(problem.render(translate) for problem in problems))
        widget = self._widgets.get(problems[0].field or "")
        if widget is not None:
            widget.setFocus()

    def _show(self, text: Callable[[], str]) -> None:
        self._problem = text
        self.problems.setText(text())
        self.problems.show()


class PresetEditorDialog(Retranslating, QDialog):
    """The presets, with buttons to add, edit, delete (the user's) and reset (built-ins)."""

    presets_changed = Signal()  # a preset was added, changed, deleted or reset

    def __init__(
        self,
        config_dir: Path,
        language: str,
        parent: QWidget | None = None,
        *,
        builtin_path: Path | None = None,
    ) -> None:
        """Show and write presets in `language` ("es" or "en") under `config_dir`."""
        super().__init__(parent)
        self._config_dir = config_dir
        self._language = language
        self._builtin_path = builtin_path or builtin_presets_path()
        self._presets: list[Preset] = []
        self.form: PresetForm | None = None  # the open editing form, if any
        self.problems = QLabel(self)
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.setObjectName("errorBanner")
        self.problems.setWordWrap(True)
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems.hide()
        self.list = QListWidget(self)
        self.list.setObjectName("presetEditorList")
        # Long names wrap instead of hiding behind a horizontal scroll bar.
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.new_button = QPushButton(self)
        self.edit_button = QPushButton(self)
        self.delete_button = QPushButton(self)
        self.reset_button = QPushButton(self)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)

        side = QVBoxLayout()
        for button in (self.new_button, self.edit_button, self.delete_button, self.reset_button):
            button.setAutoDefault(False)
            side.addWidget(button)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 2)
        row.addLayout(side, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)
        layout.addLayout(row, 1)
        layout.addWidget(close)
        metrics = self.fontMetrics()
        self.resize(metrics.averageCharWidth() * 80, metrics.lineSpacing() * 20)

        self.list.currentRowChanged.connect(self._update_buttons)
        self.list.itemActivated.connect(self.edit_preset)
        self.new_button.clicked.connect(self.new_preset)
        self.edit_button.clicked.connect(self.edit_preset)
        self.delete_button.clicked.connect(self.delete_preset)
        self.reset_button.clicked.connect(self.reset_preset)
        close.rejected.connect(self.reject)
        self.retranslate()

    def retranslate(self) -> None:
        """Set every text in the current language (at start and on a language switch).

        The list is read again, so its "(built-in)" marks and any problems follow too.
        """
        self.setWindowTitle(self.tr("Presets"))
        self.problems.setAccessibleName(self.tr("Problems"))
        self.list.setAccessibleName(self.tr("Presets"))
        self.new_button.setText(self.tr("&New preset…"))
        self.edit_button.setText(self.tr("&Edit…"))
        self.delete_button.setText(self.tr("&Delete…"))
        self.reset_button.setText(self.tr("&Reset to default…"))
        self.reload()

    def reload(self, select: str | None = None) -> None:
        """Read the presets again; keep (or move) the selection to the preset `select`."""
        current = self.selected()
        select = select or (current.id if current else None)
        self._presets, problems = presets_for(
            self._language, self._builtin_path, self._config_dir, translate=translate
        )
        self.list.clear()
        for preset in self._presets:
            item = QListWidgetItem(self._title(preset), self.list)
            item.setToolTip(preset.summary)
        ids = [preset.id for preset in self._presets]
        self.list.setCurrentRow(ids.index(select) if select in ids else 0)
        self._show_problems(problems)
        self._update_buttons()

    def selected(self) -> Preset | None:
        row = self.list.currentRow()
        return self._presets[row] if 0 <= row < len(self._presets) else None

    @Slot()
    def new_preset(self) -> None:
        self._open_form(None)

    @Slot()
    def edit_preset(self) -> None:
        preset = self.selected()
        if preset is not None:
            self._open_form(preset)

    @Slot()
    def delete_preset(self) -> None:
        preset = self.selected()
        if preset is None or preset.builtin:
            return
        _confirm(
            self,
            self.tr("Delete preset"),
            self.tr("Delete the preset “%1”? This cannot be undone.").replace("%1", preset.name),
            self.tr("Delete"),
            partial(self._remove, preset.id),
        )

    @Slot()
    def reset_preset(self) -> None:
        preset = self.selected()
        if preset is None or not preset.edited:
            return
        _confirm(
            self,
            self.tr("Reset preset"),
            self.tr("Reset “%1” to the built-in version? Your changes to it will be lost.").replace(
                "%1", preset.name
            ),
            self.tr("Reset"),
            partial(self._remove, preset.id),
        )

    def _open_form(self, preset: Preset | None) -> None:
        self.form = PresetForm(self._config_dir, self._language, preset, self)
        self.form.saved.connect(self._on_saved)
        self.form.finished.connect(self.form.deleteLater)
        self.form.open()

    @Slot(str)
    def _on_saved(self, preset_id: str) -> None:
        self.reload(select=preset_id)
        self.presets_changed.emit()

    def _remove(self, preset_id: str) -> None:
        try:
            remove_preset(self._config_dir, preset_id)
        except PresetError as error:
            self._show_problems([error.render(translate)])
            return
        except OSError as error:
            reason = error.strerror or str(error)
            self._show_problems(
                [self.tr("The change could not be saved (%1).").replace("%1", reason)]
            )
            return
        self.reload()
        self.presets_changed.emit()

    def _title(self, preset: Preset) -> str:
        if preset.edited:
            return self.tr("%1 (built-in, edited)").replace("%1", preset.name)
        if preset.builtin:
            return self.tr("%1 (built-in)").replace("%1", preset.name)
        return preset.name

    def _show_problems(self, problems: list[str]) -> None:
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))

    @Slot()
    def _update_buttons(self) -> None:
        preset = self.selected()
        self.edit_button.setEnabled(preset is not None)
        self.delete_button.setEnabled(preset is not None and not preset.builtin)
        self.reset_button.setEnabled(preset is not None and preset.edited)
