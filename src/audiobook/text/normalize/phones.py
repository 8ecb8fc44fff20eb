"""Telephone numbers read group by group, as people read them out ("сегіз, жеті жүз бір, ..."), never as
one big number; "Тел." before one is read "Телефон". Run before the punctuation rules, which make "(727)"
a pause."""

from __future__ import annotations

import re

from audiobook.text.normalize.morph import KAZ_LOWER, join_ending
from audiobook.text.normalize.numbers import cardinal_digits

# A telephone number: "+7 (727) 123-45-67", "8 701 555 12 34", "87015551234", "8 (7172) 50-10-05",
# "8 800 080 7777", "123-45-67", or any of these shapes after "тел.:". Its digits are read group by group,
# as people read them out, never as one big number ("сегіз миллион ...").
_PHONE = re.compile(
    r"(?<![\w+.,−-])(?P<lead>\+\d{1,3}[\s-]?|8[\s-]?)?(?P<area>\(\d{3,5}\)[\s-]?|\d{3,4}[\s-]?)?"
    r"(?P<local>\d{1,3}-\d{2}-\d{2}|\d{1,3} \d{2} \d{2}|\d{3}[\s-]\d{4}|\d{6,7})(?![\d,.]\d|\d)"
    rf"(?:-(?P<end>[{KAZ_LOWER}]+)(?![\w-]))?"
)
# Right before a number: a label that makes it a telephone number whatever its shape, or the number
# before it in a list ("50-10-05, 50-10-06").
_PHONE_BEFORE = re.compile(
    r"(?i)(?:(?<!\w)(?:тел|телефон\w*|факс|моб\w*|whatsapp|phone|tel)\.?(?:\s?/\s?факс\.?)?\s?:?"
    r"|\d{2}-\d{2}[,;]\s?(?:және|немесе)?)\s?$"
)
_TEL = re.compile(r"(?<![\w.])([Тт]ел)\.(?=[\s/:]*(?:факс\.?)?[\s:]*[+\d(])")


def _phone(m: re.Match[str]) -> str:
    lead, area, local, end = m.group("lead"), m.group("area"), m.group("local"), m.group("end")
    whole = m.string[m.start() : m.end("local")]  # the number without its case ending
    labelled = _PHONE_BEFORE.search(m.string[max(0, m.start() - 30) : m.start()]) is not None
    groups = re.findall(r"\d+", local)
    area_groups = re.findall(r"\d+", area or "")
    digits = whole.lstrip("+")
    if digits.isdigit():  # unbroken: a telephone number only as +7 or 8 and ten digits, or after a label
        if re.fullmatch(r"(?:\+7|8)\d{10}", whole):  # +77015551234, 87015551234
            lead = "+7" if whole.startswith("+") else "8"
            area_groups, groups = [digits[1:4]], [digits[4:7], digits[7:9], digits[9:]]
        elif not (labelled and len(whole) >= 6):
            return m.group(0)
    elif not (labelled or (area and (lead or area.startswith("(")))
              or (not area and re.fullmatch(r"\d{3}-\d{2}-\d{2}", local))):
        return m.group(0)  # "123 45 67", "12-10-05", "8 700 000": a count, a score, a code
    if len(groups) == 1:  # unbroken: 555 12 34 or 50 10 05
        g = groups[0]
        groups = [g[:-4], g[-4:-2], g[-2:]]
    words = [_digit_group(p) for g in area_groups + groups for p in _pairs(g)]
    if lead:
        code = lead.strip(" -")
        words.insert(0, ("плюс " if code.startswith("+") else "") + _digit_group(code.lstrip("+")))
    return join_ending(", ".join(words), end)  # "87015551234-ке": "... отыз төртке"


def _pairs(group: str) -> list[str]:
    """A group of four or five is read in two: "7172" -> "жетпіс бір, жетпіс екі", "72131" -> "жетпіс
    екі, жүз отыз бір"."""
    return [group[:2], group[2:]] if len(group) in (4, 5) else [group]


def _digit_group(group: str) -> str:
    """One group of a telephone number: a leading zero is said ("05" -> "нөл бес")."""
    zeros = len(group) - len(group.lstrip("0"))
    rest = group[zeros:]
    return " ".join(["нөл"] * zeros + ([cardinal_digits(rest)] if rest else []))


def phones(text: str) -> str:
    """Telephone numbers read group by group, and "тел." before one as "телефон"; before the punctuation
    rules, which make "(727)" a pause."""
    if not any(ch.isdigit() for ch in text):
        return text
    return _PHONE.sub(_phone, _TEL.sub(r"\1ефон", text))
