"""Phoneme spans of lexicon entries: "[[N'wIn]]", espeak-ng's ASCII phoneme mnemonics.

espeak-ng reads them natively (with its espeakPHONEMES flag). Piper also accepts "[[...]]", but as IPA
symbols, one per character: to_ipa() maps espeak's mnemonics to IPA for it, so one lexicon entry serves
both engines. Symbols with no mapping are passed on (Piper skips those its model lacks).
"""

from __future__ import annotations

import re

SPAN = re.compile(r"\[\[([^\[\]\n]*)\]\]")

# espeak-ng mnemonics (docs/phonemes.md of espeak-ng; Kirshenbaum-like) -> IPA. Longest first.
_TO_IPA = {
    "tS": "tʃ", "dZ": "dʒ", "aI": "aɪ", "aU": "aʊ", "eI": "eɪ", "oU": "oʊ", "OI": "ɔɪ", "3:": "ɜː",
    "'": "ˈ", ",": "ˌ", ":": "ː", "@": "ə", "3": "ɜ", "&": "æ", "A": "ɑ", "E": "ɛ", "I": "ɪ", "N": "ŋ",
    "O": "ɔ", "Q": "ɒ", "S": "ʃ", "T": "θ", "D": "ð", "U": "ʊ", "V": "ʌ", "Z": "ʒ", "x": "x", "C": "ç",
    "J": "ɲ", "L": "ʎ", "R": "ʁ", "Y": "ø", "W": "œ", "y": "y", "G": "ɣ", "*": "ɾ", "?": "ʔ", "#": "",
    "_": " ", "!": "",
}  # fmt: skip
_TOKEN = re.compile("|".join(re.escape(k) for k in sorted(_TO_IPA, key=len, reverse=True)) + "|.", re.DOTALL)


def to_ipa(mnemonics: str) -> str:
    """espeak-ng mnemonics into IPA: "N'wIn" -> "ŋˈwɪn"."""
    return "".join(_TO_IPA.get(t, t) for t in _TOKEN.findall(mnemonics))


def spans_to_ipa(text: str) -> str:
    """Every [[...]] span of text rewritten in IPA, for engines whose phoneme input is IPA (Piper)."""
    return SPAN.sub(lambda m: f"[[{to_ipa(m.group(1))}]]", text) if "[[" in text else text
