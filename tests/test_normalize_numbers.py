"""Kazakh number words: cardinals agree with num2words, ordinals and decimals follow the reading rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from num2words import num2words

from audiobook.text.normalize.numbers import cardinal, decimal, ordinal, roman_value, to_roman


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "нөл"),
        (100, "жүз"),
        (470, "төрт жүз жетпіс"),
        (1000, "бір мың"),
        (1926, "бір мың тоғыз жүз жиырма алты"),
        (2024, "екі мың жиырма төрт"),
        (120_000, "жүз жиырма мың"),
        (3_500_000, "үш миллион бес жүз мың"),
        (1_001_000, "бір миллион бір мың"),
        (-7, "минус жеті"),
    ],
)
def test_cardinal(n: int, words: str) -> None:
    assert cardinal(n) == words


@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_cardinal_matches_num2words(n: int) -> None:
    assert cardinal(n) == num2words(n, lang="kz")


def test_cardinal_beyond_scale_words_reads_digits() -> None:
    n = 10**40 + 7
    assert cardinal(n).split() == ["бір"] + ["нөл"] * 39 + ["жеті"]


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (1, "бірінші"),
        (2, "екінші"),
        (3, "үшінші"),
        (4, "төртінші"),
        (5, "бесінші"),
        (6, "алтыншы"),
        (7, "жетінші"),
        (8, "сегізінші"),
        (9, "тоғызыншы"),
        (10, "оныншы"),
        (20, "жиырмасыншы"),
        (30, "отызыншы"),
        (40, "қырқыншы"),
        (50, "елуінші"),
        (60, "алпысыншы"),
        (70, "жетпісінші"),
        (80, "сексенінші"),
        (90, "тоқсаныншы"),
        (100, "жүзінші"),
        (1000, "бір мыңыншы"),
        (1_000_000, "бір миллионыншы"),
        (21, "жиырма бірінші"),
        (2000, "екі мыңыншы"),
        (2024, "екі мың жиырма төртінші"),
        (1800, "бір мың сегіз жүзінші"),
    ],
)
def test_ordinal(n: int, words: str) -> None:
    assert ordinal(n) == words


@pytest.mark.parametrize(
    ("whole", "fraction", "words"),
    [
        ("4", "2", "төрт бүтін оннан екі"),
        ("1", "25", "бір бүтін жүзден жиырма бес"),
        ("0", "8", "нөл бүтін оннан сегіз"),
        ("3", "05", "үш бүтін жүзден бес"),
        ("2", "125", "екі бүтін мыңнан жүз жиырма бес"),
    ],
)
def test_decimal(whole: str, fraction: str, words: str) -> None:
    assert decimal(whole, fraction) == words


@pytest.mark.parametrize(
    ("token", "value"),
    [("XIX", 19), ("XXI", 21), ("IV", 4), ("ХХІ", 21), ("ХІХ", 19), ("XL", 40), ("IIII", None), ("IC", None)],
)
def test_roman_value(token: str, value: int | None) -> None:
    assert roman_value(token) == value


@given(st.integers(min_value=1, max_value=3999))
def test_roman_round_trip(n: int) -> None:
    assert roman_value(to_roman(n)) == n
