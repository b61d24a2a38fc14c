"""Clinical presets: a system prompt and an opening instruction that start a conversation.

A preset gives the model its role (the system prompt, plain text: the model-specific
wrapping happens elsewhere) and pre-fills the question box with a short instruction, so a
clinician can ask for a SOAP note or a referral letter without writing the prompt each time.

Built-in presets ship in resources/presets.json, in English and Spanish. The user's own
presets, and the user's edits of built-ins, live in <config_dir>/presets.json. Both files
share one format:

    {
      "version": 1,
      "presets": [
        {
          "id": "soap-note",
          "name": {"en": "SOAP note from consultation notes", "es": "Nota SOAP a partir…"},
          "description": {"en": "Turn rough consultation notes into…", "es": "Convierte…"},
          "system": {"en": "You are a clinical documentation assistant…", "es": "Eres…"},
          "instruction": {"en": "Write a SOAP note from these consultation notes:", "es": "…"}
        }
      ]
    }

- Each text field is an object mapping a language code to text, or a plain string that is
  the same in every language. A preset is shown in the requested language, else in English,
  else in the one language it was written in: a clinician's own preset is shown as written.
- In the user file, an entry whose id is a built-in's replaces that built-in (fields it
  leaves out keep the built-in's text); any other id is a preset of the user's. The app
  gives new presets the id "user-<random hex>" and writes the texts under the language the
  clinician was using.
- "description" (one line shown under the name), "system" and "instruction" are optional;
  "name" is required. Unknown keys are ignored, so a newer file still loads.

A damaged user file never stops the app: each broken entry is reported (which entry, which
field) and skipped, and the rest loads. Changes are written atomically; entries that could
not be read are written back untouched, so fixing a preset never costs another one.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clinichat.atomic import write_atomically
from clinichat.messages import QT_TRANSLATE_NOOP, Translator, UserError
from clinichat.resources import resource_path

#: The built-in preset a transcribed consultation starts with.
SOAP_PRESET = "soap-note"

FORMAT_VERSION = 1
FILE_NAME = "presets.json"
LANGUAGES = ("en", "es")
ANY_LANGUAGE = "*"  # the key a plain-string field is kept under
USER_ID_PREFIX = "user-"
FIELDS = ("name", "description", "system", "instruction")
# Room for a detailed prompt without crowding the clinician's own text out of a small
# model's context; a name fits on one line of the picker.
LIMITS = {"name": 80, "description": 200, "system": 8000, "instruction": 2000}

Texts = dict[str, str]  # language code (or ANY_LANGUAGE) -> text


class PresetError(UserError):
    """A preset or presets file that cannot be used as it is; `field` names the culprit."""

    context = "Presets"

    def __init__(self, text: str, *, field: str | None = None, **args: object) -> None:
        self.field = field
        super().__init__(text, field=field or "", **args)


@dataclass(frozen=True)
class StoredPreset:
    """One entry as stored, in every language it has; an empty Texts means 'not given'."""

    id: str
    name: Texts
    description: Texts
    system: Texts
    instruction: Texts


@dataclass(frozen=True)
class Preset:
    """A preset in one language, ready to show and use."""

    id: str
    name: str
    description: str
    system_prompt: str
    instruction: str
    builtin: bool
    edited: bool = False  # a built-in with the user's changes; it can be reset

    @property
    def summary(self) -> str:
        """One line that says what the preset is for: its description or instruction."""
        text = self.description.strip() or self.instruction.strip()
        return text.splitlines()[0] if text else ""


def builtin_presets_path() -> Path:
    """The presets shipped with the app."""
    return resource_path(FILE_NAME)


def user_presets_path(config_dir: Path) -> Path:
    return config_dir / FILE_NAME


def normalise_language(language: str) -> str:
    """'es', 'es_MX' or 'es-ES' -> 'es'; anything not offered -> 'en'."""
    code = language.replace("-", "_").split("_")[0].lower()
    return code if code in LANGUAGES else "en"


def load_builtin(path: Path) -> tuple[list[StoredPreset], list[PresetError]]:
    """The built-in presets in every language, and what was wrong with the file."""
    try:
        entries = _read_entries(path, missing_ok=False)
    except PresetError as error:
        return [], [error]
    return _parse_entries(entries, path, builtin_ids=None)


def load_user(
    config_dir: Path, builtin_ids: set[str]
) -> tuple[list[StoredPreset], list[PresetError]]:
    """The user's presets and edits of built-ins; broken entries are reported and skipped."""
    path = user_presets_path(config_dir)
    try:
        entries = _read_entries(path, missing_ok=True)
    except PresetError as error:
        return [], [error]
    return _parse_entries(entries, path, builtin_ids)


