"""Kazakh written in Latin letters, recognised and converted to Cyrillic before the other rules run.

Four spellings are in use (see docs of the reading rules):
- 2021 standard: ä ğ ı ñ ö ş ū ü ç; ı is і, y is ы, i is и (й next to a vowel), u is у, ū is ұ;
- the older Turkic-style one (Kazakh Wikipedia's converter, diaspora sites), with the same marks but
  ı is ы, i is і, ï is и, y is й; w and u are у and ұ (Wikipedia) or the other way round (some sites).
  It is told from the 2021 standard by vowel harmony: its ı keeps company with a and o, the 2021 ı
  (which is і) with e, ä, ö and ü;
- 2018 acute version: á ǵ ń ó ú ý, sh, ch; i is і, y is ы, ı is и/й, u is ұ, ý is у;
- informal ASCII of the web: sh ch zh gh kh ng, q, j; o/u are ө/ү or о/ұ by vowel harmony.
A run of Latin words is Kazakh when the words' evidence says so (marks of an alphabet, q, Kazakh endings,
words the English dictionary does not know), judged word by word with the rest of the run as context, so
"«Jas Alash»" becomes "Жас Алаш" while "YouTube" and "The" stay foreign names.
"""

from __future__ import annotations

import re
from functools import lru_cache

from audiobook.text.normalize import foreign
from audiobook.text.normalize.guesses import report

MARKS_2018 = frozenset("áǵńóúýǧŋśÁǴŃÓÚÝǦŊŚ")  # ǧ ŋ ś: how some type ǵ ń and sh
MARKS_2021 = frozenset("äğıñöūüşçïÄĞÑÖŪÜŞÇİÏ")  # ï: the older Turkic-style spelling's и
_MARKS_2018_RE = re.compile(f"[{''.join(MARKS_2018)}]")
_MARKS_2021_RE = re.compile(f"[{''.join(MARKS_2021)}]")
LATIN = "A-Za-zÁǴŃÓÚÝáǵńóúýǧŋśǦŊŚÄĞÑÖŪÜŞÇİÏäğıñöūüşçï"
WORD = re.compile(rf"[{LATIN}]+(?:['’][{LATIN}]+)*")

_COMMON: dict[str, str] = {
    "a": "а", "b": "б", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х", "j": "ж", "k": "к", "l": "л",
    "m": "м", "n": "н", "o": "о", "p": "п", "q": "қ", "r": "р", "s": "с", "t": "т", "v": "в", "z": "з",
    "c": "ц", "w": "у", "x": "х", "ǧ": "ғ", "ŋ": "ң", "ś": "ш",
    # Every alphabet's marked letters that mean the same in all of them: a text that mixes two
    # ("Sәtqaliyev: «Kókshetauda»", its ә typed in Cyrillic) still loses none of its letters.
    "ä": "ә", "á": "ә", "ğ": "ғ", "ǵ": "ғ", "ñ": "ң", "ń": "ң", "ö": "ө", "ó": "ө", "ü": "ү", "ú": "ү",
    "ū": "ұ", "ş": "ш", "ç": "ч", "ý": "у",
}  # fmt: skip
_TABLES: dict[str, dict[str, str]] = {
    "2021": {**_COMMON, "ä": "ә", "ğ": "ғ", "ı": "і", "ñ": "ң", "ö": "ө", "ş": "ш", "u": "у", "ū": "ұ",
             "ü": "ү", "y": "ы", "ç": "ч", "ï": "и"},
    "2018": {**_COMMON, "á": "ә", "ǵ": "ғ", "i": "і", "ń": "ң", "ó": "ө", "u": "ұ", "ú": "ү", "ý": "у",
             "y": "ы"},
    "ascii": {**_COMMON, "i": "і", "y": "ы", "u": "U", "o": "O"},  # U, O: decided by vowel harmony
}  # fmt: skip
# abai.kz's transliteration of Cyrillic pages: ú is ұ and ý is ү (the 2018 alphabet's ү and у), gh ng sh
# are its digraphs, iy its и.
_TABLES["abai"] = {**_COMMON, "i": "і", "y": "ы", "u": "у", "o": "о", "ú": "ұ", "ý": "ү", "ó": "ө", "á": "ә"}
_OLD = {**_TABLES["2021"], "ı": "ы", "i": "і", "ï": "и", "y": "й"}
_TABLES["latn-w"] = {**_OLD, "u": "ұ", "w": "у"}  # Kazakh Wikipedia's: "Respwblïka", "Ūlttıq" as "Ulttıq"
_TABLES["latn-u"] = {**_OLD, "u": "у", "w": "ұ"}  # "swraq" (сұрақ), "boluı" (болуы)
# The letter written for и/й in each spelling.
_YOT = {"2021": "i", "2018": "ı", "ascii": "", "latn-w": "y", "latn-u": "y", "abai": ""}
_DIGRAPHS = {"sh": "ш", "ch": "ч", "zh": "ж", "gh": "ғ", "kh": "х", "ng": "ң"}
# ş and ç are official; sh and ch beside them are informal.
_DIGRAPH_SYSTEMS = {"2018": ("sh", "ch"), "ascii": tuple(_DIGRAPHS), "2021": ("sh", "ch"), "latn-w": ("sh", "ch"),
                    "latn-u": ("sh", "ch"), "abai": tuple(_DIGRAPHS)}
