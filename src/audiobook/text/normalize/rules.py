"""Digits and symbols in context into Kazakh words.

Readings (from the reading rules):
- a number is a cardinal unless its context makes it an ordinal: a written marker ("12-ші"), a noun after
  a hyphen ("3-тарау"), a year shape (1000-2100) before жыл-, any number before жылдар- ("80 жылдары"),
  a day before a month name, a number before ғасыр, "№ 5";
- counts of years stay cardinal: "5 жыл бойы", "20 жылдығы", "2000 жыл бұрын", "100-жылдығы";
- in a range only the last member takes the ordinal: "2022–2027 жылдары" -> "екі мың жиырма екі – екі мың
  жиырма жетінші жылдары";
- an ending after a hyphen joins the spoken word as written: "100-ге" -> "жүзге", "20%-ға" -> "жиырма
  пайызға", "09:45-те" -> "тоғыз қырық бесте";
- decimal comma (or point): "4,2" -> "төрт бүтін оннан екі"; percent: "12%" -> "он екі пайыз";
- currency signs are read after the amount: "$470 млн" -> "төрт жүз жетпіс миллион доллар".
"""

from __future__ import annotations

import re

from audiobook.text.normalize.abbreviations import MONTHS, expand_abbreviations
from audiobook.text.normalize.guesses import active, report
from audiobook.text.normalize.morph import KAZ_LOWER, PARTICLES, PLAIN_CASES, attach, is_suffix, split_ordinal_marker
from audiobook.text.normalize.numbers import (
    cardinal,
    cardinal_digits,
    decimal,
    denominator_ablative,
    ordinal,
    ordinal_digits,
    roman_value,
)

CURRENCIES = {"$": "доллар", "€": "еуро", "₸": "теңге", "₽": "рубль", "£": "фунт", "¥": "юань"}
_COUNT_AFTER_YEAR = {"бұрын", "бұрынғы", "бойы", "бойғы", "бойына", "астам", "аса", "артық", "шамасында"}
_MULTIPLIERS = r"мың|миллион|миллиард|триллион"

_INT = r"\d{1,3}(?: \d{3})+(?!\d)|\d+"  # digit groups are separated by (normalised) spaces
_NUMBER = rf"(?:{_INT})(?:[,.]\d+)?"
_END = rf"(?:-(?P<end>[{KAZ_LOWER}]+)(?![\w-]))?"
_CUR = "".join(re.escape(c) for c in CURRENCIES)

_GLUED_SUFFIX = re.compile(rf"(?<=\d)([{KAZ_LOWER}]+)")
_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])-?(?=\d)|(?<=\d)(?=[A-Za-zА-ЯЁӘҒҚҢӨҰҮҺІ])")  # "0ГВт" too
_ISO_DATE = re.compile(r"(?<![\d.-])(\d{4})-(\d{2})-(\d{2})(?![\d-])(?: жыл(?:ы|ғы)\b)?")
_DOTTED_DATE = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d.]|\.\d)(?: жыл(?:ы|ғы)\b)?")
# The month as written, with no case ending ("5 наурызда 1500 адам" is a count), and after the year only
# күні, a stop or a capital: the end of a date.
_DAY_MONTH_YEAR = re.compile(rf"(?<![\d.,])(\d{{1,2}}\s+(?:{'|'.join(MONTHS)}),?\s+(?:1[0-9]|20)\d\d)"
                             r"(?=\s+күні|\s*[,.;:!?)]|\s*$|\s+[А-ЯӘҒҚҢӨҰҮҺІ])", re.IGNORECASE)
