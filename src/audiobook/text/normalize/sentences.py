"""Split Kazakh paragraphs into sentences without breaking at abbreviations or initials.

A sentence ends at . ! ? or … (with any closing quotes or brackets) followed by a space and something that
can start a sentence: a capital letter, a digit, an opening quote or bracket, or a dialogue dash. A period
after an initial ("Қ. Тоқаев", "Қ.К. Тоқаев"), after a listed abbreviation ("т.б.", "ж.") or after a list
number at the start of the paragraph ("1. Кіріспе") does not end a sentence. The text is not changed.
"""

from __future__ import annotations

import re

from audiobook.text.normalize.abbreviations import NO_SPLIT_AFTER

# Sentence punctuation, then space and a possible start (its case is checked in code: str.islower knows
# every alphabet, a regex class does not).
# Possessive quantifiers and the look-behind keep it linear: a run of marks ("!?!?...", "....") is tried
# once from its start, not again from each of its characters.
_BOUNDARY = re.compile(r"(?<![.!?…])[.!?…]++[»\"”’)\]]*+(?=\s++[«\"“„(\[—–\-]?+\s*+(?P<next>\w))")
_NON_SPACE = re.compile(r"\S")
_HARD_BREAK = re.compile(r"\n\s*\n")
_INITIALS = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")  # "Қ", "Қ.К", "A.B" (capitals: checked in code)
_LIST_NUMBER = re.compile(r"\d{1,2}|[IVXLC]+")
_BEFORE_NAME = frozenset({"г", "ул", "пр", "им", "пос", "с", "д"})


def _last_token(block: str, start: int, end: int) -> int:
    """Where the word ending at block[end] begins (end itself if a space comes first): scanned backwards,
    so the cost is the word's length, not the sentence's."""
    i = end
    while i > start and not block[i - 1].isspace():
        i -= 1
    return i


def _ends_sentence(block: str, start: int, end: int, punct: str) -> bool:
    """May `punct`, written at block[end] right after the sentence begun at `start`, close the sentence?"""
    if punct[0] != "." or punct.startswith(".."):
        return True
    first = _last_token(block, start, end)
    if first == end:
        return True
    token = block[first:end].lstrip('«"“„([')
    if (token + ".") in NO_SPLIT_AFTER or (_INITIALS.fullmatch(token) and token[-1].isupper()):
        return False
    year = token == "г" and re.search(r"\d\s*$", block[max(start, first - 8) : first])
    if token.lower() in _BEFORE_NAME and not year:
        return False  # Russian "в г. Алматы", "ул. Абая" (but "в 2024 г. Затем" ends there)
    return not (_LIST_NUMBER.fullmatch(token) and not _NON_SPACE.search(block, start, first))


def _split_block(block: str) -> list[str]:
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(block):
        if m.group("next").islower():
            continue
        if _ends_sentence(block, start, m.start(), m.group(0)):
            out.append(block[start : m.end()].strip())
            start = m.end()
    out.append(block[start:].strip())
    return [s for s in out if s]


def split_sentences(text: str) -> list[str]:
    """A paragraph into sentences, each exactly as written (blank lines also separate sentences)."""
    return [s for block in _HARD_BREAK.split(text) for s in _split_block(block)]
