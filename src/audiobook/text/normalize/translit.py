"""Latin script into Cyrillic, by sound.

Two cases: Kazakh written in one of the official Latin alphabets (2018, with acute accents; 2021, with
umlauts and breves), converted letter by letter; and foreign names in Kazakh text (SOCAR, Kazinform),
transliterated with English-like spelling rules, a small table of well-known names, and short all-caps
acronyms spelled as letter names (BBC -> Би-би-си). Names keep a capital: SOCAR -> Сокар.
"""

from __future__ import annotations

import re

from audiobook.text.normalize.morph import KAZ_LOWER, is_suffix

LATIN_LETTERS = "A-Za-zÀ-ÖØ-öø-ɏəƏ\u1e00-\u1eff"
# A Latin word, optionally with a Kazakh ending after a hyphen ("SOCAR-дың").
_LATIN_WORD = re.compile(
    rf"(?P<word>[{LATIN_LETTERS}]+(?:['’][{LATIN_LETTERS}]+)*)(?:-(?P<end>[{KAZ_LOWER}]+)(?![\w-]))?"
)

_MARKS_2018 = set("áǵńóúýÁǴŃÓÚÝ")
_MARKS_2021 = set("äğñöūüşçÄĞÑÖŪÜŞÇ")

# Well-known names whose spelling does not follow the rules below (lower-case keys).
EXCEPTIONS: dict[str, str] = {
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
}

# English letter names as Kazakh readers say them, for acronyms read letter by letter.
LETTER_NAMES = {
    "a": "эй", "b": "би", "c": "си", "d": "ди", "e": "и", "f": "эф", "g": "джи", "h": "эйч", "i": "ай",
    "j": "джей", "k": "кей", "l": "эл", "m": "эм", "n": "эн", "o": "оу", "p": "пи", "q": "кью", "r": "ар",
    "s": "эс", "t": "ти", "u": "ю", "v": "ви", "w": "дабл-ю", "x": "экс", "y": "уай", "z": "зед",
}  # fmt: skip

_EN_MULTI = {
    "sch": "ш", "tch": "ч", "sh": "ш", "ch": "ч", "zh": "ж", "kh": "х", "ph": "ф", "th": "т", "ts": "ц",
    "ck": "к", "qu": "кв", "xx": "кс", "oo": "у", "ee": "и", "ea": "и", "wh": "у", "ya": "я", "yu": "ю",
    "yo": "йо", "ye": "е",
}  # fmt: skip
_EN_SINGLE = {
    "a": "а", "b": "б", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х", "i": "и", "j": "дж", "k": "к",
    "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "к", "r": "р", "s": "с", "t": "т", "u": "у",
    "v": "в", "w": "у", "x": "кс", "z": "з", "ə": "ә", "ü": "ү", "ö": "ө", "ç": "ч", "ş": "ш", "ğ": "ғ",
    "ı": "ы", "é": "е", "è": "е", "ê": "е", "ë": "е", "á": "а", "à": "а", "â": "а", "í": "и", "ó": "о",
    "ú": "у", "ñ": "нь", "ä": "ә", "ß": "сс",
}  # fmt: skip
_EN_VOWELS = set("aeiouyəüöı")

_KZ2018 = {
    "a": "а", "á": "ә", "b": "б", "d": "д", "e": "е", "f": "ф", "g": "г", "ǵ": "ғ", "h": "х", "i": "і",
    "j": "ж", "k": "к", "l": "л", "m": "м", "n": "н", "ń": "ң", "o": "о", "ó": "ө", "p": "п", "q": "қ",
    "r": "р", "s": "с", "t": "т", "u": "ұ", "ú": "ү", "v": "в", "y": "ы", "ý": "у", "z": "з", "c": "ц",
    "w": "у", "x": "кс",
}  # fmt: skip
_KZ2021 = {
    "a": "а", "ä": "ә", "b": "б", "d": "д", "e": "е", "f": "ф", "g": "г", "ğ": "ғ", "h": "х", "i": "і",
    "ı": "ы", "j": "ж", "k": "к", "l": "л", "m": "м", "n": "н", "ñ": "ң", "o": "о", "ö": "ө", "p": "п",
    "q": "қ", "r": "р", "s": "с", "ş": "ш", "t": "т", "u": "у", "ū": "ұ", "ü": "ү", "v": "в", "z": "з",
    "ç": "ч", "c": "ц", "w": "у", "x": "кс",
}  # fmt: skip
# Back vowels of each alphabet: a Kazakh word with one never has "і", so its "i" is a loanword's "и".
_KZ_BACK = {"2018": set("aouy"), "2021": set("aoıū")}