_CLOCK = re.compile(rf"(?<![\d:])(\d{{1,2}}):(\d{{2}})(?![\d:]){_END}")
# "сағат 11.00-де", "17.00-ден 18.00-ге", "10.00–12.00": a dot between hours and minutes. Kazakh writes
# decimals with a comma, so H.MM with a case ending, after "сағат", or in a range of two such is a time.
_DOT_TIME = r"(?<![\d.,])(?:[01]?\d|2[0-4])\.[0-5]\d(?![\d.,]\d|\d)"
_DOT_CLOCK = re.compile(
    rf"(?P<before>(?i:сағат)\s)?(?P<first>{_DOT_TIME})(?:(?P<dash>\s?[–—-]\s?)(?P<second>{_DOT_TIME}))?{_END}"
)
_FRACTION = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,3})(?![\d/])")
_DEGREES = re.compile(rf"\s?(?:°\s?[CС]|℃)(?![\w]){_END}")
_SCORE = re.compile(r"(?<![\d:])(\d+):(\d+)(?![\d:])")
_NUMERO = re.compile(rf"№\s?(?P<list>(?:\d+\s?(?:,|–|—|-(?=\d)|және|мен|пен)\s?)*)(?P<num>\d+){_END}")
_NUMERO_ITEM = re.compile(r"(\d+)\s?(,|–|—|-|және|мен|пен)\s?")
_CURRENCY_BEFORE = re.compile(rf"([{_CUR}])\s?({_NUMBER}(?:\s(?:{_MULTIPLIERS})\b)?)")
_CURRENCY_AFTER = re.compile(rf"(\d|\b(?:{_MULTIPLIERS}))\s?([{_CUR}]){_END}")
_ROMAN = re.compile(rf"(?<![\w-])(?:(?P<first>[IVXLХІ]+)(?:\s?[–—]\s?|-))?(?P<roman>[IVXLХІ]+){_END}(?![\w])")
_SIGN_NEXT = re.compile(r"\s?[\d%‰№&=+≈~×−§@/$€₸₽£¥°]")  # a number or a sign read as a lower-case word
_NEXT_WORDS = re.compile(r"\s+(\w+\.?)(?:\s+(\w+))?")
_MAIN = re.compile(
    rf"(?<![\d,.])"
    rf"(?:(?P<first>(?:(?<![^\s(])[-−–+])?{_NUMBER})(?P<dash>\s?[–—]\s?|-| - |/)(?=[-−+]?\d))?"
    rf"(?P<num>(?:(?<![^\s(])[-−–+])?{_NUMBER})"
    rf"(?P<pct>\s?%)?{_END}"
)
_LEFTOVER_DIGITS = re.compile(r"\d+")
_SYMBOLS = {
    "°": " градус",  # "°C" was read by degrees() before the Latin rules
    "%": " пайыз",
    "‰": " промилле",
    "№": " нөмір ",
    "&": " және ",
    "=": " тең ",
    "+": " плюс ",
    "≈": " шамамен ",
    "~": " шамамен ",
    "×": " көбейту ",
    "−": " минус ",
    "§": " параграф ",
    "@": " эт ",
    **{sign: f" {word} " for sign, word in CURRENCIES.items()},
    **dict.fromkeys("/\\*#_|^`<>", " "),
}
_SYMBOL_RE = re.compile("|".join(re.escape(s) for s in sorted(_SYMBOLS, key=len, reverse=True)))


def _value(number: str) -> tuple[str, str | None]:
    """Split "3 500,25" into integer digits "3500" and fraction digits "25" (None if no fraction)."""
    number = number.replace(" ", "")
    for sep in ",.":
        if sep in number:
            whole, frac = number.split(sep)
            return whole, frac
    return number, None


def _read_cardinal(number: str) -> str:
    sign = ""
    if number[0] in "-−–+":
        sign = "плюс " if number[0] == "+" else "минус "
        number = number[1:]
    whole, frac = _value(number)
    return sign + (decimal(whole, frac) if frac is not None else cardinal_digits(whole))


def _read_ordinal(number: str) -> str:
    whole, frac = _value(number.lstrip("-−–+"))
    return _read_cardinal(number) if frac is not None else ordinal_digits(whole)


