"""Every setting ClinicChat has, declared once.

Loading, validation, the settings dialog and its tests all read this list, so a new setting
is one entry here and cannot be forgotten by one of them. Labels and descriptions are English
source texts marked for Qt's translation tools (context "Settings"); the UI translates them.

Two scopes: `APP` settings apply to the whole program; `MODEL` settings are kept per model
file, because a temperature or system prompt that suits one model rarely suits another.

A setting can be bounded by another (`at_most`): the answer length can never exceed the
context length, since an answer longer than the model's whole memory cannot be written.
`within_limits` applies that rule; the settings and the dialog both go through it.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Final

from clinichat.llm.engines.base import GPT4ALL, LLAMACPP, GenerationParams
from clinichat.messages import QT_TRANSLATE_NOOP, Translator, UserError
from clinichat.system_info import total_ram_bytes

__all__ = ["APP", "MODEL", "SERVER", "Kind", "Option", "SettingError", "option", "within_limits"]

MAX_IDLE_MINUTES: Final = 24 * 60
MAX_TEXT: Final = 16_000
# GPT4All's desktop default (4096) is twice its default context (2048): an answer could
# never reach it. Half the default context leaves the other half for the conversation.
DEFAULT_ANSWER_TOKENS: Final = 1024


class SettingError(UserError):
    """A value a setting cannot take; the message says which setting and why."""

    context = "Settings"

    def render(self, translate: Translator | None = None) -> str:
        """The setting's label and the reason are source texts too: translate them first."""
        if translate is None:
            return super().render()
        args = {
            key: translate(self.context, value) if key in ("setting", "reason") else value
            for key, value in self.args_map.items()
        }
        return translate(self.context, self.text).format(**args)


class Kind(enum.Enum):
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    CHOICE = "choice"  # one of a fixed list of values
    DYNAMIC = "dynamic"  # one of a list known only at run time (models, devices)
    TEXT = "text"  # multi-line text; None means "the model's own default"


def cores() -> int:
    return os.cpu_count() or 1


def default_threads() -> int:
    """The source study saw no gain past 4 threads on CPU; never more than the cores."""
    return max(1, min(4, cores()))


