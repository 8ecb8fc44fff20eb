"""Characters before the word rules: controls and invisible marks dropped, foreign letters folded.

Controls (C0, C1, DEL), format characters (zero-width spaces and joiners, bidi marks, overrides and
isolates, the BOM, soft hyphens) and lone surrogates are not speech: they are dropped (a control that
separates, like a tab or a form feed, becomes a space), and a voice never sees them (espeak-ng stops
reading at a NUL).

A Latin letter the transliteration tables do not know ("ř", "ł", "ø", "ǅ") would vanish from the spoken
word ("Dvořák" -> "Двоәк"). A word holding one is a foreign word: every letter of it is folded to plain
Latin (NFKD without the marks, a small table for letters NFKD keeps whole, the letter in its Unicode name
as the last resort), so "Dvořák" -> "Dvorak" -> "Дворак". Compatibility forms ("ﬁ", "Ⅻ", fullwidth
letters) become what they stand for (NFKC). A letter nothing maps is kept as written and reported
(Guess "letter"), never dropped.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from audiobook.text.normalize.guesses import report

# Latin letters the rules read as they are: ASCII, the Kazakh Latin alphabets, translit's own table.
KNOWN_LATIN = frozenset(
    "ÁǴŃÓÚÝáǵńóúýǧŋśǦŊŚÄĞÑÖŪÜŞÇİÏäğıñöūüşçïəƏéèêëàâíß"
    + "ÉÈÊËÀÂÍ"
)
# Letters NFKD leaves whole.
_FOLD = {
    "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "þ": "th", "Þ": "Th",
    "ð": "d", "Ð": "D", "đ": "d", "Đ": "D", "ħ": "h", "Ħ": "H", "ŧ": "t", "Ŧ": "T", "ŋ": "ng", "Ŋ": "Ng",
    "ı": "i", "ĸ": "k", "ſ": "s", "ƒ": "f", "ß": "ss",
}  # fmt: skip
_SEPARATING_CONTROLS = frozenset("\t\n\v\f\r\x1c\x1d\x1e\x1f\x85")
_NOT_SPEECH = frozenset({"Cc", "Cf", "Cs"})
_NAMED_LETTER = re.compile(r"LATIN (?:SMALL|CAPITAL) LETTER (?:[A-Z]+ )*?([A-Z]{1,2})(?: |$)")
_WORD = re.compile(r"[\w\u0300-\u036f]+")  # a word, with any combining marks of a text not in NFC
_COMPAT_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Nl"})


def drop_controls(text: str) -> str:
    """Text without controls, format characters and surrogates; separating controls become spaces."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch in _SEPARATING_CONTROLS:
            out.append(" ")
        elif ch.isprintable() or unicodedata.category(ch) not in _NOT_SPEECH:
            out.append(ch)
    return "".join(out)


# Symbols a page decorates with (bullets, arrows, stars, pictographs, emoji and their modifiers): nothing a
# voice should say. The signs the rules read (№ ° % § + = ©...) are not among them.
_READ_SIGNS = frozenset("№°℃℉©®™‰‱")
_DECORATION = frozenset("•‣◦⁃∙●○■□▪▫►▶◀◄▸▹▲△▼▽◆◇★☆✓✔✗✘→←↑↓↔⇒⇐⇔➔➜➤")


@lru_cache(maxsize=4096)
def _decorative(ch: str) -> bool:
    if ch in _READ_SIGNS:
        return False
    return ch in _DECORATION or unicodedata.category(ch) in ("So", "Sk") or "\ufe00" <= ch <= "\ufe0f"


# Marks typed for others: an acute accent for an apostrophe ("O´zbekstan"), a ring or º for the degree.
_STAND_INS = str.maketrans({"´": "'", "˚": "°", "º": "°"})
_STARS = re.compile(r"(\d)\s?★")  # "5★ қонақүй": a hotel's stars


def drop_decoration(text: str) -> str:
    """Text without decorative symbols ("• батыста", "✒️ Автор", "👍"): each becomes a space."""
    if text.isascii():
        return text
    text = _STARS.sub(r"\1 жұлдызды", text.translate(_STAND_INS))
    return "".join(" " if _decorative(ch) else ch for ch in text)


@lru_cache(maxsize=4096)
def fold_letter(ch: str) -> str | None:
    """A foreign Latin letter in plain Latin letters ("ř" -> "r", "æ" -> "ae"), or None if nothing maps."""
    if ch in _FOLD:
        return _FOLD[ch]
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    if base and base.isascii() and base.isalpha():
        return base
    m = _NAMED_LETTER.match(unicodedata.name(ch, ""))
    if m:
        letter = m.group(1)
        return letter if "CAPITAL" in unicodedata.name(ch) else letter.lower()
    return None


@lru_cache(maxsize=4096)
def _compat(ch: str) -> str:
    """A compatibility letter ("ﬁ", "Ⅻ", "Ａ") as what it stands for; any other character as it is."""
    return unicodedata.normalize("NFKC", ch) if unicodedata.category(ch) in _COMPAT_CATEGORIES else ch


@lru_cache(maxsize=4096)
def _is_latin(ch: str) -> bool:
    return not ch.isascii() and unicodedata.name(ch, "").startswith("LATIN")


def _fold_word(m: re.Match[str]) -> str:
    word = m.group(0)
    if word.isascii():
        return word
    word = "".join(_compat(ch) for ch in unicodedata.normalize("NFC", word))
    if not any(_is_latin(ch) and ch not in KNOWN_LATIN for ch in word):
        return word
    out = []
    for ch in word:
        if unicodedata.combining(ch):
            continue  # a mark of a folded letter (text not in NFC)
        if not _is_latin(ch):
            out.append(ch)
        elif (folded := fold_letter(ch)) is not None:
            out.append(folded)
        else:
            report("letter", ch, ch, f"in {m.group(0)}: no reading known, given to the voice as written")
            out.append(ch)
    return "".join(out)


def fold_foreign(text: str) -> str:
    """Words with letters the tables do not know, folded to plain Latin; compatibility forms expanded."""
    if text.isascii():
        return text
    return _WORD.sub(_fold_word, text)