def _is_year(number: str) -> bool:
    return re.fullmatch(r"\d{4}", number) is not None and 1000 <= int(number) <= 2100


def _is_month(word: str) -> bool:
    return word.lower().startswith(MONTHS)


# The next item of a list of numbers: "3, 4, 5 мамырда", "1998 және 2004 жылдары".
_LIST_NEXT = re.compile(r"(?:,\s*(?:және\s+|мен\s+)?|\s+(?:және|мен|пен|бен|немесе|я)\s+)(\d+)(?![\d,.:-]\d)")


def _ordinal_by_context(number: str, text: str, pos: int) -> bool:
    """Is the number ending at pos an ordinal, judging by the words after it (or after the list it
    opens: each item of "3, 4, 5 мамырда" is a day, as the last one is)?"""
    if _ordinal_before(number, text, pos):
        return True
    end, items = pos, 0
    while items < 30 and (lm := _LIST_NEXT.match(text, end)):
        end, items = lm.end(), items + 1
    return items > 0 and _ordinal_before(number, text, end)


def _ordinal_before(number: str, text: str, pos: int) -> bool:
    m = _NEXT_WORDS.match(text, pos)
    if not m:
        return False
    word, after = m.group(1).lower(), (m.group(2) or "").lower()
    if word == "оқу" and after.startswith("жыл"):  # "2024-2025 оқу жылы": the academic year
        word, after = after, ""
    plain = re.fullmatch(r"\d+", number) is not None
    if word.startswith("жылдар"):
        return plain
    if word.startswith("жыл") and not word.startswith(("жылдық", "жылдығ", "жылдай")):
        return _is_year(number) and after not in _COUNT_AFTER_YEAR
    if _is_month(word):
        return plain and len(number) <= 2 and 1 <= int(number) <= 31
    if word.startswith("ғасыр"):
        return plain and len(number) <= 2 and int(number) <= 30 and after not in _COUNT_AFTER_YEAR
    return False


def _with_ending(number: str, end: str | None, pos: int, text: str, ordinal_: bool = False) -> str:
    """Read the last number of a match with its hyphenated ending or following context.

    ordinal_: the number is an ordinal whatever follows ("№ 5").
    """
    if end:
        rest = split_ordinal_marker(end)
        if rest is not None:
            return _read_ordinal(number) + rest
        if end in PLAIN_CASES:
            return attach(_read_cardinal(number), end)
        if is_suffix(end):
            return _read_cardinal(number) + end
        if end in PARTICLES:
            return f"{_read_cardinal(number)}-{end}"
        if end.startswith(("жылдық", "жылдығ")):  # "100-жылдығы": an anniversary counts years
            return f"{_read_cardinal(number)} {end}"
        return f"{_read_ordinal(number)} {expand_abbreviations(end)}"  # "1-млн": the word as if alone
    if ordinal_:
        return _read_ordinal(number)
    words = _read_ordinal(number) if _ordinal_by_context(number, text, pos) else _read_cardinal(number)
    if active():
        _report_judgement(number, words, text, pos)
    return words


def _report_judgement(number: str, words: str, text: str, pos: int) -> None:
    """Report the readings decided by shape alone: a year-shaped number read as a count ("2000 жыл
    бұрын", a bare "2027"), a round one read as a year ("1000 жылы"), a short one before "жылы" ("90 жылы")."""
    nxt = _NEXT_WORDS.match(text, pos)
    word = nxt.group(1) if nxt else ""
    as_year = words.endswith(("ншы", "нші"))
    if not as_year and word.lower().startswith(("жылдық", "жылдығ")):
        return  # "20 жылдығы": an anniversary counts years
    written = f"{number} {word}" if word.lower().startswith("жыл") else number
    spoken = f"{words} {word}" if written != number else words
    if _is_year(number) and not as_year:
        report("number", written, spoken, "a year-shaped number read as a count")
    elif as_year and _is_year(number) and number.endswith("00"):
        report("number", written, spoken, "a round number read as a year")
    elif not _is_year(number) and re.fullmatch(r"\d{2,3}", number) and word.lower().startswith("жыл") \
            and not word.lower().startswith("жылдар"):
        report("number", written, spoken, "read as a count of years, not as a year")


