"""Kazakh in the Arabic-based script (tote jazuw, used by Kazakhs in China) into Cyrillic.

The script writes each consonant with one letter and the vowels а/ә, о/ө, ұ/ү, ы/і with one letter per
pair; a word with front vowels is marked by the hamza (ٴ) at its start, unless it has ە, ك or گ, which only
occur in front words. So the letters map regularly once each word's harmony is known, with three
refinements where real words break the rule of one harmony per word:
- a vowel beside қ or ғ (ق, ع, غ) is back and one beside к or г (ك, گ) is front, whatever the word's
  sign says: "قىركۇيەك" is қыркүйек, "توقاەۆ" Тоқаев;
- a handful of frequent words that mix both harmonies (бірақ, қазір, кітап, шамамен) are listed.
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


_BACK_CONSONANTS, _FRONT_CONSONANTS = set("قعغ"), set("كکگ")
_MIXED_WORDS = {"بىراق": "бірақ", "قازىر": "қазір", "ءبىراق": "бірақ", "كىتاپ": "кітап", "كىتاپحانا": "кітапхана",
                "مۇعالىم": "мұғалім", "ءبىراز": "біраз", "بىراز": "біраз", "ءمۇمكىن": "мүмкін",
                "شامامەن": "шамамен"}
_MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"
# Acronyms (the script has no capitals): as the Cyrillic ones, which the abbreviation rules then read.
_ACRONYMS = {"قر": "ҚР", "اقش": "АҚШ", "بۇۇ": "БҰҰ", "قحر": "ҚХР", "ۇعا": "ҰҒА", "تمد": "ТМД", "رف": "РФ",
             "ەو": "ЕО", "ەاەو": "ЕАЭО", "جوو": "ЖОО", "ۇبت": "ҰБТ"}
_ROMAN = re.compile("[хів]{2,}")  # "ءححى عاسىر": XXI written in the script's letters


def convert_word(word: str) -> str:
    """One word: "ٴبىز" -> "біз", "قازاقستان" -> "қазақстан"."""
    bare = "".join(ch for ch in word if ch not in _MARKS)
    if bare in _ACRONYMS:
        return _ACRONYMS[bare]
    for stem, spoken in _MIXED_WORDS.items():
        if bare.startswith(stem):
            return spoken + convert_word(bare[len(stem):]) if len(bare) > len(stem) else spoken
    letters = [ch for ch in bare if ch not in _HAMZA]
    front = any(ch in _FRONT_SIGNS for ch in bare)
    out: list[str] = []
    for i, ch in enumerate(letters):
        near = set(letters[max(0, i - 1) : i + 2])
        if ch in _FRONT_LETTERS:
            out.append(_FRONT_LETTERS[ch])
        elif ch in _VOWELS:
            here = False if near & _BACK_CONSONANTS else True if near & _FRONT_CONSONANTS else front
            out.append(_VOWELS[ch][1 if here else 0])
        elif ch in ("ي", "ی"):
            prev = out[-1] if out else ""
            nxt = letters[i + 1] if i + 1 < len(letters) else ""
            if prev in _CYR_VOWELS and prev:
                out.append("й")  # after a vowel: "ايتتى" айтты
            elif nxt == "ا" and prev:
                out.append("и")  # "ازيا", "تەحنولوگيا": и and the я it is read with, ия
                out.append("я")
                letters[i + 1] = ""
            else:
                out.append("й" if not prev and nxt in _VOWELS else "и")  # "بيىل" биыл, "ميلليون" миллион
        elif ch in _CONSONANTS:
            out.append(_CONSONANTS[ch])
        else:
            out.append(_DIGITS.get(ch, _PUNCT.get(ch, "")))
    spoken = "".join(out)
    if _ROMAN.fullmatch(spoken):
        return spoken.upper()
    return re.sub("^й([ау])", lambda m: "я" if m.group(1) == "а" else "ю", spoken)


def to_cyrillic(text: str) -> str:
    """Every Arabic-script word in text into Cyrillic; the first word of a sentence gets a capital."""
    if not ARABIC.search(text):
        return text
    text = "".join(_PUNCT.get(ch, ch) for ch in text).replace("\u200c", "").replace("°س", "°C")
    text = re.sub(f"([{_HAMZA}])([«\"“(])", r"\2\1", text)  # "ء«تىل»": the hamza belongs to the word
    text = re.sub(r"(?<=[\u0621-\u06ff])i|i(?=[\u0621-\u06ff])", "ى", text)  # "ءتiل": a Latin i typed for ى

    def one(m: re.Match[str]) -> str:
        spoken = convert_word(m.group(0))
        report("arabic-kazakh", m.group(0), spoken, "converted from the Arabic script")
        before = text[: m.start()].rstrip().rstrip('«"“(').rstrip()
        return spoken[:1].upper() + spoken[1:] if not before or before[-1] in ".!?" else spoken

    return _WORD.sub(one, text)