def default_parallel_answers() -> int:
    """One answer per 4 cores and 8 GB of memory, 1 to 4: each answer written at once needs
    cores to be faster than waiting its turn, and its own share of memory for its context.
    Measured on 2 cores (tests/bench/bench_concurrency.py) two at once are barely faster in
    total than one after the other, so a small PC keeps to one."""
    ram = total_ram_bytes() or 0
    return max(1, min(4, cores() // 4, ram // (8 << 30)))


@dataclass(frozen=True)
class Option:
    """One setting: its type, default, bounds and the words the dialog shows for it."""

    key: str
    kind: Kind
    default: object
    label: str
    description: str
    minimum: float | None = None
    maximum: float | Callable[[], float] | None = None
    step: float = 1
    decimals: int = 2
    choices: tuple[tuple[str, str], ...] = ()  # (value, translatable label)
    # Settings clinicians rarely need (sampling, the model's own formatting): the dialog
    # keeps them in a collapsed "Advanced" section.
    advanced: bool = False
    # The key of the setting whose value this one may never exceed.
    at_most: str | None = None
    # Extra rule for text: returns why the text cannot be used, or None.
    check: Callable[[str], str | None] | None = field(default=None, compare=False)
    # The engines that read this model setting (None: both); the dialog shows it only for
    # a model that runs on one of them.
    engines: frozenset[str] | None = None

    def default_value(self) -> object:
        return self.default() if callable(self.default) else self.default

    def upper(self) -> float | None:
        return self.maximum() if callable(self.maximum) else self.maximum

    def validate(self, value: object) -> object:
        """The value in its proper type; raise SettingError when it cannot be used."""
        if self.kind is Kind.BOOL:
            if isinstance(value, bool):
                return value
            raise self._error(QT_TRANSLATE_NOOP("Settings", "it must be on or off"))
        if self.kind in (Kind.INT, Kind.FLOAT):
            return self._number(value)
        if self.kind is Kind.CHOICE:
            if value in {v for v, _ in self.choices}:
                return value
            raise self._error(QT_TRANSLATE_NOOP("Settings", "it is not one of the choices"))
        if value is None and self.default is None:
            return None
        if not isinstance(value, str):
            raise self._error(QT_TRANSLATE_NOOP("Settings", "it must be text"))
        if len(value) > MAX_TEXT:
            raise self._error(QT_TRANSLATE_NOOP("Settings", "the text is too long"))
        reason = self.check(value) if self.check is not None else None
        if reason is not None:
            raise self._error(reason)
        return value

    def _number(self, value: object) -> int | float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._error(QT_TRANSLATE_NOOP("Settings", "it must be a number"))
        if self.kind is Kind.INT and not isinstance(value, int):
            if not float(value).is_integer():
                raise self._error(QT_TRANSLATE_NOOP("Settings", "it must be a whole number"))
            value = int(value)
        number: int | float = value if self.kind is Kind.INT else float(value)
        low, high = self.minimum, self.upper()
        if (low is not None and number < low) or (high is not None and number > high):
            raise SettingError(
                QT_TRANSLATE_NOOP("Settings", "{setting}: {value} is not between {low} and {high}"),
                setting=self.label,
                value=number,
                low=_plain(low),
                high=_plain(high),
            )
        return number

    def _error(self, reason: str) -> SettingError:
        return SettingError(
            QT_TRANSLATE_NOOP("Settings", "{setting}: {reason}"), setting=self.label, reason=reason
        )


def _plain(number: float | None) -> str:
    return "" if number is None else f"{number:g}"


def _check_template(text: str) -> str | None:
    if "%1" in text:
        return None
    return QT_TRANSLATE_NOOP("Settings", "it needs %1 where the question goes")


_GEN = GenerationParams()

APP: Final[tuple[Option, ...]] = (
    Option(
        "language",
        Kind.CHOICE,
        "system",
        QT_TRANSLATE_NOOP("Settings", "Language"),
        QT_TRANSLATE_NOOP("Settings", "Language of the menus and messages."),
        choices=(
            ("system", QT_TRANSLATE_NOOP("Settings", "As the system")),
            ("en", "English"),
            ("es", "Español"),
        ),
    ),
    Option(
        "theme",
        Kind.CHOICE,
        "system",
        QT_TRANSLATE_NOOP("Settings", "Theme"),
        QT_TRANSLATE_NOOP("Settings", "Light or dark colours, or follow the system."),
        choices=(
            ("system", QT_TRANSLATE_NOOP("Settings", "As the system")),
            ("light", QT_TRANSLATE_NOOP("Settings", "Light")),
            ("dark", QT_TRANSLATE_NOOP("Settings", "Dark")),
        ),
    ),
    Option(
        "font_scale",
        Kind.INT,
        100,
        QT_TRANSLATE_NOOP("Settings", "Text size (%)"),
        QT_TRANSLATE_NOOP("Settings", "Makes all text larger or smaller; 100% is normal."),
        minimum=80,
        maximum=200,
        step=10,
    ),
    Option(
        "threads",
        Kind.INT,
        default_threads,
        QT_TRANSLATE_NOOP("Settings", "Processor threads"),
        QT_TRANSLATE_NOOP(
            "Settings",
            "How many processor threads generate answers. More is not always faster; use"
            " 'Find best thread count' to measure this computer.",
        ),
        minimum=1,
        maximum=cores,
    ),
    Option(
        "parallel_answers",
        Kind.INT,
        default_parallel_answers,
        QT_TRANSLATE_NOOP("Settings", "Answers at once"),
        QT_TRANSLATE_NOOP(
            "Settings",
            "How many conversations the llama.cpp engine answers at the same time; more"
            " questions wait their turn. Each needs its own memory for the conversation, and"
            " more than this computer's cores can serve makes every answer slower.",
        ),
        minimum=1,
        maximum=8,
    ),
    Option(
        "device",
        Kind.DYNAMIC,
        "cpu",
        QT_TRANSLATE_NOOP("Settings", "Device"),
        QT_TRANSLATE_NOOP(
            "Settings", "Run the model on the processor (CPU) or on a graphics card (GPU)."
        ),
    ),
    Option(
        "idle_lock_minutes",
        Kind.INT,
        5,
        QT_TRANSLATE_NOOP("Settings", "Lock after idle minutes"),
        QT_TRANSLATE_NOOP(
            "Settings", "Hide the conversations after this many minutes without use; 0 = never."
        ),
        minimum=0,
        maximum=MAX_IDLE_MINUTES,
    ),
    Option(
        "default_model",
        Kind.DYNAMIC,
        None,
        QT_TRANSLATE_NOOP("Settings", "Default model"),
        QT_TRANSLATE_NOOP("Settings", "The model loaded when ClinicChat starts."),
    ),
    Option(
        "document_model",
        Kind.DYNAMIC,
        None,
        QT_TRANSLATE_NOOP("Settings", "Document search model"),
        QT_TRANSLATE_NOOP(
            "Settings",
            "The embedding model that also finds document passages by their meaning; without"
            " one, passages are found by their words.",
        ),
    ),
    Option(
        "speech_model",
        Kind.DYNAMIC,
        None,
        QT_TRANSLATE_NOOP("Settings", "Speech model"),
        QT_TRANSLATE_NOOP(
            "Settings",
            "The Whisper model that turns dictation and recordings into text, on this computer.",
        ),
    ),
    Option(
        "speech_language",
        Kind.CHOICE,
        "auto",
        QT_TRANSLATE_NOOP("Settings", "Dictation language"),
        QT_TRANSLATE_NOOP(
            "Settings",
            "The language spoken in dictation and recordings; automatic tells it from the"
            " first seconds.",
        ),
        choices=(
            ("auto", QT_TRANSLATE_NOOP("Settings", "Automatic")),
            ("es", "Español"),
            ("en", "English"),
        ),
    ),
    Option(
        "save_history",
        Kind.BOOL,
        True,
        QT_TRANSLATE_NOOP("Settings", "Save conversations"),
        QT_TRANSLATE_NOOP(
            "Settings",
            "Keep conversations in the encrypted history. When off, new conversations are"
            " forgotten when ClinicChat closes.",
        ),
    ),
)

MODEL: Final[tuple[Option, ...]] = (
    Option(
        "engine",
        Kind.CHOICE,
        "auto",
        QT_TRANSLATE_NOOP("Settings", "Engine"),
        QT_TRANSLATE_NOOP(
            "Settings",
            "Which engine runs this model. Automatic picks the one that suits the file; an"
            " engine that cannot run it is not used. Applied when the model is next loaded.",
        ),
        choices=(
            ("auto", QT_TRANSLATE_NOOP("Settings", "Automatic")),
            ("gpt4all", "GPT4All"),
            ("llamacpp", "llama.cpp"),
        ),
        advanced=True,
    ),
    Option(
        "context_length",
        Kind.INT,
        2048,
        QT_TRANSLATE_NOOP("Settings", "Context length (tokens)"),
        QT_TRANSLATE_NOOP(
            "Settings",
            "How much conversation the model reads at once. Larger needs more memory; applied"
            " when the model is next loaded.",
        ),
        minimum=256,
        maximum=131_072,
        step=256,
    ),
    Option(
        "max_tokens",
        Kind.INT,
        DEFAULT_ANSWER_TOKENS,
        QT_TRANSLATE_NOOP("Settings", "Maximum answer length (tokens)"),
        QT_TRANSLATE_NOOP(
            "Settings", "An answer stops after this many tokens; never more than the context."
        ),
        minimum=1,
        maximum=32_768,
        at_most="context_length",
    ),
    Option(
        "temperature",
        Kind.FLOAT,
        _GEN.temperature,
        QT_TRANSLATE_NOOP("Settings", "Temperature"),
        QT_TRANSLATE_NOOP(
            "Settings", "Higher gives more varied answers, lower more predictable ones."
        ),
        minimum=0.0,
        maximum=2.0,
        step=0.05,
        advanced=True,
    ),
    Option(
        "top_p",
        Kind.FLOAT,
        _GEN.top_p,
        QT_TRANSLATE_NOOP("Settings", "Top-p"),
        QT_TRANSLATE_NOOP(
            "Settings", "Only the likeliest words whose chances add up to this are considered."
        ),
        minimum=0.0,
        maximum=1.0,
        step=0.05,
        advanced=True,
    ),
    Option(
        "min_p",
        Kind.FLOAT,
        _GEN.min_p,
        QT_TRANSLATE_NOOP("Settings", "Min-p"),
        QT_TRANSLATE_NOOP(
            "Settings", "Words less likely than this share of the likeliest are ignored."
        ),
        minimum=0.0,
        maximum=1.0,
        step=0.05,
        advanced=True,
    ),
    Option(
        "top_k",
        Kind.INT,
        _GEN.top_k,
        QT_TRANSLATE_NOOP("Settings", "Top-k"),
        QT_TRANSLATE_NOOP("Settings", "Only this many of the likeliest words are considered."),
        minimum=1,
        maximum=1000,
        advanced=True,
    ),
    Option(
        "repeat_penalty",
        Kind.FLOAT,
        _GEN.repeat_penalty,
        QT_TRANSLATE_NOOP("Settings", "Repeat penalty"),
        QT_TRANSLATE_NOOP("Settings", "Discourages repeating recent words; 1 = no penalty."),
        minimum=1.0,
        maximum=2.0,
        step=0.01,
        advanced=True,
    ),
    Option(
        "repeat_last_n",
        Kind.INT,
        _GEN.repeat_last_n,
        QT_TRANSLATE_NOOP("Settings", "Repeat penalty window (tokens)"),
        QT_TRANSLATE_NOOP("Settings", "How many recent tokens the repeat penalty looks at."),
        minimum=0,
        maximum=4096,
        advanced=True,
    ),
    Option(
        "n_batch",
        Kind.INT,
        _GEN.n_batch,
        QT_TRANSLATE_NOOP("Settings", "Prompt batch size"),
        QT_TRANSLATE_NOOP(
            "Settings", "Tokens of the question read per step; larger can be faster."
        ),
        minimum=1,
        maximum=512,
        advanced=True,
        engines=frozenset({GPT4ALL}),
    ),
    Option(
        "thinking",
        Kind.BOOL,
        _GEN.thinking,
        QT_TRANSLATE_NOOP("Settings", "Think before answering"),
        QT_TRANSLATE_NOOP(
            "Settings",
            "For reasoning models such as Qwen3 on llama.cpp: the model works the question"
            " through first (slower). Its reasoning is shown folded under Reasoning, and is"
            " never copied, exported or saved as the answer.",
        ),
        advanced=True,
        engines=frozenset({LLAMACPP}),
    ),
    Option(
        "system_prompt",
        Kind.TEXT,
        None,
        QT_TRANSLATE_NOOP("Settings", "System prompt"),
        QT_TRANSLATE_NOOP(
            "Settings",
            "Instructions given to the model before every conversation: plain text on"
            " llama.cpp, the model's own format on GPT4All. Empty the field to use the"
            " catalog's.",
        ),
        advanced=True,
    ),
    Option(
        "prompt_template",
        Kind.TEXT,
        None,
        QT_TRANSLATE_NOOP("Settings", "Prompt template"),
        QT_TRANSLATE_NOOP(
            "Settings",
            "How each question is wrapped for the model: %1 is the question, %2 the answer."
            " Empty the field to use the catalog's.",
        ),
        check=_check_template,
        advanced=True,
        engines=frozenset({GPT4ALL}),
    ),
)


def _check_line(text: str) -> str | None:
    if len(text) <= 2000 and text.isprintable():
        return None
    return QT_TRANSLATE_NOOP("Settings", "it must be one line of text")


# The clinic's server, set in its own dialog (the access key is in the keychain, not here).
SERVER: Final[tuple[Option, ...]] = (
    Option(
        "server_url",
        Kind.TEXT,
        None,
        QT_TRANSLATE_NOOP("Settings", "Server address"),
        QT_TRANSLATE_NOOP(
            "Settings",
            "The address IT gave for the clinic's server, starting with https://.",
        ),
        check=_check_line,
    ),
    Option(
        "server_model",
        Kind.TEXT,
        None,
        QT_TRANSLATE_NOOP("Settings", "Server model"),
        QT_TRANSLATE_NOOP("Settings", "Which of the server's models answers."),
        check=_check_line,
    ),
    Option(
        "server_ca_file",
        Kind.TEXT,
        None,
        QT_TRANSLATE_NOOP("Settings", "Certificate authority file"),
        QT_TRANSLATE_NOOP(
            "Settings",
            "The clinic's own certificate authority (a PEM file), when IT uses one.",
        ),
        check=_check_line,
    ),
    Option(
        "server_context",
        Kind.INT,
        4096,
        QT_TRANSLATE_NOOP("Settings", "Server context length"),
        QT_TRANSLATE_NOOP(
            "Settings",
            "How many tokens of the conversation the server's model holds (IT knows it).",
        ),
        minimum=512,
        maximum=262_144,
        step=512,
    ),
    Option(
        "server_parallel",
        Kind.INT,
        4,
        QT_TRANSLATE_NOOP("Settings", "Answers at once from the server"),
        QT_TRANSLATE_NOOP(
            "Settings",
            "How many conversations on this computer the clinic's server answers at the same"
            " time; more questions wait their turn here. The server shares its work between"
            " them (IT knows how many it serves).",
        ),
        minimum=1,
        maximum=16,
    ),
    Option(
        "server_confirmed",
        Kind.TEXT,
        None,
        QT_TRANSLATE_NOOP("Settings", "Server confirmed"),
        QT_TRANSLATE_NOOP(
            "Settings",
            "The server address the clinician agreed to send questions to.",
        ),
        check=_check_line,
    ),
    Option(
        "use_server",
        Kind.BOOL,
        False,
        QT_TRANSLATE_NOOP("Settings", "Use the clinic's server"),
        QT_TRANSLATE_NOOP(
            "Settings",
            "Questions go to the clinic's server instead of a model on this computer.",
        ),
    ),
)


def within_limits(values: Mapping[str, object]) -> dict[str, object]:
    """`values` (one model's settings, every key present) with each bounded setting lowered
    to its bound, e.g. the answer length to the context length."""
    limited = dict(values)
    for entry in MODEL:
        if entry.at_most is None:
            continue
        value, bound = limited[entry.key], limited[entry.at_most]
        if isinstance(value, int | float) and isinstance(bound, int | float) and value > bound:
            limited[entry.key] = bound
    return limited


def option(key: str) -> Option:
    """The app or model setting called `key`."""
    for entry in APP + SERVER + MODEL:
        if entry.key == key:
            return entry
    raise KeyError(key)
