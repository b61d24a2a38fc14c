"""A clinician's question as a full-text query: its content words, in Spanish or English.

FTS5 matches words, so the question's function words ("qué", "the") would rank passages by
noise, and its inflections ("antibióticos" against "antibiótica") would miss; each word is
quoted, so nothing a clinician types can act as an FTS5 operator.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

# Words that say nothing about which passage answers (Spanish and English): left out of the
# query, so "¿qué pauta indica el protocolo para la colecistectomía?" ranks by its content.
_STOPWORD_TEXT: Final = """
    a al algo algun alguna ante antes como con cual cuales cuando de del desde donde el
    ella en entre es esta este esto esa ese eso fue ha han hay la las le les lo los mas
    me mi muy nos nuestro nuestra o para pero por porque que quien se ser si sin sobre
    son su sus tambien te tiene tu un una uno unos unas y ya cuanto cuanta debe deben
    puede pueden hace hacer indica segun the an and are as at be by can do does for from
    has have how i in is it its me my of on or our should that this to was what when
    where which who why will with you your according
"""
_STOPWORDS: Final = frozenset(_STOPWORD_TEXT.split())
# A word is matched by its stem, as a prefix: a plural "s"/"es" and then a final vowel come
# off while at least this many letters stay, so "antibióticos" finds "antibiótica",
# "pauta" finds "pautas" and "guidelines" finds "guideline".
_STEM_MIN: Final = 4
_WORD: Final = re.compile(r"\w+", re.UNICODE)


def search_query(text: str) -> str:
    """A question as a safe FTS5 query: its content words, quoted, OR-ed, long ones stemmed.

    Quoting makes every FTS5 operator plain text; stop words go; "" when nothing is left.
    """
    terms: list[str] = []
    for word in _WORD.findall(text.casefold()):
        plain = _unaccented(word)
        if plain in _STOPWORDS or len(plain) < 2:
            continue
        stem = _stem(plain)
        term = f'"{stem}"*' if stem != plain else f'"{plain}"'
        if term not in terms:
            terms.append(term)
    return " OR ".join(terms)


def _stem(word: str) -> str:
    for ending in ("es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= _STEM_MIN:
            word = word[: -len(ending)]
            break
    if word[-1] in "aeiou" and len(word) - 1 >= _STEM_MIN:
        word = word[:-1]
    return word


def _unaccented(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))