_CYR_VOWELS = set("аәеиоөұүыіэюяёуOU")
_FRONT, _BACK = set("әеіөү"), set("аоұы")

# Frequent Kazakh words that are also English dictionary entries (so the dictionary is no evidence).
_KAZAKH_WORDS = frozenset(
    re.split(
        " ",
        "men sen ol biz siz bar jaq jas el adam ana ata bala bul osy sol kun tau su alma jer bir eki on jyl kel "
        "bas bai ken kim ne jan bek nur alash aq qara qyz ul bet kol tus sary sai aral kok er ar qazaq kazak "
        "dala ai zhan dos tan bal toi",
    )
)
_KAZAKH_ENDING = re.compile(
    r"(?:lar|ler|dar|der|tar|ter|dyñ|dıñ|nyñ|nıñ|tyñ|tıñ|dyn|nyn|tyn|ǵa|ğa|ga|ge|qa|ke|da|de|ta|te|dan|den"
    r"|nan|nen|tan|ten|dy|dı|ty|tı|ny|nı|ly|lı|sy|sı|myz|mız|yq|ıq|dyq|typ|yp|ıp)$"
)
_ENGLISH_SHAPES = re.compile(r"th|ph|wh|ck|ee|oo|ea|ou|ow|aw|ght|tion|c(?!h)|x|w(?!$)|^y")
_INNER_Y = re.compile(r"[^aeiouy]y[^aeiouy]")


_ABAI_DIGRAPHS = re.compile(r"[a-zúýó](?:gh|ng)", re.IGNORECASE)


def _abai(text: str) -> bool:
    """abai.kz's spelling rather than the 2018 alphabet: gh for ғ (2018 has ǵ), or ng for ң with its ú
    (ұ) beside back vowels ("Búl", "mazmúnda"), where the 2018 ú (ү) goes with front ones ("búgin")."""
    low = text.lower()
    if re.search(r"[a-zúýó]gh", low):
        return True
    if not _ABAI_DIGRAPHS.search(low):
        return False
    abai = alphabet = 0
    for w in WORD.findall(low):
        if "ú" in w:
            abai += bool(set(w) & set("aoy")) and not set(w) & set("eió")
            alphabet += bool(set(w) & set("eió")) and not set(w) & set("aoy")
    # abai's ý is ү: between consonants in a front word ("kýzde", "ýshin"). The 2018 ý is у: in back words
    # too ("týraly"), after a vowel or at the end ("aýyl", "kelý").
    for w in WORD.findall(low):
        if "ý" not in w:
            continue
        vowels = set(w) - set("ý")
        if vowels & set("aoy") and not vowels & set("eió") or re.search(r"(?<=[aeiouyáóúı])ý|ý$", w):
            alphabet += 1
        elif vowels & set("eió"):
            abai += 1
    return abai > alphabet


def system_of(text: str) -> str | None:
    """The alphabet a text's marks belong to: "2018", "2021", or None for unmarked text."""
    n2018 = len(_MARKS_2018_RE.findall(text))
    n2021 = len(_MARKS_2021_RE.findall(text))
    if not (n2018 or n2021):
        return None
    if n2018 and not _MARKS_2021_RE.search(text.replace("ı", "")):
        if not re.search("[ńǵŃǴ]", text) and _abai(text):
            return "abai"  # acute letters with gh/ng for ғ/ң: not the 2018 alphabet, which has ǵ ń
        return "2018"  # ı is и/й in the 2018 alphabet too: only the other 2021 letters tell
    return "2018" if n2018 > n2021 else "2021"


_BACK_LATIN, _FRONT_LATIN = set("ao"), set("eäöü")
_VOWEL_LATIN = "aeiouyäöüūıï"
_C = "bcdfghjklmnpqrstvwxzğñşç"
_CYC = re.compile(f"[{_C}]y[{_C}]")  # ы between consonants: the 2021 y
_CIC = re.compile(f"[{_C}]i[{_C}]")  # і between consonants: the older spelling's i
_VI = re.compile(f"[aeouäöüū]i(?:[{_C}]|$)")  # й after a vowel: the 2021 i ("aitty", "üi")


