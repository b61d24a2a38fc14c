"""The model catalog, in GPT4All's models3.json format.

Reusing GPT4All's format lets IT staff drop in GPT4All's own catalog (or a trimmed copy) and
keeps the prompt templates and hashes the GPT4All team already verified. The file is data from
outside the program, so every entry is checked field by field: a broken entry is reported
precisely and skipped, and the others still load.

ClinicChat adds three optional keys to the format, which GPT4All ignores:

- "engine": "gpt4all" or "llamacpp", the engine meant to run the file. GPT4All's own entries
  name none (None: decided from the file). A "llamacpp" entry uses the chat template inside
  the GGUF file, so it has no promptTemplate, and GPT4All's "requires"/"removedIn" (GPT4All
  desktop versions) do not apply to it;
- "licence": the licence's short name ("Apache-2.0"); the names in `licences.LICENCES` decide
  `commercial_use`, any other name is kept as written and decides nothing;
- "languages": the languages the model is stated to handle, as plain text.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from clinichat.messages import QT_TRANSLATE_NOOP
from clinichat.models.licences import LicenceTerms, licence_terms

__all__ = [
    "BACKEND_APP_VERSION",
    "ENGINES",
    "GPT4ALL_ENGINE",
    "LLAMACPP_ENGINE",
    "CatalogEntry",
    "file_name_problem",
    "find_by_filename",
    "load_catalog",
]

# The GPT4All desktop release whose backend the gpt4all 2.8.2 bindings carry (its catalog
# entries Llama 3.1 and Qwen2 need 3.1.1 and 3.0, and the 2.8.0 bindings added both).
BACKEND_APP_VERSION: Final = (3, 1, 1)

# The engines a catalog entry may name (the same words as clinichat.llm.engines).
GPT4ALL_ENGINE: Final = "gpt4all"
LLAMACPP_ENGINE: Final = "llamacpp"
ENGINES: Final = (GPT4ALL_ENGINE, LLAMACPP_ENGINE)

_HEX32: Final = re.compile(r"[0-9a-fA-F]{32}")
_HEX64: Final = re.compile(r"[0-9a-fA-F]{64}")
_DIGITS: Final = re.compile(r"[0-9]+")

# Names Windows keeps for devices, with or without an extension ("aux.gguf" opens the AUX
# device, not a file); ¹²³ count as digits there too.
_DEVICE_NAMES: Final = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{port}{n}" for port in ("COM", "LPT") for n in "123456789¹²³"}
)
_WINDOWS_FORBIDDEN: Final = frozenset('<>:"/\\|?*')
_MODEL_SUFFIX: Final = ".gguf"
_MAX_NAME_BYTES: Final = 255  # the longest name common file systems store

# Licence wording GPT4All uses in descriptions; only these phrases are trusted.
_COMMERCIAL_YES: Final = ("licensed for commercial use", "no restrictions on commercial use")
_COMMERCIAL_NO: Final = ("cannot be used commercially",)


@dataclass(frozen=True)
class CatalogEntry:
    """One downloadable model, with the prompt format it needs."""

    name: str
    filename: str
    filesize: int | None = None
    md5sum: str | None = None
    sha256sum: str | None = None
    url: str | None = None
    # GPT4All style: %1 is the user's message, %2 the model's answer.
    prompt_template: str | None = None
    # Fed to the model raw, so it already carries the model's own formatting.
    system_prompt: str = ""
    # HTML from the catalog file: untrusted, render only through a sanitiser.
    description: str = ""
    parameters: str | None = None
    quant: str | None = None
    ram_required_gb: int | None = None
    model_type: str | None = None
    requires: str | None = None
    removed_in: str | None = None
    disable_gui: bool = False
    embedding_model: bool = False
    order: str | None = None
    # ENGINES, or None: decided from the file (GPT4All's own entries name no engine).
    engine: str | None = None
    # The licence's short name, as the catalog writes it ("Apache-2.0").
    licence: str | None = None
    # The languages the model is stated to handle: plain text from the catalog, untrusted.
    languages: str | None = None

    @property
    def licence_terms(self) -> LicenceTerms | None:
        """What the named licence means for a clinic; None when no licence ClinicChat knows
        is named."""
        return licence_terms(self.licence)

    @property
    def licence_summary(self) -> str | None:
        """The named licence in plain words (a translatable source text, context
        "ModelDescriptions"), including its conditions; None when ClinicChat does not know it."""
        terms = self.licence_terms
        return terms.summary if terms is not None else None

    @property
    def commercial_use(self) -> bool | None:
        """Whether the licence allows commercial use, as the catalog states it; None if unsaid.

        A clinic is a commercial setting, so the UI must show this. A licence ClinicChat knows
        by name decides it (True may come with conditions: see `licence_terms`); otherwise it
        is read from the wording GPT4All uses, never guessed.
        """
        terms = self.licence_terms
        if terms is not None:
            return terms.commercial
        text = " ".join(re.sub(r"<[^>]*>", " ", self.description).lower().split())
        if any(phrase in text for phrase in _COMMERCIAL_NO):
            return False
        if any(phrase in text for phrase in _COMMERCIAL_YES):
            return True
        return None

    @property
    def chat_problem(self) -> str | None:
        """Why the bundled backend cannot chat with this model (a translatable source text).

        None when it can. Catalog versions are GPT4All desktop versions: 'requires' is the
        first one able to run the file, 'removedIn' the first one that no longer can. They
        say nothing about the llama.cpp engine, so an entry meant for it skips them.
        """
        if self.embedding_model:
            return QT_TRANSLATE_NOOP(
                "Models", "An embedding model for document search; it cannot chat."
            )
        return self._problem()

    @property
    def download_problem(self) -> str | None:
        """Why this entry cannot be downloaded and used here (a translatable source text);
        None when it can: chat models as `chat_problem` says, embedding models for document
        search (on llama.cpp, so GPT4All's versions do not apply) whenever they have an
        address."""
        return self._problem()

    def _problem(self) -> str | None:
        if self.disable_gui and not self.embedding_model:
            return QT_TRANSLATE_NOOP("Models", "GPT4All does not offer this model for chat.")
        gpt4all_versions = self.engine != LLAMACPP_ENGINE and not self.embedding_model
        if gpt4all_versions and _version(self.requires) > BACKEND_APP_VERSION:
            return QT_TRANSLATE_NOOP(
                "Models", "Needs a newer model engine than this version of ClinicChat has."
            )
        withdrawn = bool(self.removed_in) and _version(self.removed_in) <= BACKEND_APP_VERSION
        if gpt4all_versions and withdrawn:
            return QT_TRANSLATE_NOOP(
                "Models",
                "GPT4All withdrew this older file; use the newer file of the same model.",
            )
        if not self.url:
            return QT_TRANSLATE_NOOP("Models", "The catalog gives no download address.")
        return None


def _version(text: str | None) -> tuple[int, ...]:
    """'2.7.1' -> (2, 7, 1); anything unreadable counts as 0 (no requirement)."""
    parts = []
    for part in (text or "").strip().split("."):
        if not part.isdigit():
            break
        parts.append(int(part))
    return tuple(parts)


class _EntryProblem(Exception):
    """One thing wrong with one catalog entry."""


def _string(raw: dict[str, object], key: str, *, required: bool = False) -> str | None:
    value = raw.get(key)
    if value is None:
        if required:
            raise _EntryProblem(f"field '{key}' is missing")
        return None
    if not isinstance(value, str):
        raise _EntryProblem(f"field '{key}' is not text")
    if required and not value.strip():
        raise _EntryProblem(f"field '{key}' is empty")
    return value


def _number(raw: dict[str, object], key: str) -> int | None:
    """models3.json writes numbers as strings ("4108916384"); accept both forms."""
    value = raw.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise _EntryProblem(f"field '{key}' is not a number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        raise _EntryProblem(f"field '{key}' is not a number")
    if number < 0:
        raise _EntryProblem(f"field '{key}' is negative")
    return number


def _flag(raw: dict[str, object], key: str) -> bool:
    """models3.json writes flags as true or "true"."""
    value = raw.get(key)
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise _EntryProblem(f"field '{key}' is not true or false")


def _hash(raw: dict[str, object], key: str, pattern: re.Pattern[str]) -> str | None:
    value = _string(raw, key)
    if value is None or value == "":
        return None
    if not pattern.fullmatch(value):
        raise _EntryProblem(f"field '{key}' is not a valid checksum")
    return value.lower()


def file_name_problem(name: str) -> str | None:
    """Why `name` cannot be a model file in the models folder, or None if it can.

    The one rule for catalog entries and the registry. A name must stay inside the folder
    (no separators, no "..", no drive prefix), mean the same file on Linux, macOS and Windows
    (a catalog or a models folder can move between them, and Windows silently drops trailing
    dots and spaces and maps device names such as AUX to devices), show as one line in lists
    and logs (no control characters), not be hidden, and end in ".gguf", which is how the
    registry finds models.
    """
    if not name or name in (".", ".."):
        return "it is empty"
    if name.startswith("."):
        return "it starts with a dot (a hidden file)"
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return "it contains a control character"
    if any(c in _WINDOWS_FORBIDDEN for c in name):
        return 'it contains one of the characters < > : " / \\ | ? *'
    if name != name.strip() or name.endswith("."):
        return "it starts or ends with a space, or ends with a dot"
    if name.split(".", 1)[0].rstrip(" ").upper() in _DEVICE_NAMES:
        return "Windows reserves this name for a device"
    if not name.endswith(_MODEL_SUFFIX) or name == _MODEL_SUFFIX:
        return "it does not end in .gguf"
    if len(name.encode("utf-8")) > _MAX_NAME_BYTES:
        return f"it is longer than {_MAX_NAME_BYTES} bytes"
    return None


def _engine(raw: dict[str, object]) -> str | None:
    value = _string(raw, "engine")
    if value is not None and value not in ENGINES:
        raise _EntryProblem("field 'engine' is not " + " or ".join(f"'{e}'" for e in ENGINES))
    return value


def _filename(raw: dict[str, object]) -> str:
    """The file name becomes a path in the models folder, so it must be a bare name."""
    value = _string(raw, "filename", required=True)
    assert value is not None
    problem = file_name_problem(value)
    if problem is not None:
        raise _EntryProblem(f"field 'filename' is not a plain file name: {problem}")
    return value


def _entry(raw: object) -> CatalogEntry:
    if not isinstance(raw, dict):
        raise _EntryProblem("it is not an object")
    template = _string(raw, "promptTemplate")
    if template is not None and "%1" not in template:
        raise _EntryProblem("field 'promptTemplate' has no %1 for the user's message")
    md5 = _hash(raw, "md5sum", _HEX32)
    sha256 = _hash(raw, "sha256sum", _HEX64)
    return CatalogEntry(
        name=_string(raw, "name", required=True) or "",
        filename=_filename(raw),
        filesize=_number(raw, "filesize"),
        md5sum=md5,
        sha256sum=sha256,
        url=_string(raw, "url") or None,
        prompt_template=template,
        system_prompt=_string(raw, "systemPrompt") or "",
        description=_string(raw, "description") or "",
        parameters=_string(raw, "parameters"),
        quant=_string(raw, "quant"),
        ram_required_gb=_number(raw, "ramrequired"),
        model_type=_string(raw, "type"),
        requires=_string(raw, "requires"),
        removed_in=_string(raw, "removedIn"),
        disable_gui=_flag(raw, "disableGUI"),
        embedding_model=_flag(raw, "embeddingModel"),
        order=_string(raw, "order"),
        engine=_engine(raw),
        licence=_string(raw, "licence") or None,
        languages=_string(raw, "languages") or None,
    )


def _label(index: int, raw: object) -> str:
    """ "entry 3 ('MPT Chat')": 1-based, as a person counts entries in the file."""
    name = raw.get("name") if isinstance(raw, dict) else None
    return f"entry {index} ({name!r})" if isinstance(name, str) else f"entry {index}"


def load_catalog(path: str | os.PathLike[str]) -> tuple[list[CatalogEntry], list[str]]:
    """Read a catalog file; return the good entries and one message per problem found.

    Never raises for bad content: a model manager with some entries and a list of problems
    is more useful than none. A later entry reusing an earlier entry's file name is skipped,
    because file names identify installed models.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        return [], [f"The catalog file could not be read ({reason})."]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        return [], [f"The catalog file is not valid JSON (line {e.lineno}, column {e.colno})."]
    if not isinstance(data, list):
        return [], ["The catalog file does not hold a list of models."]
    entries: list[CatalogEntry] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(data, start=1):
        try:
            entry = _entry(raw)
        except _EntryProblem as e:
            problems.append(f"{_label(index, raw)}: {e}")
            continue
        if entry.filename in seen:
            problems.append(
                f"{_label(index, raw)}: filename '{entry.filename}' is already used by "
                f"entry {seen[entry.filename]}"
            )
            continue
        seen[entry.filename] = index
        entries.append(entry)
    return entries, problems


def find_by_filename(entries: Iterable[CatalogEntry], filename: str) -> CatalogEntry | None:
    """The catalog entry for an installed file name, if the catalog knows it."""
    return next((e for e in entries if e.filename == filename), None)
