"""Web addresses, e-mail addresses and hashtags, read as a newsreader says them.

"https://www.kazinform.kz/news" -> "казинформ нүкте кей-зед слэш ньюс" (the scheme and "www" are not
said), "info@egov.kz" -> "инфо эт эгов нүкте кей-зед", "#ЖасАлаш2025" -> "хэштег Жас Алаш 2025" (the
number is read later). A Kazakh ending after an address joins its last word: "balmuzdaq.plus-ке" ->
"балмұздақ нүкте плюске".
"""

from __future__ import annotations

import re
from collections.abc import Callable

from audiobook.text.normalize.morph import KAZ_LOWER, join_ending
from audiobook.text.normalize.numbers import cardinal_digits

DOMAINS = {
    "kz": "кей-зед", "қаз": "қаз", "com": "ком", "org": "орг", "net": "нет", "ru": "ру", "gov": "гов",
    "edu": "еду", "info": "инфо", "io": "ай-оу", "uz": "ю-зед", "kg": "кей-джи", "tv": "ти-ви",
    "news": "ньюс", "online": "онлайн", "plus": "плюс", "media": "медиа", "app": "эпп", "me": "ми",
    "asia": "азия", "ai": "эй-ай", "ua": "ю-эй", "uk": "ю-кей", "de": "ди-и", "cn": "си-эн", "tr": "ти-ар",
}  # fmt: skip
_TLD = "|".join(sorted(DOMAINS, key=len, reverse=True))
_END = rf"(?:-(?P<end>[{KAZ_LOWER}]+)(?![\w-]))?"
_LABEL = r"[A-Za-z0-9а-яәғқңөұүһіА-ЯӘҒҚҢӨҰҮҺІ](?:[\w-]*[^\W_])?"
EMAIL = re.compile(rf"(?<![\w.@])(?P<user>[\w.+-]+)@(?P<host>(?:{_LABEL}\.)+(?:{_LABEL})){_END}")
URL = re.compile(
    rf"(?<![\w.@/])(?:(?:https?|ftp)://)?(?P<host>(?:www\.)?(?:{_LABEL}\.)+(?:{_TLD}))(?![\w.]*\w)"
    rf"(?P<path>/[^\s«»\"()]*[^\s«»\"().,;:!?])?/?{_END}(?![\w-])",
    re.IGNORECASE,
)
_PIECES = re.compile(r"\d+|[^\W\d_]+")
_VOWEL = re.compile(r"[aeiouy]", re.IGNORECASE)
_ADDRESS_HINT = re.compile(r"[\w-]\.[A-Za-zа-яқ]{2}|@")
HASHTAG = re.compile(r"(?<![\w#])#(?P<tag>[^\W_][\w]*)")
_CAMEL = re.compile(r"(?<=[a-zа-яәғқңөұүһі])(?=[A-ZА-ЯӘҒҚҢӨҰҮҺІ])|(?<=[^\W\d_])(?=\d)|_")


def _read_labels(parts: list[str], read_word: Callable[[str], str], sep: str) -> str:
    words = []
    for part in parts:
        if not part:
            continue
        if part.isdigit():
            words.append(cardinal_digits(part))
        elif part.lower() in DOMAINS and part is parts[-1]:
            words.append(DOMAINS[part.lower()])
        else:
            # A site's name in capitals (BAQ.KZ, KAZ.NUR.KZ) is shouted, not an acronym: read as the word.
            pieces = (cardinal_digits(p) if p.isdigit() else _spell(p) if _letters(p) else
                      read_word(p.lower() if p.isupper() and len(p) > 2 else p) for p in _PIECES.findall(part))
            words.append(" ".join(pieces))
    return sep.join(words)


_CYRILLIC_TAIL = re.compile(r"[а-яәғқңөұүһі]+$", re.IGNORECASE)


def _dotted_tail(spoken: str, m: re.Match[str], read_word: Callable[[str], str]) -> str:
    """An address ending in Cyrillic letters before a period ("@проф.ж."): the period stays outside the
    address, but it makes the last piece a dotted abbreviation, as normalizing again would read it."""
    tail = _CYRILLIC_TAIL.search(m.group(0))
    if m.group("end") or not tail or m.string[m.end() : m.end() + 1] != ".":
        return spoken
    plain = read_word(tail.group(0))
    if not spoken.endswith(plain):
        return spoken
    return spoken[: len(spoken) - len(plain)] + read_word(tail.group(0) + ".").removesuffix(".")


def _letters(label: str) -> bool:
    """Said as letters: two Latin letters or fewer ("tv", "ga"), never a word of their own, and a label with
    no vowel ("thg", "krg"), which read as a word would be a cluster such as "тг" (read "теңге" in turn)."""
    return label.isascii() and (len(label) <= 2 or not _VOWEL.search(label))


def _spell(label: str) -> str:
    """A label's letters by name: "tv" -> "ти-ви"."""
    from audiobook.text.normalize.translit import LETTER_NAMES

    return "-".join(LETTER_NAMES[ch] for ch in label.lower() if ch in LETTER_NAMES)


def addresses(text: str, read_word: Callable[[str], str], protect: Callable[[str], str]) -> str:
    """E-mail and web addresses into words, each protected from the later rules by `protect`."""
    if not _ADDRESS_HINT.search(text):
        return text

    def email(m: re.Match[str]) -> str:
        user = _read_labels(re.split(r"[.+]", m.group("user")), read_word, " нүкте ")
        host = _read_labels(m.group("host").split("."), read_word, " нүкте ")
        return protect(join_ending(_dotted_tail(f"{user} эт {host}", m, read_word), m.group("end")))

    def url(m: re.Match[str]) -> str:
        host = re.sub(r"^www\.", "", m.group("host"), flags=re.IGNORECASE)
        spoken = _read_labels(host.split("."), read_word, " нүкте ")
        path = [p for p in (m.group("path") or "").split("/") if p and "?" not in p and "=" not in p]
        if path:
            spoken += " слэш " + " слэш ".join(_read_labels(p.split("."), read_word, " нүкте ") for p in path)
        return protect(join_ending(_dotted_tail(spoken, m, read_word), m.group("end")))

    return URL.sub(url, EMAIL.sub(email, text))


def hashtags(text: str) -> str:
    """ "#ЖасАлаш2025" -> "хэштег Жас Алаш 2025": the words of a hashtag, split where their capitals are."""
    if "#" not in text:
        return text
    return HASHTAG.sub(lambda m: "хэштег " + _CAMEL.sub(" ", m.group("tag")).strip(), text)
