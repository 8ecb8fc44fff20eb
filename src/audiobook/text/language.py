"""The language of each sentence: Kazakh, Russian or English (pure; the detector is imported lazily).

Kazakh is the article's language and the default. Evidence, strongest first:
- a quoted passage («…», "…", “…”) does not count: a Kazakh sentence quoting a Russian title stays Kazakh;
- a Kazakh-specific letter (ә ғ қ ң ө ұ ү һ і) in a lower-case word (names such as «Нұрлан» in a Russian
  sentence do not count) makes the sentence Kazakh;
- Kazakh in Latin letters, by the normalizer's word evidence (text.normalize.kazlatin), is Kazakh;
- otherwise lingua-language-detector, restricted to the allowed languages, decides; Latin-script text
  can only be English or Kazakh, Cyrillic only Kazakh or Russian. A doubtful answer stays Kazakh.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from audiobook.errors import AudiobookError
from audiobook.text.normalize.kazlatin import MARKS_2018, MARKS_2021

LANGUAGES: tuple[str, ...] = ("kk", "ru", "en")
DEFAULT = "kk"
# BCP 47 tags for lang="" attributes and transcripts; ISO 639-2 for ID3.
BCP47 = {"kk": "kk", "ru": "ru", "en": "en"}

KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
LATIN_KAZAKH_MARKS = MARKS_2018 | MARKS_2021
_ADDRESS = re.compile(r"\S+@\S+|(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:kz|ru|com|org|net|info)\b",
                      re.IGNORECASE)
_QUOTED = re.compile(r"«[^»]*»|„[^“”]*[“”]|“[^”]*”|\"[^\"]*\"")
_WORD = re.compile(r"[^\W\d_]+")
_NUMBER_ENDING = re.compile(r"(?<=\d)-[^\W\d_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
# The words of a contact line, in every language a Kazakh page writes them.
CONTACT_LABELS = frozenset({"тел", "телефон", "телефоны", "факс", "моб", "ұялы", "e", "mail", "email", "эл",
                            "пошта", "поштасы", "сайт", "сайты", "whatsapp", "telegram", "индекс", "tel", "phone",
                            "fax"})
# A foreign answer below this confidence (of two candidates: a tie) keeps the default language.
MIN_CONFIDENCE = 0.5


def parse_languages(spec: str) -> tuple[str, ...]:
    """`--languages kk,ru,en` into a tuple; Kazakh must be among them (it is the article's language)."""
    langs = tuple(dict.fromkeys(x.strip().lower() for x in spec.split(",") if x.strip()))
    unknown = [x for x in langs if x not in LANGUAGES]
    if unknown or not langs:
        raise AudiobookError(f"--languages {spec!r}: use a comma list of {', '.join(LANGUAGES)}, e.g. kk,ru,en")
    if DEFAULT not in langs:
        raise AudiobookError(f"--languages {spec!r}: kk must be one of them (the article is Kazakh)")
    return langs


# Replies too short for the detector's n-grams ("Да.") that only Russian says as a whole sentence.
SHORT_RUSSIAN = frozenset({"да", "нет", "спасибо", "конечно", "хорошо", "ладно", "понятно", "пожалуйста", "привет",
                           "здравствуйте", "извините", "пока"})


def _kazakh_evidence(text: str) -> bool:
    """A Kazakh letter in a word that is not a name: a lower-case word, or the first word when the next one
    is not capitalized too ("Иә, рас." is Kazakh; "Нұрлан Әбенов сказал" is a name in a Russian sentence).
    The Latin alphabets' letters count as well ("bolashaǵy", "qoldaıdy"), in lower-case words only: names
    such as Müller carry them too."""
    words = _WORD.findall(text)
    for k, w in enumerate(words):
        if w[0].islower() and LATIN_KAZAKH_MARKS.intersection(w):
            return True
        if not KAZAKH_LETTERS.intersection(w):
            continue
        if w[0].islower():
            return True
        if k == 0 and (len(words) == 1 or not words[1][0].isupper()) and not (len(words) > 2 and w.istitle()
                                                                           and len(w) > 3):
            return True  # "Бірінші пакет.": two words leave no room for a Russian sentence around a name
    return False


def _latin_kazakh(text: str) -> bool:
    """Kazakh in Latin letters with none of its alphabets' marks ("Bul jobany barlyq azamattar qoldaydy."),
    which the detector (trained on Cyrillic Kazakh) calls English: most of its words are Kazakh by the
    normalizer's own word evidence (q, endings, words no English dictionary has), so the sentence is read
    by the voice that its transliteration is made for. A lone word must be Kazakh beyond doubt."""
    from audiobook.text.normalize.kazlatin import WORD, kazakh_words, score, system_of

    words = WORD.findall(text)
    if len(words) == 1:
        return score(words[0]) >= 3
    # Only lower-case words count: names (Tokayev, Kyzylorda, Halyk Bank) are Kazakh in English sentences too.
    lower = [w for w in words if w[0].islower()]
    if len(lower) < 2:
        if lower and score(lower[0]) >= 2 and all(kazakh_words(words)):
            return True  # "Men Almatydan keldim.", "Sheshim qabyldandy.": every word is Kazakh
        # A headline in capitals ("Qazaqstan Respwblïkasınıñ Prezïdentı"): the marks tell.
        marked = sum(bool(system_of(w)) for w in words)
        return 2 * marked >= len(words) and 2 * sum(kazakh_words(words)) > len(words)
    return 2 * sum(kazakh_words(lower)) > len(lower)


def detect(sentence: str, allowed: tuple[str, ...] = LANGUAGES) -> str:
    """The language of one sentence, one of `allowed` (Kazakh when only Kazakh is allowed)."""
    if len(allowed) <= 1 or DEFAULT not in allowed:
        return allowed[0] if allowed else DEFAULT
    bare = _QUOTED.sub(" ", sentence)
    if not _WORD.search(bare):
        bare = sentence  # all quoted: the quotation is the sentence
    bare = _ADDRESS.sub(" ", bare)  # an e-mail or a site's address is in Latin letters whatever the language
    bare = _NUMBER_ENDING.sub(" ", bare)  # "20-дан", "6-да": a Kazakh ending, not the Russian word "да"
    if _kazakh_evidence(bare):
        return DEFAULT
    n_cyr, n_lat = len(_CYRILLIC.findall(bare)), len(_LATIN.findall(bare))
    if n_cyr == 0 and n_lat == 0:
        return DEFAULT
    words = [w.lower() for w in _WORD.findall(bare)]
    if words and all(w in CONTACT_LABELS for w in words):
        return DEFAULT  # "Тел./факс: 8 (7172) 50-10-05", "e-mail: ...": labels say nothing of a language
    if n_lat > n_cyr and _latin_kazakh(bare):
        return DEFAULT
    script_langs = ("en",) if n_lat > n_cyr else ("ru",)
    candidates = tuple(x for x in allowed if x in script_langs)
    if not candidates:
        return DEFAULT
    # Capitalized words with Kazakh letters are names here; they say nothing of the sentence's language.
    rest = " ".join(w for w in bare.split() if not (w[:1].isupper() and KAZAKH_LETTERS.intersection(w)))
    if len(words) == 1 and words[0] not in SHORT_RUSSIAN and script_langs == ("ru",) and not re.search(r"\d", bare):
        return DEFAULT  # one word ("ПЕТРОПАВЛ.", a dateline) is no evidence against the article's language
    best, confidence = _lingua_best(rest if _WORD.search(rest) else bare, (DEFAULT, *candidates))
    if best == "ru" and _kazakh_count(bare):
        return DEFAULT
    return best if best != DEFAULT and confidence >= MIN_CONFIDENCE else DEFAULT


_COUNT_NOUN = re.compile(r"(?<![\d,.])(\d+)\s+([а-яё]{3,})\b", re.IGNORECASE)


def _kazakh_count(text: str) -> bool:
    """A noun in the nominative singular after a number that Russian puts in the genitive plural: "12
    градус", "5 рубль" is Kazakh grammar ("Температура -12 градус." has no Kazakh letter otherwise)."""
    from audiobook.text.foreign.ru import _morph

    for m in _COUNT_NOUN.finditer(text):
        n, word = int(m.group(1)[-2:]), m.group(2).lower()
        if not (11 <= n <= 14 or n % 10 in (0, 5, 6, 7, 8, 9)) or word in ("год", "года"):
            continue
        every = _morph().parse(word)
        parses = [p for p in every if p.normal_form == every[0].normal_form]
        top = parses[0].tag if parses else None
        if top is None or top.POS != "NOUN" or "Fixd" in top or "sing" not in top:
            continue
        if not {"nomn", "accs"} & set(top.grammemes):
            continue
        if not any("gent" in p.tag and "plur" in p.tag for p in parses):
            return True
    return False


def detect_all(sentences: list[str], allowed: tuple[str, ...] = LANGUAGES) -> list[str]:
    return [detect(s, allowed) for s in sentences]


_ISO = {"kk": "KAZAKH", "ru": "RUSSIAN", "en": "ENGLISH"}


def _lingua_best(text: str, langs: tuple[str, ...]) -> tuple[str, float]:
    detector = _detector(tuple(sorted(set(langs))))
    values = detector.compute_language_confidence_values(text)
    if not values or values[0].value == 0.0:  # too short for any n-gram the models know
        words = [w.lower() for w in _WORD.findall(text)]
        if "ru" in langs and words and all(w in SHORT_RUSSIAN for w in words):
            return "ru", 1.0
        return DEFAULT, 0.0
    top = values[0]
    code = next(k for k, v in _ISO.items() if v == top.language.name)
    return code, float(top.value)


@lru_cache(maxsize=8)
def _detector(langs: tuple[str, ...]) -> Any:
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ModuleNotFoundError as e:  # pragma: no cover - a main dependency
        raise AudiobookError(
            f"language detection needs {e.name} (pip install lingua-language-detector), or use --languages kk"
        ) from None
    # Low-accuracy mode: the trigram models only (~10x less memory, much faster to load); with three
    # languages and the Kazakh-letter rule in front it is as right on news sentences (docs/benchmarks.md).
    builder = LanguageDetectorBuilder.from_languages(*(getattr(Language, _ISO[x]) for x in langs))
    return builder.with_low_accuracy_mode().build()