def presets_for(
    language: str,
    builtin_path: Path,
    config_dir: Path | None,
    *,
    translate: Translator | None = None,
) -> tuple[list[Preset], list[str]]:
    """Built-ins (with the user's edits) then the user's presets, in `language`.

    Without a config folder (settings kept in memory) only the built-ins are offered.

    The second list holds the problems found, as messages for the user (translated by
    `translate` when given); a broken file leaves out only what is broken.
    """
    language = normalise_language(language)
    builtins, problems = load_builtin(builtin_path)
    user, user_problems = (
        load_user(config_dir, {entry.id for entry in builtins}) if config_dir else ([], [])
    )
    problems += user_problems
    edits = {entry.id: entry for entry in user}
    presets = []
    for entry in builtins:
        edit = edits.pop(entry.id, None)
        merged = entry if edit is None else _merged(entry, edit)
        presets.append(_localised(merged, language, builtin=True, edited=edit is not None))
    presets += [_localised(entry, language, builtin=False) for entry in edits.values()]
    return presets, [problem.render(translate) for problem in problems]


def check_fields(
    name: str, description: str, system_prompt: str, instruction: str
) -> list[PresetError]:
    """What stops these texts from being saved, one error per field; empty when fine."""
    too_long = {
        "name": QT_TRANSLATE_NOOP(
            "Presets", "The name has {length} characters; the limit is {limit}."
        ),
        "description": QT_TRANSLATE_NOOP(
            "Presets", "The description has {length} characters; the limit is {limit}."
        ),
        "system": QT_TRANSLATE_NOOP(
            "Presets", "The system prompt has {length} characters; the limit is {limit}."
        ),
        "instruction": QT_TRANSLATE_NOOP(
            "Presets", "The instruction has {length} characters; the limit is {limit}."
        ),
    }
    values = _cleaned(name, description, system_prompt, instruction)
    problems = []
    if not values["name"]:
        problems.append(
            PresetError(QT_TRANSLATE_NOOP("Presets", "Give the preset a name."), field="name")
        )
    for field, value in values.items():
        if len(value) > LIMITS[field]:
            problems.append(
                PresetError(too_long[field], field=field, length=len(value), limit=LIMITS[field])
            )
    return problems


def save_preset(
    config_dir: Path,
    language: str,
    *,
    name: str,
    description: str,
    system_prompt: str,
    instruction: str,
    preset_id: str | None = None,
) -> str:
    """Add a preset (no `preset_id`) or replace the user's entry for `preset_id`.

    Saving a built-in's id stores the user's version of it. The texts are written under
    `language`. Returns the preset's id; raises PresetError when a field is not acceptable
    or the user file cannot be read back safely, and OSError when it cannot be written.
    """
    problems = check_fields(name, description, system_prompt, instruction)
    if problems:
        raise problems[0]
    language = normalise_language(language)
    preset_id = preset_id or f"{USER_ID_PREFIX}{uuid.uuid4().hex}"
    values = _cleaned(name, description, system_prompt, instruction)
    entry = {"id": preset_id, **{field: {language: text} for field, text in values.items()}}
    entries = _read_user_entries(config_dir)
    for index, existing in enumerate(entries):
        if _raw_id(existing) == preset_id:
            entries[index] = entry
            break
    else:
        entries.append(entry)
    _write_entries(config_dir, entries)
    return preset_id


def remove_preset(config_dir: Path, preset_id: str) -> None:
    """Delete a user preset, or reset an edited built-in: either way the user's entry goes."""
    entries = _read_user_entries(config_dir)
    kept = [entry for entry in entries if _raw_id(entry) != preset_id]
    if len(kept) != len(entries):
        _write_entries(config_dir, kept)


def _cleaned(name: str, description: str, system_prompt: str, instruction: str) -> Texts:
    """The texts as they will be saved (by field name), without stray outer whitespace."""
    return {
        "name": name.strip(),
        "description": description.strip(),
        "system": system_prompt.strip(),
        "instruction": instruction.strip(),
    }


# -- reading ---------------------------------------------------------------------------
def _read_entries(path: Path, *, missing_ok: bool) -> list[Any]:
    """The raw entries of a presets file (none when it is missing and may be)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        if missing_ok:
            return []
        raise PresetError(
            QT_TRANSLATE_NOOP("Presets", "The presets file {path} is missing."), path=path
        ) from None
    except (OSError, ValueError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise PresetError(
            QT_TRANSLATE_NOOP(
                "Presets", "The presets in {path} could not be read ({reason}); they are left out."
            ),
            path=path,
            reason=reason,
        ) from error
    if (
        not isinstance(document, dict)
        or document.get("version") != FORMAT_VERSION
        or not isinstance(document.get("presets"), list)
    ):
        raise PresetError(
            QT_TRANSLATE_NOOP(
                "Presets",
                "{path} is not a presets file that this version of ClinicChat can read;"
                " its presets are left out.",
            ),
            path=path,
        )
    entries: list[Any] = document["presets"]
    return entries


def _read_user_entries(config_dir: Path) -> list[Any]:
    """The user file's raw entries, for a change; refuses to rewrite a file it cannot read."""
    try:
        return _read_entries(user_presets_path(config_dir), missing_ok=True)
    except PresetError as error:
        raise PresetError(
            QT_TRANSLATE_NOOP(
                "Presets",
                "Nothing was saved, so that your presets in {path} are not lost: the file"
                " cannot be read. Repair it or move it elsewhere, then try again.",
            ),
            path=user_presets_path(config_dir),
        ) from error


