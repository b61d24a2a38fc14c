"""Catalog descriptions are HTML from outside the program: keep only harmless formatting.

Qt's rich text would show images (and a crafted file could point them at local paths) and
make links clickable. Descriptions are rebuilt from a small allow-list of tags with every
attribute dropped; links become their text followed by the address in brackets, so nothing
is fetched or opened from a catalog file.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser
from typing import Final

_KEPT: Final = frozenset({"p", "br", "ul", "ol", "li", "strong", "b", "em", "i", "code"})
_DROPPED_WITH_CONTENT: Final = frozenset({"script", "style", "iframe", "object", "svg", "head"})


class _Sanitiser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self._skipping = 0
        self._link: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED_WITH_CONTENT:
            self._skipping += 1
        elif self._skipping:
            return
        elif tag in _KEPT:
            self.out.append(f"<{tag}>")
        elif tag == "a":
            self._link = dict(attrs).get("href") or None

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED_WITH_CONTENT:
            self._skipping = max(0, self._skipping - 1)
        elif self._skipping:
            return
        elif tag in _KEPT and tag != "br":
            self.out.append(f"</{tag}>")
        elif tag == "a" and self._link:
            self.out.append(f" ({html.escape(self._link)})")
            self._link = None

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.out.append(html.escape(data))


def sanitise(description: str) -> str:
    """Safe rich text for a QLabel: allow-listed tags, no attributes, no images, no links."""
    parser = _Sanitiser()
    parser.feed(description)
    parser.close()
    return "".join(parser.out)
