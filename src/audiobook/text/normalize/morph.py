"""Kazakh endings written after a hyphen ("100-ге", "ҚР-ның"): recognise them and attach them to words.

Numbers and units keep the ending as written (the author chose it for the spoken word, per the reading
rules). Expansions of acronyms get the ending rebuilt for the expansion's last word, because the author
chose it for how the letters sound: "ЕО-ның" -> "Еуропалық Одақтың", "ҚР-ға" -> "Қазақстан Республикасына".
"""

from __future__ import annotations

import re

from audiobook.text.normalize.numbers import harmony_is_back

# "мен/бен/пен" written as a separate word after an acronym, chosen for the sound of its letters.
CONJUNCTION = r"(?:\s+(?P<conj>мен|бен|пен)(?![\w-]))?"

KAZ_LOWER = "а-яёәғқңөұүһі"

_PLURAL = "лар|лер|дар|дер|тар|тер"
_POSSESSIVE = "ы|і|сы|сі|ым|ім|ың|ің|ымыз|іміз"
_CASE = (
    "ның|нің|дың|дің|тың|тің|ға|ге|қа|ке|на|не|а|е|да|де|та|те|нда|нде|дан|ден|тан|тен|нан|нен"
    "|ды|ді|ты|ті|ны|ні|н|мен|бен|пен|дағы|дегі|тағы|тегі|ндағы|ндегі|ғы|гі"
)
_DERIVED = "дай|дей|тай|тей|дық|дік|тық|тік|лық|лік|нық|нік|шақты|ау|еу"  # ау/еу: "3-еу"
# Emphatic particles keep their hyphen in writing: "бес-ақ".
PARTICLES = ("ақ", "ек")
# A chain of endings, as in "лардың", "сінде", "дықтан"; nouns such as "тарау", "бөлім", "жылы" don't fit.
_SUFFIX_CHAIN = re.compile(
    rf"(?:(?:{_PLURAL})?(?:{_POSSESSIVE})?(?:{_CASE})?|(?:{_DERIVED})(?:{_POSSESSIVE})?(?:{_CASE})?)"
)
# Ordinal markers ("12-ші", "5-інші", "2-нші") optionally followed by more endings ("1-шіден").
_ORDINAL_MARKER = re.compile(r"(?:[ыі]?н)?ш[ыі]")

_CASES: dict[str, tuple[str, ...]] = {
    "gen": ("ның", "нің", "дың", "дің", "тың", "тің"),
    "acc": ("ны", "ні", "ды", "ді", "ты", "ті", "н"),
    "dat": ("ға", "ге", "қа", "ке", "на", "не", "а", "е"),
    "loc": ("да", "де", "та", "те", "нда", "нде"),
    "abl": ("дан", "ден", "тан", "тен", "нан", "нен"),
    "ins": ("мен", "бен", "пен"),
    "locadj": ("дағы", "дегі", "тағы", "тегі", "ндағы", "ндегі"),
}
_CASE_OF = {ending: case for case, endings in _CASES.items() for ending in endings}
# The case endings that are not a possessive's "н" forms: after a number the word spoken decides their
# shape ("2024-да" is said "... төртте"), whatever the writer had in mind.
PLAIN_CASES = frozenset(_CASE_OF) - {"н", "на", "не", "а", "е", "нда", "нде", "ндағы", "ндегі"}

_VOWELS = set("аәеиоөұүыіэюяё")
_VOICELESS = set("кқпстшфхцчщбвгдғ")  # final б в г д ғ only occur in loans and behave as voiceless
_NASAL = set("мнң")
_ZH = set("жз")


def is_suffix(ending: str) -> bool:
    """True for a chain of grammatical endings ("ге", "лардың"), False for a noun ("тарау")."""
    return bool(ending) and _SUFFIX_CHAIN.fullmatch(ending) is not None


def join_ending(spoken: str, end: str | None) -> str:
    """A hyphenated ending written after digits or an address, on the words read for them: a case ending
    joins the last word as written ("...отыз төрт" + "ке"), anything else stays after a hyphen."""
    if not end:
        return spoken
    return spoken + end if is_suffix(end) else f"{spoken}-{end}"


def split_ordinal_marker(ending: str) -> str | None:
    """For an ordinal marker ("ші", "інші", "шіден") return what follows the marker; else None."""
    m = _ORDINAL_MARKER.match(ending)
    if not m:
        return None
    rest = ending[m.end() :]
    return rest if not rest or is_suffix(rest) else None


