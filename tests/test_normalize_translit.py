"""Latin script into Cyrillic: foreign names by sound, Kazakh Latin alphabets letter by letter."""

from __future__ import annotations

import pytest

from audiobook.text.normalize.translit import latin_system, transliterate, transliterate_word


@pytest.mark.parametrize(
    ("word", "spoken"),
    [
        ("SOCAR", "Сокар"),
        ("Kazinform", "Казинформ"),
        ("KAZINFORM", "Казинформ"),
        ("Chevron", "Шеврон"),  # the English dictionary: said with ш
        ("Shell", "Шелл"),
        ("Yandex", "Яндекс"),
        ("Citibank", "Ситибанк"),
        ("Jazz", "Джазз"),
        ("Bloomberg", "Блумберг"),
        ("KazMunay", "Казмунай"),
        ("Əliyev", "Әлиев"),
        ("online", "онлайн"),
        ("BBC", "Би-би-си"),
        ("IT", "Ай-ти"),
        ("KPMG", "Кей-пи-эм-джи"),
        ("NATO", "Нато"),
    ],
)
def test_foreign_word(word: str, spoken: str) -> None:
    assert transliterate_word(word) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        # 2018 alphabet (acute accents)
        ("Qazaqstan Respýblıkasy", "Қазақстан Республикасы"),
        ("Men Qazaqstanda turamyn, bul meniń Otanym.", "Мен Қазақстанда тұрамын, бұл менің Отаным."),
        ("Ásem ánder shyrqaldy", "Әсем әндер шырқалды"),
        # 2021 alphabet (umlauts and breves)
        # (ı is і and y is ы in the 2021 alphabet, as in the reading rules)
        ("Bügın kün şuaqty, äuede ūşaq ūşyp jür.", "Бүгін күн шуақты, әуеде ұшақ ұшып жүр."),
        # no marks, but "q" is Қ: Kazakh, read with the 2018 letters
        ("Qazaqstan halqy", "Қазақстан халқы"),
        ("Şuşa", "Шуша"),
    ],
)
def test_text(text: str, spoken: str) -> None:
    assert transliterate(text) == spoken


def test_system_detection() -> None:
    assert latin_system("meniń Otanym") == "2018"
    assert latin_system("äuede ūşaq") == "2021"
    assert latin_system("Kazinform") is None
    assert latin_system("Qazaqstan") == "2018"
    assert latin_system("Quebec") is None


def test_cyrillic_line_keeps_foreign_names_foreign() -> None:
    assert transliterate("Бүгін Shell және Şuşa туралы") == "Бүгін Шелл және Шуша туралы"


def test_kazakh_ending_after_a_latin_name_joins() -> None:
    assert transliterate("SOCAR-дың") == "Сокардың"
    assert transliterate("Kaspi-банк") == "Каспи-банк"
