"""Translatable user-facing messages for code that must not import Qt.

The engine, the model registry and the history store are Qt-free, yet their errors reach a
clinician who may read Spanish. They raise `UserError`s that carry the English source text
(marked with QT_TRANSLATE_NOOP so pyside6-lupdate extracts it) plus the values to fill in;
the UI translates the source text first and formats it afterwards, so translators see one
stable sentence with named placeholders.
"""

from __future__ import annotations

from collections.abc import Callable


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark `text` for extraction into `context`; translation happens later, in the UI."""
    del context
    return text


Translator = Callable[[str, str], str]


class UserError(Exception):
    """An error whose message is meant for the user, in words a clinician understands."""

    context = "Errors"

    def __init__(self, text: str, **args: object) -> None:
        self.text = text
        self.args_map = {key: str(value) for key, value in args.items()}
        super().__init__(self.render())

    def render(self, translate: Translator | None = None) -> str:
        """The message, translated by `translate(context, text)` when given."""
        source = translate(self.context, self.text) if translate else self.text
        return source.format(**self.args_map)
