"""Abbreviations common in Kazakh news and how they are read.

Acronyms are matched case-sensitively as whole words, optionally followed by "-<ending>". Everything a
user may want to change belongs in the lexicon (text/normalize/data/lexicon.txt, or a --lexicon file),
which is applied first and wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from audiobook.text.normalize.morph import CONJUNCTION, KAZ_LOWER, attach, is_suffix, with_conjunction

MONTHS = (
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
)

# Acronym -> (spoken form, ends in a 3rd-person possessive: takes "н" case forms).
ACRONYMS: dict[str, tuple[str, bool]] = {
    "ҚР": ("Қазақстан Республикасы", True),
    "РФ": ("Ресей Федерациясы", True),
    "ҚХР": ("Қытай Халық Республикасы", True),
    "КХДР": ("Корей Халықтық Демократиялық Республикасы", True),
    "АҚШ": ("Америка Құрама Штаттары", True),
    "БАӘ": ("Біріккен Араб Әмірліктері", True),
    "ЕО": ("Еуропалық Одақ", False),
    "БҰҰ": ("Біріккен Ұлттар Ұйымы", True),
    "ТМД": ("Тәуелсіз Мемлекеттер Достастығы", True),
    "ТМҰ": ("Түркі мемлекеттері ұйымы", True),
    "ШЫҰ": ("Шанхай ынтымақтастық ұйымы", True),
    "ҰҚШҰ": ("Ұжымдық қауіпсіздік туралы шарт ұйымы", True),
    "ЕАЭО": ("Еуразиялық экономикалық одақ", False),
    "ЕҚЫҰ": ("Еуропадағы қауіпсіздік және ынтымақтастық ұйымы", True),
    "ДСҰ": ("Дүниежүзілік сауда ұйымы", True),
    "ДДСҰ": ("Дүниежүзілік денсаулық сақтау ұйымы", True),
    "ХВҚ": ("Халықаралық валюта қоры", True),
    "ЕҚДБ": ("Еуропа қайта құру және даму банкі", True),
    "АДБ": ("Азия даму банкі", True),
    "ЖІӨ": ("жалпы ішкі өнім", False),
    "ҚҚС": ("қосылған құн салығы", True),
    "БАҚ": ("бұқаралық ақпарат құралдары", True),
    "ҮЕҰ": ("үкіметтік емес ұйым", False),
    "ЖОО": ("жоғары оқу орны", True),
    "ҰБТ": ("ұлттық бірыңғай тестілеу", False),
    "ЖИ": ("жасанды интеллект", False),
    "ШОБ": ("шағын және орта бизнес", False),
    "ЖШС": ("жауапкершілігі шектеулі серіктестік", False),
    "АҚ": ("акционерлік қоғам", False),
    "АЭС": ("атом электр станциясы", True),
    "ЖЭО": ("жылу электр орталығы", True),
    "ЖКО": ("жол-көлік оқиғасы", True),
    "ТЖ": ("төтенше жағдай", False),
    "ТЖМ": ("Төтенше жағдайлар министрлігі", True),
    "ІІМ": ("Ішкі істер министрлігі", True),
    "СІМ": ("Сыртқы істер министрлігі", True),
    "ҰҚК": ("Ұлттық қауіпсіздік комитеті", True),
    "ҰОС": ("Ұлы Отан соғысы", True),
    "ЖАО": ("жергілікті атқарушы органдар", False),
    "ФК": ("футбол клубы", True),
    "ХОК": ("Халықаралық олимпиада комитеті", True),
    "ҰОК": ("Ұлттық олимпиада комитеті", True),
}

# Units and multipliers. The author writes an ending for the full word, so it is joined as written.
UNITS: dict[str, str] = {
    "млн": "миллион",
    "млрд": "миллиард",
    "трлн": "триллион",
    "км": "километр",
    "кг": "килограмм",
    "см": "сантиметр",
    "мм": "миллиметр",
    "мг": "миллиграмм",
    "кВт": "киловатт",
    "МВт": "мегаватт",
    "ГВт": "гигаватт",
    "км²": "шаршы километр",
    "м²": "шаршы метр",
    "м³": "текше метр",
    "тг": "теңге",
}
# Ambiguous short units, only read as units right after a number ("5 т", "100 м", "5 km").
NUMBER_UNITS: dict[str, str] = {
    "м": "метр",
    "т": "тонна",
    "л": "литр",
    "г": "грамм",
    "ц": "центнер",
    "га": "гектар",  # else the Latin "ga" (transliterated) would be read as hectares
    "сағ": "сағат",
    "мин": "минут",
    "сек": "секунд",
    "km": "километр",
    "kg": "килограмм",
    "m": "метр",
    "t": "тонна",
    "ha": "гектар",
    "kW": "киловатт",
    "MW": "мегаватт",
    "GW": "гигаватт",
}

# Abbreviations written with periods. Those in _SENTENCE_END often close a sentence, so their period
# is kept before a capital letter.
DOTTED: dict[str, str] = {
    "т.с.с.": "тағы сол сияқты",
    "т.б.": "тағы басқа",
    "т.т.": "тағы тағы",
    "б.з.д.": "біздің заманымызға дейін",
    "б.з.": "біздің заманымыз",
    "жж.": "жылдары",
    "ж.ж.": "жылдары",
    "ж.": "жылы",
    "ғғ.": "ғасырлар",
    "ғ.": "ғасыр",
    "мыс.": "мысалы",
    "обл.": "облысы",
    "ауд.": "ауданы",
    "көш.": "көшесі",
    "қ.": "қаласы",
    "проф.": "профессор",
    "акад.": "академик",
    "млн.": "миллион",
    "млрд.": "миллиард",
    "трлн.": "триллион",
    "сағ.": "сағат",
    "мин.": "минут",
    "тг.": "теңге",
}
_SENTENCE_END = {"т.с.с.", "т.б.", "т.т."}
# Words the sentence splitter must not end a sentence after.
NO_SPLIT_AFTER = frozenset(DOTTED) | {"т.с.с", "т.б", "т.с.", "тел.", "Тел.", "ТЕЛ."}  # "Тел. 8 701 ..."

_END = rf"(?:-(?P<end>[{KAZ_LOWER}]+))?"


def _alternation(keys: Iterable[str]) -> str:
    return "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))


_ACRONYM_RE = re.compile(rf"(?<![\w-])(?P<key>{_alternation(ACRONYMS)}){_END}(?![\w]){CONJUNCTION}")
_UNIT_RE = re.compile(rf"(?<![\w-])(?P<key>{_alternation(UNITS)}){_END}(?![\w²³])")
_NUMBER_UNIT_RE = re.compile(rf"(?<=\d) ?(?P<key>{_alternation(NUMBER_UNITS)}){_END}(?![\w²³])")
# "5 мың га", "1,5 млн т", "3 млн л": after a multiplier too (a bare "га" is as likely a transliterated
# Latin "ga", a bare "т" or "л" an initial).
_MULTIPLIERS = ("мың", "млн", "млрд", "трлн", "миллион", "миллиард", "триллион")
_AFTER_MULTIPLIER_RE = re.compile(
    "(?:" + "|".join(f"(?<=(?<![\\w-]){w} )" for w in _MULTIPLIERS) + rf")(?P<key>га|т|л){_END}(?![\w²³])"
)
# A dotted abbreviation; the final period may be missing on the multi-letter ones ("т.б" at line end).
_DOTTED_RE = re.compile(
    rf"(?<![\w.])(?P<key>{_alternation(DOTTED)}|т\.с\.с(?![\w.])|т\.б(?![\w.]))"
    r"(?=\s*[»\")\]]*\s*(?P<next>\S?))"
)
# "2024 ж. 5 наурызда": the year qualifies a date, "жылғы" rather than "жылы".
_DATE_AFTER = re.compile(rf"\s*\d{{1,2}}\s+(?:{'|'.join(MONTHS)})", re.IGNORECASE)
# Units joined by a slash, read "per" with the second's possessive dative: "км/сағ" -> "километр сағатына",
# "5 м/с" -> "бес метр секундына", "теңге/ай" -> "теңге айына"; "кВт/сағ" (so written for кВт·сағ) is
# the kilowatt-hour.
_PER = {"с": "секундына", "сек": "секундына", "сағ": "сағатына", "мин": "минутына", "ай": "айына",
        "жыл": "жылына", "тәул": "тәулігіне", "тәулік": "тәулігіне", "күн": "күніне", "га": "гектарына",
        "кг": "килограмына", "т": "тоннасына", "л": "литріне", "м": "метріне", "км": "километріне",
        "адам": "адамына", "апта": "аптасына"}
_PER_HEADS = {**{k: v for k, v in NUMBER_UNITS.items() if not k.isascii()}, **UNITS, "теңге": "теңге",
              "доллар": "доллар", "рет": "рет", "бал": "бал", "ұпай": "ұпай"}
_PER_UNIT_RE = re.compile(rf"(?<![\w])(?P<head>{_alternation(_PER_HEADS)})\s?(?P<sep>[/·*⋅])\s?"
                          rf"(?P<per>{_alternation(_PER)})(?:\.(?=\s+[{KAZ_LOWER}]))?{_END}(?![\w])")


def _per_unit(m: re.Match[str]) -> str:
    head, per, end = _PER_HEADS[m.group("head")], m.group("per"), m.group("end")
    if per == "сағ" and head.endswith("ватт"):
        return _ending(m, f"{head}-сағат", True)  # кВт·сағ, and кВт/сағ as it is often written
    if m.group("sep") != "/":
        return m.group(0)
    # "5 м/с-қа дейін": the ending is the head's, "бес метрге секундына".
    return f"{_ending(m, head, True) if end else head} {_PER[per]}"


def per_units(text: str) -> str:
    """Units joined by a slash ("5 м/с", "90 км/сағ", "17 кВт/сағ"), before a slash is read "немесе"."""
    return _PER_UNIT_RE.sub(_per_unit, text) if "/" in text or "·" in text or "*" in text else text


def _ending(m: re.Match[str], spoken: str, rebuild: bool, possessive: bool = False) -> str:
    end = m.group("end")
    if not end:
        return spoken
    if not is_suffix(end):  # "ЕО-Қытай" is excluded by the pattern; "ҚР-банк" keeps its hyphen
        return f"{spoken}-{end}"
    return attach(spoken, end, possessive) if rebuild else spoken + end


def _acronym(m: re.Match[str]) -> str:
    spoken, possessive = ACRONYMS[m.group("key")]
    words = _ending(m, spoken, True, possessive)
    if m.group("conj"):  # "АҚШ пен" -> "Америка Құрама Штаттары мен"
        words += " " + (m.group("conj") if m.group("end") else with_conjunction(spoken, possessive))
    return words


def _dotted(m: re.Match[str]) -> str:
    key = m.group("key")
    spoken = DOTTED.get(key) or DOTTED[key + "."]
    if key == "ж." and _DATE_AFTER.match(m.string, m.end()):
        spoken = "жылғы"
    nxt = m.group("next")
    keep_period = not nxt or (key.rstrip(".") + "." in _SENTENCE_END and nxt.isupper())
    return spoken + ("." if keep_period else "")


def expand_number_units(text: str) -> str:
    """Short units right after a number, Latin ones included: "5 т" -> "5 тонна", "50 MW" -> "50 мегаватт"."""
    return _NUMBER_UNIT_RE.sub(lambda m: " " + _ending(m, NUMBER_UNITS[m.group("key")], False), text)


def expand_abbreviations(text: str) -> str:
    """Expand acronyms, units and dotted abbreviations in text."""
    text = _DOTTED_RE.sub(_dotted, text)
    text = _ACRONYM_RE.sub(_acronym, text)
    text = _AFTER_MULTIPLIER_RE.sub(lambda m: _ending(m, NUMBER_UNITS[m.group("key")], False), text)
    text = _UNIT_RE.sub(lambda m: _ending(m, UNITS[m.group("key")], False), text)
    return expand_number_units(text)
