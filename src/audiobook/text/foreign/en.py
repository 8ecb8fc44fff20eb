"""English sentences to speakable words: years, ordinals, money, percentages, abbreviations (num2words)."""

from __future__ import annotations

import re

ABBREVIATIONS = {
    "Mr.": "Mister", "Mrs.": "Missus", "Dr.": "Doctor", "Prof.": "Professor", "St.": "Saint",
    "e.g.": "for example", "i.e.": "that is", "etc.": "et cetera", "vs.": "versus", "No.": "number",
    "Jan.": "January", "Feb.": "February", "Aug.": "August", "Sept.": "September", "Oct.": "October",
    "Nov.": "November", "Dec.": "December", "km": "kilometres", "kg": "kilograms",
}
SCALES = {"bn": "billion", "billion": "billion", "mln": "million", "m": "million", "million": "million",
          "k": "thousand", "thousand": "thousand", "trillion": "trillion"}
_YEAR_CONTEXT = re.compile(r"\b(?:in|since|by|of|from|until|to|year|around|before|after|early|late|mid)\s+$", re.I)
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December")
_ABBR = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True))
                   + r")(?![\w])")


def _w(n: str, to: str = "cardinal") -> str:
    from num2words import num2words

    value: float | int = float(n) if "." in n else int(n)
    return str(num2words(value, lang="en", to=to))


def normalize_en(sentence: str) -> str:
    text = _ABBR.sub(lambda m: ABBREVIATIONS[m.group(0)], sentence)
    # $2 billion -> two billion dollars; $5 -> five dollars
    text = re.sub(r"\$\s?(\d+(?:\.\d+)?)(?:\s?(bn|mln|million|billion|trillion|m|k)\b)?",
                  lambda m: f"{_w(m[1])}{' ' + SCALES[m[2]] if m[2] else ''} dollars", text)
    text = re.sub(r"(\d+(?:\.\d+)?)\s?%", lambda m: f"{_w(m[1])} percent", text)
    text = re.sub(r"\b(\d+)(?:st|nd|rd|th)\b", lambda m: _w(m[1], "ordinal"), text)
    # "March 15" -> "March fifteenth"; "15 March" -> "the fifteenth of March"
    text = re.sub(rf"\b({_MONTHS})\s+(\d{{1,2}})\b", lambda m: f"{m[1]} {_w(m[2], 'ordinal')}", text)
    text = re.sub(rf"\b(\d{{1,2}})\s+({_MONTHS})\b", lambda m: f"the {_w(m[1], 'ordinal')} of {m[2]}", text)
    text = re.sub(r"(\d),(\d{3})", r"\1\2", text)
    text = re.sub(r"\b(1[1-9]\d\d|20\d\d)\s*[-–—]\s*(1[1-9]\d\d|20\d\d)\b",
                  lambda m: f"{_w(m[1], 'year')} to {_w(m[2], 'year')}", text)  # "in 2024-2025"
    text = re.sub(r"(?<![\w.,])[-−](?=\d)", "minus ", text)  # "-12 degrees"; "2-1" is a score, not a sign

    def number(m: re.Match[str]) -> str:
        n = m.group(0)
        before = text[: m.start()]
        month_before = re.search(rf"(?:{_MONTHS})(?:\s+\w+)?,?\s+$", before)
        if "." not in n and 1100 <= int(n) <= 2099 and (_YEAR_CONTEXT.search(before) or month_before):
            return _w(n, "year")
        return _w(n)

    text = re.sub(r"\d+(?:\.\d+)?", number, text)
    return re.sub(r"\s{2,}", " ", text).strip()
