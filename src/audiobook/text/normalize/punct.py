"""Punctuation for speech: quotes dropped, brackets and dashes turned into comma pauses, spacing tidied.

Sentence punctuation (. , ? ! ; : …) is kept. A dash between two number words is a range ("екі мың
жиырма екі – екі мың жиырма жетінші жылдары", as in the reading rules) and stays an en dash.
"""

from __future__ import annotations

import re
import unicodedata

from audiobook.text.normalize.numbers import CARDINAL_WORDS

_SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f\u200a\u3000]+")
_INVISIBLE = re.compile(r"[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})
_QUOTES = re.compile(r"[«»“”„‟\"‹›‚]|(?<![A-Za-z])['‘’]|['‘’](?![A-Za-z])")
_OPEN = re.compile(r"\s*[(\[{]\s*")
_CLOSE = re.compile(r"\s*[)\]}]")

_GLUED_EN_DASH = re.compile(r"(?<=[^\W\d])–(?=[^\W\d])")  # "Ақтау–Баку": a compound, like a hyphen
# A dash standing alone, opening the line (dialogue), or an em dash glued between words.
# (Or a dash glued to the word after it, "сөз —0": once the number is a word, the next pass sees a pause.)
_DASH = re.compile(r"^\s*[-–—]+|(?<=[\s,.!?;:…])[-–—]+(?=[\s,.!?;:…]|$)|(?<=\w)—(?=\w)|(?<=\s)[-–—]+(?=\w)")
_WORD_AFTER = re.compile(r"\s*(\w+)")
_NUMBER_STEMS = tuple(sorted(CARDINAL_WORDS, key=len, reverse=True))

# A hyphen glued after a pause ("(сөз)-1" -> "сөз,-бір"): a second pass would read what follows anew.
_HYPHEN_AFTER_PAUSE = re.compile(r"(?<=[,;:!?…])[-–—]+(?=\w)")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.!?;:…])")
_COMMA_RUNS = re.compile(r",(?:\s*,)+")
_COMMA_BEFORE_STOP = re.compile(r",\s*([.!?;:…])")
_COMMA_AFTER_STOP = re.compile(r"([.!?;:…])(?:\s*,)+")
_LEADING = re.compile(r"^[\s,;:\-–—]+")  # a dash left first ("(–АДБ") would be a pause the next time
_TRAILING = re.compile(r"(?<![\s,;:])[\s,;:]+$")  # tried once per run, not from each mark
_SPACE_AFTER_COMMA = re.compile(r",(?=[^\W\d]|[\U000f0000-\U000ffffd])")  # a word, or a kept reading


# Ranges of numbers as pages write them: "-2...-7°C", "+3...+5", "50- 60", "-2–-7": one dash between.
_NUMBER_RANGE = re.compile(r"(?<=\d)(?:\s*\.{2,3}|…|-\s+|[–—](?=[-+−]\d))\s*(?=[-+−]?\d)")


def prepare(text: str) -> str:
    """Unicode clean-up, quotes dropped, brackets into commas: run before the word rules."""
    text = unicodedata.normalize("NFC", text).translate(_HYPHENS)
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    text = _NUMBER_RANGE.sub(" – ", text)
    text = _QUOTES.sub("", text)
    text = _OPEN.sub(", ", text)
    text = _CLOSE.sub(",", text)
    return _HYPHEN_AFTER_PAUSE.sub(" ", text)  # before the word rules: "(…)-ІІМ" is an acronym to read


def _word_before(text: str, start: int) -> str:
    """The word just before text[start] (spaces between allowed), like (\\w+)\\s*$ on text[:start] but
    scanned backwards: a search of the whole prefix made every dash cost the length of the text."""
    i = start
    while i > 0 and text[i - 1].isspace():
        i -= 1
    j = i
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] == "_"):  # what \w matches
        j -= 1
    return text[j:i]


def _is_range(text: str, start: int, end: int) -> bool:
    before = _word_before(text, start).lower()
    after = _WORD_AFTER.match(text, end)
    return bool(
        before
        and after
        and (before in CARDINAL_WORDS or before.endswith(("ншы", "нші")))
        and after.group(1).lower().startswith(_NUMBER_STEMS)
    )


def _dash(m: re.Match[str]) -> str:
    return " – " if _is_range(m.string, m.start(), m.end()) else ", "


def finish(text: str) -> str:
    """Dashes into pauses and tidy spacing: run after the word rules."""
    text = _QUOTES.sub("", text)  # an apostrophe kept inside a Latin word ("XI's") is now in Cyrillic
    text = _GLUED_EN_DASH.sub("-", text)
    text = _DASH.sub(_dash, text)
    text = _HYPHEN_AFTER_PAUSE.sub(" ", text)
    text = _SPACES.sub(" ", text)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _COMMA_RUNS.sub(",", text)
    text = _COMMA_BEFORE_STOP.sub(r"\1", text)
    text = _COMMA_AFTER_STOP.sub(r"\1", text)
    text = _SPACE_AFTER_COMMA.sub(", ", text)
    text = _LEADING.sub("", text)
    text = _TRAILING.sub("", text)
    return _SPACES.sub(" ", text).strip()
