"""Russian and English sentences read by their own rules; Kazakh ones by the Kazakh normalizer, unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from audiobook.text.foreign import normalize_foreign, speakable
from audiobook.text.normalize import Lexicon, normalize


def cases() -> list[tuple[str, str, str]]:
    lines = (ROOT / "tests" / "data" / "normalize-ru-en.tsv").read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t")) for line in lines if line.strip() and not line.startswith("#")]  # type: ignore[misc]


@pytest.mark.parametrize(("language", "written", "spoken"), cases(), ids=lambda v: v[:40])
def test_news_sentences_read_as_a_newsreader_says_them(language: str, written: str, spoken: str) -> None:
    assert normalize_foreign(written, language) == spoken


def test_russian_years_agree_in_case_with_their_noun_and_preposition() -> None:
    assert normalize_foreign("в 2024 году", "ru") == "в две тысячи двадцать четвёртом году"
    assert normalize_foreign("к 2024 году", "ru") == "к две тысячи двадцать четвёртому году"
    assert normalize_foreign("до 2024 года", "ru") == "до две тысячи двадцать четвёртого года"
    assert normalize_foreign("2024 год был трудным", "ru") == "две тысячи двадцать четвёртый год был трудным"
    assert normalize_foreign("за 60 лет", "ru") == "за шестьдесят лет"  # a count of years, not a year


def test_russian_numbers_are_russian_words_not_kazakh() -> None:
    ru = speakable("В 2024 году выросли на 12%.", "ru", Lexicon())
    kk = speakable("2024 жылы 12%-ға өсті.", "kk", Lexicon())
    assert "двенадцать процентов" in ru and "жиырма" not in ru
    assert "жиырма" in kk
    assert speakable("2024 жылы 12%-ға өсті.", "kk", Lexicon()) == normalize("2024 жылы 12%-ға өсті.", Lexicon())


@pytest.mark.slow
def test_the_normalize_command_detects_or_is_told_the_language() -> None:
    r = run_cli("normalize", "В 2024 году. 2024 жылы. In 2024 we grew by 5%.")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == ("В две тысячи двадцать четвёртом году. Екі мың жиырма төртінші жылы. "
                                "In twenty twenty-four we grew by five percent.")
    r = run_cli("normalize", "--language", "ru", input="Встреча 15 марта.\n\nСпасибо.\n")
    assert r.stdout == "Встреча пятнадцатого марта.\n\nСпасибо.\n"
    r = run_cli("normalize", "--language", "de", "Guten Tag")
    assert r.returncode == 1 and "--language 'de'" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.slow
def test_the_normalize_command_reads_an_article_it_is_given_by_name(tmp_path: Path) -> None:
    article = tmp_path / "мақала.txt"
    article.write_text("2024 жылы 12%-ға өсті.\n\nВ 2024 году.\n", encoding="utf-8")
    r = run_cli("normalize", str(article))
    assert r.returncode == 0, r.stderr
    assert r.stdout == "Екі мың жиырма төртінші жылы он екі пайызға өсті.\n\nВ две тысячи двадцать четвёртом году.\n"
    r = run_cli("normalize", str(tmp_path / "жоқ.txt"))
    assert r.returncode == 1 and "жоқ.txt: file not found" in r.stderr and "Traceback" not in r.stderr