def _english(word: str) -> str:
    w = word.lower().replace("'", "").replace("’", "")
    if w in EXCEPTIONS:
        return EXCEPTIONS[w]
    if len(w) > 3 and w.endswith("le") and w[-3] not in _EN_VOWELS:
        w = w[:-1]  # silent e: "Apple"-like endings
    out: list[str] = []
    i = 0
    while i < len(w):
        for size in (3, 2):
            chunk = w[i : i + size]
            if len(chunk) == size and chunk in _EN_MULTI:
                out.append(_EN_MULTI[chunk])
                i += size
                break
        else:
            ch = w[i]
            prev = w[i - 1] if i else ""
            nxt = w[i + 1] if i + 1 < len(w) else ""
            if ch == "c":
                out.append("с" if nxt in ("e", "i", "y") else "к")
            elif ch == "y":
                out.append("й" if prev in _EN_VOWELS or (not prev and nxt in _EN_VOWELS) else "и")
            elif ch == "e" and not prev:
                out.append("э")
            else:
                out.append(_EN_SINGLE.get(ch, ""))
            i += 1
    return "".join(out)


def _kazakh_latin(word: str, system: str) -> str:
    """Letter by letter; `yot` is the letter for both Й and И (ı in 2018, y in 2021)."""
    table, yot = (_KZ2018, "ı") if system == "2018" else (_KZ2021, "y")
    w = word.lower().replace("'", "").replace("’", "")
    back = any(ch in _KZ_BACK[system] for ch in w)
    out: list[str] = []
    i = 0
    while i < len(w):
        ch, nxt = w[i], w[i + 1 : i + 2]
        prev = w[i - 1] if i else ""
        if ch in "sc" and nxt == "h":
            out.append("ш" if ch == "s" else "ч")
            i += 2
            continue
        if ch == yot:
            if nxt in ("a", "ý", "u") and (not prev or prev in "aeoıuyáóúéäöüū"):
                out.append("я" if nxt == "a" else "ю")
                i += 2
                continue
            vowel_near = prev in "aeoáóúäöüūuyıi" and prev != ""
            out.append("й" if vowel_near else "и")
        elif ch == "i" and back:
            out.append("и")
        else:
            out.append(table.get(ch, _EN_SINGLE.get(ch, "")))
        i += 1
    return "".join(out)


def _spell(word: str) -> str:
    return "-".join(LETTER_NAMES[ch] for ch in word.lower())


def _capitalise_like(original: str, spoken: str) -> str:
    if original[:1].isupper():
        return spoken[:1].upper() + spoken[1:]
    return spoken


def latin_system(text: str) -> str | None:
    """Which Kazakh Latin alphabet a text uses ("2018", "2021"), judged by its distinctive letters."""
    n2018 = sum(ch in _MARKS_2018 for ch in text)
    n2021 = sum(ch in _MARKS_2021 for ch in text)
    if not n2018 and not n2021:
        if "ı" in text:  # dotless i alone: ы of the 2021 alphabet
            return "2021"
        # "q" without "u" is Қ in both alphabets; unmarked text then reads best as 2018 (y = ы)
        return "2018" if re.search(r"[qQ](?![uU])", text) else None
    return "2018" if n2018 > n2021 else "2021"


def transliterate_word(word: str, system: str | None = None) -> str:
    """One Latin word into Cyrillic. system: "2018"/"2021" for Kazakh Latin, None for a foreign word."""
    if system in _KZ_BACK:
        spoken = _kazakh_latin(word, system)
    elif word.isupper() and word.isascii() and (len(word) <= 3 or not set(word.lower()) & _EN_VOWELS):
        spoken = _spell(word)  # BBC, IT, KPMG: read as letters
    else:
        spoken = _english(word)
    return _capitalise_like(word, spoken)


def transliterate(text: str) -> str:
    """Every Latin word in text into Cyrillic.

    A line mostly in Latin letters with the marks of a Kazakh Latin alphabet is read as Kazakh throughout;
    in a Cyrillic line only words carrying those marks are, and other Latin words are foreign names.
    """
    latin = len(re.findall(rf"[{LATIN_LETTERS}]", text))
    if not latin:
        return text
    cyrillic = len(re.findall(r"[а-яёәғқңөұүһіА-ЯЁӘҒҚҢӨҰҮҺІ]", text))
    line_system = latin_system(text) if latin > cyrillic else None

    def one(m: re.Match[str]) -> str:
        word, end = m.group("word"), m.group("end")
        spoken = transliterate_word(word, line_system or latin_system(word))
        if end:  # the author chose the ending for the spoken name, so it joins as written
            spoken += end if is_suffix(end) else "-" + end
        return spoken

    return _LATIN_WORD.sub(one, text)
