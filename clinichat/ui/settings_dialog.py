"""The settings dialog, generated from the schema so every setting has exactly one editor.

Each schema entry gets a widget by its kind (spin box, check box, list, text area) with the
entry's bounds, label and description. Values are validated by the schema when the user
presses OK or Apply; a bad one is shown next to its field and nothing is saved. Only fields
the user changed are written, so a value changed elsewhere while the dialog was open (the
thread finder moving the slider) is not overwritten with a stale one.

Clinicians see what they may want to change; the settings marked `advanced` in the schema
(sampling, the model's system prompt and template in its raw format) wait behind a collapsed
*Advanced* section. A setting bounded by another (the answer length by the context length)
gets its field's maximum from the other field as it changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from clinichat.config.schema import APP, MODEL, Kind, Option, SettingError
from clinichat.config.settings import Settings
from clinichat.translate import translate
from clinichat.ui import wheel_guard
from clinichat.ui.devices import device_name
from clinichat.ui.retranslating import Retranslating

Choices = Sequence[tuple[str | None, str]]  # (value, already translated label)


@dataclass
class Editor:
    """One setting's widget with a uniform way to read and write its value."""

    option: Option
    widget: QWidget
    get: Callable[[], object]
    put: Callable[[object], None]
    label: QLabel
    note: QLabel  # description, or the validation error in its place


def _editor(
    option: Option, choices: Choices, parent: QWidget
) -> tuple[QWidget, Callable[[], object], Callable[[object], None]]:
    """The widget for one kind of setting, with its getter and setter."""
    if option.kind is Kind.BOOL:
        box = QCheckBox(parent)
        return box, box.isChecked, lambda v: box.setChecked(bool(v))
    if option.kind is Kind.INT:
        spin = QSpinBox(parent)
        spin.setRange(int(option.minimum or 0), int(option.upper() or 2**31 - 1))
        spin.setSingleStep(int(option.step))
        return spin, spin.value, lambda v: spin.setValue(int(str(v)))
    if option.kind is Kind.FLOAT:
        dspin = QDoubleSpinBox(parent)
        dspin.setRange(option.minimum or 0.0, option.upper() or 1e9)
        dspin.setDecimals(option.decimals)
        dspin.setSingleStep(option.step)
        return dspin, dspin.value, lambda v: dspin.setValue(float(str(v)))
    if option.kind in (Kind.CHOICE, Kind.DYNAMIC):
        combo = QComboBox(parent)
        for value, label in choices:
            combo.addItem(label, value)
        return combo, combo.currentData, partial(_select, combo)
    text = QPlainTextEdit(parent)
    text.setTabChangesFocus(True)
    text.setMinimumHeight(text.fontMetrics().lineSpacing() * 5)
    return text, text.toPlainText, lambda v: text.setPlainText("" if v is None else str(v))


def _form() -> QFormLayout:
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    # Labels above their fields: long (translated, enlarged) labels never squeeze them.
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
    form.setVerticalSpacing(12)
    return form


