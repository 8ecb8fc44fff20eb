"""parse_article on one interview per layout: the speaker and role of every segment are checked."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from conftest import run_cli

from audiobook.text.parse import _shorten, parse_article
from audiobook.text.script import Script
from audiobook.text.source import read_text

ARTICLES = Path(__file__).parent / "data" / "articles"

# Speaker ids: N narrator, Q interviewer (asks), A interviewee (answers), and the round table's guests.
N, Q, A = "narrator", "interviewer", "interviewee"
AYGUL, NURLAN, MADINA = "aygul-serikqyzy", "nurlan-abdikov", "madina-tolegen"
ROLE = {N: N, Q: Q, A: A, AYGUL: A, NURLAN: A, MADINA: A}


def parse_file(name: str) -> Script:
    return parse_article(read_text(ARTICLES / name), name)


def cast(script: Script) -> list[str]:
    return [s.speaker for s in script.segments]


def assert_roles(script: Script, expected: list[str]) -> None:
    """Every segment's speaker, and its role, as expected; segment roles agree with their speakers."""
    assert cast(script) == expected
    assert [s.role for s in script.segments] == [ROLE[x] for x in expected]
    for seg in script.segments:
        assert script.speaker(seg.speaker).role == seg.role


# name -> (speaker of every segment, title, date, interviewee display name, chapter starts, chapter titles)
CASES = {
    "em_dash_blank_lines.txt": (
        [N, N, Q, A, A, Q, A, A, Q, A, N],
        "Ауыл мектебіне жаңа өмір керек – Гүлнар Әбенқызымен сұхбат",
        date(2025, 3, 14),
        "Гүлнар Әбенқызы",
        [0, 2, 5, 8],
        ["Ауыл мектебіне жаңа өмір керек – Гүлнар Әбенқызымен сұхбат",
         "Гүлнар Әбенқызы, мектебіңізде қазір қанша оқушы оқиды?",
         "Мұғалім жетіспеушілігі мәселесі қалай шешіліп жатыр?",
         "Ауыл мектебінің болашағын қалай елестетесіз?"],
    ),
    "en_dash_single_lines.txt": (
        [N, N, Q, Q, A, A, Q, A, Q, A, N],
        "Жас фермер: Жерді сүйсең, ол сені асырайды",
        None,
        "Дәурен Сапаров",
        [0, 2, 6, 8],
        ["Жас фермер: Жерді сүйсең, ол сені асырайды",
         "Неге дәл алма бағын таңдадыңыз?",  # the question sentence, not the preamble before it
         "Қандай қиындықтарға тап болдыңыз?",
         "Жас фермерлерге қандай кеңес бересіз?"],
    ),
    "hyphen_turns.txt": (
        [N, N, Q, A, A, Q, A, N, N],
        "Кітапхана – тек кітап сақтайтын орын емес",
        date(2024, 11, 2),
        "Сәуле Мұратқызы",
        [0, 2, 5],
        ["Кітапхана – тек кітап сақтайтын орын емес", "Бұл рас па?", "Цифрлық қор қалай толығып жатыр?"],
    ),
    "label_lines.txt": (
        [N, N, Q, Q, A, A, Q, A, N],
        "Облыс әкімі Ерлан Қасымов: Жолдардың жартысы биыл жөнделеді",
        None,
        "Ерлан Қасымов",
        [0, 2, 6],
        ["Облыс әкімі Ерлан Қасымов: Жолдардың жартысы биыл жөнделеді",
         "Биыл бұл мәселе қалай шешіледі?",
         "Жылу маусымына дайындық қалай жүріп жатыр?"],
    ),
    "inline_labels.txt": (
        [N, N, Q, A, A, Q, A, A, Q, A],
        "Цифрлық сауаттылық: қарттарды кім оқытады?",
        date(2025, 1, 20),
        "Айнұр Жақыпова",
        [0, 2, 5, 8],
        ["Цифрлық сауаттылық: қарттарды кім оқытады?", "Курсқа кімдер келеді?",
         "Қандай қиындықтар кездеседі?", "Курсқа қалай жазылуға болады?"],
    ),
    "round_table.txt": (
        [N, N, Q, AYGUL, AYGUL, NURLAN, Q, MADINA, AYGUL, Q, NURLAN, MADINA, N],
        "Дөңгелек үстел: Жасанды интеллект мектепке керек пе?",
        None,
        None,
        [0, 2, 6, 9],
        ["Дөңгелек үстел: Жасанды интеллект мектепке керек пе?",
         "Құрметті қонақтар, жасанды интеллект сабаққа көмектесе ме…",
         "Ата-ана ретінде сіз не ойлайсыз?", "Мектептерге қандай ереже керек?"],
    ),
    "no_turns.txt": (
        [N, N, N, N],
        "Астанада жаңа саябақ ашылды",
        date(2025, 5, 9),
        None,
        [0],
        ["Астанада жаңа саябақ ашылды"],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_segment_has_the_right_speaker_and_role(name: str) -> None:
    expected, title, when, guest, starts, titles = CASES[name]
    script = parse_file(name)
    assert_roles(script, expected)
    assert script.title == title
    assert script.date == when
    assert [c.first_segment for c in script.chapters] == starts
    assert [c.title for c in script.chapters] == titles
    assert [s.chapter for s in script.segments] == [
        max(n for n, c in enumerate(script.chapters) if c.first_segment <= i) for i in range(len(expected))]
    if guest:
        assert script.speaker("interviewee").name == guest


@pytest.mark.parametrize("name", sorted(CASES))
def test_no_paragraph_is_dropped_and_no_marker_is_spoken(name: str) -> None:
    text = read_text(ARTICLES / name)
    script = parse_file(name)
    spoken = "\n".join(s.text for s in script.segments)
    label_only = re.compile(r"^(Тілші|Әкім|Сұрақ|Жауап):$")
    for line in text.lstrip("\ufeff").splitlines():
        line = re.sub(r"^\s*date \d{4}-\d{2}-\d{2}\s*", "", line).strip()
        if not line or label_only.match(line):
            continue
        body = re.sub(r"^(— |– |- )", "", line)
        body = re.sub(r"^(Сұрақ|Жауап|Модератор|[А-ЯӘҒҚҢӨҰҮҺІ]\w+ [А-ЯӘҒҚҢӨҰҮҺІ]\w+(, [^:]+)?|Серікқызы): ",
                      "", body) if not body.startswith(("Статистика", "Мысалы")) else body
        assert body in spoken, f"dropped: {line!r}"
    for seg in script.segments:
        assert seg.text == seg.text.strip() and seg.text
        assert not re.match(r"^([—–]|- )", seg.text), seg.text
        assert not re.match(r"^(Тілші|Сұрақ|Жауап|Модератор|Әкім|Серікқызы):", seg.text), seg.text


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
def test_cli_json_gives_every_role(name: str) -> None:
    """The acceptance path: `audiobook script FILE --json`."""
    r = run_cli("script", str(ARTICLES / name), "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    expected, title, when, *_ = CASES[name]
    assert [s["speaker"] for s in d["segments"]] == expected
    assert [s["role"] for s in d["segments"]] == [ROLE[x] for x in expected]
    assert d["title"] == title and d["date"] == (when.isoformat() if when else None)
    assert all(c["title"] for c in d["chapters"])


def test_headline_lead_and_dateline() -> None:
    script = parse_file("em_dash_blank_lines.txt")  # starts with a BOM and a space before "date"
    assert script.segments[0].text == script.title
    assert script.lead.startswith("ҚАРАҒАНДЫ. KAZINFORM – Облыстағы")
    assert script.segments[1].text == script.lead
    assert script.warnings == []


def test_no_turns_warns_and_gives_everything_to_the_narrator() -> None:
    script = parse_file("no_turns.txt")
    assert any("no dialogue turns" in w for w in script.warnings)
    assert [s.id for s in script.speakers] == ["narrator"]
    assert script.lead.startswith("АСТАНА. KAZINFORM")


def test_round_table_speakers_are_distinct() -> None:
    script = parse_file("round_table.txt")
    assert [(s.id, s.name, s.role) for s in script.speakers] == [
        (N, "Диктор", N), (Q, "Модератор", Q), (AYGUL, "Айгүл Серікқызы", A),
        (NURLAN, "Нұрлан Әбдіков", A), (MADINA, "Мәдина Төлеген", A)]
    # The speaker's title after the comma is not read; "Серікқызы:" alone is the same person.
    assert script.segments[3].text.startswith("Мен оны көмекші")
    assert script.segments[8].speaker == AYGUL


@pytest.mark.slow
@pytest.mark.parametrize("name", ["round_table.txt", "label_lines.txt"])
def test_parse_is_the_same_in_every_process(name: str) -> None:
    """The parser uses sets and dicts of words: string hashing differs per process (PYTHONHASHSEED), so
    only separate processes with different seeds show that no result depends on iteration order."""
    here = parse_file(name).to_dict()
    for seed in ("1", "2", "3"):
        r = run_cli("script", str(ARTICLES / name), "--json", env={"PYTHONHASHSEED": seed})
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout) == json.loads(json.dumps(here, ensure_ascii=False)), seed


def test_json_shape() -> None:
    d = parse_file("hyphen_turns.txt").to_dict()
    assert d["date"] == "2024-11-02"
    assert {"title", "date", "speakers", "segments", "chapters"} <= set(d)
    assert set(d["segments"][0]) == {"speaker", "role", "text", "chapter"}
    assert {s["role"] for s in d["segments"]} == {N, Q, A}


# --- layouts and traps written inline -------------------------------------------------------------


def test_iso_date_prefix_and_date_line_alone() -> None:
    s = parse_article("2025-02-01 Спорт мектебі ашылды\n— Қашан ашылды?\n— Кеше.")
    assert s.date == date(2025, 2, 1) and s.title == "Спорт мектебі ашылды"
    assert_roles(s, [N, Q, A])
    s = parse_article("date 2025-02-01\nСпорт мектебі ашылды\n— Қашан ашылды?\n— Кеше.")
    assert s.date == date(2025, 2, 1) and s.title == "Спорт мектебі ашылды"
    assert_roles(s, [N, Q, A])


def test_bad_date_is_a_warning_not_a_crash() -> None:
    s = parse_article("date 2025-13-40 Тақырып\n— Сұрақ па?\n— Жауап.")
    assert s.date is None and s.title == "Тақырып"
    assert any("2025-13-40" in w for w in s.warnings)
    assert_roles(s, [N, Q, A])


def test_text_without_headline_starts_with_the_dateline() -> None:
    s = parse_article("АСТАНА. KAZINFORM – Кіріспе мәтіні.\n— Сұрақ па?\n— Жауап.")
    assert_roles(s, [N, Q, A])
    assert s.lead == "АСТАНА. KAZINFORM – Кіріспе мәтіні."
    assert any("no headline" in w for w in s.warnings)


def test_hyphen_in_the_dateline_is_not_a_turn() -> None:
    s = parse_file("hyphen_turns.txt")
    assert s.segments[1].role == N and s.segments[1].text.startswith("АЛМАТЫ. KAZINFORM - ")


def test_rhetorical_answer_does_not_shift_turns() -> None:
    s = parse_article("Тақырып\n— Бірінші сұрақ?\n— Неге болмасқа?\n— Екінші сұрақ?\n— Жауап.\n"
                      "— Үшінші сұрақ?\n— Тағы жауап.")
    assert_roles(s, [N, Q, A, Q, A, Q, A])
    assert s.warnings == []


def test_answer_split_by_a_stray_dash_resynchronises() -> None:
    s = parse_article("Тақырып\nКіріспе.\n— Сұрақ?\n— Жауаптың басы.\n— Жауаптың жалғасы.\n"
                      "— Екінші сұрақ?\n— Екінші жауап.\n— Үшінші сұрақ?\n— Үшінші жауап.\n"
                      "— Төртінші сұрақ?\n— Төртінші жауап.")
    assert_roles(s, [N, N, Q, A, A, Q, A, Q, A, Q, A])
    assert any("two answers in a row" in w for w in s.warnings)


def test_only_questions_labelled() -> None:
    s = parse_article("Тақырып\nКіріспе.\nСұрақ: Бірінші сұрақ қандай?\nЖауаптың бірінші абзацы.\n"
                      "Жауаптың екінші абзацы.\nСұрақ: Екінші сұрақ?\nЕкінші жауап.")
    assert_roles(s, [N, N, Q, A, A, Q, A])
    assert [c.first_segment for c in s.chapters] == [0, 2, 5]


def test_short_labels_and_dash_after_label() -> None:
    s = parse_article("Тақырып\nКіріспе.\nС: — Бірінші сұрақ?\nЖ: — Бірінші жауап.\n"
                      "**Тілші:** Екінші сұрақ?\n**Жауап:** Екінші жауап.")
    assert_roles(s, [N, N, Q, A, Q, A])
    assert [seg.text for seg in s.segments[2:]] == ["Бірінші сұрақ?", "Бірінші жауап.", "Екінші сұрақ?",
                                                    "Екінші жауап."]


def test_label_layout_keeps_list_items_with_the_speaker() -> None:
    s = parse_article("Тақырып\nКіріспе.\nТілші:\n— Бірінші сұрақ?\nЖауап:\n— Жауап мынадай.\n"
                      "- бірінші тармақ;\n- екінші тармақ.\nТілші: Екінші сұрақ?\nЖауап: Екінші жауап.")
    assert_roles(s, [N, N, Q, A, A, A, Q, A])
    assert s.segments[4].text == "бірінші тармақ;"


def test_repeated_first_name_labels_and_names_from_headline() -> None:
    s = parse_article("Асқар Ержанов: Спорт – менің өмірім\nКіріспе.\nТілші: Қашан бастадыңыз?\n"
                      "Асқар: Жеті жасымда.\nТілші: Ең қиын жарыс қайсы?\nАсқар: Алғашқы чемпионат.")
    assert_roles(s, [N, N, Q, A, Q, A])
    assert s.speaker(A).name == "Асқар Ержанов"


def test_short_forms_of_a_name_and_the_byline() -> None:
    s = parse_article("Тақырып\nКіріспе.\nТілші: Сіз қашан келдіңіз?\nЕрлан Қасымов: Өткен жылы.\n"
                      "Тілші: Не өзгерді?\nЕрлан: Көп нәрсе.\nТілші: Тағы не айтасыз?\nЕ. Қасымов: Рахмет.\n"
                      "Сұхбаттасқан: Айгүл Серікқызы")
    assert_roles(s, [N, N, Q, A, Q, A, Q, A, N])
    assert [sp.id for sp in s.speakers] == [N, Q, A] and s.speaker(A).name == "Ерлан Қасымов"
    assert len(s.chapters) == 4  # the byline opens no chapter


def test_named_speakers_without_role_words() -> None:
    s = parse_article("Тақырып\nКіріспе.\nАйгүл Серікқызы: Сіз қашан келдіңіз?\nЕрлан Қасымов: Өткен жылы.\n"
                      "Айгүл Серікқызы: Не өзгерді?\nЕрлан Қасымов: Көп нәрсе.\n"
                      "Бұған дейін біз ауылда тұрдық.")
    assert_roles(s, [N, N, Q, A, Q, A, A])  # "Бұған дейін біз ..." is the interviewee, not a closing note
    assert s.speaker(Q).name == "Айгүл Серікқызы" and s.speaker(A).name == "Ерлан Қасымов"


def test_colon_in_ordinary_sentences_is_not_a_label() -> None:
    s = parse_article("Тақырып\n— Сұрақ?\n— Жауап.\nМысалы: бәрі өзгерді.\n"
                      "Нәтиже мынадай: жоспар орындалды.\nҚазақстан Республикасының Үкіметі: бұл шешім.\n"
                      "Жоба: бір рет қана айтылды.")
    assert_roles(s, [N, Q, A, A, A, A, A])


def test_closing_notes_and_captions() -> None:
    s = parse_article("Тақырып\n— Сұрақ?\n— Жауап.\nАйта кетейін, мен де сол жерде болдым.\n"
                      "Еске сала кетейік, форум ертең ашылады.\nФото: Ақорда")
    assert_roles(s, [N, Q, A, A, N])  # "Айта кетейін" (Q) is the interviewee; "кетейік" (we) the newsroom
    assert [(d.line, d.text, d.reason) for d in s.dropped] == [(6, "Фото: Ақорда", "photo credit")]
    kept = parse_article("Тақырып\n— Сұрақ?\n— Жауап.\nФото: Ақорда", keep_all=True)
    assert_roles(kept, [N, Q, A, N])
    assert kept.dropped == []
    s = parse_article("Тақырып\n— Сұрақ?\n— Жауап.\nБұған дейін Kazinform бұл туралы жазған болатын.")
    assert_roles(s, [N, Q, A, N])
    s = parse_article("Тақырып\nТілші: Сұрақ?\nЖауап:\nЕске салсақ, біз бұны бұрын да айттық.\n"
                      "Жауап:\nЕкінші.")
    assert_roles(s, [N, Q, A, A])  # the answer's own first paragraph is never a closing note


def test_note_heading_after_the_last_answer() -> None:
    s = parse_article("Тақырып\nТілші: Сұрақ?\nЖауап: Жауап.\nАнықтама:\nКітапхана 1931 жылы ашылған.")
    assert_roles(s, [N, Q, A, N, N])
    assert s.segments[3].text == "Анықтама:"


def test_hard_wrapped_lines_are_joined() -> None:
    s = parse_article("Тақырып\n\nКіріспе мәтіні бірнеше жолға\nбөлініп жазылған.\n\n— Сұрақ қандай\n"
                      "болмақ?\n\n— Жауап бірінші жолда\nЕкінші жолда жалғасады.\n\nЖаңа абзац.")
    assert_roles(s, [N, N, Q, A, A])
    assert s.segments[3].text == "Жауап бірінші жолда Екінші жолда жалғасады."
    assert s.chapters[1].title == "Сұрақ қандай болмақ?"


def test_interviewee_name_sources() -> None:
    def guest(headline: str, lead: str = "Кіріспе.") -> str:
        return parse_article(f"{headline}\n{lead}\n— Сұрақ?\n— Жауап.").speaker(A).name

    assert guest("Министр Ерлан Сәрсеновпен арнайы сұхбат") == "Ерлан Сәрсенов"
    assert guest("Ерлан Сәрсенов: Ауылда жұмыс көп") == "Ерлан Сәрсенов"
    assert guest("Тақырып", "АСТАНА. KAZINFORM – Елші Марат Болатұлы Сейітов Қазақстан туралы айтты.") \
        == "Марат Болатұлы Сейітов"
    assert guest("Тақырып", "Асқар Сүлейменов тілшімізге берген сұхбатында Қазақстан туралы айтты.") \
        == "Асқар Сүлейменов"
    assert guest("Тақырып", "Президенті Ильхам Әлиев Қазақстанға келді.") == "Ильхам Әлиев"
    assert guest("Ауыл шаруашылығы туралы әңгіме") == "Қонақ"


def test_question_with_several_paragraphs_is_one_chapter() -> None:
    s = parse_file("en_dash_single_lines.txt")
    assert [seg.chapter for seg in s.segments[2:6]] == [1, 1, 1, 1]


def test_empty_text() -> None:
    s = parse_article("\ufeff \n\n")
    assert s.segments == [] and s.warnings


def test_shorten() -> None:
    assert _shorten("қысқа", 60) == "қысқа"
    long = "Әзербайжан мен Қазақстан арасындағы көлік-логистика саласындағы ынтымақтастық деңгейі қандай?"
    out = _shorten(long, 60)
    assert len(out) <= 60 and out.endswith("…") and long.startswith(out[:-1])
    assert not out[:-1].endswith(" ")


@pytest.mark.parametrize("line", ["18.10.2025, 14:30 👁 4236", "18.10.2025 14:30 💬 12 👁 4236", "👁 4236"])
def test_a_date_line_with_icon_counters_is_furniture(line: str) -> None:
    """A view counter after its icon in the middle of a date line was read aloud ("... он төрт отыз 👁 төрт мың")."""
    from audiobook.text.parse.furniture import line_reason

    assert line_reason(line) in ("date and counters", "counter")
