"""Issue 15, the text stage: hostile input never raises, never takes quadratic time, loses no letter and
lets no control character through; normalizing twice changes nothing."""

from __future__ import annotations

import re
import unicodedata

import pytest

from audiobook.text.check import check_script, format_report
from audiobook.text.normalize import Guess, Lexicon, normalize
from audiobook.text.normalize.numbers import ONES, cardinal
from audiobook.text.parse import parse_article

NO_LEXICON = Lexicon()
DIGIT_OR_LATIN = re.compile(r"[0-9A-Za-z]")


# 1. Numbers of any length -------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Кестеде " + "7" * 5000 + " адам бар.",
    "Кестеде " + "100 " * 1500 + "адам бар.",
    "Көрсеткіш -" + "9" * 4400 + "%-ға өсті.",
    "Есеп 3:" + "4" * 4400 + " болды.",
    "Пи саны 3," + "1" * 4400 + " шамасында.",
    "№ " + "5" * 4400 + " мектеп.",
    "Биыл " + "5" * 4400 + " қаңтарда, " + "6" * 4400 + " ғасырда, " + "2" * 4400 + "-ші рет.",
    "Сайт www.a" + "5" * 4400 + ".kz мекенжайында.",
])  # fmt: skip
def test_numbers_past_python_int_limit_are_read_not_raised(text: str) -> None:
    spoken = normalize(text, NO_LEXICON)
    assert not DIGIT_OR_LATIN.search(spoken)
    assert spoken.count(" ") > 4000  # every digit is said: a long number is read digit by digit
    assert normalize(spoken, NO_LEXICON) == spoken


def test_a_long_number_is_read_digit_by_digit_and_a_short_one_as_a_cardinal() -> None:
    digits = "12" * 2500
    spoken = normalize(f"Код {digits} болды.", NO_LEXICON)
    assert spoken == "Код " + " ".join(ONES[int(d)] for d in digits) + " болды."
    assert normalize("Код 1234567 болды.", NO_LEXICON) == f"Код {cardinal(1234567)} болды."


def test_a_long_decimal_fraction_is_read_digit_by_digit() -> None:
    assert normalize("Пи 3,14159265358979 шамасында.", NO_LEXICON) == (
        "Пи үш бүтін бір төрт бір бес тоғыз екі алты бес үш бес сегіз тоғыз жеті тоғыз шамасында.")


# 2. Linear time: the pathological inputs of the issue at the size it timed, for correctness. Timed
# by scripts/bench_linear.py (docs/benchmarks.md); quadratic, these took minutes, linear a second.


@pytest.mark.parametrize(("unit", "spoken"), [
    ("1 - ", "бір"), ("сөз – ", "сөз"), ("1-", "бір"), ("1/", "бір"), ("(ТМҰ) ", "Түркі мемлекеттері ұйымы"),
    ("!?", ""),
    (".", ""), ("…", ""), ("- ", ""), ("ж. ", "жылы"),
])  # fmt: skip
def test_pathological_repeats_are_normalized_whole(unit: str, spoken: str) -> None:
    text = "Сөз " + unit * 16000 + " соңы"
    once = normalize(text, NO_LEXICON)
    assert once.startswith("Сөз") and once.endswith("соңы")
    assert not DIGIT_OR_LATIN.search(once)
    if spoken:  # each repeat is read: none swallowed by the fixes
        assert once.count(spoken) >= 16000, once[:200]


def test_a_repeated_bracketed_acronym_is_still_dropped_after_its_expansion() -> None:
    text = "Тәуелсіз Мемлекеттер Достастығы (ТМД) " * 3000
    once = normalize(text, NO_LEXICON)
    assert "ТМД" not in once and once.count("Достастығы") == 3000


def test_parser_on_sixteen_thousand_alternating_name_labels() -> None:
    lines = [f"{'Айгүл' if i % 2 else 'Ерлан'}: {i}-сұрақ туралы айтыңызшы." for i in range(16000)]
    script = parse_article("Екі адаммен сұхбат\n\n" + "\n".join(lines))
    spoken = [s for s in script.segments if s.role != "narrator"]
    assert len(spoken) == 16000
    names = {sp.id: sp.name for sp in script.speakers}
    assert [names[s.speaker] for s in spoken[:4]] == ["Ерлан", "Айгүл", "Ерлан", "Айгүл"]