def _parse_entries(
    entries: list[Any], path: Path, builtin_ids: set[str] | None
) -> tuple[list[StoredPreset], list[PresetError]]:
    """Check every entry; `builtin_ids` is None when these are the built-ins themselves."""
    presets: list[StoredPreset] = []
    problems: list[PresetError] = []
    seen: set[str] = set()
    for number, raw in enumerate(entries, start=1):
        preset, problem = _parse_entry(raw, number, path, builtin_ids)
        if preset is not None and preset.id in seen:
            problem = _entry_error(
                QT_TRANSLATE_NOOP(
                    "Presets",
                    "{path}, preset {entry}: an earlier preset has the same id; this one is"
                    " left out.",
                ),
                path,
                number,
                preset.id,
                field="id",
            )
        if problem is not None:
            problems.append(problem)
        elif preset is not None:
            seen.add(preset.id)
            presets.append(preset)
    return presets, problems


def _parse_entry(
    raw: object, number: int, path: Path, builtin_ids: set[str] | None
) -> tuple[StoredPreset | None, PresetError | None]:
    """One entry, or the first reason it cannot be used (which field, and why)."""
    if not isinstance(raw, dict):
        text = QT_TRANSLATE_NOOP(
            "Presets", "{path}, preset {entry}: it is not a preset (an object); left out."
        )
        return None, _entry_error(text, path, number, None)
    preset_id = raw.get("id")
    if not isinstance(preset_id, str) or not preset_id.strip():
        text = QT_TRANSLATE_NOOP(
            "Presets", "{path}, preset {entry}: “{field}” is missing or not text; left out."
        )
        return None, _entry_error(text, path, number, None, field="id")
    # A user's edit of a built-in may leave fields out; every other preset needs a name.
    name_required = builtin_ids is None or preset_id not in builtin_ids
    texts: dict[str, Texts] = {}
    for field in FIELDS:
        parsed = _field_texts(raw.get(field), field, field == "name" and name_required)
        if isinstance(parsed, str):
            error = _entry_error(parsed, path, number, preset_id, field=field, limit=LIMITS[field])
            return None, error
        texts[field] = parsed
    return StoredPreset(id=preset_id, **texts), None


def _field_texts(value: object, field: str, required: bool) -> Texts | str:
    """A field's texts by language, or the (untranslated) reason they cannot be used."""
    if value is None:
        if required:
            return QT_TRANSLATE_NOOP(
                "Presets", "{path}, preset {entry}: “{field}” is missing; left out."
            )
        return {}
    if isinstance(value, str):
        texts = {ANY_LANGUAGE: value}
    elif isinstance(value, dict) and value and all(isinstance(t, str) for t in value.values()):
        texts = dict(value)
    else:
        return QT_TRANSLATE_NOOP(
            "Presets",
            "{path}, preset {entry}: “{field}” must be text, or texts by language code"
            ' ("en", "es"); left out.',
        )
    if any(len(text) > LIMITS[field] for text in texts.values()):
        return QT_TRANSLATE_NOOP(
            "Presets",
            "{path}, preset {entry}: “{field}” is longer than {limit} characters; left out.",
        )
    if field == "name" and not any(text.strip() for text in texts.values()):
        return QT_TRANSLATE_NOOP("Presets", "{path}, preset {entry}: “{field}” is empty; left out.")
    return texts


def _entry_error(
    text: str,
    path: Path,
    number: int,
    preset_id: str | None,
    *,
    field: str | None = None,
    **args: object,
) -> PresetError:
    """Name the entry by position, and by id when it has one, so it can be found by hand."""
    entry = f"{number} ({preset_id})" if preset_id else str(number)
    return PresetError(text, field=field, path=path, entry=entry, **args)


def _raw_id(entry: object) -> object:
    return entry.get("id") if isinstance(entry, dict) else None


# -- combining and writing -------------------------------------------------------------
def _merged(builtin: StoredPreset, edit: StoredPreset) -> StoredPreset:
    """The user's version of a built-in: their texts, the built-in's where they gave none."""
    return StoredPreset(
        id=builtin.id,
        name=edit.name or builtin.name,
        description=edit.description or builtin.description,
        system=edit.system or builtin.system,
        instruction=edit.instruction or builtin.instruction,
    )


def _localised(
    entry: StoredPreset, language: str, *, builtin: bool, edited: bool = False
) -> Preset:
    return Preset(
        id=entry.id,
        name=_pick(entry.name, language).strip(),
        description=_pick(entry.description, language),
        system_prompt=_pick(entry.system, language),
        instruction=_pick(entry.instruction, language),
        builtin=builtin,
        edited=edited,
    )


def _pick(texts: Texts, language: str) -> str:
    """The text in `language`, else English, else the language it was written in."""
    for key in (language, ANY_LANGUAGE, "en"):
        if key in texts:
            return texts[key]
    return next(iter(texts.values()), "")


def _write_entries(config_dir: Path, entries: list[Any]) -> None:
    config_dir.mkdir(parents=True, exist_ok=True)
    document = {"version": FORMAT_VERSION, "presets": entries}
    data = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    write_atomically(user_presets_path(config_dir), data.encode("utf-8"))
