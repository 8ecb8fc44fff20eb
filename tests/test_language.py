"""Language of every sentence: Kazakh, Russian or English, on news sentences of many lengths."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE

from audiobook.errors import AudiobookError
from audiobook.text.language import detect, parse_languages
from audiobook.text.normalize import Lexicon
from audiobook.text.prepare import load_script, script_lines

DATA = ROOT / "tests" / "data"


def cases() -> list[tuple[str, str]]:
    lines = (DATA / "language-sentences.tsv").read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t", 1) for line in lines if line.strip() and not line.startswith("#")]
    return [(lang, text) for lang, text in rows]


def test_every_written_news_sentence_gets_its_language() -> None:
    data = cases()
    assert {lang for lang, _ in data} == {"kk", "ru", "en"} and len(data) >= 50
    wrong = [(lang, detect(s), s) for lang, s in data if detect(s) != lang]
    assert not wrong, wrong  # measured: 57/57 (kk 25, ru 20, en 12; 10 of them one or two words)


@pytest.mark.parametrize("sentence", [
    "Да, конечно.", "Нет.", "Спасибо вам.", "Как вы оцениваете итоги года?", "Температура упала до 12 градусов.",
    "Было 5 человек.", "В 2025 год вошли с планами.",
])
def test_short_russian_replies_are_russian(sentence: str) -> None:
    assert detect(sentence) == "ru"


@pytest.mark.parametrize("sentence", [
    "Ол «Да, конечно» деп жауап берді.",
    "Сұхбат барысында ол \"Мы справимся\" деген сөзін қайталады.",
    "Оның «War and Peace» туралы мақаласы жарияланды.",
    "Министр Сергей Иванов бюджет жобасын ұсынды.",
    "Концерт программасында Чайковский мен Рахманинов шығармалары орындалды.",
    # Two words, the first capitalised with a Kazakh letter; a one-word dateline.
    "Бірінші пакет.", "Өткен сезон.", "Ертең премьера.", "ПЕТРОПАВЛ.",
    # A Kazakh ending after a number is not the Russian word "да".
    "20-дан.", "6-да.",
    # Only words both languages share, but a noun in the singular after 12: Kazakh grammar.
    "Температура -12 градус.",
])
def test_quotes_names_and_loanwords_leave_a_kazakh_sentence_kazakh(sentence: str) -> None:
    assert detect(sentence) == "kk"


def test_a_russian_sentence_naming_a_kazakh_person_stays_russian() -> None:
    assert detect("Нұрлан Әбенов сказал, что проект завершат к осени.") == "ru"


def test_kk_alone_turns_detection_off_and_bad_lists_are_one_line() -> None:
    assert parse_languages("kk") == ("kk",)
    assert detect("Да, конечно.", ("kk",)) == "kk"
    assert detect("Yes, of course.", ("kk", "ru")) == "kk"  # English not allowed: the article's language
    assert parse_languages(" kk , ru ") == ("kk", "ru")
    for bad in ("ru,en", "kk,de", ""):
        with pytest.raises(AudiobookError, match="--languages"):
            parse_languages(bad)


@pytest.mark.parametrize("path", [SAMPLE, *sorted((DATA / "articles").glob("*.txt"))], ids=lambda p: p.name)
def test_kazakh_articles_are_kazakh_from_end_to_end(path: Path) -> None:
    lines, _ = script_lines(load_script(path), Lexicon())
    assert lines
    foreign = [(line.language, line.text) for line in lines if line.language != "kk"]
    assert not foreign, foreign


def test_the_mixed_interview_sentence_by_sentence() -> None:
    lines, _ = script_lines(load_script(DATA / "mixed-interview.txt"), Lexicon())
    langs = [line.language for line in lines]
    assert langs.count("ru") == 6 and langs.count("en") == 1, [(x.language, x.text) for x in lines]
    by_text = {line.text: line for line in lines}
    assert by_text["Да, конечно."].language == "ru"
    assert "две тысячи двадцать четвёртом году" in by_text[next(t for t in by_text if t.startswith("В 2024"))].spoken
    assert by_text["Рахмет, сұхбатыңызға."].language == "kk"
    quoted = next(t for t in by_text if "воробей" in t)
    assert by_text[quoted].language == "kk"
    # Kazakh sentences keep the Kazakh normalizer: "12 пайызға" in Kazakh words
    assert "он екі" in by_text["Биыл тауар айналымы 12 пайызға өсті."].spoken
    # --languages kk: every sentence Kazakh
    assert {x.language for x in script_lines(load_script(DATA / "mixed-interview.txt"), Lexicon(), ("kk",))[0]} \
        == {"kk"}


def test_an_edited_script_sets_a_segments_language(tmp_path: Path) -> None:
    from audiobook.text.scriptfile import dump_yaml, load_script_file

    script = load_script(DATA / "mixed-interview.txt")
    text = dump_yaml(script)
    body = [x for x in text.split("\nsegments:\n", 1)[1].splitlines() if not x.startswith("#")]
    assert body and not any("language:" in x for x in body)  # detected languages are not written out
    path = tmp_path / "episode.yaml"
    # The closing Russian thanks is set to Kazakh by hand (e.g. to keep it in the Kazakh voice).
    path.write_text(text.replace("  text: Спасибо вам.\n", "  text: Спасибо вам.\n  language: kk\n"), encoding="utf-8")
    edited = load_script_file(path)
    assert edited.segments[-1].language == "kk"
    lines, _ = script_lines(edited, Lexicon())
    assert lines[-1].language == "kk"
    path.write_text(text.replace("  text: Спасибо вам.\n", "  text: Спасибо вам.\n  language: de\n"), encoding="utf-8")
    with pytest.raises(AudiobookError, match=r"episode.yaml:\d+: .*language 'de'"):
        load_script_file(path)


@pytest.mark.parametrize(("sentence", "lang"), [
    ("Qazaqstan – bolashaǵy zor el.", "kk"),  # 2018 alphabet: ǵ
    ("Bul jobany barlyq azamattar qoldaıdy.", "kk"),  # 2021 alphabet: ı
    ("Телефон: +7 (727) 123-45-67, e-mail: info@digital.gov.kz, сайт: www.digital.gov.kz.", "kk"),
    ("Thomas Müller scored twice in the final.", "en"),  # a marked letter in a name says nothing
    ("Please write to info@gov.kz for details.", "en"),
    ("Мы посетили сайт www.gov.kz вчера вечером.", "ru"),
    # No alphabet's letter at all: q, Kazakh endings and words no English dictionary has.
    ("Bul jobany barlyq azamattar qoldaydy.", "kk"),
    ("Balalar mektepke baryp jur.", "kk"),
    ("Qazaqstan!", "kk"),
    ("Nursultan Nazarbayev University is a leading school.", "en"),
    ("Astana Hub is open to every startup.", "en"),
    ("Google.", "en"),
    # Kazakh names do not make an English sentence Kazakh, quoted or not.
    ('"Kazakhstan is a reliable partner," said Kassym-Jomart Tokayev.', "en"),
    ("Zhanna visited Kyzylorda.", "en"),
    ("Halyk Bank Q3 Results", "en"),
    ("Happy Nauryz!", "en"),
    ("Gennady Golovkin won the fight.", "en"),
    # A headline with no lower-case word: two words in three carry the Latin alphabets' marks.
    ("Qazaqstan Respwblïkasınıñ Ükimeti", "kk"),
    ("Erdoğan Visits Astana", "en"),
    # One lower-case word, every word Kazakh.
    ("Men Almatydan keldim.", "kk"),
    ("Sheshim qabyldandy.", "kk"),
    ("Erlan Karin commented.", "en"),
])
def test_latin_alphabet_letters_and_addresses(sentence: str, lang: str) -> None:
    """Latin Kazakh with its alphabet's letters was sent to the English voice; so was a Kazakh line of
    contact details, whose e-mail and site outweighed its Cyrillic words."""
    assert detect(sentence) == lang
