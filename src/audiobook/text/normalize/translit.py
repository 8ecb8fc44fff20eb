"""Latin script into Cyrillic, by sound.

Two cases: Kazakh written in Latin letters (kazlatin: the 2018 and 2021 alphabets and informal ASCII),
converted letter by letter; and foreign names in Kazakh text, read from a small table of well-known names,
then the English pronouncing dictionary (foreign.py), then English-like spelling rules (SOCAR -> Сокар,
Kazinform -> Казинформ); short all-caps acronyms are spelled as letter names (BBC -> Би-би-си). Names
keep a capital.
"""

from __future__ import annotations

import re

from audiobook.text.normalize import foreign, kazlatin
from audiobook.text.normalize.guesses import GuessKind, report
from audiobook.text.normalize.morph import KAZ_LOWER, is_suffix

LATIN_LETTERS = "A-Za-zÀ-ÖØ-öø-ɏəƏ\u1e00-\u1eff"
# A Latin word, optionally with a Kazakh ending after a hyphen ("SOCAR-дың").
_LATIN_WORD = re.compile(
    rf"(?P<word>[{LATIN_LETTERS}]+(?:['’][{LATIN_LETTERS}]+)*)(?:-(?P<end>[{KAZ_LOWER}]+)(?![\w-]))?"
)


EXCEPTIONS = foreign.NAMES

# English letter names as Kazakh readers say them, for acronyms read letter by letter.
LETTER_NAMES = {
    "a": "эй", "b": "би", "c": "си", "d": "ди", "e": "и", "f": "эф", "g": "джи", "h": "эйч", "i": "ай",
    "j": "джей", "k": "кей", "l": "эл", "m": "эм", "n": "эн", "o": "оу", "p": "пи", "q": "кью", "r": "ар",
    "s": "эс", "t": "ти", "u": "ю", "v": "ви", "w": "дабл-ю", "x": "экс", "y": "уай", "z": "зед",
}  # fmt: skip

_EN_MULTI = {
    "sch": "ш", "tch": "ч", "sh": "ш", "ch": "ч", "zh": "ж", "kh": "х", "ph": "ф", "th": "т", "ts": "ц",
    "ck": "к", "qu": "кв", "xx": "кс", "oo": "у", "ee": "и", "ea": "и", "wh": "у", "ya": "я", "yu": "ю",
    "yo": "йо", "ye": "е",
}  # fmt: skip
_EN_SINGLE = {
    "a": "а", "b": "б", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х", "i": "и", "j": "дж", "k": "к",
    "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "к", "r": "р", "s": "с", "t": "т", "u": "у",
    "v": "в", "w": "у", "x": "кс", "z": "з", "ə": "ә", "ü": "ү", "ö": "ө", "ç": "ч", "ş": "ш", "ğ": "ғ",
    "ı": "ы", "é": "е", "è": "е", "ê": "е", "ë": "е", "á": "а", "à": "а", "â": "а", "í": "и", "ó": "о",
    "ú": "у", "ñ": "нь", "ä": "ә", "ß": "сс",
}  # fmt: skip
_EN_VOWELS = set("aeiouyəüöı")

def english_by_rule(word: str) -> str:
    """A foreign word by English-like spelling rules, for words the dictionary does not know."""
    w = word.lower().replace("'", "").replace("’", "")
    if len(w) > 3 and w.endswith("le") and w[-3] not in _EN_VOWELS:
        w = w[:-1]  # silent e: "Apple"-like endings
    out: list[str] = []
    i = 0
    while i < len(w):
        for size in (3, 2):
            chunk = w[i : i + size]
            if len(chunk) == size and chunk in _EN_MULTI:
                out.append(_EN_MULTI[chunk])
                i += size
                break
        else:
            ch = w[i]
            prev = w[i - 1] if i else ""
            nxt = w[i + 1] if i + 1 < len(w) else ""
            if ch == "c":
                out.append("с" if nxt in ("e", "i", "y") else "к")
            elif ch == "y":
                out.append("й" if prev in _EN_VOWELS or (not prev and nxt in _EN_VOWELS) else "и")
            elif ch == "e" and not prev:
                out.append("э")
            else:
                out.append(_EN_SINGLE.get(ch, ch))  # never dropped: letters.py folded what it could
            i += 1
    return "".join(out)


def _spell(word: str) -> str:
    return "-".join(LETTER_NAMES[ch] for ch in word.lower())


def _capitalise_like(original: str, spoken: str) -> str:
    if original[:1].isupper():
        return spoken[:1].upper() + spoken[1:]
    return spoken


def latin_system(text: str) -> str | None:
    """Which Kazakh Latin alphabet a text uses ("2018", "2021"), judged by its distinctive letters."""
    system = kazlatin.system_of(text)
    if system is None and re.search(r"[qQ](?![uU])", text):
        return "2018"  # "q" without "u" is Қ in both alphabets; unmarked text reads best as 2018 (y = ы)
    return system


def read_foreign(word: str) -> tuple[str, GuessKind | None]:
    """A foreign word in Cyrillic, and how it was read: None for a known name (the exceptions table),
    "latin-dictionary" for the English pronouncing dictionary, "acronym" or "latin-rule" for rules."""
    w = word.lower().replace("'", "").replace("’", "")
    if w in EXCEPTIONS:
        return EXCEPTIONS[w], None
    if word.isupper() and word.isascii() and (len(word) <= 3 or not set(w) & _EN_VOWELS):
        return _spell(word), "acronym"  # BBC, IT, KPMG: read as letters
    if not word.isupper():  # all-caps words (NATO, SOCAR) are read as written
        spoken = foreign.pronounce(w)
        if spoken:
            return spoken, "latin-dictionary"
    return english_by_rule(word), "latin-rule"


def transliterate_word(word: str, system: str | None = None) -> str:
    """One Latin word into Cyrillic. system: "2018"/"2021" for Kazakh Latin, None for a foreign word."""
    if system in ("2018", "2021", "ascii"):
        return kazlatin.convert_word(word, system)
    return _capitalise_like(word, read_foreign(word)[0])


_NOTES = {
    "acronym": "read letter by letter",
    "latin-rule": "read by English-like spelling rules",
    "latin-dictionary": "read from the English pronouncing dictionary",
}


def transliterate(text: str, kazakh: bool = True) -> str:
    """Every Latin word in text into Cyrillic: Kazakh written in Latin letters by its alphabet (see
    kazlatin), every other word as a foreign name. kazakh=False: Kazakh was already converted."""
    if not re.search(rf"[{LATIN_LETTERS}]", text):
        return text
    if kazakh:
        text = kazlatin.to_cyrillic(text)

    def one(m: re.Match[str]) -> str:
        word, end = m.group("word"), m.group("end")
        spoken, kind = read_foreign(word)
        spoken = _capitalise_like(word, spoken)
        if kind:
            report(kind, word, spoken, _NOTES[kind])
        if end:  # the author chose the ending for the spoken name, so it joins as written
            spoken += end if is_suffix(end) else "-" + end
        return spoken

    return _LATIN_WORD.sub(one, text)
