"""`audiobook check`: the pre-flight report, on articles written for these tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import run_cli

from audiobook.text.check import check_script, format_report
from audiobook.text.normalize import Lexicon
from audiobook.text.parse import parse_article

ARTICLE = """\
Жаңа оқу жылы: ғылым мен технология

АСТАНА. KAZINFORM – Бүгін сағат 11.00-де т.ғ.д., профессор Айгүл Серікқызы ҚЖҒО жобасы туралы айтты.

– Айгүл Серікқызы, жоба қашан басталды?

– Біз 2019 жылы Starlinkpro компаниясымен келістік, ол 1000 жыл бұрынғы дәстүрді жалғайды. Ол 2024 jyly Almatyda ótti.
Жоба туралы толық ақпарат www.gov.kz сайтында.

– Келесі қадам қандай?

– Tesla мен Google-дің тәжірибесін зерттейміз.
"""


def write(tmp_path: Path, text: str = ARTICLE) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_report_names_speakers_chapters_and_every_guess(tmp_path: Path) -> None:
    lines = ARTICLE.splitlines()
    report = check_script(parse_article(ARTICLE, source="article.txt"), Lexicon(), lines)
    turns = {s.role: s.turns for s in report.speakers}
    assert turns["interviewer"] == 2 and turns["interviewee"] == 2
    assert len(report.chapters) == 3
    found = {(f.guess.kind, f.guess.written): f for f in report.findings}
    acronym = found[("acronym", "ҚЖҒО")]  # an unknown acronym, with its line and a lexicon line
    assert acronym.line == 3
    assert acronym.guess.lexicon_line == "ҚЖҒО = қы-жы-ғы-о"
    rule = found[("latin-rule", "Starlinkpro")]  # a Latin word read by rule
    assert rule.line == 7 and rule.guess.spoken == "Старлинкпро"
    assert found[("latin-kazakh", "jyly")].guess.spoken == "жылы"
    assert ("number", "2019 жылы") not in found  # a year before жылы is no judgement
    count = found[("number", "1000 жыл")]  # a year-shaped count is
    assert count.guess.spoken == "бір мың жыл" and count.line == 7
    assert ("latin-dictionary", "Tesla") in found
    assert ("latin-kazakh", "Tesla") not in found
    assert report.guesses and all(f.guess.kind != "latin-dictionary" for f in report.guesses)
    text = format_report(report)
    assert "line 3: ҚЖҒО -> ҚЖҒО" in text
    assert "lexicon: Starlinkpro = Старлинкпро" in text


def test_a_lexicon_entry_removes_the_guess() -> None:
    script = parse_article(ARTICLE, source="article.txt")
    lexicon = Lexicon({"ҚЖҒО": "Қазақстанның жас ғалымдар одағы", "Starlinkpro": "Старлинк про"})
    written = {f.guess.written for f in check_script(script, lexicon).findings}
    assert "ҚЖҒО" not in written and "Starlinkpro" not in written


@dataclass
class Dropped:
    text: str
    reason: str


def test_dropped_page_furniture_is_listed_when_the_parser_reports_it() -> None:
    script = parse_article(ARTICLE, source="article.txt")
    script.dropped = [Dropped("Фото: ашық дереккөз", "photo caption")]  # type: ignore[attr-defined]
    report = check_script(script, Lexicon())
    assert report.dropped == ["Фото: ашық дереккөз (photo caption)"]
    assert "Фото: ашық дереккөз (photo caption)" in format_report(report)


@pytest.mark.slow
def test_cli_exit_codes(tmp_path: Path) -> None:
    path = write(tmp_path)
    r = run_cli("check", str(path))
    assert r.returncode == 0, r.stderr
    assert "ҚЖҒО" in r.stdout and "Starlinkpro" in r.stdout
    assert run_cli("check", str(path), "--strict").returncode == 1
    clean = write(tmp_path, "Тақырып\n\n– Сұрақ қандай?\n\n– Жауап осындай.\n")
    r = run_cli("check", str(clean), "--strict")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 guessed readings." in r.stdout


@pytest.mark.slow
def test_cli_missing_input_is_one_line(tmp_path: Path) -> None:
    r = run_cli("check", str(tmp_path / "none.txt"))
    assert r.returncode != 0
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
