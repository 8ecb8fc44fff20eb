"""Russian sentences to speakable words: numbers in the case their noun or preposition asks for.

num2words writes Russian cardinals and ordinals in any case and gender; pymorphy3 (with its Russian
dictionary) tells the case, gender and number of the word after a number, and agrees units with it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# Abbreviations read out in full; units agree with the number before them (see _units).
ABBREVIATIONS = {
    "т. е.": "то есть", "т.е.": "то есть", "т. д.": "так далее", "т.д.": "так далее",
    "т. п.": "тому подобное", "т.п.": "тому подобное", "и др.": "и другие", "см.": "смотрите",
    "ул.": "улица", "пр.": "проспект", "обл.": "область", "р-н": "район", "им.": "имени",
    "РК": "эр ка", "РФ": "эр эф", "США": "сэ шэ а", "ООН": "оон", "СНГ": "эс эн гэ", "ЕАЭС": "е а э эс",

}
UNITS = {
    "%": "процент", "млн.": "миллион", "млрд.": "миллиард", "трлн.": "триллион", "млн": "миллион",
    "млрд": "миллиард", "трлн": "триллион", "тыс.": "тысяча",
    "тыс": "тысяча", "км": "километр", "кг": "килограмм", "м": "метр", "т": "тонна", "га": "гектар",
    "руб.": "рубль", "руб": "рубль", "тг": "тенге", "долл.": "доллар", "$": "доллар", "°C": "градус",
    "г.": "год", "гг.": "год", "мес.": "месяц", "мес": "месяц",
}
MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
          "октября", "ноября", "декабря")
# The case a preposition gives the number after it (when the noun after it does not tell).
PREPOSITIONS = {
    "до": "gent", "от": "gent", "из": "gent", "около": "gent", "более": "gent", "менее": "gent",
    "свыше": "gent", "после": "gent", "для": "gent", "без": "gent", "с": "gent", "у": "gent",
    "к": "datv", "по": "datv", "благодаря": "datv", "о": "loct", "об": "loct", "при": "loct",
    "с более": "gent",
}
_CASE = {"nomn": "n", "gent": "g", "datv": "d", "accs": "a", "ablt": "i", "loct": "p", "loc2": "p",
         "gen2": "g"}
_GENDER = {"masc": "m", "femn": "f", "neut": "n"}

_UNIT_RE = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_NUM = re.compile(
    r"(?P<prep>\b[А-Яа-яЁё]+\s+)?(?:(?<![\w.,])(?P<minus>[-−]))?(?P<num>\d+(?:[ \u00a0]\d{3})*(?:,\d+)?)"
    r"(?P<ord>-(?:й|я|е|го|му|м|ми|х|ый|ой|ая|ое|ого|ому|ом))?"
    rf"(?:\s*(?P<unit>{_UNIT_RE})(?![А-Яа-яЁё]))?"
    r"(?P<after>\s+[А-Яа-яЁё]+)?"
)
_DOT_ABBR = re.compile("|".join(re.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True)))


_DATE = re.compile(rf"\b(\d{{1,2}})\s+({'|'.join(MONTHS)})(?:\s+(\d{{4}})(?:\s*(?:г\.|года)(?![А-Яа-яЁё]))?)?")


def _date(m: re.Match[str]) -> str:
    """"25 декабря 2023 г." -> the day and the year as genitive ordinals: "двадцать пятого декабря ... года"."""
    day = _words(m[1], ordinal=True, case="g", gender="n")
    if not m[3]:
        return f"{day} {m[2]}"
    return f"{day} {m[2]} {_words(m[3], ordinal=True, case='g', gender='m')} года"


@lru_cache(maxsize=1)
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


def _words(n: str, *, ordinal: bool, case: str, gender: str, plural: bool = False) -> str:
    from num2words import num2words

    value: float | int = float(n.replace(",", ".")) if "," in n else int(n)
    return str(num2words(value, lang="ru", to="ordinal" if ordinal and isinstance(value, int) else "cardinal",
                         case=case, gender=gender, plural=plural))


def _noun(word: str) -> Any | None:
    """The most likely noun (or adjective) reading of `word`, or None."""
    for p in _morph().parse(word):
        if {"NOUN", "ADJF"} & set(p.tag.grammemes):
            return p
    return None


def _agree(unit: str, n: str, case: str) -> str:
    """The unit word agreeing with the number (2 процента, 5 процентов, 21 процент)."""
    p = _morph().parse(unit)[0]
    if "," in n:
        form = p.inflect({"gent", "sing"})
    else:
        k = int(n) % 100
        form = p.make_agree_with_number(int(n))
        if case in ("gent", "datv", "ablt", "loct") and not (k % 10 == 1 and k != 11):
            form = p.inflect({case, "plur"})
        elif case != "nomn" and k % 10 == 1 and k != 11:
            form = p.inflect({case, "sing"})
    return str(form.word if form else unit)


def _replace(m: re.Match[str]) -> str:
    prep, n, ord_, unit, after = m["prep"] or "", m["num"].replace(" ", "").replace("\u00a0", ""), m["ord"], \
        m["unit"], m["after"] or ""
    prep_word = prep.strip().lower()
    if m["minus"]:  # "до -12 градусов": the sign is read, the number keeps the preposition's case
        prep += "минус "
    case = "gent" if prep_word in MONTHS else PREPOSITIONS.get(prep_word, "nomn")  # "15 марта 2024 г."
    gender = "m"
    ordinal = bool(ord_)
    unit_word = UNITS.get(unit) if unit else None
    head = unit_word or (after.strip() if after else "")
    nxt = _noun(head) if head else None
    if head.lower() in MONTHS:
        return f"{prep}{_words(n, ordinal=True, case='g', gender='n')}{after}"
    if nxt is not None and nxt.normal_form == "год" and "sing" in nxt.tag and not ordinal:
        ordinal = True  # "в 2024 году": a year is an ordinal in the noun's case
    if unit_word == "год":  # "в 2024 г.": the case comes from the preposition
        case = "loct" if prep_word in ("в", "во") else case
        if prep_word and prep_word not in PREPOSITIONS and prep_word not in ("в", "во") and (
                (p := _noun(prep_word)) is not None and "NOUN" in p.tag):
            case = "gent"  # "до конца 2025 г.": a year after a noun is its genitive
        spoken = _words(n, ordinal=True, case=_CASE.get(case, "n"), gender="m")
        return f"{prep}{spoken} {_year_form('год', case)}{after}"
    if ordinal:
        plural = nxt is not None and "plur" in nxt.tag
        if ord_:  # the written ending says the case: "3-й раунд", "в 5-м классе"
            case, g = _SUFFIX.get(ord_, ("nomn", "m"))
            plural = g == "p"
            gender = g if g in "mfn" else "m"
            if nxt is not None and nxt.tag.gender:
                gender = _GENDER.get(str(nxt.tag.gender), gender)
        elif nxt is not None:
            given = "loct" if prep_word in ("в", "во") else case if prep_word in PREPOSITIONS else ""
            case = _case_of(nxt, given)
            gender = _GENDER.get(str(nxt.tag.gender), "m")
        spoken = _words(n, ordinal=True, case=_CASE.get(case, "n"), gender=gender, plural=plural)
    else:
        if nxt is not None and "Fixd" not in nxt.tag:
            gender = _GENDER.get(str(nxt.tag.gender), "m")
            if unit_word is None and (own := _case_of(nxt, case)) in ("datv", "ablt", "loct"):
                case = own  # "с 1 партнёром": the noun's instrumental, not the preposition's genitive
        spoken = _words(n, ordinal=False, case=_CASE.get(case, "n"), gender=gender)
    if unit_word:
        return f"{prep}{spoken} {_agree(unit_word, n, case)}{after}"
    return f"{prep}{spoken}{after}"


def _year_form(unit: str, case: str) -> str:
    form = _morph().parse(unit)[0].inflect({"loc2" if case == "loct" else case, "sing"})
    return str(form.word if form else unit)


def _case_of(p: Any, preferred: str) -> str:
    """The noun's case; where its form is ambiguous ("году": dative or locative), the preposition's."""
    number = str(p.tag.number)
    cases = {str(q.tag.case) for q in _morph().parse(p.word)
             if q.normal_form == p.normal_form and q.tag.case and str(q.tag.number) == number}
    cases = {"loct" if c == "loc2" else "gent" if c == "gen2" else c for c in cases}
    if preferred in cases:
        return preferred
    if not preferred and "nomn" in cases:
        return "nomn"
    return str(p.tag.case) if p.tag.case else preferred


_SUFFIX = {"-й": ("nomn", "m"), "-ый": ("nomn", "m"), "-ой": ("nomn", "m"), "-я": ("nomn", "f"),
           "-ая": ("nomn", "f"), "-е": ("nomn", "n"), "-ое": ("nomn", "n"), "-го": ("gent", "m"),
           "-ого": ("gent", "m"), "-му": ("datv", "m"), "-ому": ("datv", "m"), "-м": ("loct", "m"),
           "-ом": ("loct", "m"), "-х": ("gent", "p"), "-ми": ("ablt", "p")}


# "в 2020–2022 годах / гг.": two ordinals in the plural noun's case, the noun written out.
_YEARS = re.compile(r"(?P<prep>\b[А-Яа-яЁё]+\s+)?(?P<a>\d{4})\s*[-–—]\s*(?P<b>\d{4})\s*"
                    r"(?P<noun>годах|годы|годов|годам|годами|гг\.)")
_YEARS_CASE = {"годах": "loct", "годы": "nomn", "годов": "gent", "годам": "datv", "годами": "ablt"}


def _years(m: re.Match[str]) -> str:
    prep = m["prep"] or ""
    case = _YEARS_CASE.get(m["noun"]) or ("loct" if prep.strip().lower() in ("в", "во") else
                                          PREPOSITIONS.get(prep.strip().lower(), "nomn"))
    a, b = (_words(m[k], ordinal=True, case=_CASE[case], gender="m") for k in ("a", "b"))
    noun = _morph().parse("год")[0].inflect({"loc2" if case == "loct" else case, "plur"})
    return f"{prep}{a} – {b} {noun.word if noun else m['noun']}"


# "в г. Алматы" -> "в городе Алматы"; "в 2024 г. Алматы..." is a year.
_CITY = re.compile(r"(?P<prep>(?:\b[А-Яа-яЁё]+\s+)?)(?<![\d\w])(?<!\d )г\.\s(?=[А-ЯЁ])")
_CITY_CASE = {"в": "городе", "во": "городе", "о": "городе", "об": "городе", "при": "городе", "из": "города",
              "до": "города", "для": "города", "у": "города", "от": "города", "около": "города", "к": "городу",
              "по": "городу", "с": "городом", "над": "городом", "под": "городом", "между": "городом"}
_NUMERIC_DATE = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s*(?:г\.|года))?(?![\d.]\d)")
_CURRENCIES = {"$": "долларов", "€": "евро"}
_CURRENCY_FIRST = re.compile(r"([$€])\s?(\d+(?:[.,]\d+)?)(?:\s?(млн\.?|млрд\.?|трлн\.?|тыс\.))?")
_TIME = re.compile(r"(?P<prep>\b(?:с|до|после|около|к|в|на|от)\s+)?(?<![\d:])(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)"
                   r"(?![\d:])", re.IGNORECASE)
# "20-летний", "3-кратный": the number's genitive joined to the word, as Russian writes it in full.
_COMPOUND = re.compile(r"(?<![\d,])(\d{1,3})-(летн|лети|кратн|процентн|этажн|тысячн|местн|комнатн|дневн|часов|"
                       r"минутн|километров|метров|тонн)([а-яё]*)")
_JOINED = {"1": "одно", "90": "девяносто", "100": "сто"}


# "на ул. Абая" -> "на улице Абая": the street, avenue or region in its preposition's case.
_PLACE = re.compile(r"\b(?P<prep>на|в|во|по|к|до|из|от|у|о|об|при|около|возле|вдоль)\s+(?P<abbr>ул\.|пр\.|обл\.)",
                    re.IGNORECASE)
_PLACE_CASE = {"на": "loct", "в": "loct", "во": "loct", "о": "loct", "об": "loct", "при": "loct", "по": "datv",
               "к": "datv"}


def _place(m: re.Match[str]) -> str:
    word = ABBREVIATIONS[m["abbr"].lower()]
    case = _PLACE_CASE.get(m["prep"].lower(), "gent")
    form = _morph().parse(word)[0].inflect({case, "sing"})
    return f"{m['prep']} {form.word if form else word}"


def _time(m: re.Match[str]) -> str:
    prep = m["prep"] or ""
    case = {"к": "d"}.get(prep.strip().lower(), "g" if prep.strip().lower() in ("с", "до", "после", "около", "от")
                          else "n")
    hours = _words(m["h"], ordinal=False, case=case, gender="m")
    minutes = "ноль-ноль" if m["m"] == "00" else (
        ("ноль " if m["m"][0] == "0" else "") + _words(str(int(m["m"])), ordinal=False, case=case, gender="f"))
    return f"{prep}{hours} {minutes}"


def _compound(m: re.Match[str]) -> str:
    n = m[1]
    words = _words(n, ordinal=False, case="g", gender="m").split()
    # In a compound ninety, a hundred and a last one take their joining forms: девяностопятилетний.
    words = [{"девяноста": "девяносто", "ста": "сто"}.get(w, w) for w in words]
    words[-1] = "одно" if words[-1] == "одного" else words[-1]
    joined = _JOINED.get(n) or "".join(words)
    return f"{joined}{m[2]}{m[3]}"


# A unit's dot before a capital also ends the sentence: kept apart from the unit, put back at the end.
_UNIT_DOT = re.compile(r"\b(млн|млрд|трлн|тыс|руб|долл|мес)\.(?=\s+[А-ЯЁA-Z«\"]|\s*$)")
_KEPT_DOT = "\u2e2a"


def normalize_ru(sentence: str) -> str:
    text = _UNIT_DOT.sub(rf"\1 {_KEPT_DOT}", sentence.replace(_KEPT_DOT, ""))
    text = _PLACE.sub(_place, text)
    text = _DOT_ABBR.sub(lambda m: ABBREVIATIONS[m.group(0)], text)
    end = text.rstrip()[-1:] if text.rstrip() else ""
    text = _YEARS.sub(_years, text)
    text = _CITY.sub(lambda m: f"{m['prep']}{_CITY_CASE.get(m['prep'].strip().lower(), 'город')} ", text)
    text = re.sub(r"(?<!\d )\bмес\b\.?", "месяц", text)  # "в мес."; "12 мес." agrees with its number
    text = _NUMERIC_DATE.sub(lambda m: f"{int(m[1])} {MONTHS[int(m[2]) - 1]} {m[3]} года"
                             if 1 <= int(m[2]) <= 12 and 1 <= int(m[1]) <= 31 else m[0], text)
    text = _CURRENCY_FIRST.sub(lambda m: f"{m[2]} {m[3]} {_CURRENCIES[m[1]]}" if m[3] else f"{m[2]} {m[1]}", text)
    text = _TIME.sub(_time, text)
    text = _COMPOUND.sub(_compound, text)
    text = _DATE.sub(_date, text)
    text = _NUM.sub(_replace, text)
    if end == "." and not text.rstrip().endswith("."):  # "в 2023 г." ends the sentence with its dot
        text = text.rstrip() + "."
    text = re.sub(r"(\d)\s*[-–—]\s*(\d)", r"\1 – \2", text)
    text = re.sub(r"\b((?:миллион|миллиард|тысяч)[а-я]*) т\b", r"\1 тонн", text)
    text = re.sub(r"\b((?:миллион|миллиард|триллион|тысяч)[а-я]*) (?:руб\.|руб\b)", r"\1 рублей", text)
    text = re.sub(r"\b((?:миллион|миллиард|триллион|тысяч)[а-я]*) (?:долл\.|\$)", r"\1 долларов", text)
    text = re.sub(r"\d+", lambda m: _words(m.group(0), ordinal=False, case="n", gender="m"), text)
    return re.sub(r"\s{2,}", " ", text.replace(f" {_KEPT_DOT}", ".").replace(_KEPT_DOT, ".")).strip()
