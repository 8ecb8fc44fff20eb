"""Kazakh number words: cardinals, ordinals, decimals, Roman numerals.

Cardinals follow num2words(lang="kz") exactly (tests check it), so the leading "бір" is kept before мың
and the larger scales ("1926" -> "бір мың тоғыз жүз жиырма алты") but never before жүз ("100" -> "жүз").
The reading rules allow both; num2words' form is the one the project's readers are checked against.
num2words stops at 10**33, so this module does its own arithmetic and reads longer numbers digit by digit.
"""

from __future__ import annotations

from functools import lru_cache

ONES = ("нөл", "бір", "екі", "үш", "төрт", "бес", "алты", "жеті", "сегіз", "тоғыз")
TENS = ("", "он", "жиырма", "отыз", "қырық", "елу", "алпыс", "жетпіс", "сексен", "тоқсан")
SCALES = (
    "",
    "мың",
    "миллион",
    "миллиард",
    "триллион",
    "квадриллион",
    "квинтиллион",
    "секстиллион",
    "септиллион",
    "октиллион",
    "нониллион",
    "дециллион",
)
MAX_GROUPED = 1000 ** len(SCALES)  # beyond this, digits are read one by one
MAX_DIGITS = 3 * len(SCALES)  # the longest digit string read with scale words
# A decimal fraction longer than this is read digit by digit after "бүтін" ("3,14159265358979..."), as a
# newsreader reads a constant; shorter ones as "of 10**k parts".
MAX_FRACTION_DIGITS = 12

# Every word a cardinal can be made of: lets other rules recognise number words already spelled out.
CARDINAL_WORDS = frozenset(ONES + TENS[1:] + ("жүз", "минус", "плюс") + SCALES[1:])

_BACK, _FRONT = set("аоұыяё"), set("әеөүіиэю")
_VOWELS = set("аәеиоөұүыіэюяё")
# Irregular stems from the reading rules: жиырмасыншы, қырқыншы, елуінші.
_ORDINAL_IRREGULAR = {"жиырма": "жиырмасыншы", "қырық": "қырқыншы", "елу": "елуінші"}


def _below_thousand(n: int) -> list[str]:
    h, rest = divmod(n, 100)
    t, o = divmod(rest, 10)
    words = []
    if h:
        words += ["жүз"] if h == 1 else [ONES[h], "жүз"]
    if t:
        words.append(TENS[t])
    if o:
        words.append(ONES[o])
    return words


@lru_cache(maxsize=4096)
def cardinal(n: int) -> str:
    """Cardinal number words: 2024 -> "екі мың жиырма төрт", -7 -> "минус жеті"."""
    if n < 0:
        return "минус " + cardinal(-n)
    if n == 0:
        return ONES[0]
    if n >= MAX_GROUPED:
        return " ".join(ONES[int(d)] for d in str(n))
    words: list[str] = []
    scale = 0
    while n:
        n, group = divmod(n, 1000)
        if group:
            part = _below_thousand(group)
            if scale:
                part.append(SCALES[scale])
            words = part + words
        scale += 1
    return " ".join(words)


def cardinal_digits(digits: str) -> str:
    """cardinal() of a digit string of any length, without int() of the whole string (Python refuses
    int() of more than 4300 digits): beyond MAX_DIGITS significant digits, one word per digit."""
    significant = digits.lstrip("0") or "0"
    if len(significant) <= MAX_DIGITS:
        return cardinal(int(significant))
    return " ".join(ONES[int(d)] for d in significant)


def ordinal_digits(digits: str) -> str:
    """ordinal() of a digit string of any length."""
    return ordinalize(cardinal_digits(digits))


def harmony_is_back(word: str) -> bool:
    """True if the last harmonic vowel of the word is a back vowel (а о ұ ы)."""
    for ch in reversed(word.lower()):
        if ch in _BACK:
            return True
        if ch in _FRONT:
            return False
    return True


def ordinal_word(word: str) -> str:
    """One number word into its ordinal: "бес" -> "бесінші", "алты" -> "алтыншы"."""
    if word in _ORDINAL_IRREGULAR:
        return _ORDINAL_IRREGULAR[word]
    back = harmony_is_back(word)
    if word[-1] in _VOWELS:
        return word + ("ншы" if back else "нші")
    return word + ("ыншы" if back else "інші")


def ordinalize(words: str) -> str:
    """Only the last word of a compound takes the suffix: "жиырма бір" -> "жиырма бірінші"."""
    head, _, last = words.rpartition(" ")
    return (head + " " if head else "") + ordinal_word(last)


def ordinal(n: int) -> str:
    """Ordinal number words: 12 -> "он екінші", 2024 -> "екі мың жиырма төртінші"."""
    return ordinalize(cardinal(n))


def denominator_ablative(n: int) -> str:
    """10 -> "оннан", 100 -> "жүзден", 1000 -> "мыңнан": the "of N parts" in decimals and fractions."""
    words = cardinal(n)
    if n >= 1000:
        words = words.removeprefix("бір ")
    last = words.rsplit(" ", 1)[-1]
    back = harmony_is_back(last)
    if last[-1] in "мнң":
        suffix = "нан" if back else "нен"
    elif last[-1] in "кқпстшд":
        suffix = "тан" if back else "тен"
    else:
        suffix = "дан" if back else "ден"
    return words + suffix


def decimal(whole: str, fraction: str) -> str:
    """Decimal comma: ("4", "2") -> "төрт бүтін оннан екі"; ("1", "25") -> "бір бүтін жүзден жиырма бес"."""
    if len(fraction) > MAX_FRACTION_DIGITS:
        return f"{cardinal_digits(whole)} бүтін " + " ".join(ONES[int(d)] for d in fraction)
    return f"{cardinal_digits(whole)} бүтін {denominator_ablative(10 ** len(fraction))} {cardinal(int(fraction))}"


_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
# Cyrillic look-alikes used for Roman numerals in Kazakh text ("ХХІ ғасыр").
_ROMAN_LOOKALIKES = str.maketrans({"Х": "X", "І": "I"})


def to_roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def roman_value(token: str) -> int | None:
    """The value of a canonical Roman numeral (Cyrillic Х and І accepted), else None."""
    latin = token.translate(_ROMAN_LOOKALIKES)
    if not latin or any(ch not in _ROMAN_VALUES for ch in latin):
        return None
    total = 0
    for a, b in zip(latin, latin[1:] + " ", strict=True):
        v = _ROMAN_VALUES[a]
        total += -v if b != " " and _ROMAN_VALUES[b] > v else v
    return total if total and to_roman(total) == latin else None