# Frequent words with і beside a back vowel, as the 2021 standard writes them: no evidence of a spelling.
_DISHARMONIC = ("bıraq", "kıtap", "mūğalım")


def refine(system: str, text: str) -> str:
    """The 2021 marks, read by the older Turkic-style spelling when the text's letters say so. Vowel harmony
    tells them apart: that spelling's ı (ы) keeps company with a and o ("qazaqtı") and its i (і) sits
    between consonants with e, ä, ö, ü ("bölindi"); the 2021 ı (і) goes with e, ä, ö, ü ("kelıp"), its y
    (ы) sits between consonants ("jyly") and its i is й after a vowel ("aitty"). Only the 2021 has ū, only
    the older one ï. Then the older spelling's u and w: у after a vowel is written by one of them ("taw",
    "bolwı" or "tau", "boluı"), and the other is ұ."""
    if system != "2021":
        return system
    old = 2 * len(re.findall("[ïÏ]", text))
    new = 2 * len(re.findall("[ūŪ]", text))
    for w in WORD.findall(text.lower()):
        vowels = set(w)
        back, front = bool(vowels & _BACK_LATIN), bool(vowels & _FRONT_LATIN)
        if "ı" in w and back != front and not w.startswith(_DISHARMONIC):
            old, new = old + back, new + front
        old += bool(front and not back and _CIC.search(w))
        new += bool(_CYC.search(w)) + bool(_VI.search(w))
    if old <= new:
        return system
    low = text.lower()
    vw = len(re.findall(f"[{_VOWEL_LATIN}]w", low))
    vu = len(re.findall("[aeoäöüıy]u", low))
    return "latn-u" if vu > vw else "latn-w"


@lru_cache(maxsize=8192)
def score(word: str) -> int:
    """Evidence that one Latin word is Kazakh (positive) or a foreign word (negative)."""
    if system_of(word):
        return 3
    w = word.lower()
    if w in foreign.NAMES:
        return -3
    s = 0
    if re.search(r"q(?!u)", w):
        s += 2
    if w in _KAZAKH_WORDS:
        s += 1
    elif word.isupper() and len(word) > 1:
        s += 2  # all-caps words are never read from the dictionary (NATO, SOCAR); see the caps rule below
    elif foreign.known(w):
        s -= 1
    else:
        s += 2  # the dictionary has 126 000 English words and names
    if _ENGLISH_SHAPES.search(w):
        s -= 2
    if "i" in w and "q" not in w and ("a" in w or _INNER_Y.search(w)):
        s -= 2  # i with a back vowel breaks vowel harmony: "Kazinform" is a foreign name
    if _INNER_Y.search(w) or re.search(r"zh|gh", w):
        s += 1
    if len(w) > 4 and _KAZAKH_ENDING.search(w):
        s += 1
    if word.isupper() and len(word) > 1:
        s -= 2  # acronyms are mostly foreign (BBC, IT); Kazakh ones are written in Cyrillic
    return s


def kazakh_words(words: list[str], kazakh_line: bool = False) -> list[bool]:
    """Which words of a run of Latin words are Kazakh: each word's own evidence plus its context's.

    kazakh_line: the run is a whole line mostly in Latin letters (an article or a quote in Latin Kazakh).
    """
    scores = [score(w) for w in words]
    total = sum(scores)
    out = []
    for s in scores:
        context = max(-2, min(2, total - s))
        if kazakh_line:
            context = max(context, 1)
        out.append(s + context > 0)
    return out


def _harmony(chars: list[str]) -> list[str]:
    """Informal o/u into о/ө and ұ/ү by the nearest vowel after them (else before them)."""
    for i, ch in enumerate(chars):
        if ch not in "OU":
            continue
        after = next((c for c in chars[i + 1 :] if c in _FRONT or c in _BACK), None)
        before = next((c for c in reversed(chars[:i]) if c in _FRONT or c in _BACK), None)
        front = (after or before or "а") in _FRONT
        chars[i] = ("ө" if front else "о") if ch == "O" else ("ү" if front else "ұ")
    return chars


