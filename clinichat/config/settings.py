"""The user's settings: validated against the schema, saved atomically, announced on change.

A settings file that is damaged or edited by hand must never stop the app from starting: bad
values fall back to their defaults and each problem is reported. A model setting above the
one that bounds it (an answer length beyond the context length) is lowered to that bound,
on loading and on every change, so the engine is never asked for an impossible answer.
Every change is saved at once through a temporary file and a rename, so a crash mid-save
leaves the old file. The `changed` signal lets the window and the engine follow a change
without a restart.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

from PySide6.QtCore import QObject, Signal

from clinichat.atomic import write_atomically
from clinichat.config.schema import APP, MODEL, SERVER, SettingError, option, within_limits
from clinichat.llm.engines.base import GenerationParams

__all__ = ["Settings"]

FORMAT_VERSION: Final = 2
FILE_NAME: Final = "settings.json"
_GENERATION_KEYS: Final = (
    "max_tokens",
    "temperature",
    "top_k",
    "top_p",
    "min_p",
    "repeat_penalty",
    "repeat_last_n",
    "n_batch",
    "thinking",
)


class Settings(QObject):
    """App settings and per-model settings, keyed as in `clinichat.config.schema`."""

    changed = Signal(str)  # key of an app setting
    model_changed = Signal(str)  # file name of the model whose settings changed

    def __init__(self, config_dir: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # None keeps the settings in memory only (tests, the self-test).
        self.config_dir = config_dir
        self._app: dict[str, object] = {o.key: o.default_value() for o in APP + SERVER}
        self._models: dict[str, dict[str, object]] = {}

    @classmethod
    def in_memory(cls, **values: object) -> Settings:
        """Settings that are never written (tests, benchmarks), validated as usual."""
        settings = cls()
        for key, value in values.items():
            settings.set(key, value)
        return settings

    # -- loading and saving -------------------------------------------------------------
    @classmethod
    def load(cls, config_dir: Path) -> tuple[Settings, list[str]]:
        """Read the settings; returns them with one line per problem that was fixed."""
        settings = cls(config_dir)
        path = config_dir / FILE_NAME
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return settings, []
        except (OSError, ValueError) as error:
            return settings, [f"{path}: unreadable ({error}); using defaults"]
        if not isinstance(raw, dict):
            return settings, [f"{path}: not a settings object; using defaults"]
        # Version 1 kept the app settings at the top level.
        app = raw.get("app", raw) if raw.get("version", 1) >= 2 else raw
        problems = settings._read_app(app if isinstance(app, dict) else {})
        models = raw.get("models", {})
        if isinstance(models, dict):
            for filename, values in models.items():
                problems += settings._read_model(str(filename), values)
        else:
            problems.append("models: not an object; per-model settings ignored")
        return settings, problems

    def _read_app(self, raw: dict[str, object]) -> list[str]:
        problems = []
        for entry in APP + SERVER:
            if entry.key not in raw:
                continue
            try:
                self._app[entry.key] = entry.validate(raw[entry.key])
            except SettingError as e:
                problems.append(f"{e}; using the default")
        return problems

    def _read_model(self, filename: str, values: object) -> list[str]:
        if not isinstance(values, dict):
            return [f"models.{filename}: not an object; ignored"]
        problems = []
        kept: dict[str, object] = {}
        for entry in MODEL:
            if entry.key in values:
                try:
                    kept[entry.key] = entry.validate(values[entry.key])
                except SettingError as e:
                    problems.append(f"models.{filename}: {e}; using the default")
        limited = _limited(kept)
        for key, value in limited.items():
            bound = option(key).at_most
            if key in kept and kept[key] != value and bound is not None:
                problems.append(
                    f"models.{filename}: {option(key).label} {kept[key]} is more than the"
                    f" {option(bound).label.lower()}; using {value}"
                )
        if limited:
            self._models[filename] = limited
        return problems

    def save(self) -> None:
        """Write the file now; raises OSError when the folder is not writable."""
        if self.config_dir is None:
            return
        self.config_dir.mkdir(parents=True, exist_ok=True)
        data = {"version": FORMAT_VERSION, "app": self._app, "models": self._models}
        write_atomically(self.config_dir / FILE_NAME, json.dumps(data, indent=2).encode("utf-8"))

    # -- app settings -------------------------------------------------------------------
    def value(self, key: str) -> object:
        return self._app[key]

    def set(self, key: str, value: object) -> None:
        """Validate, store, save and announce one app setting; SettingError if invalid."""
        checked = option(key).validate(value)
        if self._app[key] == checked:
            return
        self._app[key] = checked
        self.save()
        self.changed.emit(key)

    def _int(self, key: str) -> int:
        value = self._app[key]
        assert isinstance(value, int)
        return value

    def _str(self, key: str) -> str:
        value = self._app[key]
        assert isinstance(value, str)
        return value

    @property
    def threads(self) -> int:
        return self._int("threads")

    @property
    def parallel_answers(self) -> int:
        return self._int("parallel_answers")

    @property
    def idle_lock_minutes(self) -> int:
        return self._int("idle_lock_minutes")

    @property
    def font_scale(self) -> int:
        return self._int("font_scale")

    @property
    def language(self) -> str:
        return self._str("language")

    @property
    def theme(self) -> str:
        return self._str("theme")

    @property
    def device(self) -> str:
        return self._str("device")

    @property
    def default_model(self) -> str | None:
        value = self._app["default_model"]
        return value if isinstance(value, str) and value else None

    @property
    def document_model(self) -> str | None:
        value = self._app["document_model"]
        return value if isinstance(value, str) and value else None

    @property
    def speech_model(self) -> str | None:
        value = self._app["speech_model"]
        return value if isinstance(value, str) and value else None

    @property
    def speech_language(self) -> str | None:
        """'es' or 'en', or None to let the speech model tell."""
        value = self._str("speech_language")
        return None if value == "auto" else value

    @property
    def save_history(self) -> bool:
        return bool(self._app["save_history"])

    # -- per-model settings -------------------------------------------------------------
    def model_value(self, filename: str, key: str) -> object:
        """The user's value for this model, or the schema default (None: the catalog's)."""
        values = self._models.get(filename, {})
        return values[key] if key in values else option(key).default_value()

    def set_model_values(self, filename: str, values: dict[str, object]) -> None:
        """Validate all values first, so a bad one changes nothing; then save and announce.

        A context length lowered below the answer length takes the answer length with it.
        """
        if not set(values) <= {o.key for o in MODEL}:
            raise KeyError(f"not model settings: {sorted(values)}")
        checked = {key: option(key).validate(value) for key, value in values.items()}
        merged = _limited({**self._models.get(filename, {}), **checked})
        if merged == self._models.get(filename, {}):
            return
        if merged:
            self._models[filename] = merged
        else:
            self._models.pop(filename, None)
        self.save()
        self.model_changed.emit(filename)

    def reset_model(self, filename: str) -> None:
        """Back to the catalog's and GPT4All's defaults for this model."""
        if self._models.pop(filename, None) is not None:
            self.save()
            self.model_changed.emit(filename)

    def generation_params(self, filename: str) -> GenerationParams:
        values = {key: self.model_value(filename, key) for key in _GENERATION_KEYS}
        return GenerationParams(**values)  # type: ignore[arg-type]

    def context_length(self, filename: str) -> int:
        value = self.model_value(filename, "context_length")
        assert isinstance(value, int)
        return value

    def engine(self, filename: str) -> str | None:
        """The engine the user chose for this model; None means the automatic choice."""
        value = self.model_value(filename, "engine")
        return value if isinstance(value, str) and value != "auto" else None

    def model_text(self, filename: str, key: str) -> str | None:
        """The user's system prompt or template for this model; None means the catalog's."""
        value = self.model_value(filename, key)
        return value if isinstance(value, str) else None


def _limited(overrides: dict[str, object]) -> dict[str, object]:
    """One model's overrides with every bounded setting within its bound (defaults count too:
    a context override below the default answer length lowers the answer length).

    A value equal to its default is dropped: it is not an override, and "reset" must stay
    meaningful.
    """
    full = {o.key: overrides.get(o.key, o.default_value()) for o in MODEL}
    limited = within_limits(full)
    merged = {**overrides, **{k: v for k, v in limited.items() if v != full[k]}}
    return {k: v for k, v in merged.items() if v != option(k).default_value()}
