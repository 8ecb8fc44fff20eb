"""What the normalizer had to guess, for the pre-flight report (`audiobook check`).

normalize(text, notes=[...]) appends a Guess for every reading that is a judgement rather than a rule
with one answer: an acronym read letter by letter, a Latin word read by spelling rules or from the
English dictionary, a word converted from another script, a number read as a year or as a count.
Collecting them never changes what is spoken.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Literal

GuessKind = Literal["acronym", "latin-rule", "latin-dictionary", "latin-kazakh", "arabic-kazakh", "number",
                    "letter"]
# Kinds that count as guesses for `check --strict`; a dictionary reading is reported but is not one.
GUESS_KINDS: frozenset[str] = frozenset({"acronym", "latin-rule", "latin-kazakh", "arabic-kazakh", "number",
                                          "letter"})


@dataclass(frozen=True)
class Guess:
    kind: GuessKind
    written: str  # as in the text
    spoken: str  # what the voice will say for it
    note: str = ""  # why it is a guess, for the editor
    suggestion: str = ""  # spoken form for the lexicon line, when it differs from `spoken`

    @property
    def lexicon_line(self) -> str:
        """A line to paste into a --lexicon file to make the reading final (edit the right side)."""
        return f"{self.written} = {self.suggestion or self.spoken}"


_notes: ContextVar[list[Guess] | None] = ContextVar("normalize_notes", default=None)


@contextmanager
def collecting(notes: list[Guess] | None) -> Iterator[None]:
    token = _notes.set(notes)
    try:
        yield
    finally:
        _notes.reset(token)


def active() -> bool:
    """Is anybody collecting? Lets callers skip the work of describing a guess."""
    return _notes.get() is not None


def report(kind: GuessKind, written: str, spoken: str, note: str = "", lexicon_spoken: str = "") -> None:
    notes = _notes.get()
    if notes is not None:
        notes.append(Guess(kind, written, spoken, note, lexicon_spoken))


# Kazakh letter names, as an acronym is read letter by letter ("ҚР" -> "қы-ры").
_LETTER_NAMES = {
    "А": "а", "Ә": "ә", "Б": "бы", "В": "вэ", "Г": "гэ", "Ғ": "ғы", "Д": "ды", "Е": "е", "Ё": "ё", "Ж": "жы",
    "З": "зы", "И": "и", "Й": "й", "К": "кы", "Қ": "қы", "Л": "лы", "М": "мы", "Н": "ны", "Ң": "ң", "О": "о",
    "Ө": "ө", "П": "пы", "Р": "ры", "С": "сы", "Т": "ты", "У": "у", "Ұ": "ұ", "Ү": "ү", "Ф": "фы", "Х": "хы",
    "Һ": "һы", "Ц": "цы", "Ч": "чы", "Ш": "шы", "Щ": "щы", "Ы": "ы", "І": "і", "Э": "э", "Ю": "ю", "Я": "я",
}  # fmt: skip


def spell_kazakh(acronym: str) -> str:
    """An acronym as its Kazakh letter names: "ҰҒА" -> "ұ-ғы-а"."""
    return "-".join(_LETTER_NAMES.get(ch, ch.lower()) for ch in acronym)