def _final_class(word: str) -> str:
    """V vowel, N nasal, Z ж/з, S other voiced (р л й у), T voiceless."""
    letters = [ch for ch in word.lower() if ch not in "ьъ"]
    last = letters[-1] if letters else "а"
    if last == "у" or last == "й":
        return "S"
    if last in _VOWELS:
        return "V"
    if last in _NASAL:
        return "N"
    if last in _ZH:
        return "Z"
    if last in _VOICELESS:
        return "T"
    return "S"


def _case_ending(word: str, case: str, possessive: bool) -> str:
    back = harmony_is_back(word)

    def pick(b: str, f: str) -> str:
        return b if back else f

    if possessive:  # after the 3rd-person possessive the pronominal "н" forms are used
        return {
            "gen": pick("ның", "нің"),
            "acc": "н",
            "dat": pick("на", "не"),
            "loc": pick("нда", "нде"),
            "abl": pick("нан", "нен"),
            "ins": "мен",
            "locadj": pick("ндағы", "ндегі"),
        }[case]
    k = _final_class(word)
    if case == "gen":
        return pick("ның", "нің") if k in "VN" else pick("тың", "тің") if k == "T" else pick("дың", "дің")
    if case == "acc":
        return pick("ны", "ні") if k == "V" else pick("ты", "ті") if k == "T" else pick("ды", "ді")
    if case == "dat":
        if k == "T":
            return "ке" if word[-1:].lower() == "к" else pick("қа", "ке")
        return pick("ға", "ге")
    if case in ("loc", "locadj"):
        base = pick("та", "те") if k == "T" else pick("да", "де")
        return base + (pick("ғы", "гі") if case == "locadj" else "")
    if case == "abl":
        return pick("нан", "нен") if k == "N" else pick("тан", "тен") if k == "T" else pick("дан", "ден")
    # instrumental
    return "пен" if k == "T" else "бен" if k == "Z" else "мен"


def attach(phrase: str, ending: str, possessive: bool = False) -> str:
    """Attach an ending to the last word of phrase, rebuilding a plain case ending for that word.

    possessive: the phrase ends in a 3rd-person possessive ("Республикасы"), which takes "н" forms.
    Endings that are not one plain case ("лардың", "лық") are joined as written.
    """
    case = _CASE_OF.get(ending)
    if case is None:
        if possessive and (plural := _PLURAL_RE.match(ending)) and (ending == plural.group(0) or
                                                                  ending[plural.end():] in _CASE_OF):
            return _plural_possessive(phrase, _CASE_OF.get(ending[plural.end():]))
        return phrase + ending
    return phrase + _case_ending(phrase.rsplit(" ", 1)[-1], case, possessive)


_PLURAL_RE = re.compile(_PLURAL)


def _plural_possessive(phrase: str, case: str | None) -> str:
    """"жоғары оқу орны" + "ларға" -> "жоғары оқу орындарына": the plural goes inside the possessive."""
    head, _, word = phrase.rpartition(" ")
    stem = word[:-2] if word.endswith(("сы", "сі")) else word[:-1]
    stem = stem[:-1] + {"г": "к", "ғ": "қ", "б": "п"}.get(stem[-1:], stem[-1:]) if stem else stem
    back = harmony_is_back(word)
    if stem.endswith("рн"):  # орны -> орын, мұрны -> мұрын: the vowel the possessive dropped
        stem = stem[:-1] + ("ы" if back else "і") + "н"
    last = stem[-1:].lower()
    plural = ("лар" if last in _VOWELS or last in "рйу" else "дар" if last in "лмнңзж" else "тар")
    if not back:
        plural = plural.replace("а", "е")
    form = stem + plural + ("ы" if back else "і")
    spoken = form + (_case_ending(form, case, True) if case else "")
    return f"{head} {spoken}" if head else spoken


def with_conjunction(phrase: str, possessive: bool = False) -> str:
    """The "and" that follows phrase as a separate word: "Одақ пен", "Штаттары мен", "қыз бен"."""
    return _case_ending(phrase.rsplit(" ", 1)[-1], "ins", possessive)


def looks_possessive(phrase: str) -> bool:
    """Guess whether a spoken form ends in the 3rd-person possessive (for user lexicon entries)."""
    last = phrase.rsplit(" ", 1)[-1].lower()
    if last.endswith(("сы", "сі")):
        return True
    return " " in phrase and len(last) > 2 and last[-1] in "ыі" and last[-2] not in _VOWELS
