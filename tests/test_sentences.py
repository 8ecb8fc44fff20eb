"""The Kazakh sentence splitter: real sentence ends only, original text unchanged."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audiobook.text.normalize import split_sentences


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Бүгін күн ашық. Ертең жаңбыр жауады.", ["Бүгін күн ашық.", "Ертең жаңбыр жауады."]),
        ("Сіз келесіз бе? Иә, келемін! Жақсы…", ["Сіз келесіз бе?", "Иә, келемін!", "Жақсы…"]),
        ("Қ.Тоқаев сөз сөйледі. Жиын аяқталды.", ["Қ.Тоқаев сөз сөйледі.", "Жиын аяқталды."]),
        ("Қ. Тоқаев сөз сөйледі.", ["Қ. Тоқаев сөз сөйледі."]),
        ("Жиынға Ж.Қ. Бекова қатысты.", ["Жиынға Ж.Қ. Бекова қатысты."]),
        ("Алма, алмұрт т.б. Жемістер піскен.", ["Алма, алмұрт т.б. Жемістер піскен."]),
        ("Кітап, дәптер т.с.с. Бәрі дайын.", ["Кітап, дәптер т.с.с. Бәрі дайын."]),
        ("Ол 1991 ж. Алматыда туған.", ["Ол 1991 ж. Алматыда туған."]),
        ("Кесене XIV ғ. Түркістанда салынған.", ["Кесене XIV ғ. Түркістанда салынған."]),
        ("Өсім 4.5 пайыз. Бұл жақсы.", ["Өсім 4.5 пайыз.", "Бұл жақсы."]),
        ("Ол: «Келемін.» Сосын кетті.", ["Ол: «Келемін.»", "Сосын кетті."]),
        ("Сұрақ қойды. — Жауап бердім.", ["Сұрақ қойды.", "— Жауап бердім."]),
        ("Саны өсті. 2024 жылы рекорд болды.", ["Саны өсті.", "2024 жылы рекорд болды."]),
        ("Бұл жерде... тоқтадық.", ["Бұл жерде... тоқтадық."]),
        ("АСТАНА. KAZINFORM - Жиын өтті.", ["АСТАНА.", "KAZINFORM - Жиын өтті."]),
        ("1. Кіріспе сөз", ["1. Кіріспе сөз"]),
        ("Бірінші абзац.\n\nЕкінші абзац", ["Бірінші абзац.", "Екінші абзац"]),
        ("", []),
        ("   ", []),
    ],
)
def test_split(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


_WORDS = st.sampled_from(
    ["Бүгін", "күн", "т.б.", "Қ.", "Тоқаев", "2024", "ж.", "«Сөз»", "—", "?", "!", ".", "жақсы.", "4,5", "ҚР"]
)


@given(st.lists(_WORDS, max_size=30))
def test_joining_reproduces_the_text(words: list[str]) -> None:
    text = " ".join(words)
    parts = split_sentences(text)
    assert all(p and p == p.strip() for p in parts)
    assert " ".join(parts).split() == text.split()


def test_a_russian_abbreviation_before_a_name_does_not_end_the_sentence() -> None:
    assert split_sentences("Это произошло в г. Алматы. В 2024 г. Затем рост. Живёт на ул. Абая.") == [
        "Это произошло в г. Алматы.", "В 2024 г.", "Затем рост.", "Живёт на ул. Абая."]
