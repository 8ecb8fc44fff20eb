"""Kazakh in the Arabic-based script (tote jazuw, used by Kazakhs in China) into Cyrillic.

The script writes each consonant with one letter and the vowels а/ә, о/ө, ұ/ү, ы/і with one letter per
pair; a word with front vowels is marked by the hamza (ٴ) at its start, unless it has ە, ك or گ, which only
occur in front words. So the letters map regularly once each word's harmony is known.
"""

from __future__ import annotations

import re

from audiobook.text.normalize.guesses import report

_HAMZA = "\u0674\u0621"  # high hamza, hamza
_CONSONANTS = {
    "ب": "б", "پ": "п", "ت": "т", "ج": "ж", "چ": "ч", "ح": "х", "د": "д", "ر": "р", "ز": "з", "س": "с",
    "ش": "ш", "ع": "ғ", "غ": "ғ", "ف": "ф", "ق": "қ", "ك": "к", "ک": "к", "گ": "г", "ڭ": "ң", "ل": "л",
    "م": "м", "ن": "н", "ھ": "һ", "ه": "һ", "ۆ": "в", "ۋ": "у", "ي": "й", "ی": "й", "ە": "е",
}  # fmt: skip
# Vowel letters: (back, front). Letters with their own hamza are always front.
_VOWELS = {"ا": ("а", "ә"), "و": ("о", "ө"), "ۇ": ("ұ", "ү"), "ى": ("ы", "і")}
_FRONT_LETTERS = {"ٵ": "ә", "ٶ": "ө", "ٷ": "ү", "ٸ": "і"}
_FRONT_SIGNS = set("ەكکگ") | set(_HAMZA) | set(_FRONT_LETTERS)
_PUNCT = {"،": ",", "؟": "?", "؛": ";", "٪": "%", "«": "«", "»": "»"}
_DIGITS = {chr(0x660 + i): str(i) for i in range(10)} | {chr(0x6F0 + i): str(i) for i in range(10)}
_CYR_VOWELS = set("аәеиоөұүыіу")
ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_WORD = re.compile(r"[\u0621-\u064a\u0660-\u06ff]+")


def convert_word(word: str) -> str:
    """One word: "ٴبىز" -> "біз", "قازاقستان" -> "қазақстан"."""
    front = any(ch in _FRONT_SIGNS for ch in word)
    out: list[str] = []
    for i, ch in enumerate(word):
        if ch in _HAMZA or ch in "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652":
            continue
        if ch in _FRONT_LETTERS:
            out.append(_FRONT_LETTERS[ch])
        elif ch in _VOWELS:
            out.append(_VOWELS[ch][1 if front else 0])
        elif ch in ("ي", "ی"):
            prev = out[-1] if out else ""
            nxt = word[i + 1 : i + 2]
            out.append("й" if prev in _CYR_VOWELS and prev or nxt in _VOWELS or not out else "и")
        elif ch in _CONSONANTS:
            out.append(_CONSONANTS[ch])
        else:
            out.append(_DIGITS.get(ch, _PUNCT.get(ch, "")))
    return "".join(out)


def to_cyrillic(text: str) -> str:
    """Every Arabic-script word in text into Cyrillic; the first word of a sentence gets a capital."""
    if not ARABIC.search(text):
        return text
    text = "".join(_PUNCT.get(ch, ch) for ch in text).replace("\u200c", "")

    def one(m: re.Match[str]) -> str:
        spoken = convert_word(m.group(0))
        report("arabic-kazakh", m.group(0), spoken, "converted from the Arabic script")
        before = text[: m.start()].rstrip()
        return spoken[:1].upper() + spoken[1:] if not before or before[-1] in ".!?" else spoken

    return _WORD.sub(one, text)