def _currency_after(m: re.Match[str]) -> str:
    end = m.group("end") or ""
    word = CURRENCIES[m.group(2)]
    return f"{m.group(1)} {word}{end}" if is_suffix(end) or not end else f"{m.group(1)} {word}-{end}"


def _main(m: re.Match[str]) -> str:
    number, end = m.group("num"), m.group("end")
    if m.group("pct"):
        words = f"{_read_cardinal(number)} пайыз{end if end and is_suffix(end) else ''}"
        if end and not is_suffix(end):
            words += "-" + end
    else:
        words = _with_ending(number, end, m.end(), m.string)
    if m.group("first"):
        words = f"{_read_cardinal(m.group('first'))} – {words}"
    return words


def _date(year: str, month: str, day: str) -> str | None:
    y, mo, d = int(year), int(month), int(day)
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{ordinal(y)} жылғы {ordinal(d)} {MONTHS[mo - 1]}"


def _clock(m: re.Match[str]) -> str:
    h, mins = int(m.group(1)), m.group(2)
    if h > 24 or int(mins) > 59:
        return f"{cardinal(h)} – {cardinal(int(mins))}{m.group('end') or ''}"
    if mins == "00":
        # A whole hour is read as the hour alone ("11:00-де" -> "он бірде"); the written ending may have
        # been harmonized for "нөл", so it is rebuilt for the hour's last word.
        return attach(cardinal(h), m.group("end")) if m.group("end") else cardinal(h)
    spoken = cardinal(int(mins)) if mins[0] != "0" else f"нөл {cardinal(int(mins[1]))}"
    return f"{cardinal(h)} {spoken}{m.group('end') or ''}"


def _dot_clock(m: re.Match[str]) -> str:
    if not (m.group("before") or m.group("end") or m.group("second")):
        return m.group(0)
    times = [t.replace(".", ":") for t in (m.group("first"), m.group("second")) if t]
    last = times[-1] + (f"-{m.group('end')}" if m.group("end") else "")
    spoken = _CLOCK.sub(_clock, last)
    if len(times) == 2:
        spoken = f"{_CLOCK.sub(_clock, times[0])} – {spoken}"
    return (m.group("before") or "") + spoken


def _roman(m: re.Match[str]) -> str:
    token, end, first = m.group("roman"), m.group("end"), m.group("first")
    value = roman_value(token)
    first_value = roman_value(first) if first else None
    nxt = _NEXT_WORDS.match(m.string, m.end())
    before_century = bool(nxt) and nxt.group(1).lower().startswith("ғ")  # type: ignore[union-attr]
    # "І орын", "ІІ дәрежелі": no Kazakh word is a lone І, and before a lower-case word it is no initial
    # (a number counts as a lower-case word: read, it is one, and "І 78" must read the same twice)
    first_word = nxt.group(1) if nxt else ""
    before_word = (first_word[:1].islower() or first_word[:1].isdigit()) and not first_word.endswith(".") \
        or bool(_SIGN_NEXT.match(m.string, m.end()))
    before_century = before_century or (token in ("І", "ІІ", "ІІІ") and before_word)
    cyrillic = not (token + (first or "")).isascii()
    short = len(token) < 2 and not first
    if value is None or token == "L" or (first and first_value is None) or (cyrillic and short and not before_century):
        return m.group(0)
    words = ordinal(value)
    if end:
        rest = split_ordinal_marker(end)
        words += rest if rest is not None else end if is_suffix(end) else " " + end
    return f"{cardinal(first_value)} – {words}" if first_value else words


