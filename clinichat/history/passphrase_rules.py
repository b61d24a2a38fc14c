"""Which new passphrases ClinicChat accepts: long enough and not easy to guess.

The passphrase wraps the history key, and whoever copies the history file can try guesses at
it offline for as long as they like; Argon2id only slows each guess down. A length rule alone
lets through `password` or `12345678`, the first words any guessing list tries. So a new
passphrase must also pass zxcvbn (Dropbox's strength estimator, pure Python, MIT): it
recognises common passwords, keyboard rows, repeats, sequences, dates and l33t spellings of
them, and a score below 3 ("safely unguessable" starts there) is refused with its reason.

One function, `passphrase_problem`, holds the rule; the vault calls it for every passphrase it
is asked to set, and the dialogs call it first to say why while the user is still typing, so
no path can skip it. Qt-free: the reasons are `UserError`s the UI translates.
"""

from __future__ import annotations

import unicodedata
from typing import Final

from clinichat.messages import QT_TRANSLATE_NOOP, Translator, UserError

__all__ = ["MIN_PASSPHRASE_LENGTH", "MIN_SCORE", "PassphraseProblem", "passphrase_problem"]

MIN_PASSPHRASE_LENGTH: Final = 8
#: zxcvbn's 0-4 scale; 3 means "safely unguessable: moderate protection from offline attack".
MIN_SCORE: Final = 3
#: zxcvbn refuses longer input (its matching is superlinear); the first 72 characters decide.
_CHECKED_LENGTH: Final = 72
#: Words that make a passphrase easy to guess here, whatever the dictionaries say.
_OWN_WORDS: Final = ("clinichat", "clinic", "chat", "history", "historia", "passphrase")

# zxcvbn's warnings (English, in its feedback.py), as our own translatable sentences.
_REASONS: Final = {
    "Straight rows of keys are easy to guess.": QT_TRANSLATE_NOOP(
        "Errors", "Rows of keys on the keyboard are easy to guess."
    ),
    "Short keyboard patterns are easy to guess.": QT_TRANSLATE_NOOP(
        "Errors", "Short keyboard patterns are easy to guess."
    ),
    'Repeats like "aaa" are easy to guess.': QT_TRANSLATE_NOOP(
        "Errors", "Repeated characters are easy to guess."
    ),
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': QT_TRANSLATE_NOOP(
        "Errors", "A repeated word is hardly harder to guess than the word once."
    ),
    'Sequences like "abc" or "6543" are easy to guess.': QT_TRANSLATE_NOOP(
        "Errors", "Sequences such as abc or 6543 are easy to guess."
    ),
    "Recent years are easy to guess.": QT_TRANSLATE_NOOP(
        "Errors", "Recent years are easy to guess."
    ),
    "Dates are often easy to guess.": QT_TRANSLATE_NOOP("Errors", "Dates are easy to guess."),
    "This is a top-10 common password.": QT_TRANSLATE_NOOP(
        "Errors", "It is one of the most common passwords."
    ),
    "This is a top-100 common password.": QT_TRANSLATE_NOOP(
        "Errors", "It is one of the most common passwords."
    ),
    "This is a very common password.": QT_TRANSLATE_NOOP("Errors", "It is a very common password."),
    "This is similar to a commonly used password.": QT_TRANSLATE_NOOP(
        "Errors", "It is too close to a common password."
    ),
    "A word by itself is easy to guess.": QT_TRANSLATE_NOOP(
        "Errors", "A single word is easy to guess."
    ),
    "Names and surnames by themselves are easy to guess.": QT_TRANSLATE_NOOP(
        "Errors", "Names and surnames on their own are easy to guess."
    ),
    "Common names and surnames are easy to guess.": QT_TRANSLATE_NOOP(
        "Errors", "Common names and surnames are easy to guess."
    ),
}
_GENERAL_REASON: Final = QT_TRANSLATE_NOOP("Errors", "It is too easy to guess.")


class PassphraseProblem(UserError):
    """Why a new passphrase is refused (too short, or too easy to guess)."""

    def __init__(self, text: str, *, reason: str = "", **args: object) -> None:
        # The reason is itself a translatable sentence: kept apart so the UI can translate
        # both halves (see `render`).
        self.reason = reason
        super().__init__(text, reason=reason, **args)

    def render(self, translate: Translator | None = None) -> str:
        """The message, with its reason translated by the same `translate` when given."""
        if translate is None:
            return super().render()
        reason = translate(self.context, self.reason) if self.reason else ""
        return translate(self.context, self.text).format(**{**self.args_map, "reason": reason})


def _score(passphrase: str) -> tuple[int, str]:
    """zxcvbn's score and its warning (imported here: its word lists take 50 ms to load)."""
    from zxcvbn import zxcvbn

    result = zxcvbn(passphrase[:_CHECKED_LENGTH], user_inputs=list(_OWN_WORDS))
    warning = result["feedback"]["warning"] if isinstance(result.get("feedback"), dict) else ""
    return int(result["score"]), str(warning or "")


def passphrase_problem(passphrase: str) -> PassphraseProblem | None:
    """None if `passphrase` may protect the history; otherwise why not, ready to show.

    The passphrase is normalised (NFC) first, as the vault stores it.
    """
    normalised = unicodedata.normalize("NFC", passphrase)
    if len(normalised) < MIN_PASSPHRASE_LENGTH:
        return PassphraseProblem(
            QT_TRANSLATE_NOOP("Errors", "The passphrase must have at least {minimum} characters."),
            minimum=MIN_PASSPHRASE_LENGTH,
        )
    score, warning = _score(normalised)
    if score >= MIN_SCORE:
        return None
    return PassphraseProblem(
        QT_TRANSLATE_NOOP(
            "Errors",
            "This passphrase is too easy to guess. {reason} Use a sentence of several"
            " uncommon words that only you would think of.",
        ),
        reason=_REASONS.get(warning, _GENERAL_REASON),
    )