def convert_word(word: str, system: str) -> str:
    """One Kazakh Latin word into Cyrillic, keeping a leading capital: ("Jaña", "2021") -> "Жаңа"."""
    dotless = system in ("2021", "latn-w", "latn-u")  # I is the capital of ı
    w = word.replace("İ", "i").replace("Ï", "ï").replace("I", "ı" if dotless else "i").lower()
    w = w.replace("’", "'").replace("'", "")
    table, yot = _TABLES[system], _YOT[system]
    out: list[str] = []
    i = 0
    while i < len(w):
        pair = w[i : i + 2]
        if pair in _DIGRAPH_SYSTEMS[system]:
            out.append(_DIGRAPHS[pair])
            i += 2
            continue
        ch = w[i]
        prev = out[-1] if out else ""
        nxt = w[i + 1 : i + 2]
        vowel_next = nxt in "aeiouyáóúäöüūıý" and nxt != ""
        after_vowel = prev in _CYR_VOWELS and prev != ""
        if ch == "i" and system == "abai" and nxt == "y" and not after_vowel:
            out.append("и")  # abai.kz writes и as iy: "tiyis", "siyaqty"
            i += 2
            continue
        if ch == "u" and system != "2021" and after_vowel and nxt != "w":
            out.append("у")  # "tau", "jazuw": u after a vowel is the consonant у
        elif ch == "w" and prev in ("у", "U"):
            out[-1] = "у"  # "jazuw": uw is one у
        elif ch == "i" and system != "2021" and nxt in ("a", "o", "e", "u") and not after_vowel:
            out.append("и")  # "radiosy", "tárbieleý": і never stands before a vowel; these are loans' и
        elif ch == "i" and system == "2018" and after_vowel and (vowel_next or prev not in ("у", "и")):
            out.append("й")  # "saiabaq", "aitty": typed for saıabaq, aıtty; і only after у or и ("ózgerýi")
        elif ch == "y" and prev == "у" and (system == "abai" or (system == "ascii" and len(out) > 1
                                                                   and out[-2] in _CYR_VOWELS)):
            out.append("ы")  # "auyl", "tauy": у after a vowel is a consonant, so y is the vowel ы
        elif (ch == yot or (system in ("ascii", "abai") and ch in "iy")) and (prev in _CYR_VOWELS and prev
                                                                                or vowel_next):
            if not prev and nxt in ("a", "u"):  # initial ya/yu
                out.append("я" if nxt == "a" else "ю")
                i += 2
                continue
            out.append("й" if prev in _CYR_VOWELS and prev else "и" if ch == yot else table.get(ch, ""))
        elif ch == yot:
            out.append("и")
        else:
            out.append(table.get(ch, ""))
        i += 1
    spoken = "".join(_harmony(out) if system == "ascii" else out)
    spoken = _IOTATED.sub(lambda m: {"йа": "я", "йу": "ю"}[m.group(0)], spoken)  # "saiabaq" -> "саябақ"
    if 1 < len(word) <= 5 and _CAPS.fullmatch(word):
        return spoken.upper()  # "QR", "AQSh": an acronym stays one, so the lexicon reads it (ҚР, АҚШ)
    return spoken[:1].upper() + spoken[1:] if word[:1].isupper() else spoken


_IOTATED = re.compile(r"(?<=[аәеиоөұүыі])й[ау](?![аәеиоөұүыіу])")
_CAPS = re.compile("(?:[A-ZÁǴŃÓÚÝÄĞÑÖŪÜŞÇİÏǦŊŚ]|(?<=.)(?:h|H))+")
_RUN = re.compile(rf"{WORD.pattern}(?:[\s,;:\-–—«»\"“”'’()!?.]+(?:\d+[\s\-]+)*{WORD.pattern})*")
_CYRILLIC = re.compile(r"[а-яёәғқңөұүһіА-ЯЁӘҒҚҢӨҰҮҺІ]")


def to_cyrillic(text: str) -> str:
    """Every Kazakh word written in Latin letters in text into Cyrillic; foreign words stay as they are."""
    latin = len(re.findall(rf"[{LATIN}]", text))
    if not latin:
        return text
    # A line mostly in Latin letters whose words, taken together, look Kazakh: an article or a quote.
    kazakh_line = latin > 2 * len(_CYRILLIC.findall(text)) and sum(score(w) for w in WORD.findall(text)) > 0
    line_system = system_of(text)
    line_system = refine(line_system, text) if line_system else None

    def run(m: re.Match[str]) -> str:
        words = list(WORD.finditer(m.group(0)))
        if any("http" in w.group(0).lower() for w in words):
            return m.group(0)
        flags = kazakh_words([w.group(0) for w in words], kazakh_line)
        system = system_of(m.group(0)) or line_system or "ascii"
        if system == "2021" and line_system and line_system.startswith("latn"):
            system = line_system
        piece, last = [], 0
        for w, is_kazakh in zip(words, flags, strict=True):
            piece.append(m.group(0)[last : w.start()])
            if is_kazakh:
                spoken = convert_word(w.group(0), system)
                report("latin-kazakh", w.group(0), spoken, f"read as Kazakh in Latin letters ({system})")
                piece.append(spoken)
            else:
                piece.append(w.group(0))
            last = w.end()
        piece.append(m.group(0)[last:])
        return "".join(piece)

    return _RUN.sub(run, text)