def _select(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    if index < 0:  # a remembered value that is gone (a removed model): show it anyway
        combo.addItem(str(value), value)
        index = combo.count() - 1
    combo.setCurrentIndex(index)


class SettingsDialog(Retranslating, QDialog):
    """App settings and the current model's settings, in two tabs."""

    find_threads_requested = Signal()

    def __init__(
        self,
        settings: Settings,
        *,
        dynamic_choices: dict[str, Choices],
        model: tuple[str, str] | None = None,
        model_defaults: dict[str, str] | None = None,
        engine: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`model`: (file name, display name) of the loaded model, whose tab is shown, and
        `engine` the engine that runs it (None: not known): settings only the other engine
        reads are left out.

        `model_defaults`: the catalog's system prompt and template for that model, shown in
        the text fields when the user has not changed them.
        """
        super().__init__(parent)
        self.settings = settings
        self._model = model
        self._model_defaults = model_defaults or {}
        self.tabs = QTabWidget(self)
        self.app_editors = self._page(APP, dynamic_choices, self._app_page_extra())
        self.model_editors: list[Editor] = []
        if model is not None:
            self.reset_button = QPushButton(self)
            self.reset_button.clicked.connect(self.reset_model)
            self.advanced_toggle = QToolButton(self)
            self.advanced_section = QWidget(self)
            options = [
                o for o in MODEL if None in (o.engines, engine) or engine in (o.engines or ())
            ]
            self.model_editors = self._page(
                options, {}, self.reset_button, (self.advanced_toggle, self.advanced_section)
            )
            self._collapsible(self.advanced_toggle, self.advanced_section)
            self._link_limits(self.model_editors)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.Apply,
            self,
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        apply = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        apply.clicked.connect(self.apply)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.buttons)
        self._load_values()
        wheel_guard.protect(self)
        self.retranslate()
        self.resize(640, 620)

    # -- construction ---------------------------------------------------------------------
    def _app_page_extra(self) -> QWidget:
        self.find_threads_button = QPushButton(self)
        self.find_threads_button.clicked.connect(self.find_threads_requested)
        return self.find_threads_button

    def _page(
        self,
        options: Sequence[Option],
        choices: dict[str, Choices],
        extra: QWidget,
        advanced: tuple[QToolButton, QWidget] | None = None,
    ) -> list[Editor]:
        """One tab: a row per setting, the `advanced` ones in the section under the toggle."""
        page = QWidget()
        column = QVBoxLayout(page)
        form = _form()
        column.addLayout(form)
        forms = {False: form}
        if advanced is not None:
            toggle, section = advanced
            section.setParent(page)
            forms[True] = _form()
            section.setLayout(forms[True])
            column.addWidget(toggle, 0, Qt.AlignmentFlag.AlignLeft)
            column.addWidget(section)
        editors = []
        for option in options:
            host = forms[option.advanced and advanced is not None]
            editors.append(self._row(host, option, self._static_choices(option, choices), page))
        column.addWidget(extra, 0, Qt.AlignmentFlag.AlignLeft)
        column.addStretch(1)
        scroll = QScrollArea(self.tabs)
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        self.tabs.addTab(scroll, "")
        return editors

    @staticmethod
    def _row(form: QFormLayout, option: Option, choices: Choices, page: QWidget) -> Editor:
        widget, get, put = _editor(option, choices, page)
        label = QLabel(page)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setBuddy(widget)
        note = QLabel(page)
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setObjectName("muted")
        note.setWordWrap(True)
        column = QVBoxLayout()
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(note)
        form.addRow(label, column)
        return Editor(option, widget, get, put, label, note)

    @staticmethod
    def _collapsible(toggle: QToolButton, section: QWidget) -> None:
        """A checkable arrow button that shows the section; collapsed at every opening."""
        toggle.setCheckable(True)
        toggle.setChecked(False)
        toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toggle.setArrowType(Qt.ArrowType.RightArrow)
        toggle.setAutoRaise(True)
        toggle.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Tab reaches it, Space opens it
        section.hide()

        def show(expanded: bool) -> None:
            toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
            section.setVisible(expanded)

        toggle.toggled.connect(show)

    @staticmethod
    def _link_limits(editors: Sequence[Editor]) -> None:
        """A bounded field's maximum follows its bound's field: lowering the context length
        lowers the answer length with it (QSpinBox clamps the value to its new maximum)."""
        by_key = {editor.option.key: editor for editor in editors}
        for editor in editors:
            bound = by_key.get(editor.option.at_most or "")
            if bound is None:
                continue
            field, limit = editor.widget, bound.widget
            assert isinstance(field, QSpinBox) and isinstance(limit, QSpinBox)
            upper = int(editor.option.upper() or 2**31 - 1)

            def follow(value: int, field: QSpinBox = field, upper: int = upper) -> None:
                field.setMaximum(min(upper, value))

            limit.valueChanged.connect(follow)
            follow(limit.value())

    @staticmethod
    def _static_choices(option: Option, dynamic: dict[str, Choices]) -> Choices:
        if option.kind is Kind.DYNAMIC:
            return dynamic.get(option.key, ())
        return [(value, translate("Settings", label)) for value, label in option.choices]

    def _load_values(self) -> None:
        for editor in self.app_editors:
            editor.put(self.settings.value(editor.option.key))
        if self._model is not None:
            for editor in self.model_editors:
                editor.put(self._model_value(editor.option.key))
        self._initial = self._current()

    def _model_value(self, key: str) -> object:
        assert self._model is not None
        value = self.settings.model_value(self._model[0], key)
        return self._model_defaults.get(key, "") if value is None else value

    def _current(self) -> dict[str, object]:
        return {e.option.key: e.get() for e in self.app_editors + self.model_editors}

    # -- texts ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Settings"))
        self.tabs.setTabText(0, self.tr("General"))
        if self._model is not None:
            self.tabs.setTabText(1, self.tr("Model: %1").replace("%1", self._model[1]))
            self.reset_button.setText(self.tr("Reset to catalog defaults"))
            self.advanced_toggle.setText(self.tr("Advanced"))
            self.advanced_toggle.setToolTip(
                self.tr(
                    "How the model chooses its words, and its instructions and template in the"
                    " model's own format. The catalog's values suit most uses."
                )
            )
            self.advanced_toggle.setAccessibleDescription(self.advanced_toggle.toolTip())
        self.find_threads_button.setText(self.tr("Find best thread count…"))
        for editor in self.app_editors + self.model_editors:
            label = translate("Settings", editor.option.label)
            editor.label.setText(label)
            editor.widget.setAccessibleName(label)
            description = translate("Settings", editor.option.description)
            editor.widget.setAccessibleDescription(description)
            editor.widget.setToolTip(description)
            if editor.note.property("error") is not True:
                editor.note.setText(description)
            if isinstance(editor.widget, QComboBox) and editor.option.kind is Kind.CHOICE:
                for index, (_value, source) in enumerate(editor.option.choices):
                    editor.widget.setItemText(index, translate("Settings", source))
            if isinstance(editor.widget, QComboBox) and editor.option.key == "device":
                for index in range(editor.widget.count()):  # the processor's name is ours
                    editor.widget.setItemText(index, device_name(editor.widget.itemData(index)))

    # -- saving ---------------------------------------------------------------------------
    def _errors(self) -> list[Editor]:
        """Validate every field; show each error next to its field."""
        bad = []
        for editor in self.app_editors + self.model_editors:
            error: SettingError | None = None
            try:
                editor.option.validate(self._stored_value(editor))
            except SettingError as e:
                error = e
            editor.note.setProperty("error", error is not None)
            editor.note.setObjectName("fieldError" if error else "muted")
            editor.note.setText(
                error.render(translate)
                if error
                else translate("Settings", editor.option.description)
            )
            editor.note.style().polish(editor.note)
            if error:
                bad.append(editor)
        return bad

    def _stored_value(self, editor: Editor) -> object:
        """What goes into the settings: text equal to the catalog's default means 'default'."""
        value = editor.get()
        key = editor.option.key
        if editor.option.kind is Kind.TEXT and value in ("", self._model_defaults.get(key)):
            return None
        return value

    @Slot()
    def apply(self) -> bool:
        bad = self._errors()
        if bad:
            self.tabs.setCurrentIndex(0 if bad[0] in self.app_editors else 1)
            if bad[0].option.advanced and self._model is not None:
                self.advanced_toggle.setChecked(True)
            bad[0].widget.setFocus()
            return False
        current = self._current()
        changed = {k for k, v in current.items() if v != self._initial.get(k)}
        for editor in self.app_editors:
            if editor.option.key in changed:
                self.settings.set(editor.option.key, self._stored_value(editor))
        model_values = {
            e.option.key: self._stored_value(e)
            for e in self.model_editors
            if e.option.key in changed
        }
        if model_values and self._model is not None:
            self.settings.set_model_values(self._model[0], model_values)
        self._initial = current
        return True

    def accept(self) -> None:
        if self.apply():
            super().accept()

    @Slot()
    def reset_model(self) -> None:
        """Put the catalog's and GPT4All's defaults back in the model tab (saved on OK)."""
        for editor in self.model_editors:
            default = editor.option.default_value()
            editor.put(
                self._model_defaults.get(editor.option.key, "") if default is None else default
            )