def _numero(m: re.Match[str]) -> str:
    """ "№ 1, 3, 6" -> "бірінші, үшінші, алтыншы", "№ 5–7" -> "бесінші – жетінші": every number the same."""
    words = []
    for item in _NUMERO_ITEM.finditer(m.group("list")):
        sep = item.group(2)
        sep = ", " if sep == "," else f" {sep} " if sep[0].isalpha() else " – "
        words.append(ordinal_digits(item.group(1)) + sep)
    return "".join(words) + _with_ending(m.group("num"), m.group("end"), m.end(), m.string, True)


def _fraction(m: re.Match[str]) -> str:
    numerator, denominator = int(m.group(1)), int(m.group(2))
    if not 0 < numerator < denominator:
        return f"{m.group(1)} – {m.group(2)}"
    return f"{denominator_ablative(denominator)} {cardinal(numerator)}"


def degrees(text: str) -> str:
    """ "°C" before the Latin rules see the C: "-5°C" -> "-5 градус"."""
    if "°" not in text and "℃" not in text:
        return text
    return _DEGREES.sub(lambda m: " градус" + (m.group("end") or "") if is_suffix(m.group("end") or "x") or
                        not m.group("end") else " градус-" + m.group("end"), text)


def split_glued(text: str) -> str:
    """Separate digits from letters: "2024ж." -> "2024 ж.", "12ші" -> "12-ші", "G20" -> "G 20"."""

    def glued(m: re.Match[str]) -> str:
        word = m.group(1)
        sep = "-" if split_ordinal_marker(word) is not None or is_suffix(word) else " "
        return sep + word

    text = _GLUED_SUFFIX.sub(glued, text)
    return _LETTER_DIGIT.sub(" ", text)


def romans(text: str) -> str:
    """Roman numerals are ordinals: "XIX ғасыр" -> "он тоғызыншы ғасыр", "II дүниежүзілік соғыс"."""
    return _ROMAN.sub(_roman, text)


def numbers(text: str) -> str:
    """Every number in text into words, by context; no digit is left."""
    if not any(ch.isdigit() for ch in text):
        return text
    text = _ISO_DATE.sub(lambda m: _date(m.group(1), m.group(2), m.group(3)) or m.group(0), text)
    text = _DOTTED_DATE.sub(lambda m: _date(m.group(3), m.group(2), m.group(1)) or m.group(0), text)
    text = _DAY_MONTH_YEAR.sub(r"\1 жыл", text)  # "16 мамыр 2020 күні": the year is a year, not a count
    if "." in text:
        text = _DOT_CLOCK.sub(_dot_clock, text)
    text = _CLOCK.sub(_clock, text)
    text = _FRACTION.sub(_fraction, text)
    text = _SCORE.sub(lambda m: f"{cardinal_digits(m.group(1))} – {cardinal_digits(m.group(2))}", text)
    if "№" in text:
        text = _NUMERO.sub(_numero, text)
    text = _CURRENCY_BEFORE.sub(lambda m: f"{m.group(2)} {CURRENCIES[m.group(1)]}", text)
    text = _CURRENCY_AFTER.sub(_currency_after, text)
    text = _MAIN.sub(_main, text)
    return _LEFTOVER_DIGITS.sub(lambda m: cardinal_digits(m.group(0)), text)


_PLUS_ENDING = re.compile(rf"(?<=[^\W\d_])\+-(?P<end>[{KAZ_LOWER}]+)")
_WORD_SLASH = re.compile(r"(?<=[^\W\d_])\s?/\s?(?=[^\W\d_])")


def symbols(text: str) -> str:
    """Signs into words ("&" -> "және", "=" -> "тең"), "/" between words -> "немесе", "Disney+-қа" ->
    "... плюсқа"; decorative signs into spaces."""
    if "+" in text:
        text = _PLUS_ENDING.sub(lambda m: " плюс" + m.group("end"), text)
    if "/" in text:
        text = _WORD_SLASH.sub(" немесе ", text)
    return _SYMBOL_RE.sub(lambda m: _SYMBOLS[m.group(0)], text)