# 3. No letter vanishes -----------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "spoken"), [
    ("Dvořák концерті", "Дворак концерті"),
    ("Dvor\u030cák концерті", "Дворак концерті"),  # decomposed, as some editors save it
    ("Łódź қаласы", "Лодз қаласы"),
    ("Þór туралы", "Тор туралы"),
    ("ǅemal келді", "Дземал келді"),
    ("Ⅻ ғасыр", "Он екінші ғасыр"),
])  # fmt: skip
def test_foreign_letters_are_folded_not_dropped(written: str, spoken: str) -> None:
    assert normalize(written, NO_LEXICON) == spoken


def test_every_latin_letter_is_read_or_reported() -> None:
    """Each Latin letter of Unicode, in a word: it gives Cyrillic, or it is kept and reported."""
    for code in range(0x00C0, 0x0250):
        ch = chr(code)
        if not unicodedata.name(ch, "").startswith("LATIN") or not ch.isalpha():
            continue
        notes: list[Guess] = []
        spoken = normalize(f"Ат{ch}ан", NO_LEXICON, notes)
        reported = any(g.kind == "letter" and g.written == ch for g in notes)
        assert reported == (ch in spoken), (ch, spoken)
        assert len(spoken) >= 4, (ch, spoken)  # nothing lost: at least one sound for the letter


def test_an_unmappable_letter_is_in_the_check_report() -> None:
    article = "Жаңа сөз\n\n– Бұл не?\n\n– Бұл Mʘa тілінің сөзі.\n"
    report = check_script(parse_article(article), NO_LEXICON, article.splitlines())
    assert any(f.guess.kind == "letter" and f.guess.written == "ʘ" for f in report.guesses)
    assert "Letters with no known reading" in format_report(report)


# 4. Fixed points (hypothesis: tests/test_normalize_properties.py) -----------------------------------


@pytest.mark.parametrize("text", [
    "78км_", "АҚ_ туралы", "ТМД_м²&жылы", "(–АДБ", "-СІМ", ";-ЕО–", "XI's", "І78ж.", "І%", "сөз,І+ км",
    "1-млн", "мм_жыл", "ж._ФК", "ЖООпроф.ДСҰж.@проф.БҰҰ", "Қазақстан@проф.АДБ",
])  # fmt: skip
def test_shapes_found_by_fuzzing_are_fixed_points(text: str) -> None:
    for lexicon in (NO_LEXICON, None):
        once = normalize(text, lexicon)
        assert normalize(once, lexicon) == once, (text, once)


def test_underscore_joined_words_are_read_as_words() -> None:
    assert normalize("78км_", NO_LEXICON) == "жетпіс сегіз километр"


# 5. Controls and invisible characters --------------------------------------------------------------

CONTROLS = ["\x00", "\x01", "\x1b", "\x7f", "\x80", "\x9f", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff",
            "\u00ad", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067",
            "\u2068", "\u2069", "\u061c", "\ud800"]


@pytest.mark.parametrize("control", CONTROLS)
def test_controls_never_reach_a_voice_and_nothing_else_is_lost(control: str) -> None:
    clean = "Кітапхана туралы 2024 жылы сұхбат берді, SOCAR 12%-ға өсті."
    dirty = "".join(ch + control if i % 3 == 0 else ch for i, ch in enumerate(clean))
    spoken = normalize(dirty, NO_LEXICON)
    assert spoken == normalize(clean, NO_LEXICON)
    assert all(ch.isprintable() for ch in spoken)


def test_separating_controls_become_spaces() -> None:
    assert normalize("Кітап\tсөз\x1fкітап\fсөз", NO_LEXICON) == "Кітап сөз кітап сөз"


@pytest.mark.parametrize(("written", "spoken"), [
    ("• батыста 5 градус жылы;", "батыста бес градус жылы"),
    ("✒️ Автор жазды 👍", "Автор жазды"),
    ("★ Жаңалық → келесі бетте.", "Жаңалық келесі бетте."),
    ("№ 5 мектеп, 5° жылы.", "Бесінші мектеп, бес градус жылы."),  # the signs the rules read stay read
])
def test_decorative_symbols_never_reach_a_voice(written: str, spoken: str) -> None:
    assert normalize(written, Lexicon()) == spoken
